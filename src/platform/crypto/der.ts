// The one strict DER codec behind X.509 (crypto/x509) and the GB/T 38540 seal structures
// (modules/seals/ses). Strict on purpose: certificates and seals are signed and compared byte
// for byte, so BER leniency (indefinite or non-minimal lengths, trailing bytes, padded
// integers) would let two different byte strings mean "the same" value. Every reader failure
// is a DerError with a reason and the path being read; each caller translates it at its
// boundary into its own error type (X509Error, SesError), whose codes callers rely on.

export type DerReason =
  | 'truncated'
  | 'multi_byte_tag'
  | 'indefinite_length'
  | 'length_too_large'
  | 'non_minimal_length'
  | 'trailing_bytes'
  | 'not_constructed'
  | 'missing'
  | 'unexpected_tag'
  | 'empty'
  | 'non_minimal'
  | 'negative'
  | 'too_large'
  | 'bad_encoding'
  | 'unused_bits'
  | 'bad_charset'
  | 'bad_format'
  | 'bad_date';

export class DerError extends Error {
  readonly reason: DerReason;
  /** Which field was being read, e.g. `SES_Seal.eSealInfo.property.validEnd` or `序列号`. */
  readonly path: string;
  /** The English explanation without the path. */
  readonly detail: string;
  constructor(reason: DerReason, path: string, detail: string) {
    super(`${path}: ${detail}`);
    this.name = 'DerError';
    this.reason = reason;
    this.path = path;
    this.detail = detail;
  }
}

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
  CONTEXT_0: 0xa0,
} as const;

/** One TLV: `tag` is the whole identifier octet; `raw` the complete encoding (what a signature covers). */
export interface DerNode {
  tag: number;
  body: Buffer;
  raw: Buffer;
}

/** How many octets a long-form length may use: bounds what a hostile length can claim. */
export interface DerLimits {
  lengthOctets: number;
}

const DEFAULT_LIMITS: DerLimits = { lengthOctets: 4 };

// ---- reader ----

/** Reads one element at `at`; returns it and the offset after it. */
export function readAt(buf: Buffer, at: number, path: string, limits = DEFAULT_LIMITS): [DerNode, number] {
  if (at + 2 > buf.length) throw new DerError('truncated', path, 'data ends inside a tag/length header');
  const tag = buf[at]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi_byte_tag', path, 'multi-byte tags are not used here');
  const first = buf[at + 1]!;
  let len: number;
  let header: number;
  if (first < 0x80) {
    len = first;
    header = 2;
  } else {
    const n = first & 0x7f;
    if (n === 0) throw new DerError('indefinite_length', path, 'indefinite length is not DER');
    if (n > limits.lengthOctets) throw new DerError('length_too_large', path, `length field longer than ${limits.lengthOctets} bytes`);
    if (at + 2 + n > buf.length) throw new DerError('truncated', path, 'data ends inside a length field');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[at + 2 + i]!;
    if (buf[at + 2] === 0 || len < 0x80) throw new DerError('non_minimal_length', path, 'length not minimally encoded');
    header = 2 + n;
  }
  const end = at + header + len;
  if (end > buf.length) throw new DerError('truncated', path, `value needs ${len} bytes, ${buf.length - at - header} available`);
  return [{ tag, body: buf.subarray(at + header, end), raw: buf.subarray(at, end) }, end];
}

/** Exactly one element that must fill `buf` completely. */
export function readOne(buf: Uint8Array, path: string, limits = DEFAULT_LIMITS): DerNode {
  const b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const [node, end] = readAt(b, 0, path, limits);
  if (end !== b.length) throw new DerError('trailing_bytes', path, `${b.length - end} byte(s) after the end of the structure`);
  return node;
}

/** The children of a constructed node, in order. */
export function children(node: DerNode, path: string, limits = DEFAULT_LIMITS): DerNode[] {
  if ((node.tag & 0x20) === 0) throw new DerError('not_constructed', path, 'expected a constructed value');
  const out: DerNode[] = [];
  let at = 0;
  while (at < node.body.length) {
    const [child, end] = readAt(node.body, at, path, limits);
    out.push(child);
    at = end;
  }
  return out;
}

export function expectTag(node: DerNode | undefined, tag: number, path: string): DerNode {
  if (!node) throw new DerError('missing', path, 'field missing');
  if (node.tag !== tag) throw new DerError('unexpected_tag', path, `expected tag 0x${tag.toString(16)}, found 0x${node.tag.toString(16)}`);
  return node;
}

/** Walks the fields of a SEQUENCE in order, with the path kept for error messages. */
export class FieldReader {
  readonly path: string;
  private readonly items: DerNode[];
  private at = 0;

