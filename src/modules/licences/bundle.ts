// The licence trust bundle (docs/licences-verification.md): what an offline verifier downloads
// from each node at GET /licences/trust-bundle. It names the seal certificates that sign this
// node's licence QR codes (by kid) and lists every licence version that is no longer valid,
// without holder data. Published in the trust list's envelope, signed the same way (the
// node's issuing CA, SM3withSM2 over the exact content bytes), and checked against the roots
// the verifier already trusts.
import { sql } from 'kysely';
import type { Config } from '../../config.ts';
import type { Db } from '../../platform/db/database.ts';
import { OID, parseCertificate, verifyChain, type Certificate } from '../../platform/crypto/x509/index.ts';
import { sm2Verify } from '../../platform/crypto/sm2.ts';
import { caChain, caServiceFor, parseSeal, type TrustListEnvelope } from '../seals/index.ts';
import { kidOf } from './qr.ts';

export const BUNDLE_FORMAT = 'yiwang-licence-bundle/1';
export const BUNDLE_LIFETIME_MS = 24 * 3600_000;

export type BundleStatus = 'suspended' | 'revoked' | 'superseded';

export interface BundleSigner {
  kid: string;
  /** The seal's signer certificate, DER Base64. */
  certificate: string;
  esId: string;
  orgName: string;
}

export interface BundleStatusEntry {
  identifier: string;
  status: BundleStatus;
  since: string;
  /** For revoked: 注销 (cancelled) or 吊销 (withdrawn). */
  revokeKind?: 'cancelled' | 'withdrawn';
}

export interface LicenceBundleContent {
  format: typeof BUNDLE_FORMAT;
  issuer: { regionCode: string; url: string };
  issuedAt: string;
  nextUpdate: string;
  signers: BundleSigner[];
  /** Issuing CA certificates (DER Base64) between the signers and a root. */
  intermediates: string[];
  statuses: BundleStatusEntry[];
}

/** The same envelope as the trust list's (content, SM3withSM2 signature, signer chain). */
export type LicenceBundleEnvelope = TrustListEnvelope;

type Ctx = { db: Db; config: Pick<Config, 'nodeRegionCode' | 'publicUrl'> };

/** End-entity certificates in a seal's certList: the keys that may sign for it. */
function signerCertificates(sesSeal: Buffer): Buffer[] {
  const list = parseSeal(sesSeal).sealInfo.property.certList;
  return (list.type === 1 ? list.certs : []).map((c) => Buffer.from(c)).filter((der) => {
    try {
      return !parseCertificate(der).basicConstraints?.ca;
    } catch {
      return false;
    }
  });
}

async function signers(db: Db): Promise<BundleSigner[]> {
  const used = db.selectFrom('licence').select('seal_es_id');
  const rows = await db
    .selectFrom('seal')
    .leftJoin('organisation', 'organisation.id', 'seal.org_id')
    .select(['seal.es_id', 'seal.ses_seal', 'organisation.name as org_name'])
    .where((eb) => eb.or([eb('seal.status', '=', 'valid'), eb('seal.es_id', 'in', used)]))
    .orderBy('seal.es_id')
    .execute();
  return rows.flatMap((r) => signerCertificates(r.ses_seal).map((der) => ({ kid: kidOf(der), certificate: der.toString('base64'), esId: r.es_id, orgName: r.org_name ?? '' })));
}

async function statuses(db: Db): Promise<BundleStatusEntry[]> {
  const rows = await db
    .selectFrom('licence_version as v')
    .innerJoin('licence as l', 'l.id', 'v.licence_id')
    // A superseded version ends when the next one was made.
    .leftJoin('licence_version as n', (j) => j.onRef('n.licence_id', '=', 'v.licence_id').on('n.version', '=', sql<number>`v.version + 1`))
    .select(['v.identifier', 'v.version', 'l.version as current', 'l.status', 'l.revoke_kind', 'l.updated_at', 'n.created_at as next_at'])
    .where((eb) => eb.or([eb('v.version', '<', eb.ref('l.version')), eb('l.status', '!=', 'valid')]))
    .orderBy('v.identifier')
    .execute();
  return rows.map((r): BundleStatusEntry => {
    if (r.version < r.current) return { identifier: r.identifier, status: 'superseded', since: new Date(r.next_at ?? r.updated_at).toISOString() };
    const status = r.status as 'suspended' | 'revoked';
    return { identifier: r.identifier, status, since: new Date(r.updated_at).toISOString(), ...(status === 'revoked' && r.revoke_kind ? { revokeKind: r.revoke_kind } : {}) };
  });
}

