// SM2 signatures per GB/T 32918.2 on sm2p256v1: e = SM3(Z_A ‖ M) with the default user ID,
// signatures DER-encoded (SEQUENCE { r INTEGER, s INTEGER }) as OpenSSL writes them.
// Node's own `crypto.sign` cannot do this (see ../shared/docs/standards.md), so the point
// arithmetic comes from sm-crypto-v2 while SM3 (over possibly large messages) stays native.
import { createHash, randomBytes } from 'node:crypto';
import { sm2 } from 'sm-crypto-v2';

export const SM2_DEFAULT_USER_ID = '1234567812345678';
/** sm2p256v1 and id-ecPublicKey, as they appear in SubjectPublicKeyInfo / PKCS#8. */
const OID_SM2 = '06082a811ccf5501822d';
const OID_EC_PUBLIC_KEY = '06072a8648ce3d0201';
const ALGORITHM = `3013${OID_EC_PUBLIC_KEY}${OID_SM2}`;
const SPKI_PREFIX = `3059${ALGORITHM}03420004`;
const N = BigInt('0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123');

export interface Sm2KeyPair {
  /** 64 hex digits. */
  privateKey: string;
  /** Uncompressed point: '04' + x + y, 130 hex digits. */
  publicKey: string;
}

/** A public key made ready for repeated verification (Z_A and the point tables computed once). */
export interface Sm2PublicKey {
  readonly hex: string;
  readonly userId: string;
  readonly z: Buffer;
  readonly point: ReturnType<typeof sm2.precomputePublicKey>;
}

export function generateSm2KeyPair(): Sm2KeyPair {
  // Draw d from the OS CSPRNG ourselves, in [1, n-2] as GB/T 32918.1 requires.
  for (;;) {
    const d = BigInt('0x' + randomBytes(32).toString('hex'));
    if (d >= 1n && d <= N - 2n) {
      const privateKey = d.toString(16).padStart(64, '0');
      return { privateKey, publicKey: sm2PublicKeyFromPrivate(privateKey) };
    }
  }
}

export function sm2PublicKeyFromPrivate(privateKey: string): string {
  assertPrivateKey(privateKey);
  return sm2.getPublicKeyFromPrivateKey(privateKey.toLowerCase());
}

/** Z_A = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA). */
export function sm2Z(publicKey: string, userId = SM2_DEFAULT_USER_ID): Buffer {
  return Buffer.from(sm2.getZ(normalisePublicKey(publicKey), userId));
}

/** e = SM3(Z_A ‖ M), the value the signature actually covers. */
export function sm2Digest(message: string | Uint8Array, z: Uint8Array): Buffer {
  return createHash('sm3').update(z).update(message).digest();
}

const prepared = new Map<string, Sm2PublicKey>();

/** Accepts hex (uncompressed) or PEM; cached, since the same few peer keys verify everything. */
export function sm2PublicKey(key: string | Sm2PublicKey, userId = SM2_DEFAULT_USER_ID): Sm2PublicKey {
  if (typeof key !== 'string') return key;
  const hex = key.includes('-----BEGIN') ? sm2PublicKeyFromPem(key) : normalisePublicKey(key);
  const cacheKey = `${userId}:${hex}`;
  let found = prepared.get(cacheKey);
  if (!found) {
    found = { hex, userId, z: sm2Z(hex, userId), point: sm2.precomputePublicKey(hex) };
    if (prepared.size >= 256) prepared.clear();
    prepared.set(cacheKey, found);
  }
  return found;
}

/** Signs `message`; returns the DER-encoded signature. */
export function sm2Sign(message: string | Uint8Array, privateKey: string, options: { publicKey?: string; userId?: string } = {}): Buffer {
  assertPrivateKey(privateKey);
  const d = privateKey.toLowerCase();
  const publicKey = options.publicKey ? normalisePublicKey(options.publicKey) : sm2PublicKeyFromPrivate(d);
  const key = sm2PublicKey(publicKey, options.userId);
  const e = sm2Digest(message, key.z);
  return Buffer.from(sm2.doSignature(e, d, { der: true }), 'hex');
}

/** True only for a well-formed DER signature that checks out; never throws on bad input. */
export function sm2Verify(message: string | Uint8Array, signature: Uint8Array, publicKey: string | Sm2PublicKey, options: { userId?: string } = {}): boolean {
  let key: Sm2PublicKey;
  try {
    key = sm2PublicKey(publicKey, options.userId);
  } catch {
    return false;
  }
  const rs = decodeSignature(signature);
  if (!rs) return false;
  const e = sm2Digest(message, key.z);
  try {
    return sm2.doVerifySignature(e, rs, key.point);
  } catch {
    return false;
  }
}

/** Strict DER → r‖s hex (64+64), or null: minimal INTEGER encodings, 1 ≤ r, s < n, no trailing bytes. */
export function decodeSignature(der: Uint8Array): string | null {
  const b = Buffer.from(der);
  if (b.length < 8 || b[0] !== 0x30 || b[1] !== b.length - 2) return null;
  let at = 2;
  const parts: bigint[] = [];
  for (let i = 0; i < 2; i++) {
    if (b[at] !== 0x02) return null;
    const len = b[at + 1]!;
    const body = b.subarray(at + 2, at + 2 + len);
    if (len < 1 || len > 33 || body.length !== len) return null;
    if (body[0]! & 0x80) return null; // negative
    if (len > 1 && body[0] === 0 && !(body[1]! & 0x80)) return null; // not minimal
    const v = BigInt('0x' + body.toString('hex'));
    if (v < 1n || v >= N) return null;
    parts.push(v);
    at += 2 + len;
  }
  if (at !== b.length) return null;
  return parts.map((v) => v.toString(16).padStart(64, '0')).join('');
}

