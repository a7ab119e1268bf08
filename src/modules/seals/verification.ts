// 验章: decides whether a signed PDF (or a PDF plus its detached .sig) is valid, and if not,
// gives one reason a person can act on. Order matters: the cheapest, most specific checks
// come first, and every check runs against the signing time vouched for by the timestamp
// (a seal revoked after a document was signed does not invalidate that document).
import { parseCertificate, verifyChain, X509Error, type Certificate, type ChainFailure, type ChainInput } from '../../platform/crypto/x509/index.ts';
import { sm2Verify } from '../../platform/crypto/sm2.ts';
import { sm3 } from '../../platform/crypto/sm3.ts';
import { checkSignatureSection, PdfError, readEmbeddedSignature, type EmbeddedSignature } from './pdf/index.ts';
import { parseSignature, SesError, verifySealStructure, type SesSignature, type VerifyFn } from './ses/index.ts';
import { verifyTimestampToken } from './timestamp.ts';
import { FAILURE_TEXT, type VerificationFailure } from './verification-codes.ts';

export { FAILURE_TEXT, type VerificationFailure } from './verification-codes.ts';

/** What the seal registry says about a seal at a given instant (online verification). */
export type SealStatusAt = { status: 'valid' } | { status: 'revoked' | 'suspended'; since: Date } | { status: 'unknown' };

export interface VerifyOptions {
  /** CA certificates (DER) trusted for makers, signers and the time-stamp authority. */
  trustAnchors: Uint8Array[];
  intermediates?: Uint8Array[];
  crls?: Uint8Array[];
  /** Online certificate status from the CA's own records. */
  certificateStatus?: ChainInput['status'];
  /** Online seal status from the registry; offline verification leaves it out. */
  sealStatus?: (esId: string, at: Date) => SealStatusAt | Promise<SealStatusAt>;
  /** Refuse signatures without a timestamp token (the platform always adds one). Default true. */
  requireTimestamp?: boolean;
}

export type VerificationInput = Uint8Array | { pdf: Uint8Array; sig: Uint8Array };

export interface ValidResult {
  valid: true;
  seal: { esId: string; name: string; type: number; validStart: Date; validEnd: Date; maker: string };
  signer: { subject: string; serial: string };
  /** The signing time, from the timestamp token when present. */
  time: Date;
  timeSource: 'timestamp' | 'signer';
  /** SM3 of the signed bytes, hex. */
  documentHash: string;
  /** Present for an embedded signature: the bytes [0, end) that the signature covers. */
  byteRange?: [number, number];
}

export interface InvalidResult {
  valid: false;
  reason: { code: VerificationFailure; message: string; detail?: string };
}

export type VerificationResult = ValidResult | InvalidResult;

const fail = (code: VerificationFailure, detail?: string): InvalidResult => ({ valid: false, reason: { code, message: FAILURE_TEXT[code], ...(detail ? { detail } : {}) } });

const PDF_FAILURE: Partial<Record<string, VerificationFailure>> = {
  not_pdf: 'not_pdf',
  truncated: 'pdf_corrupt',
  corrupt: 'pdf_corrupt',
  not_signed: 'not_signed',
  altered_after_signing: 'altered_after_signing',
};

const CHAIN_FAILURE: Record<ChainFailure, VerificationFailure> = {
  malformed: 'certificate_invalid',
  wrong_algorithm: 'certificate_invalid',
  unknown_critical_extension: 'certificate_invalid',
  expired: 'certificate_expired',
  not_yet_valid: 'certificate_expired',
  signature_invalid: 'certificate_chain_broken',
  not_a_ca: 'certificate_chain_broken',
  key_usage: 'certificate_chain_broken',
  path_length_exceeded: 'certificate_chain_broken',
  issuer_not_trusted: 'issuer_not_trusted',
  revoked: 'certificate_revoked',
  revocation_unknown: 'revocation_unknown',
};

/** Verifies an SM2 signature against the key in a DER certificate (never throws). */
export const verifyWithCertificate: VerifyFn = (certDer, message, signature) => {
  try {
    return sm2Verify(message, signature, parseCertificate(certDer).publicKey);
  } catch {
    return false;
  }
};

/** Locates the signature and the signed bytes; a failure here is about the file, not the seal. */
function locate(input: VerificationInput): { der: Buffer; signed: Buffer; embedded?: { whole: Buffer; found: EmbeddedSignature } } | InvalidResult {
  try {
    if (input instanceof Uint8Array) {
      const whole = Buffer.from(input);
      const found = readEmbeddedSignature(whole);
      return { der: found.der, signed: found.signedBytes, embedded: { whole, found } };
    }
    const pdf = Buffer.from(input.pdf);
    const der = Buffer.from(input.sig);
    if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') return fail('not_pdf');
    // The .sig may accompany the signed PDF rather than the stamped one: then the embedded
    // range is what it covers, and the rest of the file must still be the signature section.
    if (pdf.includes(Buffer.from('/Type /YWSESignature', 'latin1'))) {
      const found = readEmbeddedSignature(pdf);
      if (found.der.equals(der)) return { der, signed: found.signedBytes, embedded: { whole: pdf, found } };
    }
    return { der, signed: pdf };
  } catch (err) {
    if (err instanceof PdfError) return fail(PDF_FAILURE[err.code] ?? 'pdf_corrupt', err.message);
    throw err;
  }
}

