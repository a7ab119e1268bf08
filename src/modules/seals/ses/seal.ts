// SES_Seal, GB/T 38540-2020 version 4 (field order and tags: ../shared/docs/standards.md,
// cross-checked against ofdrw's org.ofdrw.gm.ses.v4). The maker (制章者) signs
// DER(SES_SealInfo); we keep the exact bytes parsed so verification never re-encodes.
import { children, der, decodeBitString, decodeBoolean, decodeIa5, decodeInteger, decodeOid, decodePrintable, decodeTime, decodeUtf8, FieldReader, readOne, SesError, TAG, type DerNode } from './der.ts';

export const SES_HEADER_ID = 'ES';
export const SES_VERSION = 4;
/** SM2 signature with SM3 (GM/T 0006). The only algorithm accepted for seals and signatures. */
export const OID_SM2_WITH_SM3 = '1.2.156.10197.1.501';
/** Parsing refuses inputs above this: a seal carries one picture and a few certificates. */
export const MAX_SES_BYTES = 4 * 1024 * 1024;

/** 印章类型 in SES_ESPropertyInfo: 1 单位印章, 2 个人印章 (ofdrw's reading of the standard). */
export type SealPropertyType = 1 | 2;

export interface ExtData {
  extnId: string;
  critical: boolean;
  extnValue: Buffer;
}

export interface CertDigest {
  type: string;
  value: Buffer;
}

/** certListType 1: the signers' certificates; 2: their digests. */
export type SignerCertList = { type: 1; certs: Buffer[] } | { type: 2; digests: CertDigest[] };

export interface SealInfo {
  header: { id: string; version: number; vid: string };
  esId: string;
  property: {
    type: number;
    name: string;
    certList: SignerCertList;
    createDate: Date;
    validStart: Date;
    validEnd: Date;
  };
  /** width and height are the display size in millimetres. */
  picture: { type: string; data: Buffer; width: number; height: number };
  extDatas?: ExtData[];
}

export interface SesSeal {
  sealInfo: SealInfo;
  /** The exact DER of SES_SealInfo that the maker signed. */
  sealInfoDer: Buffer;
  /** The maker's certificate (DER X.509). */
  cert: Buffer;
  signAlgId: string;
  signedValue: Buffer;
  /** The whole SES_Seal as parsed or produced. */
  der: Buffer;
}

// ---- encoding ----

export function encodeExtDatas(list: ExtData[]): Buffer {
  return der.seq(...list.map((e) => der.seq(der.oid(e.extnId), ...(e.critical ? [der.bool(true)] : []), der.octets(e.extnValue))));
}

export function encodeSealInfo(info: SealInfo): Buffer {
  const p = info.property;
  const certList =
    p.certList.type === 1
      ? der.seq(...p.certList.certs.map((c) => der.octets(c)))
      : der.seq(...p.certList.digests.map((d) => der.seq(der.printable(d.type), der.octets(d.value))));
  return der.seq(
    der.seq(der.ia5(info.header.id), der.int(info.header.version), der.ia5(info.header.vid)),
    der.ia5(info.esId),
    der.seq(der.int(p.type), der.utf8(p.name), der.int(p.certList.type), certList, der.time(p.createDate), der.time(p.validStart), der.time(p.validEnd)),
    der.seq(der.ia5(info.picture.type), der.octets(info.picture.data), der.int(info.picture.width), der.int(info.picture.height)),
    ...(info.extDatas?.length ? [der.explicit0(encodeExtDatas(info.extDatas))] : []),
  );
}

export function encodeSeal(parts: { sealInfoDer: Buffer; cert: Uint8Array; signAlgId?: string; signedValue: Uint8Array }): Buffer {
  return der.seq(parts.sealInfoDer, der.octets(parts.cert), der.oid(parts.signAlgId ?? OID_SM2_WITH_SM3), der.bits(parts.signedValue));
}

/** The maker's signing function: the key store's `sign(keyId, message)` bound to the CA key. */
export type SignFn = (message: Buffer) => Promise<Buffer>;
/** Verifies an SM2-with-SM3 DER signature against the public key in a DER certificate. */
export type VerifyFn = (certDer: Buffer, message: Buffer, signature: Buffer) => boolean | Promise<boolean>;

