// The shared strict DER codec (platform/crypto/der.ts) as the GB/T 38540 structures use it.
// Every failure is a SesError with a stable code and the field path; nothing else is ever
// thrown, so each reader below translates the codec's DerError at this boundary.
import {
  bitString, bool, children as derChildren, decodeBitString as derBitString, decodeBoolean as derBoolean, decodeIa5 as derIa5,
  decodeInteger as derInteger, decodeOid as derOid, decodePrintable as derPrintable, decodeTime as derTime, decodeUtf8 as derUtf8,
  DerError, explicit, FieldReader as DerFieldReader, generalizedTime, ia5, integer, octets, oid, printable, readOne as derReadOne, seq,
  utf8, type DerNode, type DerReason,
} from '../../../platform/crypto/der.ts';

export { TAG, tlv, type DerNode } from '../../../platform/crypto/der.ts';

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

const CODE: Record<DerReason, SesErrorCode> = {
  truncated: 'truncated',
  multi_byte_tag: 'malformed',
  indefinite_length: 'malformed',
  length_too_large: 'too_large',
  non_minimal_length: 'malformed',
  trailing_bytes: 'trailing_bytes',
  not_constructed: 'malformed',
  missing: 'truncated',
  unexpected_tag: 'unexpected_tag',
  empty: 'malformed',
  non_minimal: 'malformed',
  negative: 'bad_value',
  too_large: 'bad_value',
  bad_encoding: 'malformed',
  unused_bits: 'bad_value',
  bad_charset: 'bad_value',
  bad_format: 'bad_value',
  bad_date: 'bad_value',
};

/** Runs a codec read; a DerError becomes a SesError (`code` overrides the per-reason code). */
function translate<T>(read: () => T, code?: SesErrorCode): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof DerError) throw new SesError(code ?? CODE[e.reason], e.path, e.detail);
    throw e;
  }
}

/** Reads exactly one TLV that must fill `buf` completely. */
export const readOne = (buf: Buffer, path: string): DerNode => translate(() => derReadOne(buf, path));

/** The children of a constructed node, in order. */
export const children = (node: DerNode, path: string): DerNode[] => translate(() => derChildren(node, path));

/** Walks the fields of a SEQUENCE in order, with the path kept for error messages. */
export class FieldReader {
  readonly path: string;
  private readonly reader: DerFieldReader;

  constructor(node: DerNode, path: string) {
    this.path = path;
    this.reader = translate(() => new DerFieldReader(node, path));
  }

  next(name: string, tag: number): DerNode {
    return translate(() => this.reader.next(name, tag));
  }

  /** The next node if it has one of `tags`, else undefined (for OPTIONAL fields). */
  optional(tags: readonly number[]): DerNode | undefined {
    return this.reader.optional(tags);
  }

  end(): void {
    translate(() => this.reader.end());
  }
}

// ---- value decoders ----

/** A non-negative INTEGER small enough for a JavaScript number (versions, lengths). */
export function decodeInteger(node: DerNode, path: string): number {
  const value = translate(() => derInteger(node, path));
  if (node.body.length > 6) throw new SesError('bad_value', path, 'INTEGER too large');
  return Number(value);
}

export const decodeBoolean = (node: DerNode, path: string): boolean => translate(() => derBoolean(node, path));
export const decodeIa5 = (node: DerNode, path: string): string => translate(() => derIa5(node, path));
export const decodePrintable = (node: DerNode, path: string): string => translate(() => derPrintable(node, path));
export const decodeUtf8 = (node: DerNode, path: string): string => translate(() => derUtf8(node, path));

/** BIT STRING with no unused bits (signatures and digests are whole bytes); a copy. */
export const decodeBitString = (node: DerNode, path: string): Buffer => Buffer.from(translate(() => derBitString(node, path)));

/** Arcs are kept below 2^53 / 128 so that every arc a seal carries stays exact as a number. */
export const decodeOid = (node: DerNode, path: string): string => translate(() => derOid(node, path, Number.MAX_SAFE_INTEGER / 128), 'bad_oid');

/** GeneralizedTime in UTC (`YYYYMMDDHHMMSS[.fff]Z`), a real calendar instant. */
export const decodeTime = (node: DerNode, path: string): Date => translate(() => derTime(node, path, { fraction: true }));

// ---- writers ----

export const der = {
  seq: (...items: Buffer[]): Buffer => seq(...items),
  explicit0: (inner: Buffer): Buffer => explicit(0, inner),
  int(n: number): Buffer {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError('INTEGER must be a non-negative safe integer');
    return integer(n);
  },
  bool,
  ia5,
  printable,
  utf8,
  octets,
  bits: bitString,
  oid,
  /** Whole seconds, UTC: the DER form of GeneralizedTime. */
  time: generalizedTime,
};
