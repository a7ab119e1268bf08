// Distinguished names: Chinese organisation and person names as UTF8String (GB/T 20518 and
// RFC 5280 both allow it; OpenSSL prints them with -nameopt utf8), the country as PrintableString.
import { children, expect, oid, readOid, readOne, readString, seq, set, tlv, TAG, type Node } from './der.ts';
import { X509Error } from './errors.ts';
import { OID } from './oids.ts';

export interface DistinguishedName {
  country?: string;
  province?: string;
  locality?: string;
  organization?: string;
  organizationalUnit?: string;
  commonName: string;
  /** e.g. an organisation's unified social credit code (GB 32100). */
  serialNumber?: string;
}

export interface ParsedName {
  attributes: { type: string; value: string }[];
  /** RFC 4514-like, most significant first: "C=CN, O=…, CN=…". */
  text: string;
  commonName: string | null;
}

// Emission order, most significant first, and whether the value is PrintableString.
const ORDER: [keyof DistinguishedName, string, string, boolean][] = [
  ['country', OID.countryName, 'C', true],
  ['province', OID.stateOrProvinceName, 'ST', false],
  ['locality', OID.localityName, 'L', false],
  ['organization', OID.organizationName, 'O', false],
  ['organizationalUnit', OID.organizationalUnitName, 'OU', false],
  ['commonName', OID.commonName, 'CN', false],
  ['serialNumber', OID.serialNumber, 'SERIALNUMBER', true],
];
const SHORT = new Map(ORDER.map(([, o, short]) => [o, short]));

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

export function encodeName(name: DistinguishedName): Buffer {
  const rdns: Buffer[] = [];
  for (const [key, type, short, printable] of ORDER) {
    const value = name[key];
    if (value === undefined) continue;
    if (value.length === 0 || value.length > 200 || [...value].some((c) => c.charCodeAt(0) < 0x20)) throw new Error(`name attribute ${short} must be 1–200 printable characters`);
    if (printable && !PRINTABLE.test(value)) throw new Error(`name attribute ${short} must be PrintableString`);
    if (key === 'country' && !/^[A-Z]{2}$/.test(value)) throw new Error('country must be two capital letters');
    const body = tlv(printable ? TAG.PRINTABLE_STRING : TAG.UTF8_STRING, Buffer.from(value, 'utf8'));
    rdns.push(set(seq(oid(type), body)));
  }
  if (!name.commonName) throw new Error('a name needs a common name (CN)');
  return seq(...rdns);
}

export function parseName(node: Node | Uint8Array): ParsedName {
  const root = node instanceof Uint8Array ? readOne(node) : node;
  expect(root, TAG.SEQUENCE, '名称');
  const attributes: { type: string; value: string }[] = [];
  for (const rdn of children(root)) {
    expect(rdn, TAG.SET, '名称 RDN');
    const atvs = children(rdn);
    if (atvs.length === 0) throw new X509Error('MALFORMED', '名称中有空的 RDN');
    for (const atv of atvs) {
      const [type, value, extra] = children(expect(atv, TAG.SEQUENCE, '名称属性'));
      if (!value || extra) throw new X509Error('MALFORMED', '名称属性结构错误');
      attributes.push({ type: readOid(type), value: readString(value) });
    }
  }
  const text = attributes.map((a) => `${SHORT.get(a.type) ?? a.type}=${a.value.replace(/([,+"\\<>;])/g, '\\$1')}`).join(', ');
  const cn = attributes.filter((a) => a.type === OID.commonName).at(-1);
  return { attributes, text, commonName: cn?.value ?? null };
}
