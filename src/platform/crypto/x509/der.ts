// The shared strict DER codec (../der.ts) as X.509 code uses it: every DerError becomes an
// X509Error('MALFORMED') with Chinese text, so a crafted certificate or CRL fails with the
// code callers test for instead of an exception from deep inside a parser.
import {
  children as derChildren, decodeBitString, decodeBmp, decodeBoolean, decodeInteger, decodeNamedBits, decodeOid, decodeTime, decodeUtf8,
  DerError, expectTag, readAt, readOne as derReadOne, TAG, type DerLimits, type DerNode, type DerReason,
} from '../der.ts';
import { X509Error } from './errors.ts';

export { bitString, bool, explicit, integer, namedBits, octets, oid, seq, set, time, tlv, TAG } from '../der.ts';
export type Node = DerNode;

/** Certificates never need more than 16 MiB, so a longer length field is refused outright. */
const LIMITS: DerLimits = { lengthOctets: 3 };

const STRUCTURE: Partial<Record<DerReason, string>> = {
  truncated: 'DER 数据被截断',
  multi_byte_tag: 'DER 不支持多字节标签',
  indefinite_length: 'DER 不允许不定长编码',
  length_too_large: 'DER 长度过大',
  non_minimal_length: 'DER 长度编码不是最短形式',
  trailing_bytes: 'DER 数据末尾有多余字节',
  not_constructed: 'DER 期望构造类型',
};

/** Runs a shared-codec read, translating its failure into Chinese (`text` per reason, else the structural text). */
function translate<T>(read: () => T, text: (reason: DerReason) => string | undefined = () => undefined): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof DerError) throw new X509Error('MALFORMED', text(e.reason) ?? STRUCTURE[e.reason] ?? e.message);
    throw e;
  }
}

/** Reads one element at `at`; returns it and the offset after it. */
export const readNode = (buf: Buffer, at = 0): [Node, number] => translate(() => readAt(buf, at, 'DER', LIMITS));

/** Exactly one element filling `buf`. */
export function readOne(buf: Uint8Array, expectTag?: number): Node {
  const node = translate(() => derReadOne(buf, 'DER', LIMITS));
  if (expectTag !== undefined) expect(node, expectTag);
  return node;
}

export const children = (node: Node): Node[] => translate(() => derChildren(node, 'DER', LIMITS));

export function expect(node: Node | undefined, tag: number, what = '字段'): Node {
  return translate(() => expectTag(node, tag, what), (r) => (r === 'missing' ? `缺少${what}` : `${what}类型错误（0x${node!.tag.toString(16)}）`));
}

export function readInteger(node: Node | undefined, what = '整数'): bigint {
  const n = expect(node, TAG.INTEGER, what);
  return translate(() => decodeInteger(n, what), (r) => {
    const text: Partial<Record<DerReason, string>> = { empty: `${what}为空`, non_minimal: `${what}不是最短编码`, negative: `${what}不能为负数` };
    return text[r];
  });
}

export function readOid(node: Node | undefined, what = '对象标识符'): string {
  const n = expect(node, TAG.OID, what);
  return translate(() => decodeOid(n, what), (r) => (r === 'non_minimal' ? `${what}编码不是最短形式` : `${what}编码错误`));
}

export function readBoolean(node: Node): boolean {
  expect(node, TAG.BOOLEAN, '布尔值');
  return translate(() => decodeBoolean(node, '布尔值'), () => '布尔值编码错误');
}

/** The bytes of a BIT STRING with no unused bits (signatures, keys). */
export function readBitStringBytes(node: Node | undefined, what = '位串'): Buffer {
  const n = expect(node, TAG.BIT_STRING, what);
  return translate(() => decodeBitString(n, what), () => `${what}编码错误`);
}

/** Bit numbers set in a named BIT STRING (KeyUsage). */
export function readNamedBits(node: Node): number[] {
  expect(node, TAG.BIT_STRING, '位串');
  return translate(() => decodeNamedBits(node, '位串'), () => '位串编码错误');
}

export function readTime(node: Node | undefined, what = '时间'): Date {
  if (!node || (node.tag !== TAG.UTC_TIME && node.tag !== TAG.GENERALIZED_TIME)) throw new X509Error('MALFORMED', `${what}缺失或类型错误`);
  return translate(() => decodeTime(node, what), (r) => (r === 'bad_format' ? `${what}格式错误：${node.body.toString('latin1').slice(0, 20)}` : `${what}不是有效日期`));
}

export function readString(node: Node): string {
  switch (node.tag) {
    case TAG.UTF8_STRING:
      return translate(() => decodeUtf8(node, 'UTF8String'), () => 'UTF8String 不是有效的 UTF-8');
    case TAG.PRINTABLE_STRING:
    case TAG.IA5_STRING:
      return node.body.toString('latin1');
    case TAG.BMP_STRING:
      return translate(() => decodeBmp(node, 'BMPString'), () => 'BMPString 长度错误');
    default:
      throw new X509Error('MALFORMED', `不支持的字符串类型 0x${node.tag.toString(16)}`);
  }
}
