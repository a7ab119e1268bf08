// X.509 v3 certificates with SM2 keys and SM3withSM2 signatures (GM/T 0015, RFC 5280):
// build and sign a TBSCertificate, parse one strictly, check its signature against an issuer.
import { createHash, randomBytes } from 'node:crypto';
import { sm2PublicKey, sm2Verify, SM2_DEFAULT_USER_ID } from '../sm2.ts';
import {
  bitString, bool, children, expect, explicit, integer, namedBits, octets, oid, readBitStringBytes, readBoolean, readInteger,
  readNamedBits, readOid, readOne, readString, readTime, seq, time, tlv, TAG, type Node,
} from './der.ts';
import { X509Error } from './errors.ts';
import { encodeName, parseName, type DistinguishedName, type ParsedName } from './name.ts';
import { KEY_USAGE, OID, type KeyUsageName } from './oids.ts';

/** Signs DER bytes (the TBS part) with SM2 and the default ID; returns the DER signature. */
export type TbsSigner = (tbs: Buffer) => Promise<Buffer>;

export interface CertificateTemplate {
  /** Lowercase hex; see randomSerial(). */
  serial: string;
  /** The issuer CA's subject exactly as encoded in its certificate, or a name for a self-signed root. */
  issuer: Buffer | DistinguishedName;
  subject: DistinguishedName;
  notBefore: Date;
  notAfter: Date;
  /** Uncompressed SM2 point, '04' + x + y in hex. */
  publicKey: string;
  /** Present for a CA certificate; pathLength limits the CAs that may follow it. */
  ca?: { pathLength?: number };
  keyUsage: KeyUsageName[];
  /** The issuer's subject key identifier (for a self-signed root: its own). */
  authorityKeyId: Buffer;
  crlDistributionPoint?: string;
  /** Further encoded Extension elements (see extension()). */
  extraExtensions?: Buffer[];
}

export interface Certificate {
  der: Buffer;
  /** The signed part, byte for byte as received. */
  tbs: Buffer;
  serial: string;
  issuer: ParsedName;
  issuerDer: Buffer;
  subject: ParsedName;
  subjectDer: Buffer;
  notBefore: Date;
  notAfter: Date;
  publicKey: string;
  signature: Buffer;
  basicConstraints: { ca: boolean; pathLength: number | null } | null;
  keyUsage: KeyUsageName[] | null;
  subjectKeyId: Buffer | null;
  authorityKeyId: Buffer | null;
  crlDistributionPoints: string[];
  extensions: { oid: string; critical: boolean; value: Buffer }[];
}

