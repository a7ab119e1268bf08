// Signing and verification against this node's records: seals from the registry, keys from
// the key store, the node's CA as trust anchor, its CRL, and a local time-stamp authority.
// Every signature is recorded (seal_signature) with its audit entry in one transaction.
import type { Config } from '../../config.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { inTransaction, type Db } from '../../platform/db/database.ts';
import { keyEncryptionKey, SoftwareKeyStore, type KeyStore } from '../../platform/crypto/keystore.ts';
import type { AppContext } from '../../platform/module.ts';
import { sm3 } from '../../platform/crypto/sm3.ts';
import type { Actor } from '../../platform/http/access.ts';
import { AppError } from '../../platform/http/errors.ts';
import { caServiceFor, type IssueInput, type IssuedCertificate } from './ca/index.ts';
import { PdfError, type Placement } from './pdf/index.ts';
import { events as sealEvents, listSeals, sealBlobs, sealByEsId } from './seal-store.ts';
import { regionPrefix } from '../../platform/region-code.ts';
import { prepareSigning, signBatch, signPdf, SigningRefused, type BatchItem, type BatchResult, type SealForSigning, type SignedPdf } from './signing.ts';
import * as store from './signing-store.ts';
import { LocalTimestampService, type TimestampService } from './timestamp.ts';
import { verifyDocument, type SealStatusAt, type VerificationInput, type VerificationResult } from './verification.ts';

/** The CA as signing needs it (CaService provides it). */
export interface SigningCa {
  issue(actor: { kind: 'system'; id: string }, input: IssueInput): Promise<IssuedCertificate>;
  caCertificate(role: 'root' | 'issuing'): Promise<Buffer>;
  crlDer(role: 'root' | 'issuing'): Promise<Buffer>;
}

export interface SigningServiceOptions {
  db: Db;
  config: Pick<Config, 'nodeRegionCode'>;
  keys: KeyStore;
  ca: SigningCa;
  sealStatusAt: (esId: string, at: Date) => Promise<SealStatusAt>;
  /** Roots documents may chain to: this node's and the trust list's peers (default: own root only). */
  trustAnchors?: () => Promise<Buffer[]>;
  clock?: () => Date;
}

const SYSTEM = { kind: 'system' as const, id: 'timestamp-authority' };
const TSA_DAYS = 5 * 365;

function staffOf(actor: Actor): Extract<Actor, { kind: 'staff' }> {
  if (actor.kind !== 'staff') throw new AppError('FORBIDDEN');
  return actor;
}

function asAppError(err: unknown): never {
  if (err instanceof SigningRefused) throw new AppError('SEAL_SIGNING_REFUSED', { detail: err.message });
  if (err instanceof PdfError) throw new AppError('SEAL_SIGN_DOCUMENT_INVALID', { detail: err.message, errors: [{ field: err.code.startsWith('p') ? 'placement' : 'document', message: err.message }] });
  throw err;
}

export class SigningService {
  private readonly o: SigningServiceOptions;
  private timestamps: Promise<TimestampService> | null = null;

  constructor(options: SigningServiceOptions) {
    this.o = options;
  }

  /** The node's time-stamp authority: created on first use, certificate from the node's CA. */
  timestampService(): Promise<TimestampService> {
    this.timestamps ??= this.loadTsa().catch((err: unknown) => {
      this.timestamps = null;
      throw err;
    });
    return this.timestamps;
  }

