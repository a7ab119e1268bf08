// 网上查验 (docs/licences-verification.md). Offline: a QR token against trust bundles checked
// with the roots the verifier trusts — no network, no database. Online (this node): the same
// check with this node's live signers and the peers' bundles, and for this node's own
// licences the live database status (a revocation fails at once) and the record the payload
// binds to; by identifier; by uploaded PDF (seal signature + the token in its metadata + the
// file's SHA-256 against the library). Forged, altered or truncated input never answers
// "valid" and never carries licence data.
import { createHash } from 'node:crypto';
import type { Config } from '../../config.ts';
import type { AuditActor } from '../../platform/audit/audit.ts';
import type { Db } from '../../platform/db/database.ts';
import type { PersonalDataCipher } from '../../platform/crypto/personal-data.ts';
import { parseCertificate, verifyChain } from '../../platform/crypto/x509/index.ts';
import { chinaDate } from '../../platform/calendar/dates.ts';
import { trustAnchors, verifyAcrossRegions } from '../seals/index.ts';
import { bundleContent, verifyBundle, type BundleCheck, type LicenceBundleContent, type LicenceBundleEnvelope } from './bundle.ts';
import { openLicenceData, type LicenceData } from './data.ts';
import { qrTextFromPdf } from './document.ts';
import { kidOf, licenceDataDigest, parseToken, signatureValid, type ParsedToken, type QrClaims } from './qr.ts';
import type { LicenceService, PublicStatus } from './service.ts';
import * as store from './store.ts';
import { recordUse, type UseKind } from './usage.ts';

export type VerifyFailure =
  | 'malformed' | 'unsupported_version' | 'truncated' | 'bad_signature' | 'unknown_signer' | 'signer_untrusted' | 'bundle_invalid'
  | 'not_found' | 'record_mismatch' | 'pdf_invalid' | 'pdf_not_licence' | 'pdf_mismatch';

export interface SignerInfo {
  kid: string;
  esId: string;
  orgName: string;
  subject: string;
  /** The node that published the signer (its bundle's issuer region). */
  regionCode: string;
}

export interface VerifiedLicence {
  identifier: string;
  typeCode: string;
  typeName: string;
  holderKind: 'person' | 'company';
  /** Masked as on the QR code. */
  holderName: string;
  holderCode: string;
  issuerName: string;
  issuerUscc: string;
  validFrom: string;
  validUntil: string | null;
  issuedOn: string;
}

export type LicenceVerification =
  | { ok: true; status: PublicStatus; revokeKind: 'cancelled' | 'withdrawn' | null; since: string | null; licence: VerifiedLicence; claims: QrClaims | null; signer: SignerInfo | null; warnings: 'bundle_stale'[]; source: 'live' | 'bundle' }
  | { ok: false; code: VerifyFailure; message: string };

export interface OfflineTrust {
  roots: Uint8Array[];
  bundles: unknown[];
  now: Date;
}

/** Where the node finds other nodes' bundles (peer-bundles.ts plugs in; default none). */
export interface PeerBundles {
  bundles(): Promise<LicenceBundleEnvelope[] | unknown[]>;
}

export const NO_PEERS: PeerBundles = { bundles: async () => [] };

const fail = (code: VerifyFailure, message: string): LicenceVerification => ({ ok: false, code, message });

const STATUS_TEXT = { valid: '有效', expired: '已过期', suspended: '已中止', superseded: '已被新版本取代' } as const;

/** The words and light of a result, as the page and the CLI show them. */
export function statusWords(r: LicenceVerification): { text: string; level: 'green' | 'yellow' | 'red' } {
  if (!r.ok) return { text: '无法核验', level: 'red' };
  if (r.status === 'revoked') return { text: r.revokeKind === 'withdrawn' ? '已吊销' : r.revokeKind === 'cancelled' ? '已注销' : '已注销或吊销', level: 'red' };
  return { text: STATUS_TEXT[r.status], level: r.status === 'valid' ? 'green' : r.status === 'suspended' ? 'red' : 'yellow' };
}


export function licenceOfClaims(c: QrClaims): VerifiedLicence {
  return { identifier: c.id, typeCode: c.t, typeName: c.tn, holderKind: c.hk, holderName: c.hn, holderCode: c.hc, issuerName: c.in, issuerUscc: c.iu, validFrom: c.f, validUntil: c.u, issuedOn: c.ia };
}

/**
 * A bundle that verified, with the CA that signed it (null for this node's own, read from its
 * own database): that CA must also be the issuer of every signer the bundle vouches for.
 */
type CheckedBundle = { bundle: LicenceBundleContent; stale: boolean; publisher: Buffer | null };

/**
 * The core: signature and signer of a parsed token against checked bundles. The status a
 * bundle states is believed only for licences signed by that bundle's own signers.
 */
