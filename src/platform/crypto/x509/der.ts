// A small, strict DER codec: exactly what X.509 certificates and CRLs need. The reader
// rejects indefinite or non-minimal lengths, truncation and trailing bytes, so a crafted
// input becomes an X509Error instead of an exception from deep inside a parser.
import { X509Error } from './errors.ts';

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  ENUMERATED: 0x0a,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

// ---- writer ----

function lengthBytes(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, body: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([tag]), lengthBytes(body.length), body]);
}

export const seq = (...items: Uint8Array[]): Buffer => tlv(TAG.SEQUENCE, Buffer.concat(items));
/** A SET OF in DER order (elements sorted by their encodings). */
export const set = (...items: Uint8Array[]): Buffer => tlv(TAG.SET, Buffer.concat([...items].sort(Buffer.compare)));
export const octets = (b: Uint8Array): Buffer => tlv(TAG.OCTET_STRING, b);
export const bool = (v: boolean): Buffer => tlv(TAG.BOOLEAN, Buffer.from([v ? 0xff : 0x00]));
/** [n] EXPLICIT around one element. */
export const explicit = (n: number, inner: Uint8Array): Buffer => tlv(0xa0 | n, inner);

/** A BIT STRING holding whole bytes (signatures, public keys). */
export const bitString = (b: Uint8Array): Buffer => tlv(TAG.BIT_STRING, Buffer.concat([Buffer.from([0]), b]));

/** Non-negative INTEGER from a bigint, minimal two's complement. */
export function integer(v: bigint | number): Buffer {
  const n = BigInt(v);
  if (n < 0n) throw new Error('DER: negative integers are not used here');
  let hex = n.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  if (parseInt(hex.slice(0, 2), 16) & 0x80) hex = '00' + hex;
  return tlv(TAG.INTEGER, Buffer.from(hex, 'hex'));
}

export function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map((p) => BigInt(p));
  if (parts.length < 2) throw new Error(`DER: bad OID ${dotted}`);
  const out: number[] = [];
  const arcs = [parts[0]! * 40n + parts[1]!, ...parts.slice(2)];
  for (const arc of arcs) {
    const bytes: number[] = [Number(arc & 0x7fn)];
    for (let v = arc >> 7n; v > 0n; v >>= 7n) bytes.unshift(Number(v & 0x7fn) | 0x80);
    out.push(...bytes);
  }
  return tlv(TAG.OID, Buffer.from(out));
}

/** X.509 Time: UTCTime through 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5). */
export function time(d: Date): Buffer {
  const iso = d.toISOString();
  const digits = iso.slice(0, 19).replace(/[-T:]/g, '');
  if (d.getUTCFullYear() < 2050 && d.getUTCFullYear() >= 1950) return tlv(TAG.UTC_TIME, Buffer.from(digits.slice(2) + 'Z', 'ascii'));
  return tlv(TAG.GENERALIZED_TIME, Buffer.from(digits + 'Z', 'ascii'));
}

/** KeyUsage-style named BIT STRING: trailing zero bits dropped as DER requires. */
export function namedBits(bits: number[]): Buffer {
  if (bits.length === 0) return tlv(TAG.BIT_STRING, Buffer.from([0]));
  const last = Math.max(...bits);
  const bytes = Buffer.alloc(Math.floor(last / 8) + 1);
  for (const b of bits) bytes[b >> 3]! |= 0x80 >> (b & 7);
  return tlv(TAG.BIT_STRING, Buffer.concat([Buffer.from([7 - (last & 7)]), bytes]));
}

// ---- reader ----

export interface Node {
  tag: number;
  /** The whole element, header included (what a signature covers, for TBS parts). */
  raw: Buffer;
  body: Buffer;
}

const MAX_LENGTH = 1 << 24;

/** Reads one element at `at`; returns it and the offset after it. */
export function readNode(buf: Buffer, at = 0): [Node, number] {
  if (at + 2 > buf.length) throw new X509Error('MALFORMED', 'DER 数据被截断');
  const tag = buf[at]!;
  if ((tag & 0x1f) === 0x1f) throw new X509Error('MALFORMED', 'DER 不支持多字节标签');
  const first = buf[at + 1]!;
  let len: number;
  let header: number;
  if (first < 0x80) {
    len = first;
    header = 2;
  } else {
    const n = first & 0x7f;
    if (n === 0) throw new X509Error('MALFORMED', 'DER 不允许不定长编码');
    if (n > 3) throw new X509Error('MALFORMED', 'DER 长度过大');
    if (at + 2 + n > buf.length) throw new X509Error('MALFORMED', 'DER 数据被截断');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[at + 2 + i]!;
    if (len < 0x80 || buf[at + 2] === 0) throw new X509Error('MALFORMED', 'DER 长度编码不是最短形式');
    if (len > MAX_LENGTH) throw new X509Error('MALFORMED', 'DER 长度过大');
    header = 2 + n;
  }
  const end = at + header + len;
  if (end > buf.length) throw new X509Error('MALFORMED', 'DER 数据被截断');
  return [{ tag, raw: buf.subarray(at, end), body: buf.subarray(at + header, end) }, end];
}

