// 签章: stamp the seal picture on a PDF, sign SM3 of the stamped bytes in a GB/T 38540
// SES_Signature, and embed it in an incremental update (also returned detached as .sig).
//
// Which key signs (GB/T 38540 §3 签章人): the signer certificate must be one listed in the
// seal's certList. The platform issues each seal with its own signer key pair and
// certificate (seal.signer_key_id, in the key store; the certificate names the organisation),
// so the organisation signs and the staff member is the operator who caused it: checked to
// belong to the seal's organisation, and recorded in the audit trail and signing record.
// Personal staff certificates would make the staff member the 签章人; they would go in the
// same certList and need no change here.
import { parseCertificate, verifyChain } from '../../platform/crypto/x509/index.ts';
import { sm3 } from '../../platform/crypto/sm3.ts';
import { embedSignature, stampPdf, type Placement } from './pdf/index.ts';
import { encodeSignature, encodeTbsSign, parseSeal, type SesSeal } from './ses/index.ts';
import type { KeySigner, TimestampService } from './timestamp.ts';

/** The property string in TBS_Sign: says which bytes dataHash covers (like /ByteRange). */
export function propertyInfoFor(length: number): string {
  return `PDF;ByteRange=0,${length};SM3`;
}

export interface SignPdfInput {
  pdf: Uint8Array;
  seal: SesSeal;
  picture: { png: Uint8Array; width: number; height: number };
  placement: Placement;
  signerCertificate: Buffer;
  /** Signs DER(TBS_Sign) inside the key store. */
  sign: (message: Buffer) => Promise<Uint8Array>;
  timestamps: TimestampService;
}

export interface SignedPdf {
  /** The stamped PDF followed by the signature section. */
  signedPdf: Buffer;
  /** The DER SES_Signature, for delivery alongside the PDF (.sig). */
  signature: Buffer;
  /** The bytes the signature covers: signedPdf[0, byteRangeEnd). */
  byteRangeEnd: number;
  dataHash: Buffer;
  time: Date;
}

/** The mechanics without policy: callers decide whether this seal and signer may be used. */
export async function signPdf(input: SignPdfInput): Promise<SignedPdf> {
  const stamped = await stampPdf(input.pdf, input.picture, input.placement);
  const dataHash = sm3(stamped);
  const { time, token } = await input.timestamps.stamp(dataHash);
  const toSignDer = encodeTbsSign({ seal: input.seal, timeInfo: time, dataHash, propertyInfo: propertyInfoFor(stamped.length) });
  const signature = encodeSignature({ toSignDer, cert: input.signerCertificate, signature: Buffer.from(await input.sign(toSignDer)), timeStamp: token });
  const signedPdf = await embedSignature(stamped, signature);
  return { signedPdf, signature, byteRangeEnd: stamped.length, dataHash, time };
}

// ---- policy ----

export type SealState = 'valid' | 'suspended' | 'revoked';

/** A registered seal as the signing service needs it (read through the seal registry). */
export interface SealForSigning {
  id: string;
  esId: string;
  orgId: string;
  regionCode: string;
  name: string;
  status: SealState;
  sesSeal: Buffer;
  signerKeyId: string;
  picturePng: Buffer;
}

export interface SigningActor {
  accountId: string;
  orgId: string | null;
  regionCode: string;
}

export type SigningRefusal =
  | 'seal_not_found'
  | 'seal_not_valid'
  | 'seal_expired'
  | 'not_seal_organisation'
  | 'signer_certificate_missing'
  | 'signer_certificate_invalid';

export class SigningRefused extends Error {
  readonly code: SigningRefusal;
  constructor(code: SigningRefusal, message: string) {
    super(message);
    this.name = 'SigningRefused';
    this.code = code;
  }
}

export interface SigningPolicyDeps {
  keys: KeySigner & { publicKey(keyId: string): Promise<string> };
  timestamps: TimestampService;
  /** CA certificates the signer certificate must chain to (this node's CA). */
  trustAnchors: () => Promise<Uint8Array[]>;
  clock?: () => Date;
}

/**
 * Checks that `actor` may sign with `seal` now and returns what signPdf needs: the seal must
 * be valid (registry status and validity period), the actor in the seal's organisation, and
 * the signer certificate in the seal's certList, matching the key, and valid now.
 */
export async function prepareSigning(seal: SealForSigning | null, actor: SigningActor, deps: SigningPolicyDeps) {
  if (!seal) throw new SigningRefused('seal_not_found', '印章不存在');
  if (seal.status !== 'valid') throw new SigningRefused('seal_not_valid', seal.status === 'revoked' ? '印章已注销，不能签章' : '印章已挂失或暂停使用，不能签章');
  if (!actor.orgId || actor.orgId !== seal.orgId) throw new SigningRefused('not_seal_organisation', '只有印章所属单位的工作人员可以使用该印章');
  const now = (deps.clock ?? (() => new Date()))();
  const ses = parseSeal(seal.sesSeal);
  const { validStart, validEnd, certList } = ses.sealInfo.property;
  if (now < validStart || now > validEnd) throw new SigningRefused('seal_expired', '印章不在有效期内');
  const publicKey = await deps.keys.publicKey(seal.signerKeyId);
  const certs = certList.type === 1 ? certList.certs : [];
  const signerCertificate = certs.find((der) => {
    try {
      return parseCertificate(der).publicKey === publicKey;
    } catch {
      return false;
    }
  });
  if (!signerCertificate) throw new SigningRefused('signer_certificate_missing', '印章未载明与签章密钥对应的签章人证书');
  const chain = verifyChain({ certificate: signerCertificate, anchors: await deps.trustAnchors(), intermediates: [ses.cert], at: now });
  if (!chain.valid) throw new SigningRefused('signer_certificate_invalid', `签章人证书不可用：${chain.message}`);
  const png = seal.picturePng;
  return {
    seal: ses,
    signerCertificate,
    picture: { png, width: ses.sealInfo.picture.width, height: ses.sealInfo.picture.height },
    sign: async (message: Buffer) => deps.keys.sign(seal.signerKeyId, message),
  };
}

export interface BatchItem {
  name: string;
  pdf: Uint8Array;
  placement: Placement;
}

export type BatchResult = { name: string; ok: true; signed: SignedPdf } | { name: string; ok: false; error: string };

/**
 * Batch signing for generated documents: one seal, many PDFs. The seal and signer are
 * checked once; each document succeeds or fails on its own (a corrupt PDF does not stop the
 * rest), and results come back in input order.
 */
export async function signBatch(prepared: Awaited<ReturnType<typeof prepareSigning>>, items: BatchItem[], timestamps: TimestampService): Promise<BatchResult[]> {
  const out: BatchResult[] = [];
  for (const item of items) {
    try {
      out.push({ name: item.name, ok: true, signed: await signPdf({ ...prepared, pdf: item.pdf, placement: item.placement, timestamps }) });
    } catch (err) {
      out.push({ name: item.name, ok: false, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return out;
}