function verifyParsed(parsed: Extract<ParsedToken, { ok: true }>, bundles: CheckedBundle[], roots: Uint8Array[], now: Date, invalidBundles: string[]): LicenceVerification {
  const { claims } = parsed;
  const home = bundles.find((b) => b.bundle.signers.some((s) => s.kid === claims.k));
  if (!home) {
    if (invalidBundles.length) return fail('bundle_invalid', `无法确认签发机关：信任包无效（${invalidBundles[0]}）`);
    return fail('unknown_signer', '签发该二维码的印章不在任何可信的信任包中：发证机关不明，或需要更新信任包');
  }
  const entry = home.bundle.signers.find((s) => s.kid === claims.k)!;
  const der = Buffer.from(entry.certificate, 'base64');
  let publicKey: string;
  let subject: string;
  try {
    const cert = parseCertificate(der);
    publicKey = cert.publicKey;
    subject = cert.subject.text;
  } catch {
    return fail('bundle_invalid', '信任包中的印章证书无法解析');
  }
  if (entry.kid !== claims.k || kidOf(der) !== claims.k) return fail('bundle_invalid', '信任包中的印章证书与其标识不符');
  // The chain is judged on the day the payload was signed: a later expiry does not undo it.
  const signedBy = new Date(Math.min(now.getTime(), Date.parse(`${claims.ia}T23:59:59+08:00`)));
  // A peer's bundle vouches only for seals its own CA issued: the chain must pass through it.
  const intermediates = home.publisher ? [home.publisher] : home.bundle.intermediates.map((c) => Buffer.from(c, 'base64'));
  const chain = verifyChain({ certificate: der, intermediates, anchors: roots, at: signedBy });
  if (!chain.valid) return fail('signer_untrusted', `签章人证书不受信任：${chain.message}`);
  if (!signatureValid(parsed, publicKey)) return fail('bad_signature', '二维码的签名无效：内容被改动，或不是发证机关签发的');
  const listed = home.bundle.statuses.find((s) => s.identifier === claims.id);
  const status: PublicStatus = listed ? listed.status : claims.u !== null && claims.u < chinaDate(now) ? 'expired' : 'valid';
  return {
    ok: true, status, revokeKind: listed?.revokeKind ?? null, since: listed?.since ?? null, licence: licenceOfClaims(claims), claims,
    signer: { kid: entry.kid, esId: entry.esId, orgName: entry.orgName, subject, regionCode: home.bundle.issuer.regionCode }, warnings: home.stale ? ['bundle_stale'] : [], source: 'bundle',
  };
}

function checkBundles(envelopes: unknown[], roots: Uint8Array[], now: Date): { good: CheckedBundle[]; bad: string[] } {
  const good: CheckedBundle[] = [];
  const bad: string[] = [];
  for (const e of envelopes) {
    const c: BundleCheck = verifyBundle(e, { roots, now });
    if (c.valid) good.push({ bundle: c.bundle, stale: c.stale, publisher: c.publisher.der });
    else bad.push(c.message);
  }
  return { good, bad };
}

/** Offline: a QR token (or the URL a scan gives) against downloaded bundles and trusted roots. */
export function verifyQrOffline(tokenOrUrl: string, trust: OfflineTrust): LicenceVerification {
  const parsed = parseToken(tokenOrUrl);
  if (!parsed.ok) return fail(parsed.code, parsed.message);
  const { good, bad } = checkBundles(trust.bundles, trust.roots, trust.now);
  return verifyParsed(parsed, good, trust.roots, trust.now, bad);
}

export interface VerifierDeps {
  db: Db;
  config: Config;
  cipher: PersonalDataCipher;
  licences: LicenceService;
  peers?: PeerBundles;
  now?: () => Date;
}

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** Online verification on this node; every verification of an own licence is a recorded use. */
export class LicenceVerifier {
  private readonly d: VerifierDeps;
  constructor(deps: VerifierDeps) {
    this.d = deps;
  }

  private now(): Date {
    return this.d.now?.() ?? new Date();
  }

  /** Signature and signer; `own` when one of this node's seals signed it. Records nothing. */
  private async check(parsed: Extract<ParsedToken, { ok: true }>): Promise<{ result: LicenceVerification; own: boolean }> {
    const now = this.now();
    const roots = await trustAnchors(this.d);
    // This node's own signers need no signature over them: they come from its own database.
    const own: CheckedBundle = { bundle: await bundleContent(this.d, now, false), stale: false, publisher: null };
    const peers = checkBundles(await (this.d.peers ?? NO_PEERS).bundles(), roots, now);
    const result = verifyParsed(parsed, [own, ...peers.good], roots, now, peers.bad);
    return { result, own: result.ok && own.bundle.signers.some((s) => s.kid === parsed.claims.k) };
  }

