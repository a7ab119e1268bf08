// Certificate revocation lists, v2 (RFC 5280 §5) signed with SM3withSM2: CRL number,
// thisUpdate/nextUpdate, and each revoked serial with its revocation time and reason code.
import { sm2Verify } from '../sm2.ts';
import {
  bitString, children, expect, explicit, integer, readBitStringBytes, readInteger, readOne, readTime, seq, time, tlv, TAG,
} from './der.ts';
import { X509Error } from './errors.ts';
import { parseName, type ParsedName } from './name.ts';
import { OID } from './oids.ts';
import { extension, readExtensions, readSignatureAlgorithm, serialHex, SM3_WITH_SM2, type Certificate, type TbsSigner } from './certificate.ts';

/** CRLReason (RFC 5280 §5.3.1); 7 is unused. certificateHold marks a suspension, not an end. */
export const REVOCATION_REASONS = {
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
  removeFromCRL: 8,
  privilegeWithdrawn: 9,
  aACompromise: 10,
} as const;
export type RevocationReason = keyof typeof REVOCATION_REASONS;
const REASON_BY_CODE = new Map(Object.entries(REVOCATION_REASONS).map(([k, v]) => [v, k as RevocationReason]));

export function isRevocationReason(value: unknown): value is RevocationReason {
  return typeof value === 'string' && Object.hasOwn(REVOCATION_REASONS, value);
}

export interface RevokedEntry {
  serial: string;
  revokedAt: Date;
  reason: RevocationReason;
}

export interface CrlTemplate {
  /** The CA's subject exactly as encoded in its certificate. */
  issuer: Buffer;
  authorityKeyId: Buffer;
  crlNumber: bigint | number;
  thisUpdate: Date;
  nextUpdate: Date;
  revoked: RevokedEntry[];
}

export interface Crl {
  der: Buffer;
  tbs: Buffer;
  issuer: ParsedName;
  issuerDer: Buffer;
  thisUpdate: Date;
  nextUpdate: Date;
  crlNumber: bigint;
  authorityKeyId: Buffer | null;
  revoked: Map<string, RevokedEntry>;
  signature: Buffer;
}

export async function signCrl(t: CrlTemplate, sign: TbsSigner): Promise<Buffer> {
  if (!(t.nextUpdate > t.thisUpdate)) throw new Error('nextUpdate must be after thisUpdate');
  const entries = t.revoked.map((r) => {
    // RFC 5280 §5.3.1: omit the reason extension rather than say "unspecified".
    const ext = r.reason === 'unspecified' ? [] : [seq(extension(OID.reasonCode, false, tlv(TAG.ENUMERATED, Buffer.from([REVOCATION_REASONS[r.reason]]))))];
    return seq(integer(BigInt('0x' + r.serial)), time(r.revokedAt), ...ext);
  });
  const tbs = seq(
    integer(1),
    SM3_WITH_SM2,
    t.issuer,
    time(t.thisUpdate),
    time(t.nextUpdate),
    ...(entries.length ? [seq(...entries)] : []),
    explicit(0, seq(extension(OID.authorityKeyIdentifier, false, seq(tlv(0x80, t.authorityKeyId))), extension(OID.cRLNumber, false, integer(t.crlNumber)))),
  );
  return seq(tbs, SM3_WITH_SM2, bitString(await sign(tbs)));
}

const CRL_EXTENSIONS = new Set<string>([OID.authorityKeyIdentifier, OID.cRLNumber]);
const ENTRY_EXTENSIONS = new Set<string>([OID.reasonCode]);

