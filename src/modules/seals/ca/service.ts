// The node's certificate authority: a root CA (20 years) and an issuing CA (10 years) per
// node region, seal and signer certificates, revocation and suspension, CRLs and status.
// Signing happens outside transactions: the key store reads its own table, and on embedded
// PGlite a transaction holds the only connection.
import type { Actor } from '../../../platform/http/access.ts';
import { assertInRegion } from '../../../platform/http/access.ts';
import { AppError } from '../../../platform/http/errors.ts';
import { regionContains } from '../../../platform/region-code.ts';
import { inTransaction, type Db } from '../../../platform/db/database.ts';
import { recordAudit, type AuditActor } from '../../../platform/audit/audit.ts';
import type { KeyStore } from '../../../platform/crypto/keystore.ts';
import { sm2PublicKey } from '../../../platform/crypto/sm2.ts';
import {
  keyIdentifier, parseCertificate, randomSerial, signCertificate, signCrl, type Certificate, type DistinguishedName, type KeyUsageName, type RevocationReason,
} from '../../../platform/crypto/x509/index.ts';
import * as store from './store.ts';

const DAY = 86_400_000;
const ROOT_YEARS = 20;
const ISSUING_YEARS = 10;
/** CRLs are valid a week and republished once half of that has passed (or at once after a change). */
const CRL_LIFETIME_MS = 7 * DAY;
const MAX_LEAF_DAYS = 5 * 366;

export type LeafKind = 'seal' | 'signer';
export type StatusAnswer =
  | { serial: string; status: 'good'; notAfter: string }
  | { serial: string; status: 'revoked'; reason: RevocationReason; revokedAt: string; notAfter: string }
  | { serial: string; status: 'unknown' };

export interface IssueInput {
  kind: LeafKind;
  subject: DistinguishedName;
  /** Uncompressed SM2 point (hex) or a PUBLIC KEY PEM. */
  publicKey: string;
  /** Validity in days from now (1 – 5 years), never beyond the issuing CA's own. */
  days: number;
  /** The region the certificate belongs to (the holder's), within the node's. */
  regionCode: string;
}

export interface IssuedCertificate {
  serial: string;
  der: Buffer;
  certificate: Certificate;
}

export interface CaServiceOptions {
  db: Db;
  keys: KeyStore;
  /** The node's region: its CAs are the ones this service issues under. */
  nodeRegionCode: string;
  /** PUBLIC_URL, for the CRL distribution points. */
  publicUrl: string;
  now?: () => Date;
}

export class CaService {
  private readonly db: Db;
  private readonly keys: KeyStore;
  private readonly region: string;
  private readonly publicUrl: string;
  private readonly now: () => Date;

  constructor(options: CaServiceOptions) {
    this.db = options.db;
    this.keys = options.keys;
    this.region = options.nodeRegionCode;
    this.publicUrl = options.publicUrl.replace(/\/$/, '');
    this.now = options.now ?? (() => new Date());
  }

  /** Idempotent: creates what is missing of the node's root and issuing CA, then the CRLs. */
  async ensureNodeCa(actor: AuditActor = { kind: 'system', id: 'startup' }): Promise<{ created: ('root' | 'issuing')[] }> {
    const created: ('root' | 'issuing')[] = [];
    let root = await store.activeCa(this.db, this.region, 'root');
    if (!root) {
      root = await this.createCa('root', null, actor);
      created.push('root');
    }
    if (!(await store.activeCa(this.db, this.region, 'issuing'))) {
      await this.createCa('issuing', root, actor);
      created.push('issuing');
    }
    for (const role of ['root', 'issuing'] as const) await this.crlDer(role);
    return { created };
  }

  private async createCa(role: 'root' | 'issuing', parent: store.CaRow | null, actor: AuditActor): Promise<store.CaRow> {
    const now = this.now();
    const subject: DistinguishedName = {
      country: 'CN',
      organization: '一网通办平台',
      organizationalUnit: this.region,
      commonName: role === 'root' ? `一网通办根CA ${this.region}` : `一网通办签发CA ${this.region}`,
    };
    const { keyId, publicKey } = await this.keys.generate(`${role} CA ${this.region}`, this.region);
    const parentCert = parent ? parseCertificate(parent.der) : null;
    const serial = randomSerial();
    const notAfter = new Date(now);
    notAfter.setUTCFullYear(notAfter.getUTCFullYear() + (role === 'root' ? ROOT_YEARS : ISSUING_YEARS));
    const der = await signCertificate(
      {
        serial,
        issuer: parentCert ? parentCert.subjectDer : subject,
        subject,
        notBefore: new Date(now.getTime() - 60_000),
        notAfter: parentCert && notAfter > parentCert.notAfter ? parentCert.notAfter : notAfter,
        publicKey,
        ca: { pathLength: role === 'root' ? 1 : 0 },
        keyUsage: ['keyCertSign', 'cRLSign'],
        authorityKeyId: keyIdentifier(parentCert ? parentCert.publicKey : publicKey),
        ...(parentCert ? { crlDistributionPoint: `${this.publicUrl}/ca/root.crl` } : {}),
      },
      (tbs) => this.keys.sign(parent ? parent.key_id : keyId, tbs),
    );
    const cert = parseCertificate(der);
    return inTransaction(this.db, async (tx) => {
      const row = await store.insertCa(tx, {
        region_code: this.region, role, parent_id: parent?.id ?? null, key_id: keyId, serial, subject: cert.subject.text, der, not_before: cert.notBefore, not_after: cert.notAfter,
      });
      await store.insertIssued(tx, {
        serial, ca_id: parent?.id ?? row.id, region_code: this.region, kind: 'ca', subject: cert.subject.text, public_key: publicKey, der, not_before: cert.notBefore, not_after: cert.notAfter,
      });
      await recordAudit(tx, { actor, action: `ca.${role}.create`, targetType: 'certificate', targetId: serial, regionCode: this.region, change: { subject: cert.subject.text, notAfter: cert.notAfter } });
      return row;
    });
  }

