// The e-licence QR payload (docs/licences-verification.md): a compact claim set signed with the
// issuing seal's SM2 key, so a phone or an offline verifier checks it without asking the
// issuer. Token = `YWL1.` + base64url(deflateRaw(JSON claims)) + `.` + base64url(DER SM2
// signature over the ASCII bytes of `YWL1.<claims part>`, SM3, default user ID). Pure: no I/O.
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { maskIdNumber, maskName } from '../../platform/crypto/personal-data.ts';
import { decodeSignature, sm2Verify } from '../../platform/crypto/sm2.ts';
import { sm3, sm3Hex } from '../../platform/crypto/sm3.ts';
import type { HolderKind, LicenceType } from './catalogue.ts';
import type { LicenceData } from './data.ts';
import { parseIdentifier } from './identifier.ts';

export const QR_PREFIX = 'YWL1.';
/** Tokens beyond this are not ours (ours stay well under 1000 characters). */
export const QR_MAX_CHARS = 1500;

export interface QrClaims {
  /** Licence identifier (GB/T 36903). */
  id: string;
  t: string;
  tn: string;
  hk: HolderKind;
  /** Masked holder name / code: the payload is readable by anyone who sees the code. */
  hn: string;
  hc: string;
  in: string;
  iu: string;
  f: string;
  u: string | null;
  ia: string;
  /** SM3 of the canonical licence data: binds the payload to the full record. */
  ds: string;
  /** Hex of the first 8 bytes of SM3(signer certificate DER). */
  k: string;
}

export type QrProblem = 'malformed' | 'unsupported_version' | 'truncated';

export type ParsedToken =
  | { ok: true; token: string; claims: QrClaims; signed: Buffer; signature: Buffer }
  | { ok: false; code: QrProblem; message: string };

const b64u = (b: Uint8Array): string => Buffer.from(b).toString('base64url');
const B64U = /^[A-Za-z0-9_-]+$/;

export function kidOf(certificateDer: Uint8Array): string {
  return sm3(certificateDer).subarray(0, 8).toString('hex');
}

/** Masked USCC: registration office and last four characters, e.g. 9132****AB12. */
export function maskCreditCode(code: string): string {
  return code.length <= 8 ? '*'.repeat(code.length) : `${code.slice(0, 4)}${'*'.repeat(code.length - 8)}${code.slice(-4)}`;
}

/** SM3 over the identifier and the data with sorted keys: what a full record must hash to. */
export function licenceDataDigest(identifier: string, data: LicenceData): string {
  const sorted = Object.keys(data).sort().map((k) => [k, data[k]]);
  return sm3Hex(JSON.stringify([identifier, sorted]));
}

/** The holder as printed on the face, from the fields whose source is the holder. */
export function holderOf(type: LicenceType, data: LicenceData): { kind: HolderKind; name: string; code: string } {
  const name = data[type.fields.find((f) => f.source === 'holder.name')?.key ?? ''] ?? '';
  const codeField = type.fields.find((f) => f.source === 'holder.code');
  const code = codeField ? (data[codeField.key] ?? '') : '';
  const only = type.holderKinds.length === 1 ? type.holderKinds[0]! : null;
  // A type held by both: an 18-character code is an ID number when its 17 first are digits.
  const kind: HolderKind = only ?? (codeField?.type === 'credit_code' || !/^[0-9]{17}[0-9X]$/.test(code) ? 'company' : 'person');
  return { kind, name, code };
}

/** What a licence's face shows (document.ts renders it; the QR claims summarise it). */
export interface LicenceFace {
  type: LicenceType;
  data: LicenceData;
  identifier: string;
  issuerName: string;
  validFrom: string;
  validUntil: string | null;
}

export interface ClaimsInput extends LicenceFace {
  issuedOn: string;
  signerCertificate: Uint8Array;
}

export function claimsFor(input: ClaimsInput): QrClaims {
  const parsed = parseIdentifier(input.identifier, { strictIssuer: false });
  if (!parsed.ok) throw new Error(`not a licence identifier: ${input.identifier}`);
  const holder = holderOf(input.type, input.data);
  return {
    id: input.identifier, t: input.type.code, tn: input.type.name, hk: holder.kind,
    // A company's name is public registration data; a person's is masked like everywhere else.
    hn: holder.kind === 'person' ? maskName(holder.name) : holder.name,
    hc: holder.kind === 'person' ? maskIdNumber(holder.code) : maskCreditCode(holder.code),
    in: input.issuerName, iu: parsed.id.issuerUscc, f: input.validFrom, u: input.validUntil, ia: input.issuedOn,
    ds: licenceDataDigest(input.identifier, input.data), k: kidOf(input.signerCertificate),
  };
}

