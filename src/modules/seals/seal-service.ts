// Seal lifecycle rules: request (申请) → approval (制发: key, certificate, picture, SES_Seal
// signed by the issuing CA as maker, registry record 备案) → suspend (挂失) / resume /
// revoke (注销). No HTTP here; SQL only through seal-store.ts.
import type { Actor } from '../../platform/http/access.ts';
import { assertInRegion } from '../../platform/http/access.ts';
import { regionPrefix } from '../../platform/region-code.ts';
import { AppError } from '../../platform/http/errors.ts';
import { recordAudit, type AuditActor } from '../../platform/audit/audit.ts';
import { emitEvent } from '../../platform/jobs/outbox.ts';
import { inTransaction, type Db } from '../../platform/db/database.ts';
import type { KeyStore } from '../../platform/crypto/keystore.ts';
import { parseCertificate } from '../../platform/crypto/x509/index.ts';
import { sm2Verify } from '../../platform/crypto/sm2.ts';
import { RegionService } from '../regions/index.ts';
import { acceptUploadedPng, SealImageError, sealPng, sealSvg, SEAL_DIAMETER_MM, SEAL_KIND_LABELS, type SealKind } from './images.ts';
import { signSeal, verifySealStructure, type SignFn, type VerifyFn } from './ses/index.ts';
import * as store from './seal-store.ts';
import type { SealStatus, SealStatusReason } from './seal-store.ts';

/** The CA as the seal module needs it; the CA module provides the real one (docs/seals.md). */
export interface SealCertificateIssuer {
  /** Issues a seal certificate for `publicKey` from the region's issuing CA. */
  issue(input: { actor: AuditActor; regionCode: string; subject: { commonName: string; organization: string; creditCode: string | null }; publicKey: string; notBefore: Date; notAfter: Date }): Promise<{ serial: string; der: Buffer }>;
  /** The issuing CA that acts as maker (制章者): its certificate and a signature by its key. */
  maker(regionCode: string): Promise<{ certDer: Buffer; sign: SignFn }>;
}

/**
 * Adapts the CA module's service (seals/ca) to SealCertificateIssuer. `makerSign` signs with
 * the issuing CA's key in the key store (KeyStore.sign(issuingKeyId, message)).
 */
export function caSealIssuer(
  ca: { issue(actor: AuditActor, input: { kind: 'seal'; subject: { country?: string; organization?: string; commonName: string; serialNumber?: string }; publicKey: string; days: number; regionCode: string }): Promise<{ serial: string; der: Buffer }>; caCertificate(role: 'issuing'): Promise<Buffer> },
  makerSign: SignFn,
): SealCertificateIssuer {
  return {
    issue: (input) =>
      ca.issue(input.actor, {
        kind: 'seal',
        subject: { country: 'CN', organization: input.subject.organization, commonName: input.subject.commonName, ...(input.subject.creditCode ? { serialNumber: input.subject.creditCode } : {}) },
        publicKey: input.publicKey,
        days: Math.max(1, Math.round((input.notAfter.getTime() - input.notBefore.getTime()) / 86_400_000)),
        regionCode: input.regionCode,
      }),
    maker: async () => ({ certDer: await ca.caCertificate('issuing'), sign: makerSign }),
  };
}

/** Verifies an SM2 signature with the public key of a DER certificate; false on any bad input. */
export const verifyWithCertificate: VerifyFn = (certDer, message, signature) => {
  try {
    return sm2Verify(message, signature, parseCertificate(certDer).publicKey);
  } catch {
    return false;
  }
};

export const SUSPEND_REASONS: readonly SealStatusReason[] = ['挂失'];
export const REVOKE_REASONS: readonly SealStatusReason[] = ['注销', '损毁', '信息变更', '其他'];
/** GB/T 38540 SES_Header.vid: who made the structure. */
export const VENDOR_ID = 'yiwang';

export interface SealStatusView {
  esId: string;
  name: string;
  kind: SealKind;
  status: SealStatus;
  reason: SealStatusReason | null;
  validFrom: Date;
  validTo: Date;
  expired: boolean;
  registeredAt: Date;
  statusChangedAt: Date | null;
}