  private async ca(role: 'root' | 'issuing'): Promise<store.CaRow> {
    const row = await store.activeCa(this.db, this.region, role);
    if (!row) throw new AppError('CA_NOT_READY');
    return row;
  }

  /** Signs as the node's issuing CA (the maker of seals, GB/T 38540); the key stays in the key store. */
  async signAsIssuer(message: Uint8Array): Promise<Buffer> {
    const ca = await this.ca('issuing');
    return this.keys.sign(ca.key_id, message);
  }

  /** The DER certificate of the node's root or issuing CA. */
  async caCertificate(role: 'root' | 'issuing'): Promise<Buffer> {
    return (await this.ca(role)).der;
  }

  /** Issues a seal or signer certificate under the node's issuing CA. */
  async issue(actor: AuditActor, input: IssueInput, meta: { requestId?: string } = {}): Promise<IssuedCertificate> {
    if (actor.kind !== 'system') assertInRegion(actor as Actor, input.regionCode);
    if (typeof input.regionCode !== 'string' || !regionContains(this.region, input.regionCode)) throw new AppError('OUT_OF_REGION', { detail: `${input.regionCode} 不在本节点 ${this.region} 范围内` });
    const invalid = (field: string, message: string) => new AppError('CERTIFICATE_REQUEST_INVALID', { errors: [{ field, message }] });
    if (input.kind !== 'seal' && input.kind !== 'signer') throw invalid('kind', '证书类型应为 seal 或 signer');
    if (!Number.isInteger(input.days) || input.days < 1 || input.days > MAX_LEAF_DAYS) throw invalid('days', `有效期应为 1–${MAX_LEAF_DAYS} 天`);
    let publicKey: string;
    try {
      publicKey = sm2PublicKey(input.publicKey).hex;
    } catch {
      throw invalid('publicKey', '公钥不是 sm2p256v1 曲线上的 SM2 公钥');
    }
    const issuing = await this.ca('issuing');
    const issuer = parseCertificate(issuing.der);
    if (publicKey === issuer.publicKey) throw invalid('publicKey', '不能使用证书颁发机构自己的公钥');
    const now = this.now();
    const notAfter = new Date(now.getTime() + input.days * DAY);
    if (notAfter > issuer.notAfter) throw invalid('days', `有效期不能超过签发CA的有效期（${issuer.notAfter.toISOString().slice(0, 10)}）`);
    const keyUsage: KeyUsageName[] = ['digitalSignature', 'nonRepudiation'];
    const serial = randomSerial();
    let der: Buffer;
    try {
      der = await signCertificate(
        {
          serial, issuer: issuer.subjectDer, subject: { country: 'CN', ...input.subject }, notBefore: new Date(now.getTime() - 60_000), notAfter, publicKey, keyUsage,
          authorityKeyId: issuer.subjectKeyId ?? keyIdentifier(issuer.publicKey), crlDistributionPoint: `${this.publicUrl}/ca/crl`,
        },
        (tbs) => this.keys.sign(issuing.key_id, tbs),
      );
    } catch (err) {
      if (err instanceof Error && /name attribute|common name|country/.test(err.message)) throw invalid('subject', err.message);
      throw err;
    }
    const certificate = parseCertificate(der);
    await inTransaction(this.db, async (tx) => {
      await store.insertIssued(tx, {
        serial, ca_id: issuing.id, region_code: input.regionCode, kind: input.kind, subject: certificate.subject.text, public_key: publicKey, der, not_before: certificate.notBefore, not_after: certificate.notAfter,
      });
      await recordAudit(tx, {
        actor, action: 'ca.certificate.issue', targetType: 'certificate', targetId: serial, regionCode: input.regionCode,
        change: { kind: input.kind, subject: certificate.subject.text, notAfter: certificate.notAfter }, requestId: meta.requestId ?? null,
      });
    });
    return { serial, der, certificate };
  }