/** The bytes the seal signs: `YWL1.<claims part>` in ASCII. */
export function encodeClaims(claims: QrClaims): { claimsPart: string; signed: Buffer } {
  const claimsPart = b64u(deflateRawSync(Buffer.from(JSON.stringify(claims), 'utf8'), { level: 9 }));
  return { claimsPart, signed: Buffer.from(`${QR_PREFIX}${claimsPart}`, 'ascii') };
}

export function assembleToken(claimsPart: string, signature: Uint8Array): string {
  return `${QR_PREFIX}${claimsPart}.${b64u(signature)}`;
}

/** What the QR image encodes: the public verification page, so a phone camera opens it. */
export function qrUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/$/, '')}/licences/verify?qr=${encodeURIComponent(token)}`;
}

/** The token in scanned text: the bare token, or any URL carrying it as `qr`. */
export function extractToken(input: string): string {
  const text = input.trim();
  if (/^https?:\/\//i.test(text)) {
    try {
      return new URL(text).searchParams.get('qr')?.trim() ?? '';
    } catch {
      return '';
    }
  }
  return text;
}

const CLAIM_STRINGS = ['id', 't', 'tn', 'hk', 'hn', 'hc', 'in', 'iu', 'f', 'ia', 'ds', 'k'] as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function claimsProblem(c: Record<string, unknown>): string | null {
  for (const key of CLAIM_STRINGS) if (typeof c[key] !== 'string' || (c[key] as string).length > 300) return `缺少或无效的字段 ${key}`;
  if (c.u !== null && (typeof c.u !== 'string' || !DATE.test(c.u))) return '有效期截止日期无效';
  if (!DATE.test(c.f as string) || !DATE.test(c.ia as string)) return '日期格式无效';
  if (c.hk !== 'person' && c.hk !== 'company') return '持证人类型无效';
  if (!/^[0-9a-f]{64}$/.test(c.ds as string) || !/^[0-9a-f]{16}$/.test(c.k as string)) return '摘要或签名者标识无效';
  if (!parseIdentifier(c.id as string, { strictIssuer: false }).ok) return '证照标识无效';
  return null;
}

const fail = (code: QrProblem, message: string): ParsedToken => ({ ok: false, code, message });

/** Decodes without judging the signature; a truncated scan is told apart from garbage. */
export function parseToken(input: string): ParsedToken {
  if (typeof input !== 'string' || input.length === 0) return fail('malformed', '没有二维码内容');
  const token = extractToken(input);
  if (token.length > QR_MAX_CHARS) return fail('malformed', '二维码内容过长，不是电子证照二维码');
  const m = /^YWL([0-9]+)\./.exec(token);
  if (!m) return QR_PREFIX.startsWith(token) && token ? fail('truncated', '二维码内容不完整') : fail('malformed', '不是电子证照二维码');
  if (m[1] !== '1') return fail('unsupported_version', `不支持的二维码版本 YWL${m[1]}，请更新核验程序`);
  const rest = token.slice(QR_PREFIX.length).split('.');
  if (rest.length === 1 && B64U.test(rest[0]!)) return fail('truncated', '二维码内容不完整（缺少签名）');
  if (rest.length !== 2 || !B64U.test(rest[0]!) || !(rest[1] === '' || B64U.test(rest[1]!))) return fail('malformed', '二维码内容的格式不正确');
  const [claimsPart, sigPart] = rest as [string, string];
  const signature = Buffer.from(sigPart, 'base64url');
  // A DER SEQUENCE states its length: fewer bytes than stated means the scan was cut short.
  if (signature.length < 2 || (signature[0] === 0x30 && signature[1]! + 2 > signature.length)) return fail('truncated', '二维码内容不完整（签名被截断）');
  if (!decodeSignature(signature)) return fail('malformed', '二维码中的签名格式不正确');
  let json: string;
  try {
    json = inflateRawSync(Buffer.from(claimsPart, 'base64url'), { maxOutputLength: 8192 }).toString('utf8');
  } catch (err) {
    const truncated = err instanceof Error && /unexpected end/i.test(err.message);
    return truncated ? fail('truncated', '二维码内容不完整（数据被截断）') : fail('malformed', '二维码中的数据无法解压');
  }
  let claims: unknown;
  try {
    claims = JSON.parse(json);
  } catch {
    return fail('malformed', '二维码中的数据不是有效的 JSON');
  }
  if (!claims || typeof claims !== 'object' || Array.isArray(claims)) return fail('malformed', '二维码中的数据格式不正确');
  const problem = claimsProblem(claims as Record<string, unknown>);
  if (problem) return fail('malformed', `二维码中的数据不正确：${problem}`);
  return { ok: true, token, claims: claims as QrClaims, signed: Buffer.from(`${QR_PREFIX}${claimsPart}`, 'ascii'), signature };
}

/** The SM2 check against a signer's public key (uncompressed hex). */
export function signatureValid(parsed: Extract<ParsedToken, { ok: true }>, publicKey: string): boolean {
  return sm2Verify(parsed.signed, parsed.signature, publicKey);
}
