// Certificate path validation for SM2 chains (a practical subset of RFC 5280 §6): build the
// path to a trust anchor by name and key identifier, check each signature with the default
// SM2 signer ID, validity at a given time, CA flags, key usage, path length and revocation.
import { X509Error } from './errors.ts';
import { parseCertificate, verifyCertificateSignature, type Certificate } from './certificate.ts';
import { parseCrl, verifyCrl, type Crl, type RevocationReason } from './crl.ts';

export type ChainFailure =
  | 'malformed'
  | 'wrong_algorithm'
  | 'unknown_critical_extension'
  | 'expired'
  | 'not_yet_valid'
  | 'signature_invalid'
  | 'issuer_not_trusted'
  | 'not_a_ca'
  | 'key_usage'
  | 'path_length_exceeded'
  | 'revoked'
  | 'revocation_unknown';

export const CHAIN_FAILURE_TEXT: Record<ChainFailure, string> = {
  malformed: '证书格式错误',
  wrong_algorithm: '证书不是 SM2/SM3 证书',
  unknown_critical_extension: '证书含有无法识别的关键扩展',
  expired: '证书已过期',
  not_yet_valid: '证书尚未生效',
  signature_invalid: '证书签名无效',
  issuer_not_trusted: '证书不是由受信任的机构签发',
  not_a_ca: '签发者不是证书颁发机构',
  key_usage: '签发者的密钥用途不允许签发证书',
  path_length_exceeded: '证书链超过允许的长度',
  revoked: '证书已被吊销或暂停',
  revocation_unknown: '无法确认证书的吊销状态',
};

/** What an online status source (the CA's own database) says about one certificate. */
export type RevocationStatus = { status: 'good' } | { status: 'revoked'; reason: RevocationReason; revokedAt: Date } | { status: 'unknown' };

export interface ChainInput {
  certificate: Uint8Array;
  intermediates?: Uint8Array[];
  anchors: Uint8Array[];
  /** Validation time; default now. */
  at?: Date;
  crls?: Uint8Array[];
  status?: (cert: Certificate, issuer: Certificate) => RevocationStatus;
  /** Fail when neither a current CRL nor the status source answers for a certificate. */
  requireRevocationCheck?: boolean;
}

export type ChainResult =
  | { valid: true; chain: Certificate[] }
  | { valid: false; reason: ChainFailure; message: string; subject: string | null; revocation?: { reason: RevocationReason; revokedAt: Date } };

const MAX_DEPTH = 8;

function failure(reason: ChainFailure, cert: Certificate | null, detail?: string): ChainResult & { valid: false } {
  return { valid: false, reason, message: detail ? `${CHAIN_FAILURE_TEXT[reason]}：${detail}` : CHAIN_FAILURE_TEXT[reason], subject: cert?.subject.text ?? null };
}

function parsed(der: Uint8Array, what: string): Certificate | (ChainResult & { valid: false }) {
  try {
    return parseCertificate(der);
  } catch (err) {
    if (!(err instanceof X509Error)) return failure('malformed', null, `${what}无法解析`);
    const reason: ChainFailure = err.code === 'WRONG_ALGORITHM' ? 'wrong_algorithm' : err.code === 'UNKNOWN_CRITICAL_EXTENSION' ? 'unknown_critical_extension' : 'malformed';
    return failure(reason, null, `${what}：${err.message}`);
  }
}

const isFailure = (v: unknown): v is ChainResult & { valid: false } => typeof v === 'object' && v !== null && 'valid' in v;

function issuedBy(child: Certificate, parent: Certificate): boolean {
  if (!child.issuerDer.equals(parent.subjectDer)) return false;
  return !child.authorityKeyId || !parent.subjectKeyId || child.authorityKeyId.equals(parent.subjectKeyId);
}

export function verifyChain(input: ChainInput): ChainResult {
  const at = input.at ?? new Date();
  const leaf = parsed(input.certificate, '证书');
  if (isFailure(leaf)) return leaf;
  const anchors: Certificate[] = [];
  for (const a of input.anchors) {
    const c = parsed(a, '信任锚');
    if (isFailure(c)) return c;
    anchors.push(c);
  }
  const pool: Certificate[] = [];
  for (const i of input.intermediates ?? []) {
    const c = parsed(i, '中间证书');
    if (isFailure(c)) return c;
    pool.push(c);
  }

  // Build leaf → … → anchor; a candidate counts only if its key verifies the signature.
  const chain: Certificate[] = [leaf];
  for (;;) {
    const current = chain.at(-1)!;
    if (anchors.some((a) => a.der.equals(current.der))) break;
    if (chain.length > MAX_DEPTH) return failure('path_length_exceeded', current);
    const candidates = [...anchors, ...pool].filter((c) => issuedBy(current, c) && !chain.includes(c));
    if (candidates.length === 0) return failure('issuer_not_trusted', current);
    const issuer = candidates.find((c) => verifyCertificateSignature(current, c.publicKey));
    if (!issuer) return failure('signature_invalid', current);
    chain.push(issuer);
  }

  // From the anchor down: validity, CA constraints, revocation.
  for (let i = chain.length - 1; i >= 0; i--) {
    const cert = chain[i]!;
    if (at < cert.notBefore) return failure('not_yet_valid', cert, `生效时间 ${cert.notBefore.toISOString()}`);
    if (at > cert.notAfter) return failure('expired', cert, `失效时间 ${cert.notAfter.toISOString()}`);
    if (i > 0) {
      if (!cert.basicConstraints?.ca) return failure('not_a_ca', cert);
      if (cert.keyUsage && !cert.keyUsage.includes('keyCertSign')) return failure('key_usage', cert);
    }
  }
  // Only once every issuer is known to be a CA: how many CAs (not counting the leaf) sit below each.
  for (let i = chain.length - 1; i > 0; i--) {
    const limit = chain[i]!.basicConstraints?.pathLength ?? null;
    if (limit !== null && i - 1 > limit) return failure('path_length_exceeded', chain[i]!);
  }

  const crls: Crl[] = [];
  for (const raw of input.crls ?? []) {
    try {
      crls.push(parseCrl(raw));
    } catch (err) {
      return failure('revocation_unknown', null, `CRL 无法解析：${err instanceof Error ? err.message : String(err)}`);
    }
  }
  for (let i = 0; i < chain.length - 1; i++) {
    const cert = chain[i]!;
    const issuer = chain[i + 1]!;
    let answered = false;
    for (const crl of crls.filter((c) => c.issuerDer.equals(issuer.subjectDer))) {
      const check = verifyCrl(crl, issuer, at);
      if (!check.ok) {
        if (check.reason === 'stale') continue;
        return failure('revocation_unknown', cert, check.message);
      }
      answered = true;
      const entry = crl.revoked.get(cert.serial);
      if (entry && entry.revokedAt <= at) return { ...failure('revoked', cert, entry.reason), revocation: { reason: entry.reason, revokedAt: entry.revokedAt } };
    }
    const online = input.status?.(cert, issuer);
    if (online?.status === 'revoked') return { ...failure('revoked', cert, online.reason), revocation: { reason: online.reason, revokedAt: online.revokedAt } };
    if (online?.status === 'good') answered = true;
    if (!answered && input.requireRevocationCheck) return failure('revocation_unknown', cert);
  }
  return { valid: true, chain };
}
