// The local timestamp service (时间戳服务): the signing time comes from the platform clock
// and is vouched for by a TSA key held in the key store, so a verifier can trust "signed at
// T" without trusting the signer's own timeInfo. The token travels in SES_Signature.timeStamp.
//
// Token (DER):  TimeStampToken ::= SEQUENCE { version INTEGER 1, hashAlg OBJECT IDENTIFIER
//   (SM3), genTime GeneralizedTime, imprint OCTET STRING, tsaCert OCTET STRING,
//   signature BIT STRING }
// imprint = SM3(dataHash ‖ genTime as its GeneralizedTime characters), and signature is the
// TSA's SM2 signature (default ID) over imprint. This is a platform format, not RFC 3161:
// GB/T 38540 leaves the token's content to the time-stamp authority.
import { verifyChain, CHAIN_FAILURE_TEXT, parseCertificate, X509Error, type Certificate, type ChainFailure } from '../../platform/crypto/x509/index.ts';
import { sm2Verify } from '../../platform/crypto/sm2.ts';
import { sm3 } from '../../platform/crypto/sm3.ts';
import { der, decodeBitString, decodeInteger, decodeOid, decodeTime, FieldReader, readOne, SesError, TAG } from './ses/der.ts';

export const OID_SM3 = '1.2.156.10197.1.401';
const TOKEN_VERSION = 1;

/** The key store as seen from here: signing happens inside it, keys never come out. */
export interface KeySigner {
  sign(keyId: string, message: Buffer): Promise<Uint8Array> | Uint8Array;
}

export interface TimestampService {
  /** Returns the time and the token binding that time to `dataHash`. */
  stamp(dataHash: Buffer): Promise<{ time: Date; token: Buffer }>;
}

export interface TimestampToken {
  time: Date;
  imprint: Buffer;
  tsaCert: Buffer;
  signature: Buffer;
}

function genTimeText(time: Date): string {
  return readOne(der.time(time), 't').body.toString('latin1');
}

export function timestampImprint(dataHash: Buffer, time: Date): Buffer {
  return sm3(Buffer.concat([dataHash, Buffer.from(genTimeText(time), 'latin1')]));
}

export class LocalTimestampService implements TimestampService {
  private readonly keys: KeySigner;
  private readonly keyId: string;
  private readonly certificate: Buffer;
  private readonly clock: () => Date;

  constructor(options: { keys: KeySigner; keyId: string; certificate: Buffer; clock?: () => Date }) {
    this.keys = options.keys;
    this.keyId = options.keyId;
    this.certificate = options.certificate;
    this.clock = options.clock ?? (() => new Date());
  }

  async stamp(dataHash: Buffer): Promise<{ time: Date; token: Buffer }> {
    // Whole seconds: GeneralizedTime in DER carries no fraction, and the token must round-trip.
    const time = new Date(Math.floor(this.clock().getTime() / 1000) * 1000);
    const imprint = timestampImprint(dataHash, time);
    const signature = Buffer.from(await this.keys.sign(this.keyId, imprint));
    const token = der.seq(der.int(TOKEN_VERSION), der.oid(OID_SM3), der.time(time), der.octets(imprint), der.octets(this.certificate), der.bits(signature));
    return { time, token };
  }
}

/** Strict parse; throws SesError only. */
export function parseTimestampToken(input: Uint8Array): TimestampToken {
  try {
    const path = 'TimeStampToken';
    const r = new FieldReader(readOne(Buffer.from(input), path), path);
    const version = decodeInteger(r.next('version', TAG.INTEGER), `${path}.version`);
    if (version !== TOKEN_VERSION) throw new SesError('wrong_version', `${path}.version`, `unsupported token version ${version}`);
    const alg = decodeOid(r.next('hashAlg', TAG.OID), `${path}.hashAlg`);
    if (alg !== OID_SM3) throw new SesError('bad_oid', `${path}.hashAlg`, `hash algorithm ${alg} is not SM3`);
    const time = decodeTime(r.next('genTime', TAG.GENERALIZED_TIME), `${path}.genTime`);
    const imprint = Buffer.from(r.next('imprint', TAG.OCTET_STRING).body);
    const tsaCert = Buffer.from(r.next('tsaCert', TAG.OCTET_STRING).body);
    const signature = decodeBitString(r.next('signature', TAG.BIT_STRING), `${path}.signature`);
    r.end();
    return { time, imprint, tsaCert, signature };
  } catch (err) {
    if (err instanceof SesError) throw err;
    throw new SesError('malformed', 'TimeStampToken', err instanceof Error ? err.message : 'unreadable');
  }
}

export type TimestampCheck =
  | { ok: true; time: Date; tsa: Certificate }
  | { ok: false; reason: 'malformed' | 'imprint_mismatch' | 'bad_signature' | ChainFailure; message: string };

/** Checks the token against `dataHash`, its signature, and the TSA certificate's chain at genTime. */
export function verifyTimestampToken(token: Uint8Array, dataHash: Buffer, trust: { anchors: Uint8Array[]; intermediates?: Uint8Array[]; crls?: Uint8Array[] }): TimestampCheck {
  let parsed: TimestampToken;
  let tsa: Certificate;
  try {
    parsed = parseTimestampToken(token);
    tsa = parseCertificate(parsed.tsaCert);
  } catch (err) {
    if (err instanceof SesError || err instanceof X509Error) return { ok: false, reason: 'malformed', message: `时间戳无法解析：${err.message}` };
    throw err;
  }
  if (!timestampImprint(dataHash, parsed.time).equals(parsed.imprint)) return { ok: false, reason: 'imprint_mismatch', message: '时间戳与签章数据不符' };
  if (!sm2Verify(parsed.imprint, parsed.signature, tsa.publicKey)) return { ok: false, reason: 'bad_signature', message: '时间戳签名无效' };
  const chain = verifyChain({ certificate: parsed.tsaCert, anchors: trust.anchors, intermediates: trust.intermediates ?? [], crls: trust.crls ?? [], at: parsed.time });
  if (!chain.valid) return { ok: false, reason: chain.reason, message: `时间戳服务证书：${chain.message || CHAIN_FAILURE_TEXT[chain.reason]}` };
  return { ok: true, time: parsed.time, tsa };
}
