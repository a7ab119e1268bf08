// A small strict DER reader and writer for the GB/T 38540 structures. Strict on purpose:
// a seal is compared and signed byte for byte, so BER leniency (indefinite lengths,
// non-minimal lengths, trailing bytes) would let two different byte strings mean "the same
// seal". Every failure is a SesError with a stable code; nothing else is ever thrown.

export type SesErrorCode =
  | 'truncated'
  | 'malformed'
  | 'unexpected_tag'
  | 'trailing_bytes'
  | 'wrong_version'
  | 'wrong_header_id'
  | 'bad_oid'
  | 'bad_value'
  | 'too_large';

export class SesError extends Error {
  readonly code: SesErrorCode;
  /** Which field the parser was reading, e.g. `SES_Seal.eSealInfo.property.validEnd`. */
  readonly path: string;
  constructor(code: SesErrorCode, path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'SesError';
    this.code = code;
    this.path = path;
  }
}

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  IA5_STRING: 0x16,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  CONTEXT_0: 0xa0,
} as const;

/** One TLV: `tag` is the whole identifier octet; `raw` the complete encoding. */
export interface DerNode {
  tag: number;
  body: Buffer;
  raw: Buffer;
}

/** Reads exactly one TLV that must fill `buf` completely. */
export function readOne(buf: Buffer, path: string): DerNode {
  const [node, end] = readAt(buf, 0, path);
  if (end !== buf.length) throw new SesError('trailing_bytes', path, `${buf.length - end} byte(s) after the end of the structure`);
  return node;
}

/** The children of a constructed node, in order. */
export function children(node: DerNode, path: string): DerNode[] {
  if ((node.tag & 0x20) === 0) throw new SesError('malformed', path, 'expected a constructed value');
  const out: DerNode[] = [];
  let at = 0;
  while (at < node.body.length) {
    const [child, end] = readAt(node.body, at, path);
    out.push(child);
    at = end;
  }
  return out;
}

function readAt(buf: Buffer, at: number, path: string): [DerNode, number] {
  if (at + 2 > buf.length) throw new SesError('truncated', path, 'data ends inside a tag/length header');
  const tag = buf[at]!;
  if ((tag & 0x1f) === 0x1f) throw new SesError('malformed', path, 'multi-byte tags are not used by GB/T 38540');
  const first = buf[at + 1]!;
  let len: number;
  let header: number;
  if (first < 0x80) {
    len = first;
    header = 2;
  } else {
    const n = first & 0x7f;
    if (n === 0) throw new SesError('malformed', path, 'indefinite length is not DER');
    if (n > 4) throw new SesError('too_large', path, 'length field longer than 4 bytes');
    if (at + 2 + n > buf.length) throw new SesError('truncated', path, 'data ends inside a length field');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[at + 2 + i]!;
    if (buf[at + 2] === 0 || len < 0x80) throw new SesError('malformed', path, 'length not minimally encoded');
    header = 2 + n;
  }
  const end = at + header + len;
  if (end > buf.length) throw new SesError('truncated', path, `value needs ${len} bytes, ${buf.length - at - header} available`);
  return [{ tag, body: buf.subarray(at + header, end), raw: buf.subarray(at, end) }, end];
}

/** Walks the fields of a SEQUENCE in order, with the path kept for error messages. */
export class FieldReader {
  readonly path: string;
  private readonly items: DerNode[];
  private at = 0;

  constructor(node: DerNode, path: string) {
    if (node.tag !== TAG.SEQUENCE) throw new SesError('unexpected_tag', path, `expected SEQUENCE, found tag 0x${node.tag.toString(16)}`);
    this.path = path;
    this.items = children(node, path);
  }

  next(name: string, tag: number): DerNode {
    const node = this.items[this.at];
    if (!node) throw new SesError('truncated', `${this.path}.${name}`, 'field missing');
    if (node.tag !== tag) throw new SesError('unexpected_tag', `${this.path}.${name}`, `expected tag 0x${tag.toString(16)}, found 0x${node.tag.toString(16)}`);
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
    if (this.at !== this.items.length) throw new SesError('trailing_bytes', this.path, `${this.items.length - this.at} unexpected field(s) at the end`);
  }
}

// ---- value decoders ----

export function decodeInteger(node: DerNode, path: string): number {
  const b = node.body;
  if (b.length === 0) throw new SesError('malformed', path, 'empty INTEGER');
  if (b.length > 1 && ((b[0] === 0 && !(b[1]! & 0x80)) || (b[0] === 0xff && b[1]! & 0x80))) throw new SesError('malformed', path, 'INTEGER not minimally encoded');
  if (b[0]! & 0x80) throw new SesError('bad_value', path, 'negative INTEGER');
  if (b.length > 6) throw new SesError('bad_value', path, 'INTEGER too large');
  return b.readUIntBE(0, b.length);
}

export function decodeBoolean(node: DerNode, path: string): boolean {
  if (node.body.length !== 1 || (node.body[0] !== 0 && node.body[0] !== 0xff)) throw new SesError('malformed', path, 'BOOLEAN must be 0x00 or 0xFF');
  return node.body[0] === 0xff;
}

