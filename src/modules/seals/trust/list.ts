// The trust list as data, without I/O: which certificates may become trust anchors, the
// signed document a node publishes at /ca/trust-list, and how anyone (a peer node, an offline
// verifier, the e-licence QR checker) verifies that document. Format: docs/seals.md, "Trust list".
import {
  certificateFromPem, parseCertificate, verifyCertificateSignature, verifyChain, X509Error, type Certificate, OID,
} from '../../../platform/crypto/x509/index.ts';
import { sm2Verify } from '../../../platform/crypto/sm2.ts';
import { sm3 } from '../../../platform/crypto/sm3.ts';
import type { FieldError } from '../../../platform/http/errors.ts';

export const TRUST_LIST_FORMAT = 'yiwang-trust-list/1';

export interface TrustListEntry {
  name: string;
  regionCode: string;
  /** This node's own root (true) or a peer's. */
  own: boolean;
  subject: string;
  /** SM3 of the DER certificate, lowercase hex. */
  sm3: string;
  notAfter: string;
  /** The DER certificate, Base64. */
  certificate: string;
}

export interface TrustListContent {
  format: typeof TRUST_LIST_FORMAT;
  issuer: { regionCode: string; url: string };
  version: number;
  issuedAt: string;
  nextUpdate: string;
  anchors: TrustListEntry[];
}

/** What GET /ca/trust-list answers: the signed text, a detached SM2 signature and the signer's chain. */
export interface TrustListEnvelope {
  content: string;
  signatureAlgorithm: string;
  /** DER SM2 signature (GB/T 32918, default ID) over the UTF-8 bytes of `content`, Base64. */
  signature: string;
  /** [issuing CA, root CA], DER in Base64. */
  signerChain: string[];
}

export const fingerprint = (der: Uint8Array): string => sm3(der).toString('hex');

/** The fingerprint grouped in fours, as read aloud over the telephone. */
export const groupedFingerprint = (hex: string): string => hex.toUpperCase().replace(/(.{4})(?!$)/g, '$1 ');

/** SM3 over the sorted fingerprints: tells whether a stored version still lists what is trusted now. */
export function anchorsDigest(fingerprints: string[]): string {
  return sm3([...fingerprints].sort().join('\n')).toString('hex');
}

/** DER, or PEM text (the first certificate in it). */
export function certificateBytes(input: Uint8Array): Buffer {
  const buf = Buffer.from(input);
  const head = buf.subarray(0, 200).toString('latin1');
  return head.includes('-----BEGIN') ? certificateFromPem(buf.toString('latin1')) : buf;
}

const X509_TEXT: Record<X509Error['code'], string> = {
  MALFORMED: '不是有效的 X.509 证书（DER 或 PEM）',
  WRONG_ALGORITHM: '不是 SM2 证书：只接受 sm2p256v1 公钥和 SM3withSM2 签名',
  UNKNOWN_CRITICAL_EXTENSION: '证书含有无法识别的关键扩展，不能作为信任锚',
};

/**
 * Checks that a certificate may become a trust anchor: an SM2 root CA certificate (self-signed,
 * CA:TRUE, keyCertSign), valid now, and neither this node's own root nor already listed.
 * Returns the parsed certificate or field errors for `field`.
 */
export function checkCandidate(input: Uint8Array, field: string, opts: { now: Date; ownRootSm3: string; listed: Set<string> }): Certificate | FieldError[] {
  const err = (message: string): FieldError[] => [{ field, message }];
  let cert: Certificate;
  try {
    cert = parseCertificate(certificateBytes(input));
  } catch (e) {
    if (e instanceof X509Error) return err(X509_TEXT[e.code]);
    return err(X509_TEXT.MALFORMED);
  }
  if (!cert.basicConstraints?.ca) return err('不是 CA 证书（基本约束中没有 CA:TRUE），不能作为信任锚');
  if (cert.keyUsage && !cert.keyUsage.includes('keyCertSign')) return err('证书的密钥用途不允许签发证书（缺少 keyCertSign）');
  if (!cert.issuerDer.equals(cert.subjectDer) || !verifyCertificateSignature(cert, cert.publicKey)) return err('应为对方节点的根 CA 证书（自签名），不是签发 CA 或其他证书');
  if (opts.now > cert.notAfter) return err(`证书已于 ${cert.notAfter.toISOString().slice(0, 10)} 过期`);
  if (opts.now < cert.notBefore) return err(`证书尚未生效（${cert.notBefore.toISOString().slice(0, 10)} 起）`);
  const sm3Hex = fingerprint(cert.der);
  if (sm3Hex === opts.ownRootSm3) return err('这是本节点自己的根 CA 证书，已默认信任');
  if (opts.listed.has(sm3Hex)) return err('该证书已在信任列表中（或正等待确认）');
  return cert;
}

export type TrustListCheck =
  | { valid: true; list: TrustListContent; signer: Certificate }
  | { valid: false; reason: 'malformed' | 'signer_not_trusted' | 'signature_invalid' | 'stale'; message: string };

const bad = (reason: Exclude<TrustListCheck, { valid: true }>['reason'], message: string): TrustListCheck => ({ valid: false, reason, message });

/**
 * Verifies a published trust list against the roots the verifier already trusts (for a peer:
 * its root, fingerprint compared out of band): the signer's chain, the SM2 signature over the
 * exact content bytes, the format, and that the list is not past its nextUpdate.
 */
export function verifyTrustList(envelope: unknown, opts: { anchors: Uint8Array[]; at?: Date }): TrustListCheck {
  const at = opts.at ?? new Date();
  const e = envelope as Partial<TrustListEnvelope> | null;
  if (!e || typeof e.content !== 'string' || typeof e.signature !== 'string' || !Array.isArray(e.signerChain) || e.signerChain.length < 1 || !e.signerChain.every((c) => typeof c === 'string')) {
    return bad('malformed', '信任列表的格式不正确');
  }
  if (e.signatureAlgorithm !== OID.sm3WithSm2) return bad('malformed', '信任列表的签名算法应为 SM3withSM2');
  const [signerDer, ...rest] = e.signerChain.map((c) => Buffer.from(c, 'base64'));
  const chain = verifyChain({ certificate: signerDer!, intermediates: rest, anchors: opts.anchors, at });
  if (!chain.valid) return bad('signer_not_trusted', `签名者证书：${chain.message}`);
  const signer = chain.chain[0]!;
  if (!sm2Verify(Buffer.from(e.content, 'utf8'), Buffer.from(e.signature, 'base64'), signer.publicKey)) return bad('signature_invalid', '信任列表的签名无效（内容被改动或签名不符）');
  let list: TrustListContent;
  try {
    list = JSON.parse(e.content) as TrustListContent;
  } catch {
    return bad('malformed', '信任列表的内容不是 JSON');
  }
  if (list?.format !== TRUST_LIST_FORMAT || !Array.isArray(list.anchors) || !Number.isInteger(list.version)) return bad('malformed', `信任列表的内容应为 ${TRUST_LIST_FORMAT}`);
  for (const a of list.anchors) {
    if (typeof a?.certificate !== 'string' || fingerprint(Buffer.from(a.certificate, 'base64')) !== a.sm3) return bad('malformed', '信任列表中的证书与其指纹不符');
  }
  if (!(new Date(list.nextUpdate) >= at)) return bad('stale', `信任列表已过更新期限（${list.nextUpdate}）`);
  return { valid: true, list, signer };
}

/** The DER certificates a verified list names as anchors. */
export function anchorsOf(list: TrustListContent): Buffer[] {
  return list.anchors.map((a) => Buffer.from(a.certificate, 'base64'));
}