  constructor(node: DerNode, path: string, limits = DEFAULT_LIMITS) {
    if (node.tag !== TAG.SEQUENCE) throw new DerError('unexpected_tag', path, `expected SEQUENCE, found tag 0x${node.tag.toString(16)}`);
    this.path = path;
    this.items = children(node, path, limits);
  }

  next(name: string, tag: number): DerNode {
    const node = expectTag(this.items[this.at], tag, `${this.path}.${name}`);
    this.at++;
    return node;
  }

  /** The next node if it has one of `tags`, else undefined (for OPTIONAL fields). */
  optional(tags: readonly number[]): DerNode | undefined {
    const node = this.items[this.at];
    if (node && tags.includes(node.tag)) {
      this.at++;
      return node;
    }
    return undefined;
  }

  end(): void {
    if (this.at !== this.items.length) throw new DerError('trailing_bytes', this.path, `${this.items.length - this.at} unexpected field(s) at the end`);
  }
}

// ---- value decoders (the caller has checked the tag) ----

/** A non-negative INTEGER, minimally encoded. */
export function decodeInteger(node: DerNode, path: string): bigint {
  const b = node.body;
  if (b.length === 0) throw new DerError('empty', path, 'empty INTEGER');
  if (b.length > 1 && ((b[0] === 0 && !(b[1]! & 0x80)) || (b[0] === 0xff && b[1]! & 0x80))) throw new DerError('non_minimal', path, 'INTEGER not minimally encoded');
  if (b[0]! & 0x80) throw new DerError('negative', path, 'negative INTEGER');
  return BigInt('0x' + b.toString('hex'));
}

export function decodeBoolean(node: DerNode, path: string): boolean {
  if (node.body.length !== 1 || (node.body[0] !== 0 && node.body[0] !== 0xff)) throw new DerError('bad_encoding', path, 'BOOLEAN must be 0x00 or 0xFF');
  return node.body[0] === 0xff;
}

/** Dotted OID; `maxArc` bounds every encoded arc (checked while reading, so it fails first). */
export function decodeOid(node: DerNode, path: string, maxArc = Infinity): string {
  const b = node.body;
  if (b.length === 0 || b[b.length - 1]! & 0x80) throw new DerError('bad_encoding', path, 'OBJECT IDENTIFIER truncated');
  const arcs: bigint[] = [];
  let value = 0n;
  let started = false;
  for (const byte of b) {
    if (!started && byte === 0x80) throw new DerError('non_minimal', path, 'OBJECT IDENTIFIER arc not minimally encoded');
    started = true;
    value = (value << 7n) | BigInt(byte & 0x7f);
    if (value > maxArc) throw new DerError('too_large', path, 'OBJECT IDENTIFIER arc too large');
    if (!(byte & 0x80)) {
      arcs.push(value);
      value = 0n;
      started = false;
    }
  }
  const first = arcs[0]!;
  const head = first < 40n ? [0n, first] : first < 80n ? [1n, first - 40n] : [2n, first - 80n];
  return [...head, ...arcs.slice(1)].join('.');
}

/** The bytes of a BIT STRING with no unused bits (signatures, keys, digests). */
export function decodeBitString(node: DerNode, path: string): Buffer {
  if (node.body.length === 0) throw new DerError('empty', path, 'empty BIT STRING');
  if (node.body[0] !== 0) throw new DerError('unused_bits', path, 'BIT STRING with unused bits');
  return node.body.subarray(1);
}

/** Bit numbers set in a named BIT STRING (KeyUsage). */
export function decodeNamedBits(node: DerNode, path: string): number[] {
  const b = node.body;
  if (b.length < 1 || b[0]! > 7 || (b.length === 1 && b[0] !== 0)) throw new DerError('bad_encoding', path, 'named BIT STRING badly encoded');
  const out: number[] = [];
  for (let i = 1; i < b.length; i++) for (let j = 0; j < 8; j++) if (b[i]! & (0x80 >> j)) out.push((i - 1) * 8 + j);
  return out;
}

const UTC = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;
const GENERALIZED = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;
const GENERALIZED_FRACTION = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\.\d{1,3})?Z$/;

/**
 * UTCTime (RFC 5280 two-digit years) or GeneralizedTime in UTC, a real calendar instant.
 * `fraction` admits up to three fractional-second digits in GeneralizedTime (GB/T 38540 does).
 */
export function decodeTime(node: DerNode, path: string, options: { fraction?: boolean } = {}): Date {
  const utc = node.tag === TAG.UTC_TIME;
  if (!utc && node.tag !== TAG.GENERALIZED_TIME) throw new DerError('unexpected_tag', path, `expected a time, found tag 0x${node.tag.toString(16)}`);
  const m = (utc ? UTC : options.fraction ? GENERALIZED_FRACTION : GENERALIZED).exec(node.body.toString('latin1'));
  if (!m) throw new DerError('bad_format', path, utc ? 'UTCTime must be YYMMDDHHMMSSZ' : 'GeneralizedTime must be YYYYMMDDHHMMSSZ (UTC)');
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const year = utc ? y + (y < 50 ? 2000 : 1900) : y;
  const ms = m[7] ? Math.round(Number(m[7]) * 1000) : 0;
  const date = new Date(Date.UTC(year, mo - 1, d, h, mi, s, ms));
  // Date.UTC reads years 0-99 as 1900-1999, so the year is checked as well.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    throw new DerError('bad_date', path, `${utc ? 'UTCTime' : 'GeneralizedTime'} is not a real date`);
  }
  return date;
}

