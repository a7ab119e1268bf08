// GB/T 38540-2020 electronic seal structures (pure: no I/O, no keys).
export { SesError, type SesErrorCode } from './der.ts';
export {
  encodeSeal,
  encodeSealInfo,
  MAX_SES_BYTES,
  OID_SM2_WITH_SM3,
  parseSeal,
  SES_HEADER_ID,
  SES_VERSION,
  signSeal,
  verifySealStructure,
  type CertDigest,
  type ExtData,
  type SealCheck,
  type SealInfo,
  type SesSeal,
  type SignerCertList,
  type SignFn,
  type VerifyFn,
} from './seal.ts';
export { encodeSignature, encodeTbsSign, parseSignature, signSignature, TBS_SIGN_VERSION, verifySignatureStructure, type SesSignature, type SignatureCheck, type TbsSign } from './signature.ts';