export function parseCrl(input: Uint8Array): Crl {
  if (!(input instanceof Uint8Array) || input.length === 0) throw new X509Error('MALFORMED', 'CRL 为空');
  const der = Buffer.from(input);
  const [tbsNode, sigAlg, sigNode, extra] = children(readOne(der, TAG.SEQUENCE));
  if (extra) throw new X509Error('MALFORMED', 'CRL 结构错误');
  const f = children(expect(tbsNode, TAG.SEQUENCE, '待签 CRL'));
  if (readInteger(f[0], 'CRL 版本') !== 1n) throw new X509Error('MALFORMED', '只接受 v2 CRL');
  readSignatureAlgorithm(f[1]);
  readSignatureAlgorithm(sigAlg);
  if (!sigAlg!.raw.equals(f[1]!.raw)) throw new X509Error('MALFORMED', 'CRL 内外的签名算法不一致');
  const issuerNode = expect(f[2], TAG.SEQUENCE, 'CRL 颁发者');
  const thisUpdate = readTime(f[3], 'CRL 本次更新时间');
  if (!f[4] || (f[4].tag !== TAG.UTC_TIME && f[4].tag !== TAG.GENERALIZED_TIME)) throw new X509Error('MALFORMED', 'CRL 缺少下次更新时间');
  const nextUpdate = readTime(f[4], 'CRL 下次更新时间');
  let at = 5;
  const revoked = new Map<string, RevokedEntry>();
  if (f[at]?.tag === TAG.SEQUENCE) {
    for (const entry of children(f[at++]!)) {
      const [serialNode, dateNode, exts, more] = children(expect(entry, TAG.SEQUENCE, '吊销条目'));
      if (more) throw new X509Error('MALFORMED', '吊销条目结构错误');
      const serial = serialHex(readInteger(serialNode, '吊销序列号'));
      let reason: RevocationReason = 'unspecified';
      for (const ext of exts ? readExtensions(exts, ENTRY_EXTENSIONS) : []) {
        if (ext.oid !== OID.reasonCode) continue;
        const e = expect(readOne(ext.value), TAG.ENUMERATED, '吊销原因');
        const found = e.body.length === 1 ? REASON_BY_CODE.get(e.body[0]! as never) : undefined;
        if (!found) throw new X509Error('MALFORMED', '吊销原因代码无效');
        reason = found;
      }
      revoked.set(serial, { serial, revokedAt: readTime(dateNode, '吊销时间'), reason });
    }
  }
  let crlNumber: bigint | null = null;
  let authorityKeyId: Buffer | null = null;
  if (f[at]?.tag === 0xa0) {
    const [list, more] = children(f[at++]!);
    if (!list || more) throw new X509Error('MALFORMED', 'CRL 扩展结构错误');
    for (const ext of readExtensions(list, CRL_EXTENSIONS)) {
      if (ext.oid === OID.cRLNumber) crlNumber = readInteger(readOne(ext.value), 'CRL 编号');
      if (ext.oid === OID.authorityKeyIdentifier) {
        const keyId = children(expect(readOne(ext.value), TAG.SEQUENCE, '颁发机构密钥标识')).find((n) => n.tag === 0x80);
        authorityKeyId = keyId ? Buffer.from(keyId.body) : null;
      }
    }
  }
  if (at !== f.length) throw new X509Error('MALFORMED', 'CRL 含有不支持的字段');
  if (crlNumber === null) throw new X509Error('MALFORMED', 'CRL 缺少 CRL 编号');
  return {
    der,
    tbs: Buffer.from(tbsNode!.raw),
    issuer: parseName(issuerNode),
    issuerDer: Buffer.from(issuerNode.raw),
    thisUpdate,
    nextUpdate,
    crlNumber,
    authorityKeyId,
    revoked,
    signature: readBitStringBytes(sigNode, 'CRL 签名值'),
  };
}

export type CrlCheck = { ok: true } | { ok: false; reason: 'issuer_mismatch' | 'not_a_crl_issuer' | 'signature_invalid' | 'stale'; message: string };

/** The CRL was signed by `issuer`, which may sign CRLs, and is current at `at`. */
export function verifyCrl(crl: Crl, issuer: Certificate, at = new Date()): CrlCheck {
  if (!crl.issuerDer.equals(issuer.subjectDer)) return { ok: false, reason: 'issuer_mismatch', message: 'CRL 的颁发者与证书颁发机构不符' };
  if (issuer.keyUsage && !issuer.keyUsage.includes('cRLSign')) return { ok: false, reason: 'not_a_crl_issuer', message: '该证书无权签发 CRL' };
  if (!sm2Verify(crl.tbs, crl.signature, issuer.publicKey)) return { ok: false, reason: 'signature_invalid', message: 'CRL 签名无效' };
  if (crl.nextUpdate < at) return { ok: false, reason: 'stale', message: `CRL 已过期（下次更新时间 ${crl.nextUpdate.toISOString()}）` };
  return { ok: true };
}

export function crlToPem(der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN X509 CRL-----\n${b64}\n-----END X509 CRL-----\n`;
}