function staffOf(actor: Actor): Extract<Actor, { kind: 'staff' }> {
  if (actor.kind !== 'staff') throw new AppError('FORBIDDEN');
  return actor;
}

/** esID (GB/T 38540): region code (6) + year (4) + serial within region and year (8). */
export function formatEsId(regionCode: string, year: number, serial: number): string {
  return `${regionCode}${year}${String(serial).padStart(8, '0')}`;
}

export class SealService {
  private readonly db: Db;
  private readonly keys: KeyStore;
  private readonly issuer: SealCertificateIssuer;
  private readonly regions: RegionService;
  private readonly verify: VerifyFn;
  constructor(db: Db, keys: KeyStore, issuer: SealCertificateIssuer, verify: VerifyFn = verifyWithCertificate) {
    this.db = db;
    this.keys = keys;
    this.issuer = issuer;
    this.regions = new RegionService(db);
    this.verify = verify;
  }

  /** A department admin asks for a seal for their own organisation; a region admin for any in region. */
  async request(actor: Actor, input: { orgId: string; kind: SealKind; label?: string; uploadedPng?: Buffer | null }): Promise<string> {
    const staff = staffOf(actor);
    const org = await this.regions.organisation(input.orgId);
    if (!staff.roles.includes('region_admin') && staff.orgId !== org.id) throw new AppError('FORBIDDEN', { detail: '部门管理员只能为本机构申请印章' });
    assertInRegion(actor, org.regionCode);
    const label = input.kind === 'business' ? (input.label?.trim() || SEAL_KIND_LABELS.business) : '';
    if (label && !/^[\u4e00-\u9fa5]{2,10}章$/.test(label)) {
      throw new AppError('SEAL_REQUEST_INVALID', { errors: [{ field: 'label', message: '专用章名称应为 2–10 个汉字并以“章”结尾，如“合同专用章”' }] });
    }
    let upload: Buffer | null = null;
    if (input.uploadedPng?.length) {
      try {
        upload = acceptUploadedPng(input.uploadedPng).png;
      } catch (err) {
        if (err instanceof SealImageError) throw new AppError('SEAL_IMAGE_INVALID', { errors: [{ field: 'picture', message: err.message }] });
        throw err;
      }
    }
    const name = `${org.name}${label}`;
    return inTransaction(this.db, async (tx) => {
      const id = await store.insertRequest(tx, { orgId: org.id, regionCode: org.regionCode, kind: input.kind, name, uploadedPng: upload, requestedBy: staff.accountId });
      await recordAudit(tx, { actor, action: 'seal.request', targetType: 'seal_request', targetId: id, regionCode: org.regionCode, change: { orgId: org.id, kind: input.kind, name, uploaded: upload !== null } });
      return id;
    });
  }

  /**
   * 制发. The key, the certificate and the maker's signature come from the key store and the
   * CA, which use their own connections: they run before the transaction (on embedded
   * PGlite there is one connection, which the transaction would hold). If the request was
   * decided meanwhile, the transaction refuses and the esID serial is left unused.
   */
  async approve(actor: Actor, requestId: string, options: { validYears?: number; now?: Date } = {}): Promise<{ esId: string }> {
    staffOf(actor);
    const now = options.now ?? new Date();
    const pending = await this.pendingRequest(requestId);
    assertInRegion(actor, pending.region_code);
    const org = await this.regions.organisation(pending.org_id);
    const validTo = new Date(now);
    validTo.setUTCFullYear(validTo.getUTCFullYear() + (options.validYears ?? 5));

    const year = Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(now));
    const esId = formatEsId(pending.region_code, year, await store.nextSerial(this.db, pending.region_code, year));
    const key = await this.keys.generate(`seal ${esId}`, pending.region_code);
    const cert = await this.issuer.issue({ actor, regionCode: pending.region_code, subject: { commonName: pending.name, organization: org.name, creditCode: org.creditCode }, publicKey: key.publicKey, notBefore: now, notAfter: validTo });
    const maker = await this.issuer.maker(pending.region_code);