/** 16 random bytes, positive and of fixed length (RFC 5280 §4.1.2.2: ≤ 20 octets, unpredictable). */
export function randomSerial(): string {
  const b = randomBytes(16);
  b[0] = (b[0]! & 0x7f) | 0x40;
  return b.toString('hex');
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits, as OpenSSL computes it. */
export function keyIdentifier(publicKey: string): Buffer {
  return createHash('sha1').update(Buffer.from(publicKey, 'hex')).digest();
}

export const SM3_WITH_SM2 = seq(oid(OID.sm3WithSm2));

export function encodePublicKeyInfo(publicKey: string): Buffer {
  const hex = sm2PublicKey(publicKey).hex;
  return seq(seq(oid(OID.ecPublicKey), oid(OID.sm2p256v1)), bitString(Buffer.from(hex, 'hex')));
}

export function extension(type: string, critical: boolean, value: Buffer): Buffer {
  return seq(oid(type), ...(critical ? [bool(true)] : []), octets(value));
}

export function buildTbsCertificate(t: CertificateTemplate): Buffer {
  if (!/^[0-9a-f]{2,40}$/.test(t.serial) || t.serial.length % 2 || BigInt('0x' + t.serial) === 0n) throw new Error('serial must be 1–20 bytes of lowercase hex, not zero');
  if (!(t.notAfter > t.notBefore)) throw new Error('notAfter must be after notBefore');
  const extensions: Buffer[] = [];
  const bc = t.ca ? seq(bool(true), ...(t.ca.pathLength !== undefined ? [integer(t.ca.pathLength)] : [])) : seq();
  extensions.push(extension(OID.basicConstraints, true, bc));
  extensions.push(extension(OID.keyUsage, true, namedBits(t.keyUsage.map((k) => KEY_USAGE[k]))));
  extensions.push(extension(OID.subjectKeyIdentifier, false, octets(keyIdentifier(t.publicKey))));
  extensions.push(extension(OID.authorityKeyIdentifier, false, seq(tlv(0x80, t.authorityKeyId))));
  if (t.crlDistributionPoint) {
    const uri = tlv(0x86, Buffer.from(t.crlDistributionPoint, 'ascii'));
    extensions.push(extension(OID.cRLDistributionPoints, false, seq(seq(explicit(0, tlv(0xa0, uri))))));
  }
  extensions.push(...(t.extraExtensions ?? []));
  const issuer = Buffer.isBuffer(t.issuer) ? t.issuer : encodeName(t.issuer);
  return seq(
    explicit(0, integer(2)),
    integer(BigInt('0x' + t.serial)),
    SM3_WITH_SM2,
    issuer,
    seq(time(t.notBefore), time(t.notAfter)),
    encodeName(t.subject),
    encodePublicKeyInfo(t.publicKey),
    explicit(3, seq(...extensions)),
  );
}

export async function signCertificate(t: CertificateTemplate, sign: TbsSigner): Promise<Buffer> {
  const tbs = buildTbsCertificate(t);
  return seq(tbs, SM3_WITH_SM2, bitString(await sign(tbs)));
}

// ---- parsing ----

/** Throws X509Error unless the algorithm is SM3withSM2 (parameters absent or NULL). */
export function readSignatureAlgorithm(node: Node | undefined): void {
  const [alg, params, extra] = children(expect(node, TAG.SEQUENCE, '签名算法'));
  const name = readOid(alg);
  if (name !== OID.sm3WithSm2) throw new X509Error('WRONG_ALGORITHM', `签名算法不是 SM3withSM2（${name}）`);
  if (extra || (params && (params.tag !== TAG.NULL || params.body.length))) throw new X509Error('MALFORMED', '签名算法参数错误');
}

export function readPublicKeyInfo(node: Node | undefined): string {
  const [alg, key, extra] = children(expect(node, TAG.SEQUENCE, '公钥信息'));
  if (extra) throw new X509Error('MALFORMED', '公钥信息结构错误');
  const [type, curve] = children(expect(alg, TAG.SEQUENCE, '公钥算法'));
  const typeOid = readOid(type);
  if (typeOid !== OID.ecPublicKey) throw new X509Error('WRONG_ALGORITHM', `公钥不是椭圆曲线公钥（${typeOid}）`);
  if (curve?.tag !== TAG.OID) throw new X509Error('WRONG_ALGORITHM', '公钥未指明命名曲线');
  const curveOid = readOid(curve);
  if (curveOid !== OID.sm2p256v1) throw new X509Error('WRONG_ALGORITHM', `公钥曲线不是 SM2（${curveOid}）`);
  const point = readBitStringBytes(key, '公钥');
  if (point.length !== 65 || point[0] !== 4) throw new X509Error('WRONG_ALGORITHM', '公钥不是未压缩的 SM2 点');
  try {
    return sm2PublicKey(point.toString('hex')).hex;
  } catch {
    throw new X509Error('WRONG_ALGORITHM', '公钥不在 SM2 曲线上');
  }
}

/** Extensions this code understands and enforces, so they may be critical. */
const UNDERSTOOD = new Set<string>([OID.basicConstraints, OID.keyUsage, OID.subjectKeyIdentifier, OID.authorityKeyIdentifier, OID.cRLDistributionPoints, OID.subjectAltName, OID.extKeyUsage]);

export interface ParsedExtension {
  oid: string;
  critical: boolean;
  value: Buffer;
}

/** Extensions [n] SEQUENCE OF Extension; duplicates and unknown critical ones are refused. */
export function readExtensions(list: Node, understood: ReadonlySet<string> = UNDERSTOOD): ParsedExtension[] {
  const out: ParsedExtension[] = [];
  for (const ext of children(expect(list, TAG.SEQUENCE, '扩展列表'))) {
    const parts = children(expect(ext, TAG.SEQUENCE, '扩展'));
    const id = readOid(parts[0]);
    let critical = false;
    let at = 1;
    if (parts[1]?.tag === TAG.BOOLEAN) {
      critical = readBoolean(parts[1]);
      at = 2;
    }
    const value = expect(parts[at], TAG.OCTET_STRING, '扩展值').body;
    if (parts.length !== at + 1) throw new X509Error('MALFORMED', '扩展结构错误');
    if (out.some((e) => e.oid === id)) throw new X509Error('MALFORMED', `扩展 ${id} 重复`);
    if (critical && !understood.has(id)) throw new X509Error('UNKNOWN_CRITICAL_EXTENSION', `含有无法识别的关键扩展 ${id}`);
    readOne(value); // every extension value is itself exactly one DER element
    out.push({ oid: id, critical, value: Buffer.from(value) });
  }
  return out;
}

export function serialHex(v: bigint): string {
  const hex = v.toString(16);
  return hex.length % 2 ? '0' + hex : hex;
}

/** Parses a DER certificate; throws X509Error with a clear reason for anything it must not accept. */
export function parseCertificate(input: Uint8Array): Certificate {
  if (!(input instanceof Uint8Array) || input.length === 0) throw new X509Error('MALFORMED', '证书为空');
  const der = Buffer.from(input);
  const [tbsNode, sigAlg, sigNode, extra] = children(readOne(der, TAG.SEQUENCE));
  if (extra) throw new X509Error('MALFORMED', '证书结构错误');
  const f = children(expect(tbsNode, TAG.SEQUENCE, '待签证书'));
  const versionNode = expect(f[0], 0xa0, '版本');
  const version = readInteger(children(versionNode)[0], '版本');
  if (version !== 2n) throw new X509Error('MALFORMED', `只接受 X.509 v3 证书（版本号 ${version}）`);
  const serial = readInteger(f[1], '序列号');
  if (serial === 0n || f[1]!.body.length > 20) throw new X509Error('MALFORMED', '序列号必须为 1–20 字节的正整数');
  readSignatureAlgorithm(f[2]);
  if (!sigAlg || !sigAlg.raw.equals(f[2]!.raw)) {
    readSignatureAlgorithm(sigAlg);
    throw new X509Error('MALFORMED', '证书内外的签名算法不一致');
  }
  const issuerNode = expect(f[3], TAG.SEQUENCE, '颁发者');
  const [nb, na, vextra] = children(expect(f[4], TAG.SEQUENCE, '有效期'));
  if (vextra) throw new X509Error('MALFORMED', '有效期结构错误');
  const subjectNode = expect(f[5], TAG.SEQUENCE, '主体');
  const publicKey = readPublicKeyInfo(f[6]);
  // issuerUniqueID [1] and subjectUniqueID [2] are obsolete; extensions are [3].
  const rest = f.slice(7);
  if (rest.length !== 1 || rest[0]!.tag !== 0xa3) throw new X509Error('MALFORMED', '证书缺少扩展或含有不支持的字段');
  const extNodes = children(rest[0]!);
  if (extNodes.length !== 1) throw new X509Error('MALFORMED', '扩展结构错误');
  const extensions = readExtensions(extNodes[0]!);
  const cert: Certificate = {
    der,
    tbs: Buffer.from(tbsNode!.raw),
    serial: serialHex(serial),
    issuer: parseName(issuerNode),
    issuerDer: Buffer.from(issuerNode.raw),
    subject: parseName(subjectNode),
    subjectDer: Buffer.from(subjectNode.raw),
    notBefore: readTime(nb, '生效时间'),
    notAfter: readTime(na, '失效时间'),
    publicKey,
    signature: readBitStringBytes(sigNode, '签名值'),
    basicConstraints: null,
    keyUsage: null,
    subjectKeyId: null,
    authorityKeyId: null,
    crlDistributionPoints: [],
    extensions,
  };
  for (const ext of extensions) readKnownExtension(cert, ext);
  return cert;
}

function readKnownExtension(cert: Certificate, ext: ParsedExtension): void {
  const node = readOne(ext.value);
  switch (ext.oid) {
    case OID.basicConstraints: {
      const parts = children(expect(node, TAG.SEQUENCE, '基本约束'));
      let at = 0;
      let ca = false;
      if (parts[at]?.tag === TAG.BOOLEAN) ca = readBoolean(parts[at++]!);
      const pathLength = parts[at] ? Number(readInteger(parts[at++], '路径长度')) : null;
      if (parts.length !== at || (pathLength !== null && !ca)) throw new X509Error('MALFORMED', '基本约束结构错误');
      cert.basicConstraints = { ca, pathLength };
      return;
    }
    case OID.keyUsage: {
      const bits = readNamedBits(node);
      const names = Object.entries(KEY_USAGE).filter(([, b]) => bits.includes(b)).map(([n]) => n as KeyUsageName);
      cert.keyUsage = names;
      return;
    }
    case OID.subjectKeyIdentifier:
      cert.subjectKeyId = Buffer.from(expect(node, TAG.OCTET_STRING, '主体密钥标识').body);
      return;
    case OID.authorityKeyIdentifier: {
      const keyId = children(expect(node, TAG.SEQUENCE, '颁发机构密钥标识')).find((n) => n.tag === 0x80);
      cert.authorityKeyId = keyId ? Buffer.from(keyId.body) : null;
      return;
    }
    case OID.cRLDistributionPoints:
      for (const dp of children(expect(node, TAG.SEQUENCE, 'CRL 分发点'))) {
        const name = children(expect(dp, TAG.SEQUENCE, 'CRL 分发点')).find((n) => n.tag === 0xa0);
        const full = name ? children(name).find((n) => n.tag === 0xa0) : undefined;
        for (const gn of full ? children(full) : []) if (gn.tag === 0x86) cert.crlDistributionPoints.push(readString({ ...gn, tag: TAG.IA5_STRING }));
      }
      return;
    default:
  }
}

/** True when `issuerPublicKey` made the certificate's signature (SM2 with the given signer ID). */
export function verifyCertificateSignature(cert: Certificate, issuerPublicKey: string, userId = SM2_DEFAULT_USER_ID): boolean {
  return sm2Verify(cert.tbs, cert.signature, issuerPublicKey, { userId });
}

export function certificateToPem(der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

export function certificateFromPem(text: string): Buffer {
  const m = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(text);
  if (!m) throw new X509Error('MALFORMED', '不是 PEM 格式的证书');
  return Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64');
}