  private async loadTsa(): Promise<TimestampService> {
    const region = this.o.config.nodeRegionCode;
    let row = await store.tsaFor(this.o.db, region);
    if (!row) {
      const { keyId, publicKey } = await this.o.keys.generate('timestamp authority', region);
      const cert = await this.o.ca.issue(SYSTEM, { kind: 'signer', subject: { country: 'CN', commonName: `时间戳服务 ${region}` }, publicKey, days: TSA_DAYS, regionCode: region });
      await inTransaction(this.o.db, async (tx) => {
        await store.insertTsa(tx, { region_code: region, key_id: keyId, certificate_serial: cert.serial, certificate_der: cert.der });
        await recordAudit(tx, { actor: SYSTEM, action: 'seal.tsa.create', targetType: 'timestamp_authority', targetId: region, regionCode: region, change: { serial: cert.serial } });
      });
      row = (await store.tsaFor(this.o.db, region))!;
    }
    return new LocalTimestampService({ keys: this.o.keys, keyId: row.key_id, certificate: row.certificate_der, ...(this.o.clock ? { clock: this.o.clock } : {}) });
  }

  private async sealForSigning(esId: string): Promise<SealForSigning | null> {
    const row = await sealByEsId(this.o.db, esId);
    const blobs = row && (await sealBlobs(this.o.db, esId));
    if (!row || !blobs) return null;
    return { id: row.id, esId: row.es_id, orgId: row.org_id, regionCode: row.region_code, name: row.name, status: row.status, sesSeal: blobs.ses_seal, signerKeyId: row.signer_key_id, picturePng: blobs.picture_png };
  }

  private async prepare(actor: Actor, esId: string) {
    const staff = staffOf(actor);
    const seal = await this.sealForSigning(esId);
    const timestamps = await this.timestampService();
    try {
      const prepared = await prepareSigning(seal, { accountId: staff.accountId, orgId: staff.orgId, regionCode: staff.regionCode }, {
        keys: this.o.keys,
        timestamps,
        trustAnchors: async () => [await this.o.ca.caCertificate('root')],
        ...(this.o.clock ? { clock: this.o.clock } : {}),
      });
      return { staff, seal: seal!, prepared, timestamps };
    } catch (err) {
      return asAppError(err);
    }
  }

  private async record(actor: Actor, seal: SealForSigning, out: SignedPdf, name: string | null, batchId: string | null): Promise<string> {
    const staff = staffOf(actor);
    return inTransaction(this.o.db, async (tx) => {
      const id = await store.insertSignature(tx, {
        esId: seal.esId, regionCode: seal.regionCode, orgId: seal.orgId, signedBy: staff.accountId, documentName: name, documentSm3: out.dataHash.toString('hex'),
        byteRangeEnd: out.byteRangeEnd, signatureSm3: sm3(out.signature).toString('hex'), signedAt: out.time, batchId,
      });
      await recordAudit(tx, { actor, action: 'seal.sign', targetType: 'seal', targetId: seal.esId, regionCode: seal.regionCode, change: { signature: id, document: out.dataHash.toString('hex'), name, batchId } });
      return id;
    });
  }

  /** Signs one PDF with the seal `esId`: stamped at `placement`, signature embedded and detached. */
  async sign(actor: Actor, input: { esId: string; pdf: Buffer; placement: Placement; name?: string }): Promise<SignedPdf & { recordId: string }> {
    const { seal, prepared, timestamps } = await this.prepare(actor, input.esId);
    let out: SignedPdf;
    try {
      out = await signPdf({ ...prepared, pdf: input.pdf, placement: input.placement, timestamps });
    } catch (err) {
      return asAppError(err);
    }
    return { ...out, recordId: await this.record(actor, seal, out, input.name ?? null, null) };
  }

  /** Batch signing for generated documents: one seal, per-document results, each recorded. */
  async signMany(actor: Actor, esId: string, items: BatchItem[]): Promise<BatchResult[]> {
    const { seal, prepared, timestamps } = await this.prepare(actor, esId);
    const batchId = crypto.randomUUID();
    const results = await signBatch(prepared, items, timestamps);
    for (const r of results) if (r.ok) await this.record(actor, seal, r.signed, r.name, batchId);
    return results;
  }