export function decodeUtf8(node: DerNode, path: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(node.body);
  } catch {
    throw new DerError('bad_charset', path, 'UTF8String is not valid UTF-8');
  }
}

export function decodeIa5(node: DerNode, path: string): string {
  for (const byte of node.body) if (byte > 0x7f) throw new DerError('bad_charset', path, 'IA5String holds a non-ASCII byte');
  return node.body.toString('latin1');
}

export function decodePrintable(node: DerNode, path: string): string {
  const s = node.body.toString('latin1');
  if (!/^[A-Za-z0-9 '()+,\-./:=?]*$/.test(s)) throw new DerError('bad_charset', path, 'not a PrintableString');
  return s;
}

export function decodeBmp(node: DerNode, path: string): string {
  if (node.body.length % 2) throw new DerError('bad_encoding', path, 'BMPString has an odd length');
  return Buffer.from(node.body).swap16().toString('utf16le');
}

// ---- writers (their inputs come from code, so a bad one is a programming error: RangeError) ----

export function tlv(tag: number, body: Uint8Array): Buffer {
  const len = body.length;
  let header: number[];
  if (len < 0x80) header = [tag, len];
  else {
    const bytes: number[] = [];
    for (let v = len; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
    header = [tag, 0x80 | bytes.length, ...bytes];
  }
  return Buffer.concat([Buffer.from(header), body]);
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
export const utf8 = (s: string): Buffer => tlv(TAG.UTF8_STRING, Buffer.from(s, 'utf8'));
export const printable = (s: string): Buffer => tlv(TAG.PRINTABLE_STRING, Buffer.from(s, 'latin1'));

export function ia5(s: string): Buffer {
  if ([...s].some((c) => c.charCodeAt(0) > 0x7f)) throw new RangeError('IA5String must be ASCII');
  return tlv(TAG.IA5_STRING, Buffer.from(s, 'latin1'));
}

/** Non-negative INTEGER, minimal two's complement. */
export function integer(v: bigint | number): Buffer {
  const n = BigInt(v);
  if (n < 0n) throw new RangeError('INTEGER must be non-negative');
  let hex = n.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  if (parseInt(hex.slice(0, 2), 16) & 0x80) hex = '00' + hex;
  return tlv(TAG.INTEGER, Buffer.from(hex, 'hex'));
}

export function oid(dotted: string): Buffer {
  const parts = dotted.split('.');
  if (parts.length < 2 || parts.some((p) => !/^\d+$/.test(p))) throw new RangeError(`bad OID ${dotted}`);
  const arcs = parts.map((p) => BigInt(p));
  const out: number[] = [];
  for (const arc of [arcs[0]! * 40n + arcs[1]!, ...arcs.slice(2)]) {
    const bytes: number[] = [Number(arc & 0x7fn)];
    for (let v = arc >> 7n; v > 0n; v >>= 7n) bytes.unshift(Number(v & 0x7fn) | 0x80);
    out.push(...bytes);
  }
  return tlv(TAG.OID, Buffer.from(out));
}

/** KeyUsage-style named BIT STRING: trailing zero bits dropped as DER requires. */
export function namedBits(bits: number[]): Buffer {
  if (bits.length === 0) return tlv(TAG.BIT_STRING, Buffer.from([0]));
  const last = Math.max(...bits);
  const bytes = Buffer.alloc(Math.floor(last / 8) + 1);
  for (const b of bits) bytes[b >> 3]! |= 0x80 >> (b & 7);
  return tlv(TAG.BIT_STRING, Buffer.concat([Buffer.from([7 - (last & 7)]), bytes]));
}

const timeDigits = (d: Date): string => d.toISOString().slice(0, 19).replace(/[-T:]/g, '');

/** Whole seconds, UTC: the DER form of GeneralizedTime. */
export const generalizedTime = (d: Date): Buffer => tlv(TAG.GENERALIZED_TIME, Buffer.from(timeDigits(d) + 'Z', 'latin1'));

/** X.509 Time: UTCTime through 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5). */
export function time(d: Date): Buffer {
  const year = d.getUTCFullYear();
  if (year < 2050 && year >= 1950) return tlv(TAG.UTC_TIME, Buffer.from(timeDigits(d).slice(2) + 'Z', 'latin1'));
  return generalizedTime(d);
}