export function decodeIa5(node: DerNode, path: string): string {
  for (const byte of node.body) if (byte > 0x7f) throw new SesError('bad_value', path, 'IA5String holds a non-ASCII byte');
  return node.body.toString('latin1');
}

export function decodePrintable(node: DerNode, path: string): string {
  const s = node.body.toString('latin1');
  if (!/^[A-Za-z0-9 '()+,\-./:=?]*$/.test(s)) throw new SesError('bad_value', path, 'not a PrintableString');
  return s;
}

export function decodeUtf8(node: DerNode, path: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(node.body);
  } catch {
    throw new SesError('bad_value', path, 'UTF8String is not valid UTF-8');
  }
}

/** BIT STRING with no unused bits (signatures and digests are whole bytes). */
export function decodeBitString(node: DerNode, path: string): Buffer {
  if (node.body.length === 0) throw new SesError('malformed', path, 'empty BIT STRING');
  if (node.body[0] !== 0) throw new SesError('bad_value', path, 'BIT STRING with unused bits');
  return Buffer.from(node.body.subarray(1));
}

export function decodeOid(node: DerNode, path: string): string {
  const b = node.body;
  if (b.length === 0 || b[b.length - 1]! & 0x80) throw new SesError('bad_oid', path, 'OBJECT IDENTIFIER truncated');
  const arcs: number[] = [];
  let value = 0;
  let started = false;
  for (const byte of b) {
    if (!started && byte === 0x80) throw new SesError('bad_oid', path, 'OBJECT IDENTIFIER arc not minimally encoded');
    started = true;
    value = value * 128 + (byte & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) throw new SesError('bad_oid', path, 'OBJECT IDENTIFIER arc too large');
    if (!(byte & 0x80)) {
      arcs.push(value);
      value = 0;
      started = false;
    }
  }
  const first = arcs.shift()!;
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
  return [...head, ...arcs].join('.');
}

/** GeneralizedTime in UTC (`YYYYMMDDHHMMSS[.fff]Z`), a real calendar instant. */
export function decodeTime(node: DerNode, path: string): Date {
  const s = node.body.toString('latin1');
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\.\d{1,3})?Z$/.exec(s);
  if (!m) throw new SesError('bad_value', path, 'GeneralizedTime must be YYYYMMDDHHMMSSZ (UTC)');
  const [y, mo, d, h, mi, se] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ms = m[7] ? Math.round(Number(m[7]) * 1000) : 0;
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, se, ms));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || se > 59) {
    throw new SesError('bad_value', path, 'GeneralizedTime is not a real date');
  }
  return date;
}

// ---- writers ----

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

export const der = {
  seq: (...items: Buffer[]): Buffer => tlv(TAG.SEQUENCE, Buffer.concat(items)),
  explicit0: (inner: Buffer): Buffer => tlv(TAG.CONTEXT_0, inner),
  int(n: number): Buffer {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError('INTEGER must be a non-negative safe integer');
    let hex = n.toString(16);
    if (hex.length % 2) hex = '0' + hex;
    if (parseInt(hex.slice(0, 2), 16) & 0x80) hex = '00' + hex;
    return tlv(TAG.INTEGER, Buffer.from(hex, 'hex'));
  },
  bool: (v: boolean): Buffer => tlv(TAG.BOOLEAN, Buffer.from([v ? 0xff : 0])),
  ia5(s: string): Buffer {
    if ([...s].some((c) => c.charCodeAt(0) > 0x7f)) throw new RangeError('IA5String must be ASCII');
    return tlv(TAG.IA5_STRING, Buffer.from(s, 'latin1'));
  },
  printable: (s: string): Buffer => tlv(TAG.PRINTABLE_STRING, Buffer.from(s, 'latin1')),
  utf8: (s: string): Buffer => tlv(TAG.UTF8_STRING, Buffer.from(s, 'utf8')),
  octets: (b: Uint8Array): Buffer => tlv(TAG.OCTET_STRING, b),
  bits: (b: Uint8Array): Buffer => tlv(TAG.BIT_STRING, Buffer.concat([Buffer.from([0]), b])),
  oid(dotted: string): Buffer {
    const arcs = dotted.split('.').map(Number);
    if (arcs.length < 2 || arcs.some((a) => !Number.isSafeInteger(a) || a < 0)) throw new RangeError(`bad OID ${dotted}`);
    const out: number[] = [];
    for (const arc of [arcs[0]! * 40 + arcs[1]!, ...arcs.slice(2)]) {
      const groups: number[] = [];
      let v = arc;
      do {
        groups.unshift(v % 128);
        v = Math.floor(v / 128);
      } while (v > 0);
      groups.forEach((g, i) => out.push(i < groups.length - 1 ? g | 0x80 : g));
    }
    return tlv(TAG.OID, Buffer.from(out));
  },
  /** Whole seconds, UTC: the DER form of GeneralizedTime. */
  time(d: Date): Buffer {
    const s = d.toISOString().replace(/[-:T]/g, '').replace(/\.\d{3}Z$/, 'Z');
    return tlv(TAG.GENERALIZED_TIME, Buffer.from(s, 'latin1'));
  },
};