  /**
   * Signs arbitrary bytes (e.g. an e-licence QR payload) with the seal's signer key, under the
   * same policy as `sign`: seal valid and in its validity period, actor of its organisation,
   * signer certificate chaining to this node's CA. SM2 with SM3 and the default user ID.
   * `message` may be built from the signer certificate (a payload that names its signer).
   */
  async signMessage(actor: Actor, esId: string, message: Buffer | ((certificate: Buffer) => Buffer)): Promise<{ signature: Buffer; certificate: Buffer }> {
    const { signatures, certificate } = await this.signMessages(actor, esId, typeof message === 'function' ? (cert) => [message(cert)] : [message]);
    return { signature: signatures[0]!, certificate };
  }

  /** signMessage for a batch: one policy check, one signature per message, in order. */
  async signMessages(actor: Actor, esId: string, messages: Buffer[] | ((certificate: Buffer) => Buffer[])): Promise<{ signatures: Buffer[]; certificate: Buffer }> {
    const { prepared } = await this.prepare(actor, esId);
    const certificate = Buffer.from(prepared.signerCertificate);
    const signatures: Buffer[] = [];
    for (const m of typeof messages === 'function' ? messages(certificate) : messages) signatures.push(Buffer.from(await prepared.sign(m)));
    return { signatures, certificate };
  }

  /** Valid seals of the actor's organisation, for the signing form. */
  async sealsFor(actor: Actor): Promise<{ esId: string; name: string }[]> {
    const staff = staffOf(actor);
    if (!staff.orgId) return [];
    const rows = await listSeals(this.o.db, regionPrefix(staff.regionCode));
    return rows.filter((r) => r.org_id === staff.orgId && r.status === 'valid').map((r) => ({ esId: r.es_id, name: r.name }));
  }

  /** Online verification: this node's CA as anchor, its current CRLs, the seal registry. */
  async verify(input: VerificationInput): Promise<VerificationResult> {
    const [root, issuing] = [await this.o.ca.caCertificate('root'), await this.o.ca.caCertificate('issuing')];
    const crls = [await this.o.ca.crlDer('issuing'), await this.o.ca.crlDer('root')];
    return verifyDocument(input, { trustAnchors: this.o.trustAnchors ? await this.o.trustAnchors() : [root], intermediates: [issuing], crls, sealStatus: this.o.sealStatusAt });
  }

  /** What the CLI needs for offline verification: the node's exported CA certificates. */
  async exportTrust(): Promise<{ root: Buffer; issuing: Buffer; crls: Buffer[] }> {
    return { root: await this.o.ca.caCertificate('root'), issuing: await this.o.ca.caCertificate('issuing'), crls: [await this.o.ca.crlDer('issuing'), await this.o.ca.crlDer('root')] };
  }
}

/** The status a registered seal had at `at`, from its event trail (as SealService.statusAt). */
export async function registryStatusAt(db: Db, esId: string, at: Date): Promise<SealStatusAt> {
  const seal = await sealByEsId(db, esId);
  if (!seal) return { status: 'unknown' };
  let state: SealStatusAt = { status: 'unknown' };
  for (const e of await sealEvents(db, seal.id)) if (e.occurred_at <= at) state = e.status === 'valid' ? { status: 'valid' } : { status: e.status, since: e.occurred_at };
  return state;
}

/** The service on the app's database, this node's CA and key store, and the seal registry. */
export function signingServiceFor(ctx: Pick<AppContext, 'db' | 'config'>, sealStatusAt?: SigningServiceOptions['sealStatusAt'], trustAnchors?: SigningServiceOptions['trustAnchors']): SigningService {
  return new SigningService({
    ...(trustAnchors ? { trustAnchors } : {}),
    db: ctx.db, config: ctx.config, keys: new SoftwareKeyStore(ctx.db, keyEncryptionKey(ctx.config)), ca: caServiceFor(ctx),
    sealStatusAt: sealStatusAt ?? ((esId, at) => registryStatusAt(ctx.db, esId, at)),
  });
}