  /**
   * Revokes (or, with certificateHold, suspends) a certificate and publishes a fresh CRL.
   * A suspended certificate may be revoked for good later; a revoked one stays revoked.
   */
  async revoke(actor: AuditActor, serial: string, reason: RevocationReason, meta: { requestId?: string } = {}): Promise<StatusAnswer> {
    if (reason === 'removeFromCRL') throw new AppError('CERTIFICATE_REQUEST_INVALID', { errors: [{ field: 'reason', message: '解除暂停请使用恢复操作' }] });
    const caId = await inTransaction(this.db, async (tx) => {
      const row = await store.issuedBySerial(tx, serial, true);
      if (!row) throw new AppError('CERTIFICATE_NOT_FOUND');
      if (actor.kind !== 'system') assertInRegion(actor as Actor, row.region_code);
      if (row.status === 'revoked') throw new AppError('CERTIFICATE_ALREADY_REVOKED');
      const status = reason === 'certificateHold' ? 'suspended' : 'revoked';
      if (row.status === 'suspended' && status === 'suspended') return row.ca_id;
      await store.setStatus(tx, serial, status, reason, this.now());
      await recordAudit(tx, { actor, action: `ca.certificate.${status === 'revoked' ? 'revoke' : 'suspend'}`, targetType: 'certificate', targetId: serial, regionCode: row.region_code, change: { from: row.status, to: status, reason }, requestId: meta.requestId ?? null });
      return row.ca_id;
    });
    await this.publishCrl(caId);
    return this.status(serial);
  }

  /** Lifts a suspension (certificateHold) and publishes a fresh CRL without the entry. */
  async release(actor: AuditActor, serial: string, meta: { requestId?: string } = {}): Promise<StatusAnswer> {
    const caId = await inTransaction(this.db, async (tx) => {
      const row = await store.issuedBySerial(tx, serial, true);
      if (!row) throw new AppError('CERTIFICATE_NOT_FOUND');
      if (actor.kind !== 'system') assertInRegion(actor as Actor, row.region_code);
      if (row.status === 'revoked') throw new AppError('CERTIFICATE_ALREADY_REVOKED');
      if (row.status === 'valid') return row.ca_id;
      await store.setStatus(tx, serial, 'valid', null, null);
      await recordAudit(tx, { actor, action: 'ca.certificate.release', targetType: 'certificate', targetId: serial, regionCode: row.region_code, change: { from: 'suspended', to: 'valid' }, requestId: meta.requestId ?? null });
      return row.ca_id;
    });
    await this.publishCrl(caId);
    return this.status(serial);
  }

  /** Signs and stores the next CRL of a CA; a lost race for the number just tries again. */
  async publishCrl(caId: string): Promise<Buffer> {
    const ca = await store.caById(this.db, caId);
    if (!ca) throw new AppError('CA_NOT_READY');
    const cert = parseCertificate(ca.der);
    for (let attempt = 0; attempt < 5; attempt++) {
      const now = this.now();
      const latest = await store.latestCrl(this.db, caId);
      const entries = await store.revokedUnder(this.db, caId, now);
      const number = (latest?.crl_number ?? 0) + 1;
      const der = await signCrl(
        {
          issuer: cert.subjectDer, authorityKeyId: cert.subjectKeyId ?? keyIdentifier(cert.publicKey), crlNumber: number, thisUpdate: now, nextUpdate: new Date(now.getTime() + CRL_LIFETIME_MS),
          revoked: entries.map((e) => ({ serial: e.serial, revokedAt: e.revoked_at!, reason: e.reason ?? 'unspecified' })),
        },
        (tbs) => this.keys.sign(ca.key_id, tbs),
      );
      if (await store.insertCrl(this.db, { ca_id: caId, crl_number: number, der, this_update: now, next_update: new Date(now.getTime() + CRL_LIFETIME_MS) })) return der;
    }
    throw new Error(`could not publish a CRL for CA ${caId}: too many concurrent publishers`);
  }

  /** The current CRL of the node's root or issuing CA, republished when half its life is gone. */
  async crlDer(role: 'root' | 'issuing'): Promise<Buffer> {
    const ca = await this.ca(role);
    const latest = await store.latestCrl(this.db, ca.id);
    if (latest && latest.next_update.getTime() - this.now().getTime() > CRL_LIFETIME_MS / 2) return latest.der;
    return this.publishCrl(ca.id);
  }

  /** Online status (the OCSP answer in JSON): suspended reads as revoked with certificateHold. */
  async status(serial: string): Promise<StatusAnswer> {
    const s = serial.toLowerCase();
    const row = /^[0-9a-f]{2,40}$/.test(s) ? await store.issuedBySerial(this.db, s) : undefined;
    if (!row) return { serial: s, status: 'unknown' };
    const notAfter = row.not_after.toISOString();
    if (row.status === 'valid') return { serial: s, status: 'good', notAfter };
    return { serial: s, status: 'revoked', reason: row.reason ?? 'unspecified', revokedAt: row.revoked_at!.toISOString(), notAfter };
  }
}