/** The content this node publishes now (unsigned); without the status list when `withStatuses` is false. */
export async function bundleContent(ctx: Ctx, now = new Date(), withStatuses = true): Promise<LicenceBundleContent> {
  const [issuing] = await caChain(ctx as Parameters<typeof caChain>[0]);
  return {
    format: BUNDLE_FORMAT,
    issuer: { regionCode: ctx.config.nodeRegionCode, url: `${ctx.config.publicUrl.replace(/\/$/, '')}/licences/trust-bundle` },
    issuedAt: now.toISOString(),
    nextUpdate: new Date(now.getTime() + BUNDLE_LIFETIME_MS).toISOString(),
    signers: await signers(ctx.db),
    intermediates: [issuing!.toString('base64')],
    statuses: withStatuses ? await statuses(ctx.db) : [],
  };
}

/** Signed like the trust list: the node's issuing CA over the UTF-8 content; chain [issuing, root]. */
export async function publishBundle(ctx: Ctx, now = new Date()): Promise<LicenceBundleEnvelope> {
  const content = JSON.stringify(await bundleContent(ctx, now));
  const ca = caServiceFor(ctx as Parameters<typeof caServiceFor>[0]);
  const signature = await ca.signAsIssuer(Buffer.from(content, 'utf8'));
  return { content, signatureAlgorithm: OID.sm3WithSm2, signature: signature.toString('base64'), signerChain: [await ca.caCertificate('issuing'), await ca.caCertificate('root')].map((d) => d.toString('base64')) };
}

export type BundleCheck =
  | { valid: true; bundle: LicenceBundleContent; publisher: Certificate; stale: boolean }
  | { valid: false; message: string };

const bad = (message: string): BundleCheck => ({ valid: false, message });

/**
 * Envelope signature and its signer's chain against `roots`, then the content's shape. A
 * bundle past its nextUpdate is still used (offline verifiers may be days behind) but marked
 * stale, so the answer can say so.
 */
export function verifyBundle(envelope: unknown, opts: { roots: Uint8Array[]; now: Date }): BundleCheck {
  const e = envelope as Partial<LicenceBundleEnvelope> | null;
  if (!e || typeof e !== 'object' || typeof e.content !== 'string' || typeof e.signature !== 'string' || !Array.isArray(e.signerChain) || e.signerChain.length < 1 || !e.signerChain.every((c) => typeof c === 'string')) {
    return bad('信任包的格式不正确');
  }
  if (e.signatureAlgorithm !== OID.sm3WithSm2) return bad('信任包的签名算法应为 SM3withSM2');
  const [signerDer, ...rest] = e.signerChain.map((c) => Buffer.from(c, 'base64'));
  const chain = verifyChain({ certificate: signerDer!, intermediates: rest, anchors: opts.roots, at: opts.now });
  if (!chain.valid) return bad(`信任包的签发者不受信任：${chain.message}`);
  if (!sm2Verify(Buffer.from(e.content, 'utf8'), Buffer.from(e.signature, 'base64'), chain.chain[0]!.publicKey)) return bad('信任包的签名无效（内容被改动或签名不符）');
  let b: LicenceBundleContent;
  try {
    b = JSON.parse(e.content) as LicenceBundleContent;
  } catch {
    return bad('信任包的内容不是 JSON');
  }
  if (b?.format !== BUNDLE_FORMAT || !Array.isArray(b.signers) || !Array.isArray(b.statuses) || !Array.isArray(b.intermediates) || typeof b.nextUpdate !== 'string') return bad(`信任包的内容应为 ${BUNDLE_FORMAT}`);
  for (const s of b.signers) if (typeof s?.certificate !== 'string' || typeof s.kid !== 'string') return bad('信任包中的签章人条目不正确');
  for (const s of b.statuses) if (typeof s?.identifier !== 'string' || !['suspended', 'revoked', 'superseded'].includes(s.status)) return bad('信任包中的状态条目不正确');
  return { valid: true, bundle: b, publisher: chain.chain[0]!, stale: !(new Date(b.nextUpdate) >= opts.now) };
}
