// 走出去、走进来: which peer nodes' CAs this node trusts. A region administrator of the node's
// own region proposes a peer's root CA certificate (uploaded, or fetched from the peer's
// /ca/root.crt), compares the SM3 fingerprint with the peer out of band, then confirms it;
// removal needs a reason. Every change is audited in its transaction, and the list this node
// publishes is re-signed by its issuing CA whenever what it lists differs from what is trusted.
import { recordAudit, type AuditActor } from '../../../platform/audit/audit.ts';
import { inTransaction, type Db } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/http/access.ts';
import { AppError, type FieldError } from '../../../platform/http/errors.ts';
import { OID, parseCertificate } from '../../../platform/crypto/x509/index.ts';
import { anchorsDigest, checkCandidate, fingerprint, TRUST_LIST_FORMAT, type TrustListContent, type TrustListEnvelope } from './list.ts';
import * as store from './store.ts';

const DAY = 86_400_000;
/** Like the CRLs: a week's validity, re-signed once half of it has passed. */
const LIST_LIFETIME_MS = 7 * DAY;
const MAX_CERT_BYTES = 64 * 1024;
const FETCH_TIMEOUT_MS = 5_000;

/** What the trust list needs of the node's CA (CaService provides it). */
export interface TrustCa {
  caCertificate(role: 'root' | 'issuing'): Promise<Buffer>;
  signAsIssuer(message: Uint8Array): Promise<Buffer>;
}

export interface TrustServiceOptions {
  db: Db;
  ca: TrustCa;
  nodeRegionCode: string;
  publicUrl: string;
  now?: () => Date;
  fetch?: typeof fetch;
}

export type ProposeInput = { peerName: string; regionCode: string } & ({ certificate: Uint8Array } | { url: string });

export type AnchorView = store.AnchorRow;

const invalid = (errors: FieldError[]) => new AppError('TRUST_ANCHOR_INVALID', { errors });

export class TrustService {
  private readonly o: TrustServiceOptions;
  private readonly now: () => Date;

  constructor(options: TrustServiceOptions) {
    this.o = options;
    this.now = options.now ?? (() => new Date());
  }

  /** Only administrators of the node's own region (or the platform administrator) manage the list. */
  private admin(actor: AuditActor): string {
    if (actor.kind === 'system') return `system:${actor.id}`;
    if (actor.kind !== 'staff' || !actor.roles.some((r) => r === 'region_admin' || r === 'platform_admin')) throw new AppError('FORBIDDEN');
    if (actor.regionCode !== this.o.nodeRegionCode) throw new AppError('OUT_OF_REGION', { detail: `信任列表由本节点（${this.o.nodeRegionCode}）的区划管理员维护` });
    return actor.accountId;
  }

  /** This node's own root first, then the confirmed peer roots (DER): what verifiers trust. */
  async anchors(): Promise<Buffer[]> {
    return [await this.o.ca.caCertificate('root'), ...(await store.activeAnchors(this.o.db)).map((r) => r.der)];
  }

  async list(actor: Actor): Promise<{ live: AnchorView[]; removed: AnchorView[]; own: { subject: string; sm3: string } }> {
    this.admin(actor);
    const root = await this.o.ca.caCertificate('root');
    return { live: await store.liveAnchors(this.o.db), removed: await store.removedAnchors(this.o.db), own: { subject: parseCertificate(root).subject.text, sm3: fingerprint(root) } };
  }

  async get(actor: Actor, id: string): Promise<AnchorView> {
    this.admin(actor);
    const row = /^[0-9a-f-]{36}$/.test(id) ? await store.anchorById(this.o.db, id) : undefined;
    if (!row) throw new AppError('TRUST_ANCHOR_NOT_FOUND');
    return row;
  }

