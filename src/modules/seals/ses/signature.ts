// SES_Signature, GB/T 38540-2020 version 4: the signer (签章人) signs DER(TBS_Sign), which
// embeds the whole seal, the signing time, the digest of the signed data and a property
// string (in OFD, the path of Signature.xml). The optional fields are written `[0] EXPLICIT`
// and read tagged or untagged (implementations disagree: standards.md).
import { der, decodeBitString, decodeIa5, decodeInteger, decodeOid, decodeTime, FieldReader, readOne, SesError, TAG, type DerNode } from './der.ts';
import { encodeExtDatas, guard, MAX_SES_BYTES, OID_SM2_WITH_SM3, parseOptionalExtDatas, parseSealNode, type ExtData, type SesSeal, type SignFn, type VerifyFn } from './seal.ts';

export const TBS_SIGN_VERSION = 4;

export interface TbsSign {
  version: number;
  seal: SesSeal;
  timeInfo: Date;
  /** The digest (SM3) of the signed data. */
  dataHash: Buffer;
  propertyInfo: string;
  extDatas?: ExtData[];
}

export interface SesSignature {
  toSign: TbsSign;
  /** The exact DER of TBS_Sign that the signer signed. */
  toSignDer: Buffer;
  /** The signer's certificate (DER X.509). */
  cert: Buffer;
  signatureAlgId: string;
  signature: Buffer;
  timeStamp?: Buffer;
  der: Buffer;
}

export function encodeTbsSign(tbs: Omit<TbsSign, 'version'> & { version?: number }): Buffer {
  return der.seq(
    der.int(tbs.version ?? TBS_SIGN_VERSION),
    tbs.seal.der,
    der.time(tbs.timeInfo),
    der.bits(tbs.dataHash),
    der.ia5(tbs.propertyInfo),
    ...(tbs.extDatas?.length ? [der.explicit0(encodeExtDatas(tbs.extDatas))] : []),
  );
}

export function encodeSignature(parts: { toSignDer: Buffer; cert: Uint8Array; signatureAlgId?: string; signature: Uint8Array; timeStamp?: Uint8Array }): Buffer {
  return der.seq(
    parts.toSignDer,
    der.octets(parts.cert),
    der.oid(parts.signatureAlgId ?? OID_SM2_WITH_SM3),
    der.bits(parts.signature),
    ...(parts.timeStamp ? [der.explicit0(der.bits(parts.timeStamp))] : []),
  );
}

/** Signs: the signer's key signs DER(TBS_Sign). */
export async function signSignature(tbs: Omit<TbsSign, 'version'>, signerCertDer: Buffer, sign: SignFn): Promise<SesSignature> {
  const toSignDer = encodeTbsSign(tbs);
  const signature = await sign(toSignDer);
  return parseSignature(encodeSignature({ toSignDer, cert: signerCertDer, signature }));
}

/** Strict parse of a DER SES_Signature (v4). Throws SesError, never anything else. */
export function parseSignature(input: Uint8Array): SesSignature {
  return guard(() => {
    const buf = Buffer.from(input);
    if (buf.length > MAX_SES_BYTES) throw new SesError('too_large', 'SES_Signature', `larger than ${MAX_SES_BYTES} bytes`);
    const path = 'SES_Signature';
    const r = new FieldReader(readOne(buf, path), path);
    const tbsNode = r.next('toSign', TAG.SEQUENCE);
    const toSign = parseTbsSign(tbsNode, `${path}.toSign`);
    const cert = Buffer.from(r.next('cert', TAG.OCTET_STRING).body);
    if (cert.length === 0) throw new SesError('bad_value', `${path}.cert`, "the signer's certificate is empty");
    const signatureAlgId = decodeOid(r.next('signatureAlgID', TAG.OID), `${path}.signatureAlgID`);
    if (signatureAlgId !== OID_SM2_WITH_SM3) throw new SesError('bad_oid', `${path}.signatureAlgID`, `unsupported signature algorithm ${signatureAlgId}`);
    const signature = decodeBitString(r.next('signature', TAG.BIT_STRING), `${path}.signature`);
    const timeStamp = parseOptionalTimeStamp(r, `${path}.timeStamp`);
    r.end();
    return { toSign, toSignDer: Buffer.from(tbsNode.raw), cert, signatureAlgId, signature, ...(timeStamp ? { timeStamp } : {}), der: Buffer.from(buf) };
  });
}

function parseTbsSign(node: DerNode, path: string): TbsSign {
  const r = new FieldReader(node, path);
  const version = decodeInteger(r.next('version', TAG.INTEGER), `${path}.version`);
  if (version !== TBS_SIGN_VERSION) throw new SesError('wrong_version', `${path}.version`, `only version 4 is supported, found ${version}`);
  const seal = parseSealNode(r.next('eseal', TAG.SEQUENCE), `${path}.eseal`);
  const timeInfo = decodeTime(r.next('timeInfo', TAG.GENERALIZED_TIME), `${path}.timeInfo`);
  const dataHash = decodeBitString(r.next('dataHash', TAG.BIT_STRING), `${path}.dataHash`);
  if (dataHash.length === 0) throw new SesError('bad_value', `${path}.dataHash`, 'dataHash is empty');
  const propertyInfo = decodeIa5(r.next('propertyInfo', TAG.IA5_STRING), `${path}.propertyInfo`);
  const extDatas = parseOptionalExtDatas(r, `${path}.extDatas`);
  r.end();
  return { version, seal, timeInfo, dataHash, propertyInfo, ...(extDatas ? { extDatas } : {}) };
}

function parseOptionalTimeStamp(r: FieldReader, path: string): Buffer | undefined {
  const found = r.optional([TAG.CONTEXT_0, TAG.BIT_STRING]);
  if (!found) return undefined;
  if (found.tag === TAG.BIT_STRING) return decodeBitString(found, path);
  const inner = readOne(found.body, path);
  if (inner.tag !== TAG.BIT_STRING) throw new SesError('unexpected_tag', path, 'expected [0] BIT STRING');
  return decodeBitString(inner, path);
}

export type SignatureCheck = { ok: true } | { ok: false; reason: 'bad_signature' | 'bad_seal' | 'hash_mismatch' };

/**
 * The signer's signature over TBS_Sign, the embedded seal's maker signature, and (given the
 * data's digest) that the signature covers that data.
 */
export async function verifySignatureStructure(sig: SesSignature, verify: VerifyFn, dataHash?: Buffer): Promise<SignatureCheck> {
  const safe = async (cert: Buffer, msg: Buffer, s: Buffer) => {
    try {
      return await verify(cert, msg, s);
    } catch {
      return false;
    }
  };
  if (!(await safe(sig.toSign.seal.cert, sig.toSign.seal.sealInfoDer, sig.toSign.seal.signedValue))) return { ok: false, reason: 'bad_seal' };
  if (!(await safe(sig.cert, sig.toSignDer, sig.signature))) return { ok: false, reason: 'bad_signature' };
  if (dataHash && !dataHash.equals(sig.toSign.dataHash)) return { ok: false, reason: 'hash_mismatch' };
  return { ok: true };
}