    const d = SEAL_DIAMETER_MM[pending.kind];
    const svg = pending.uploaded_png ? null : sealSvg({ kind: pending.kind, orgName: org.name, label: pending.name.slice(org.name.length) || undefined });
    const png = pending.uploaded_png ?? sealPng(svg!, d).png;
    const seal = await signSeal(
      {
        header: { id: 'ES', version: 4, vid: VENDOR_ID },
        esId,
        property: { type: 1, name: pending.name, certList: { type: 1, certs: [cert.der] }, createDate: now, validStart: now, validEnd: validTo },
        picture: { type: 'PNG', data: png, width: d, height: d },
      },
      maker.certDer,
      maker.sign,
    );
    const check = await verifySealStructure(seal, this.verify);
    if (!check.ok) throw new Error(`the seal just made does not verify (${check.reason}): maker certificate and key disagree`);

    await inTransaction(this.db, async (tx) => {
      const locked = await store.requestForUpdate(tx, requestId);
      if (locked?.status !== 'pending') throw new AppError('SEAL_STATE_CONFLICT', { detail: '该申请已被处理' });
      const sealId = await store.insertSeal(tx, {
        es_id: esId, request_id: requestId, org_id: pending.org_id, region_code: pending.region_code, kind: pending.kind, name: pending.name,
        picture_png: png, picture_svg: svg, ses_seal: seal.der, signer_key_id: key.keyId, certificate_serial: cert.serial, valid_from: now, valid_to: validTo,
      });
      await store.decideRequest(tx, requestId, 'approved', staffOf(actor).accountId, null);
      await store.insertEvent(tx, { sealId, action: 'issued', status: 'valid', reason: null, note: null, actorId: staffOf(actor).accountId, at: now });
      await recordAudit(tx, { actor, action: 'seal.issue', targetType: 'seal', targetId: esId, regionCode: pending.region_code, change: { requestId, esId, certificateSerial: cert.serial, validTo } });
      await emitEvent(tx, { topic: 'seal.issued', payload: { esId, regionCode: pending.region_code, certificateSerial: cert.serial }, idempotencyKey: `seal.issued:${esId}`, regionCode: pending.region_code });
    });
    return { esId };
  }

  async reject(actor: Actor, requestId: string, reason: string): Promise<void> {
    const staff = staffOf(actor);
    if (!reason.trim() || reason.length > 500) throw new AppError('SEAL_REQUEST_INVALID', { errors: [{ field: 'reason', message: '请填写退回理由（不超过 500 字）' }] });
    const pending = await this.pendingRequest(requestId);
    assertInRegion(actor, pending.region_code);
    await inTransaction(this.db, async (tx) => {
      const locked = await store.requestForUpdate(tx, requestId);
      if (locked?.status !== 'pending') throw new AppError('SEAL_STATE_CONFLICT');
      await store.decideRequest(tx, requestId, 'rejected', staff.accountId, reason.trim());
      await recordAudit(tx, { actor, action: 'seal.request.reject', targetType: 'seal_request', targetId: requestId, regionCode: pending.region_code, change: { reason: reason.trim() } });
    });
  }

  suspend(actor: Actor, esId: string, note?: string): Promise<SealStatusView> {
    return this.changeStatus(actor, esId, 'suspended', '挂失', note, ['valid']);
  }

  resume(actor: Actor, esId: string, note?: string): Promise<SealStatusView> {
    return this.changeStatus(actor, esId, 'valid', null, note, ['suspended']);
  }

  revoke(actor: Actor, esId: string, reason: SealStatusReason, note?: string): Promise<SealStatusView> {
    if (!REVOKE_REASONS.includes(reason)) throw new AppError('SEAL_REQUEST_INVALID', { errors: [{ field: 'reason', message: `注销原因应为：${REVOKE_REASONS.join('、')}` }] });
    return this.changeStatus(actor, esId, 'revoked', reason, note, ['valid', 'suspended']);
  }

  private async changeStatus(actor: Actor, esId: string, to: SealStatus, reason: SealStatusReason | null, note: string | undefined, from: SealStatus[]): Promise<SealStatusView> {
    const staff = staffOf(actor);
    const cleanNote = note?.trim().slice(0, 500) || null;
    const at = new Date();
    await inTransaction(this.db, async (tx) => {
      const seal = await store.sealByEsId(tx, esId, true);
      if (!seal) throw new AppError('SEAL_NOT_FOUND');
      assertInRegion(actor, seal.region_code);
      if (!from.includes(seal.status)) throw new AppError('SEAL_STATE_CONFLICT', { detail: `印章当前状态为“${STATUS_TEXT[seal.status]}”` });
      await store.setStatus(tx, seal.id, to, reason, cleanNote, at);
      const action = to === 'valid' ? 'resumed' : to;
      await store.insertEvent(tx, { sealId: seal.id, action, status: to, reason, note: cleanNote, actorId: staff.accountId, at });
      await recordAudit(tx, { actor, action: `seal.${action}`, targetType: 'seal', targetId: esId, regionCode: seal.region_code, change: { from: seal.status, to, reason, note: cleanNote } });
      await emitEvent(tx, { topic: `seal.${action}`, payload: { esId, status: to, reason, certificateSerial: seal.certificate_serial }, idempotencyKey: `seal.${action}:${esId}:${at.toISOString()}`, regionCode: seal.region_code });
    });
    return this.status(esId);
  }

  /** Public: what a peer or a verifier needs to know about a seal now. */
  async status(esId: string, now = new Date()): Promise<SealStatusView> {
    const s = await store.sealByEsId(this.db, esId);
    if (!s) throw new AppError('SEAL_NOT_FOUND');
    return { esId: s.es_id, name: s.name, kind: s.kind, status: s.status, reason: s.status_reason, validFrom: s.valid_from, validTo: s.valid_to, expired: now > s.valid_to, registeredAt: s.registered_at, statusChangedAt: s.status_changed_at };
  }

  /** The status a seal had at `at`, from its event trail (for verifying past signatures). */
  async statusAt(esId: string, at: Date): Promise<{ status: 'valid' } | { status: 'suspended' | 'revoked'; since: Date } | { status: 'unknown' }> {
    const s = await store.sealByEsId(this.db, esId);
    if (!s) return { status: 'unknown' };
    let state: { status: SealStatus; since: Date } | null = null;
    for (const e of await store.events(this.db, s.id)) if (e.occurred_at <= at) state = { status: e.status, since: e.occurred_at };
    if (!state) return { status: 'unknown' };
    return state.status === 'valid' ? { status: 'valid' } : { status: state.status, since: state.since };
  }

  async sesDer(esId: string): Promise<Buffer> {
    const b = await store.sealBlobs(this.db, esId);
    if (!b) throw new AppError('SEAL_NOT_FOUND');
    return b.ses_seal;
  }

  async picture(esId: string): Promise<{ png: Buffer; svg: string | null }> {
    const b = await store.sealBlobs(this.db, esId);
    if (!b) throw new AppError('SEAL_NOT_FOUND');
    return { png: b.picture_png, svg: b.picture_svg };
  }

  async detail(actor: Actor, esId: string) {
    const seal = await store.sealByEsId(this.db, esId);
    if (!seal) throw new AppError('SEAL_NOT_FOUND');
    assertInRegion(actor, seal.region_code);
    return { seal, events: await store.events(this.db, seal.id) };
  }

  listRequests(actor: Actor, status?: 'pending' | 'approved' | 'rejected') {
    return store.listRequests(this.db, regionPrefix(staffOf(actor).regionCode), status);
  }

  listSeals(actor: Actor) {
    return store.listSeals(this.db, regionPrefix(staffOf(actor).regionCode));
  }

  private async pendingRequest(id: string) {
    if (!/^[0-9a-f-]{36}$/.test(id)) throw new AppError('SEAL_REQUEST_NOT_FOUND');
    const r = await store.requestForUpdate(this.db, id);
    if (!r) throw new AppError('SEAL_REQUEST_NOT_FOUND');
    if (r.status !== 'pending') throw new AppError('SEAL_STATE_CONFLICT', { detail: '该申请已被处理' });
    return r;
  }
}

export const STATUS_TEXT: Record<SealStatus, string> = { valid: '有效', suspended: '已挂失（暂停使用）', revoked: '已注销' };