function certificate(der: Buffer, what: string): Certificate | InvalidResult {
  try {
    return parseCertificate(der);
  } catch (err) {
    if (err instanceof X509Error) return fail('certificate_invalid', `${what}：${err.message}`);
    throw err;
  }
}

const isInvalid = (v: unknown): v is InvalidResult => typeof v === 'object' && v !== null && (v as { valid?: unknown }).valid === false;

function signerListed(sig: SesSignature): boolean {
  const list = sig.toSign.seal.sealInfo.property.certList;
  if (list.type === 1) return list.certs.some((c) => c.equals(sig.cert));
  const digest = sm3(sig.cert);
  return list.digests.some((d) => d.value.equals(digest));
}

export async function verifyDocument(input: VerificationInput, options: VerifyOptions): Promise<VerificationResult> {
  const located = locate(input);
  if (isInvalid(located)) return located;

  let sig: SesSignature;
  try {
    sig = parseSignature(located.der);
  } catch (err) {
    if (err instanceof SesError) return fail('signature_corrupt', err.message);
    throw err;
  }
  const documentHash = sm3(located.signed);
  if (!documentHash.equals(sig.toSign.dataHash)) return fail('data_hash_mismatch');
  if (located.embedded) {
    const section = await checkSignatureSection(located.embedded.whole, located.embedded.found);
    if (!section.ok) return fail(section.code === 'truncated' ? 'pdf_corrupt' : 'altered_after_signing', section.detail);
  }

  const seal = sig.toSign.seal;
  const makerCert = certificate(seal.cert, '制章者证书');
  if (isInvalid(makerCert)) return makerCert;
  const signerCert = certificate(sig.cert, '签章人证书');
  if (isInvalid(signerCert)) return signerCert;
  if (!(await verifySealStructure(seal, verifyWithCertificate)).ok) return fail('seal_signature_invalid');
  if (!sm2Verify(sig.toSignDer, sig.signature, signerCert.publicKey)) return fail('signer_signature_invalid');

  const trust = { anchors: options.trustAnchors, intermediates: [...(options.intermediates ?? []), seal.cert], crls: options.crls ?? [] };
  let time = sig.toSign.timeInfo;
  let timeSource: ValidResult['timeSource'] = 'signer';
  if (sig.timeStamp) {
    const ts = verifyTimestampToken(sig.timeStamp, sig.toSign.dataHash, trust);
    if (!ts.ok) return fail(ts.reason in CHAIN_FAILURE ? CHAIN_FAILURE[ts.reason as ChainFailure] : 'timestamp_invalid', ts.message);
    // The signer's claimed time must agree with the authority's: five minutes of clock skew.
    if (Math.abs(ts.time.getTime() - sig.toSign.timeInfo.getTime()) > 5 * 60_000) return fail('timestamp_invalid', '签章时间与时间戳时间不一致');
    time = ts.time;
    timeSource = 'timestamp';
  } else if (options.requireTimestamp !== false) return fail('timestamp_missing');

  if (!signerListed(sig)) return fail('signer_not_in_seal');
  const { validStart, validEnd } = seal.sealInfo.property;
  if (time < validStart || time > validEnd) return fail('seal_expired', `印章有效期 ${validStart.toISOString()} 至 ${validEnd.toISOString()}，签章时间 ${time.toISOString()}`);

  for (const [der, what, at] of [
    [sig.cert, '签章人证书', time],
    [seal.cert, '制章者证书', seal.sealInfo.property.createDate],
  ] as const) {
    const chain = verifyChain({ certificate: der, ...trust, at, ...(options.certificateStatus ? { status: options.certificateStatus } : {}) });
    if (!chain.valid) return fail(CHAIN_FAILURE[chain.reason], `${what}：${chain.message}`);
  }

  if (options.sealStatus) {
    const status = await options.sealStatus(seal.sealInfo.esId, time);
    if (status.status === 'revoked') return fail('seal_revoked', `自 ${status.since.toISOString()} 起`);
    if (status.status === 'suspended') return fail('seal_suspended', `自 ${status.since.toISOString()} 起`);
  }

  const info = seal.sealInfo;
  return {
    valid: true,
    seal: { esId: info.esId, name: info.property.name, type: info.property.type, validStart, validEnd, maker: makerCert.subject.text },
    signer: { subject: signerCert.subject.text, serial: signerCert.serial },
    time,
    timeSource,
    documentHash: documentHash.toString('hex'),
    ...(located.embedded ? { byteRange: located.embedded.found.byteRange } : {}),
  };
}