/** Builds and signs a seal: the maker signs DER(SES_SealInfo). Returns the parsed result. */
export async function signSeal(info: SealInfo, makerCertDer: Buffer, sign: SignFn): Promise<SesSeal> {
  const sealInfoDer = encodeSealInfo(info);
  const signedValue = await sign(sealInfoDer);
  return parseSeal(encodeSeal({ sealInfoDer, cert: makerCertDer, signedValue }));
}

export type SealCheck = { ok: true } | { ok: false; reason: 'bad_signature' | 'unsupported_algorithm' | 'not_yet_valid' | 'expired' };

/** The maker's signature over the seal info, and (given `at`) the validity period. */
export async function verifySealStructure(seal: SesSeal, verify: VerifyFn, at?: Date): Promise<SealCheck> {
  if (seal.signAlgId !== OID_SM2_WITH_SM3) return { ok: false, reason: 'unsupported_algorithm' };
  let good: boolean;
  try {
    good = await verify(seal.cert, seal.sealInfoDer, seal.signedValue);
  } catch {
    good = false;
  }
  if (!good) return { ok: false, reason: 'bad_signature' };
  if (at && at < seal.sealInfo.property.validStart) return { ok: false, reason: 'not_yet_valid' };
  if (at && at > seal.sealInfo.property.validEnd) return { ok: false, reason: 'expired' };
  return { ok: true };
}

// ---- parsing ----

/** Strict parse of a DER SES_Seal (v4). Throws SesError, never anything else. */
export function parseSeal(input: Uint8Array): SesSeal {
  return guard(() => {
    const buf = Buffer.from(input);
    if (buf.length > MAX_SES_BYTES) throw new SesError('too_large', 'SES_Seal', `larger than ${MAX_SES_BYTES} bytes`);
    return parseSealNode(readOne(buf, 'SES_Seal'), 'SES_Seal');
  });
}

export function parseSealNode(node: DerNode, path: string): SesSeal {
  const r = new FieldReader(node, path);
  const infoNode = r.next('eSealInfo', TAG.SEQUENCE);
  const sealInfo = parseSealInfo(infoNode, `${path}.eSealInfo`);
  const cert = Buffer.from(r.next('cert', TAG.OCTET_STRING).body);
  if (cert.length === 0) throw new SesError('bad_value', `${path}.cert`, "the maker's certificate is empty");
  const signAlgId = decodeOid(r.next('signAlgID', TAG.OID), `${path}.signAlgID`);
  if (signAlgId !== OID_SM2_WITH_SM3) throw new SesError('bad_oid', `${path}.signAlgID`, `unsupported signature algorithm ${signAlgId}`);
  const signedValue = decodeBitString(r.next('signedValue', TAG.BIT_STRING), `${path}.signedValue`);
  r.end();
  return { sealInfo, sealInfoDer: Buffer.from(infoNode.raw), cert, signAlgId, signedValue, der: Buffer.from(node.raw) };
}