/** DER of (r, s) given as bigints; used by tests against published vectors. */
export function encodeSignature(r: bigint, s: bigint): Buffer {
  const int = (v: bigint) => {
    let hex = v.toString(16);
    if (hex.length % 2) hex = '0' + hex;
    if (parseInt(hex.slice(0, 2), 16) & 0x80) hex = '00' + hex;
    return Buffer.concat([Buffer.from([0x02, hex.length / 2]), Buffer.from(hex, 'hex')]);
  };
  const body = Buffer.concat([int(r), int(s)]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}

// ---- key encodings ----

export function sm2PublicKeyToPem(publicKey: string): string {
  const der = Buffer.from(SPKI_PREFIX + normalisePublicKey(publicKey).slice(2), 'hex');
  return pem('PUBLIC KEY', der);
}

/** SubjectPublicKeyInfo (id-ecPublicKey + sm2p256v1, uncompressed point) → hex. */
export function sm2PublicKeyFromPem(text: string): string {
  const der = unpem(text, 'PUBLIC KEY').toString('hex');
  if (der.length !== SPKI_PREFIX.length + 128 || !der.startsWith(SPKI_PREFIX)) {
    throw new Error('not an SM2 public key (expected SubjectPublicKeyInfo with curve 1.2.156.10197.1.301, uncompressed point)');
  }
  return normalisePublicKey('04' + der.slice(SPKI_PREFIX.length));
}

/** PKCS#8 PrivateKeyInfo with the ECPrivateKey inside, as `openssl genpkey -algorithm SM2` writes it. */
export function sm2PrivateKeyToPem(privateKey: string): string {
  assertPrivateKey(privateKey);
  const pub = sm2PublicKeyFromPrivate(privateKey);
  const ecPrivateKey = `306b0201010420${privateKey.toLowerCase()}a144034200${pub}`;
  const der = Buffer.from(`308187020100${ALGORITHM}046d${ecPrivateKey}`, 'hex');
  return pem('PRIVATE KEY', der);
}

/** Reads PKCS#8 ('PRIVATE KEY') or SEC1 ('EC PRIVATE KEY') PEM of an SM2 key → hex. */
export function sm2PrivateKeyFromPem(text: string): string {
  const sec1 = text.includes('BEGIN EC PRIVATE KEY');
  const der = unpem(text, sec1 ? 'EC PRIVATE KEY' : 'PRIVATE KEY');
  let ec = der;
  if (!sec1) {
    const [, items] = readSequence(der);
    if (items.length < 3 || items[1]!.toString('hex') !== `${ALGORITHM}`) throw new Error('not an SM2 PKCS#8 key');
    ec = tlvBody(items[2]!, 0x04);
  }
  const [, fields] = readSequence(ec);
  const d = tlvBody(fields[1] ?? Buffer.alloc(0), 0x04);
  if (d.length !== 32) throw new Error('not an SM2 private key');
  const hex = d.toString('hex');
  assertPrivateKey(hex);
  return hex;
}

function normalisePublicKey(key: string): string {
  const hex = key.trim().toLowerCase();
  if (!/^04[0-9a-f]{128}$/.test(hex) || !sm2.verifyPublicKey(hex)) throw new Error('not an SM2 public key on sm2p256v1');
  return hex;
}

function assertPrivateKey(key: string): void {
  if (!/^[0-9a-fA-F]{64}$/.test(key)) throw new Error('SM2 private key must be 64 hex digits');
  const d = BigInt('0x' + key);
  if (d < 1n || d > N - 2n) throw new Error('SM2 private key out of range');
}

function pem(label: string, der: Buffer): string {
  const b64 = der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

function unpem(text: string, label: string): Buffer {
  const m = new RegExp(`-----BEGIN ${label}-----([\\s\\S]+?)-----END ${label}-----`).exec(text);
  if (!m) throw new Error(`no ${label} PEM block`);
  return Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64');
}

/** Splits a DER SEQUENCE into its element TLVs (short and long lengths; enough for keys). */
function readSequence(der: Buffer): [Buffer, Buffer[]] {
  const body = tlvBody(der, 0x30);
  const items: Buffer[] = [];
  let at = 0;
  while (at < body.length) {
    const [len, header] = tlvLength(body, at);
    items.push(body.subarray(at, at + header + len));
    at += header + len;
  }
  return [body, items];
}

function tlvBody(tlv: Buffer, tag: number): Buffer {
  if (tlv[0] !== tag) throw new Error(`DER: expected tag ${tag.toString(16)}`);
  const [len, header] = tlvLength(tlv, 0);
  if (header + len > tlv.length) throw new Error('DER: truncated');
  return tlv.subarray(header, header + len);
}

function tlvLength(buf: Buffer, at: number): [number, number] {
  const first = buf[at + 1];
  if (first === undefined) throw new Error('DER: truncated');
  if (first < 0x80) return [first, 2];
  const n = first & 0x7f;
  if (n < 1 || n > 3) throw new Error('DER: unsupported length');
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + buf[at + 2 + i]!;
  return [len, 2 + n];
}