  /** A QR token or scanned URL: own licences by the live record, others by their node's bundle. */
  async verifyQr(actor: AuditActor | null, tokenOrUrl: string): Promise<LicenceVerification> {
    const parsed = parseToken(tokenOrUrl);
    if (!parsed.ok) return fail(parsed.code, parsed.message);
    const { result, own } = await this.check(parsed);
    return result.ok && own ? this.ownLicence(actor, result, parsed.claims, 'verify_qr') : result;
  }

  /** The live record of an own licence: status now, and the payload must match the record. */
  private async ownLicence(actor: AuditActor | null, result: Extract<LicenceVerification, { ok: true }>, claims: QrClaims, kind: UseKind, pdf?: Buffer): Promise<LicenceVerification> {
    const found = await store.findByIdentifier(this.d.db, claims.id);
    if (!found) return fail('not_found', '二维码由本节点的印章签发，但证照库中没有该证照');
    const { licence, version } = found;
    const row = await this.d.db.selectFrom('licence_version').select(['data', 'pdf_sha256']).where('identifier', '=', claims.id).executeTakeFirstOrThrow();
    const type = await this.d.licences.typeByCode(this.d.db, licence.type_code);
    const data = openLicenceData(this.d.cipher, type, (typeof row.data === 'string' ? JSON.parse(row.data) : row.data) as LicenceData);
    const use = (outcome: string) => recordUse(this.d.db, { licenceId: licence.id, identifier: claims.id, kind, actor, regionCode: licence.region_code, outcome });
    if (licenceDataDigest(claims.id, data) !== claims.ds) {
      await use('record_mismatch');
      return fail('record_mismatch', '二维码内容与证照库中的记录不符');
    }
    if (pdf && sha256(pdf) !== row.pdf_sha256) {
      await use('pdf_mismatch');
      return fail('pdf_mismatch', '该文件不是证照库中登记的证照文件（内容不同）');
    }
    const status = this.d.licences.statusOf(licence, version);
    await use(status);
    return { ...result, status, revokeKind: status === 'revoked' ? licence.revoke_kind : null, since: status === 'valid' || status === 'expired' ? null : licence.updated_at.toISOString(), source: 'live' };
  }

  /** By identifier: the public status, type, issuer and validity from this node's library — no holder. */
  async verifyIdentifier(actor: AuditActor | null, identifier: string): Promise<LicenceVerification & { current?: string }> {
    const { licence, version } = await this.d.licences.open(identifier.trim());
    const s = await this.d.licences.statusView(identifier.trim(), licence, version);
    // The issuer's name is a plain field of the version's data: nothing personal is opened.
    const row = await this.d.db.selectFrom('licence_version').select(['data']).where('identifier', '=', s.identifier).executeTakeFirstOrThrow();
    const data = (typeof row.data === 'string' ? JSON.parse(row.data) : row.data) as LicenceData;
    await recordUse(this.d.db, { licenceId: licence.id, identifier: s.identifier, kind: 'verify_online', actor, regionCode: licence.region_code, outcome: s.status });
    return {
      ok: true, status: s.status, revokeKind: s.status === 'revoked' ? licence.revoke_kind : null, since: s.status === 'valid' || s.status === 'expired' ? null : licence.updated_at.toISOString(),
      // No holder, not even masked: identifiers run in sequence, so anyone could walk them and
      // collect every holder; the holder's data is for whoever holds the QR code or the file.
      licence: {
        identifier: s.identifier, typeCode: s.typeCode, typeName: s.typeName, holderKind: licence.holder_kind, holderName: '', holderCode: '',
        issuerName: data.issuerName ?? '', issuerUscc: licence.issuer_uscc, validFrom: s.validFrom, validUntil: s.validUntil, issuedOn: chinaDate(licence.issued_at),
      },
      claims: null, signer: null, warnings: [], source: 'live', ...(version !== licence.version ? { current: licence.identifier } : {}),
    };
  }

  /** An uploaded licence PDF: the seal signature (not altered), then its QR token, then the file itself. */
  async verifyPdf(actor: AuditActor | null, pdf: Buffer): Promise<LicenceVerification> {
    const sealCheck = await verifyAcrossRegions(this.d, pdf);
    if (!sealCheck.valid) return fail('pdf_invalid', `电子签章无效：${sealCheck.reason.message}`);
    const token = qrTextFromPdf(pdf);
    if (!token) return fail('pdf_not_licence', '该文件签章有效，但不是本平台签发的电子证照（没有证照二维码数据）');
    const parsed = parseToken(token);
    if (!parsed.ok) return fail(parsed.code, parsed.message);
    const { result, own } = await this.check(parsed);
    if (!result.ok) return result;
    if (result.signer && result.signer.esId !== sealCheck.seal.esId) return fail('pdf_mismatch', '文件的签章印章与证照二维码的签发印章不一致');
    return own ? this.ownLicence(actor, result, parsed.claims, 'verify_pdf', pdf) : result;
  }
}