function parseSealInfo(node: DerNode, path: string): SealInfo {
  const r = new FieldReader(node, path);
  const h = new FieldReader(r.next('header', TAG.SEQUENCE), `${path}.header`);
  const id = decodeIa5(h.next('id', TAG.IA5_STRING), `${h.path}.id`);
  if (id !== SES_HEADER_ID) throw new SesError('wrong_header_id', `${h.path}.id`, `header id must be "ES", found "${id.slice(0, 8)}"`);
  const version = decodeInteger(h.next('version', TAG.INTEGER), `${h.path}.version`);
  if (version !== SES_VERSION) throw new SesError('wrong_version', `${h.path}.version`, `only version 4 is supported, found ${version}`);
  const vid = decodeIa5(h.next('vid', TAG.IA5_STRING), `${h.path}.vid`);
  h.end();
  const esId = decodeIa5(r.next('esID', TAG.IA5_STRING), `${path}.esID`);
  if (!esId) throw new SesError('bad_value', `${path}.esID`, 'esID is empty');

  const pp = `${path}.property`;
  const p = new FieldReader(r.next('property', TAG.SEQUENCE), pp);
  const type = decodeInteger(p.next('type', TAG.INTEGER), `${pp}.type`);
  const name = decodeUtf8(p.next('name', TAG.UTF8_STRING), `${pp}.name`);
  const certListType = decodeInteger(p.next('certListType', TAG.INTEGER), `${pp}.certListType`);
  const listNode = p.next('certList', TAG.SEQUENCE);
  const items = children(listNode, `${pp}.certList`);
  let certList: SignerCertList;
  if (certListType === 1) {
    certList = { type: 1, certs: items.map((n, i) => expectOctets(n, `${pp}.certList[${i}]`)) };
  } else if (certListType === 2) {
    certList = {
      type: 2,
      digests: items.map((n, i) => {
        const d = new FieldReader(n, `${pp}.certList[${i}]`);
        const digest = { type: decodePrintable(d.next('type', TAG.PRINTABLE_STRING), `${d.path}.type`), value: Buffer.from(d.next('value', TAG.OCTET_STRING).body) };
        d.end();
        return digest;
      }),
    };
  } else throw new SesError('bad_value', `${pp}.certListType`, `certListType must be 1 or 2, found ${certListType}`);
  if (items.length === 0) throw new SesError('bad_value', `${pp}.certList`, 'the signer certificate list is empty');
  const createDate = decodeTime(p.next('createDate', TAG.GENERALIZED_TIME), `${pp}.createDate`);
  const validStart = decodeTime(p.next('validStart', TAG.GENERALIZED_TIME), `${pp}.validStart`);
  const validEnd = decodeTime(p.next('validEnd', TAG.GENERALIZED_TIME), `${pp}.validEnd`);
  p.end();
  if (validEnd <= validStart) throw new SesError('bad_value', `${pp}.validEnd`, 'validity ends before it starts');

  const pic = new FieldReader(r.next('picture', TAG.SEQUENCE), `${path}.picture`);
  const picture = {
    type: decodeIa5(pic.next('type', TAG.IA5_STRING), `${pic.path}.type`),
    data: Buffer.from(pic.next('data', TAG.OCTET_STRING).body),
    width: decodeInteger(pic.next('width', TAG.INTEGER), `${pic.path}.width`),
    height: decodeInteger(pic.next('height', TAG.INTEGER), `${pic.path}.height`),
  };
  pic.end();
  const extDatas = parseOptionalExtDatas(r, `${path}.extDatas`);
  r.end();
  return { header: { id, version, vid }, esId, property: { type, name, certList, createDate, validStart, validEnd }, picture, ...(extDatas ? { extDatas } : {}) };
}

function expectOctets(node: DerNode, path: string): Buffer {
  if (node.tag !== TAG.OCTET_STRING) throw new SesError('unexpected_tag', path, `expected OCTET STRING, found tag 0x${node.tag.toString(16)}`);
  return Buffer.from(node.body);
}

/**
 * ExtensionDatas OPTIONAL at the end of a SEQUENCE, written `[0] EXPLICIT` by us and by some
 * vendors, untagged by others: both are accepted.
 */
export function parseOptionalExtDatas(r: FieldReader, path: string): ExtData[] | undefined {
  const found = r.optional([TAG.CONTEXT_0, TAG.SEQUENCE]);
  if (!found) return undefined;
  let list = found;
  if (found.tag === TAG.CONTEXT_0) {
    const inner = children(found, path);
    if (inner.length !== 1) throw new SesError('malformed', path, '[0] must wrap exactly one ExtensionDatas');
    list = inner[0]!;
  }
  if (list.tag !== TAG.SEQUENCE) throw new SesError('unexpected_tag', path, 'expected SEQUENCE OF ExtData');
  return children(list, path).map((n, i) => {
    const e = new FieldReader(n, `${path}[${i}]`);
    const extnId = decodeOid(e.next('extnID', TAG.OID), `${e.path}.extnID`);
    const crit = e.optional([TAG.BOOLEAN]);
    const critical = crit ? decodeBoolean(crit, `${e.path}.critical`) : false;
    const extnValue = Buffer.from(e.next('extnValue', TAG.OCTET_STRING).body);
    e.end();
    return { extnId, critical, extnValue };
  });
}

/**
 * Runs a parser so that only SesError escapes: a RangeError from a Buffer read or a bug's
 * TypeError on hostile input becomes 'malformed' rather than a crash.
 */
export function guard<T>(work: () => T): T {
  try {
    return work();
  } catch (err) {
    if (err instanceof SesError) throw err;
    throw new SesError('malformed', 'input', err instanceof Error ? err.message : 'unreadable');
  }
}
