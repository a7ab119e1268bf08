// Why a certificate, CRL or chain was refused: a stable code for programs, Chinese text for people.

export type X509ErrorCode =
  /** Not DER, truncated, trailing bytes, or a field of the wrong type or shape. */
  | 'MALFORMED'
  /** A key or signature algorithm other than SM2 on sm2p256v1 with SM3 (e.g. a P-256 key). */
  | 'WRONG_ALGORITHM'
  /** A critical extension this code does not understand (RFC 5280 §4.2: must reject). */
  | 'UNKNOWN_CRITICAL_EXTENSION';

export class X509Error extends Error {
  readonly code: X509ErrorCode;
  constructor(code: X509ErrorCode, message: string) {
    super(message);
    this.name = 'X509Error';
    this.code = code;
  }
}