/** Exactly one element filling `buf`. */
export function readOne(buf: Uint8Array, expectTag?: number): Node {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const [node, end] = readNode(b, 0);
  if (end !== b.length) throw new X509Error('MALFORMED', 'DER 数据末尾有多余字节');
  if (expectTag !== undefined) expect(node, expectTag);
  return node;
}

export function children(node: Node): Node[] {
  if (!(node.tag & 0x20)) throw new X509Error('MALFORMED', 'DER 期望构造类型');
  const out: Node[] = [];
  let at = 0;
  while (at < node.body.length) {
    const [child, next] = readNode(node.body, at);
    out.push(child);
    at = next;
  }
  return out;
}

export function expect(node: Node | undefined, tag: number, what = '字段'): Node {
  if (!node) throw new X509Error('MALFORMED', `缺少${what}`);
  if (node.tag !== tag) throw new X509Error('MALFORMED', `${what}类型错误（0x${node.tag.toString(16)}）`);
  return node;
}

export function readInteger(node: Node | undefined, what = '整数'): bigint {
  const n = expect(node, TAG.INTEGER, what);
  const b = n.body;
  if (b.length === 0) throw new X509Error('MALFORMED', `${what}为空`);
  if (b.length > 1 && ((b[0] === 0 && !(b[1]! & 0x80)) || (b[0] === 0xff && b[1]! & 0x80))) throw new X509Error('MALFORMED', `${what}不是最短编码`);
  if (b[0]! & 0x80) throw new X509Error('MALFORMED', `${what}不能为负数`);
  return BigInt('0x' + b.toString('hex'));
}

export function readOid(node: Node | undefined, what = '对象标识符'): string {
  const b = expect(node, TAG.OID, what).body;
  if (b.length === 0 || b[b.length - 1]! & 0x80) throw new X509Error('MALFORMED', `${what}编码错误`);
  const arcs: bigint[] = [];
  let v = 0n;
  for (let i = 0; i < b.length; i++) {
    if (v === 0n && b[i] === 0x80) throw new X509Error('MALFORMED', `${what}编码不是最短形式`);
    v = (v << 7n) | BigInt(b[i]! & 0x7f);
    if (!(b[i]! & 0x80)) {
      arcs.push(v);
      v = 0n;
    }
  }
  const first = arcs[0]!;
  const head = first < 40n ? [0n, first] : first < 80n ? [1n, first - 40n] : [2n, first - 80n];
  return [...head, ...arcs.slice(1)].join('.');
}

export function readBoolean(node: Node): boolean {
  expect(node, TAG.BOOLEAN, '布尔值');
  if (node.body.length !== 1 || (node.body[0] !== 0 && node.body[0] !== 0xff)) throw new X509Error('MALFORMED', '布尔值编码错误');
  return node.body[0] === 0xff;
}

/** The bytes of a BIT STRING with no unused bits (signatures, keys). */
export function readBitStringBytes(node: Node | undefined, what = '位串'): Buffer {
  const b = expect(node, TAG.BIT_STRING, what).body;
  if (b.length < 1 || b[0] !== 0) throw new X509Error('MALFORMED', `${what}编码错误`);
  return b.subarray(1);
}

/** Bit numbers set in a named BIT STRING (KeyUsage). */
export function readNamedBits(node: Node): number[] {
  const b = expect(node, TAG.BIT_STRING, '位串').body;
  if (b.length < 1 || b[0]! > 7 || (b.length === 1 && b[0] !== 0)) throw new X509Error('MALFORMED', '位串编码错误');
  const out: number[] = [];
  for (let i = 1; i < b.length; i++) for (let j = 0; j < 8; j++) if (b[i]! & (0x80 >> j)) out.push((i - 1) * 8 + j);
  return out;
}

const UTC = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;
const GEN = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;

export function readTime(node: Node | undefined, what = '时间'): Date {
  if (!node || (node.tag !== TAG.UTC_TIME && node.tag !== TAG.GENERALIZED_TIME)) throw new X509Error('MALFORMED', `${what}缺失或类型错误`);
  const text = node.body.toString('latin1');
  const m = (node.tag === TAG.UTC_TIME ? UTC : GEN).exec(text);
  if (!m) throw new X509Error('MALFORMED', `${what}格式错误：${text.slice(0, 20)}`);
  let year = Number(m[1]);
  if (node.tag === TAG.UTC_TIME) year += year < 50 ? 2000 : 1900;
  const [mo, d, h, mi, s] = [m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number];
  const date = new Date(Date.UTC(year, mo - 1, d, h, mi, s));
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) throw new X509Error('MALFORMED', `${what}不是有效日期`);
  return date;
}

export function readString(node: Node): string {
  switch (node.tag) {
    case TAG.UTF8_STRING:
      try {
        return new TextDecoder('utf-8', { fatal: true }).decode(node.body);
      } catch {
        throw new X509Error('MALFORMED', 'UTF8String 不是有效的 UTF-8');
      }
    case TAG.PRINTABLE_STRING:
    case TAG.IA5_STRING:
      return node.body.toString('latin1');
    case TAG.BMP_STRING:
      if (node.body.length % 2) throw new X509Error('MALFORMED', 'BMPString 长度错误');
      return Buffer.from(node.body).swap16().toString('utf16le');
    default:
      throw new X509Error('MALFORMED', `不支持的字符串类型 0x${node.tag.toString(16)}`);
  }
}