  /** Step 1: a pending entry, shown with its subject and fingerprint for comparison with the peer. */
  async propose(actor: AuditActor, input: ProposeInput, meta: { requestId?: string } = {}): Promise<AnchorView> {
    const by = this.admin(actor);
    const errors: FieldError[] = [];
    const peerName = typeof input.peerName === 'string' ? input.peerName.trim() : '';
    if (peerName.length < 1 || peerName.length > 100) errors.push({ field: 'peerName', message: '请填写对方节点的名称（1–100 字）' });
    const regionCode = typeof input.regionCode === 'string' ? input.regionCode.trim() : '';
    if (!/^[1-9][0-9]{5}$/.test(regionCode)) errors.push({ field: 'regionCode', message: '请填写对方节点的 6 位行政区划代码，如 330000' });
    else if (regionCode === this.o.nodeRegionCode) errors.push({ field: 'regionCode', message: '这是本节点自己的区划代码' });
    const field = 'url' in input ? 'url' : 'certificate';
    let der: Uint8Array | null = null;
    let source = 'upload';
    if ('url' in input) {
      const fetched = await this.fetchRoot(input.url);
      if (Array.isArray(fetched)) errors.push(...fetched);
      else ({ der, source } = fetched);
    } else if (!(input.certificate instanceof Uint8Array) || input.certificate.length === 0) errors.push({ field, message: '请选择对方根 CA 证书文件（DER 或 PEM）' });
    else if (input.certificate.length > MAX_CERT_BYTES) errors.push({ field, message: '证书文件过大（不超过 64 KB）' });
    else der = input.certificate;
    if (der) {
      const listed = new Set((await store.liveAnchors(this.o.db)).map((r) => r.sm3_fingerprint));
      const cert = checkCandidate(der, field, { now: this.now(), ownRootSm3: fingerprint(await this.o.ca.caCertificate('root')), listed });
      if (Array.isArray(cert)) errors.push(...cert);
      else if (!errors.length) {
        return inTransaction(this.o.db, async (tx) => {
          const row = await store.insertAnchor(tx, {
            peer_name: peerName, region_code: regionCode, subject: cert.subject.text, sm3_fingerprint: fingerprint(cert.der), der: cert.der, not_before: cert.notBefore, not_after: cert.notAfter, source, added_by: by,
          });
          await recordAudit(tx, { actor, action: 'trust.anchor.propose', targetType: 'trust_anchor', targetId: row.id, regionCode: this.o.nodeRegionCode, change: { peerName, regionCode, subject: row.subject, sm3: row.sm3_fingerprint, source }, requestId: meta.requestId ?? null });
          return row;
        }).catch((err: unknown) => {
          // The partial unique index: another administrator proposed the same certificate meanwhile.
          if ((err as { code?: string }).code === '23505') throw invalid([{ field, message: '该证书已在信任列表中（或正等待确认）' }]);
          throw err;
        });
      }
    }
    throw invalid(errors);
  }

  /** Step 2: the fingerprint was compared with the peer; the certificate becomes a trust anchor. */
  async confirm(actor: AuditActor, id: string, meta: { requestId?: string } = {}): Promise<AnchorView> {
    const by = this.admin(actor);
    const row = await inTransaction(this.o.db, async (tx) => {
      const row = await store.anchorById(tx, id, true);
      if (!row) throw new AppError('TRUST_ANCHOR_NOT_FOUND');
      if (row.status !== 'pending') throw new AppError('TRUST_ANCHOR_STATE_CONFLICT');
      if (this.now() > row.not_after) throw invalid([{ field: 'checked', message: `证书已于 ${row.not_after.toISOString().slice(0, 10)} 过期，不能启用` }]);
      const at = this.now();
      await store.activate(tx, id, by, at);
      await recordAudit(tx, { actor, action: 'trust.anchor.activate', targetType: 'trust_anchor', targetId: id, regionCode: this.o.nodeRegionCode, change: { from: 'pending', to: 'active', subject: row.subject, sm3: row.sm3_fingerprint }, requestId: meta.requestId ?? null });
      return { ...row, status: 'active' as const, confirmed_by: by, confirmed_at: at };
    });
    await this.published();
    return row;
  }

  /** Removes an active or pending entry; documents that chain only to it stop verifying here. */
  async remove(actor: AuditActor, id: string, reason: string, meta: { requestId?: string } = {}): Promise<void> {
    const by = this.admin(actor);
    const why = typeof reason === 'string' ? reason.trim() : '';
    if (why.length < 1 || why.length > 500) throw invalid([{ field: 'reason', message: '请填写移除理由（1–500 字）' }]);
    await inTransaction(this.o.db, async (tx) => {
      const row = await store.anchorById(tx, id, true);
      if (!row) throw new AppError('TRUST_ANCHOR_NOT_FOUND');
      if (row.status === 'removed') throw new AppError('TRUST_ANCHOR_STATE_CONFLICT');
      await store.remove(tx, id, by, this.now(), why);
      await recordAudit(tx, { actor, action: 'trust.anchor.remove', targetType: 'trust_anchor', targetId: id, regionCode: this.o.nodeRegionCode, change: { from: row.status, to: 'removed', reason: why, subject: row.subject, sm3: row.sm3_fingerprint }, requestId: meta.requestId ?? null });
    });
    await this.published();
  }

  /** The current signed list: re-signed when the anchors changed or half its lifetime is gone. */
  async published(): Promise<TrustListEnvelope> {
    const root = await this.o.ca.caCertificate('root');
    const active = await store.activeAnchors(this.o.db);
    const digest = anchorsDigest([fingerprint(root), ...active.map((a) => a.sm3_fingerprint)]);
    for (let attempt = 0; attempt < 5; attempt++) {
      const latest = await store.latestVersion(this.o.db);
      const now = this.now();
      if (latest && latest.anchors_digest === digest && latest.root_der.equals(root) && latest.next_update.getTime() - now.getTime() > LIST_LIFETIME_MS / 2) return envelopeOf(latest);
      const version = Number(latest?.version ?? 0) + 1;
      const issuing = await this.o.ca.caCertificate('issuing');
      const rootCert = parseCertificate(root);
      const content: TrustListContent = {
        format: TRUST_LIST_FORMAT,
        issuer: { regionCode: this.o.nodeRegionCode, url: `${this.o.publicUrl.replace(/\/$/, '')}/ca/trust-list` },
        version,
        issuedAt: now.toISOString(),
        nextUpdate: new Date(now.getTime() + LIST_LIFETIME_MS).toISOString(),
        anchors: [
          { name: '本节点', regionCode: this.o.nodeRegionCode, own: true, subject: rootCert.subject.text, sm3: fingerprint(root), notAfter: rootCert.notAfter.toISOString(), certificate: root.toString('base64') },
          ...active.map((a) => ({ name: a.peer_name, regionCode: a.region_code, own: false, subject: a.subject, sm3: a.sm3_fingerprint, notAfter: a.not_after.toISOString(), certificate: a.der.toString('base64') })),
        ],
      };
      const bytes = Buffer.from(JSON.stringify(content), 'utf8');
      const row: store.VersionRow = {
        version, anchors_digest: digest, content: bytes, signature: await this.o.ca.signAsIssuer(bytes), signer_der: issuing, root_der: root, issued_at: now, next_update: new Date(now.getTime() + LIST_LIFETIME_MS),
      };
      if (await store.insertVersion(this.o.db, row)) return envelopeOf(row);
    }
    throw new Error('could not publish the trust list: too many concurrent publishers');
  }

  /** GET <peer>/ca/root.crt (or the certificate URL given), with a size and time limit. */
  private async fetchRoot(raw: string): Promise<{ der: Buffer; source: string } | FieldError[]> {
    const err = (message: string): FieldError[] => [{ field: 'url', message }];
    let url: URL;
    try {
      url = new URL(typeof raw === 'string' ? raw.trim() : '');
    } catch {
      return err('请填写对方节点的网址，如 https://zwfw.zj.gov.cn');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return err('网址应以 https:// 或 http:// 开头');
    if (url.username || url.password) return err('网址中不能包含用户名或密码');
    if (!/\.(crt|cer|der|pem)$/i.test(url.pathname)) url = new URL(`${url.pathname.replace(/\/$/, '')}/ca/root.crt`, url);
    try {
      const res = await (this.o.fetch ?? fetch)(url, { redirect: 'error', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
      if (!res.ok) return err(`对方节点答复 HTTP ${res.status}（${url.href}）`);
      const body = Buffer.from(await res.arrayBuffer());
      if (body.length > MAX_CERT_BYTES) return err('对方返回的证书过大（不超过 64 KB）');
      return { der: body, source: url.href };
    } catch (e) {
      return err(`无法从 ${url.href} 获取证书：${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

function envelopeOf(row: store.VersionRow): TrustListEnvelope {
  return {
    content: row.content.toString('utf8'),
    signatureAlgorithm: OID.sm3WithSm2,
    signature: row.signature.toString('base64'),
    signerChain: [row.signer_der.toString('base64'), row.root_der.toString('base64')],
  };
}
