// What the identity module needs from systems outside the platform: the public-security
// population register, mobile carriers, banks, face comparison, the SMS gateway and the
// market-regulation e-business-licence issuer. Domain code sees only these interfaces; which
// implementation answers (the real service or the local simulator) is configuration.

/** The upstream answered, but not with a usable result: timeout, refusal, bad signature, 5xx. */
export class VerifierUnavailableError extends Error {
  readonly service: ExternalServiceName;
  readonly reason: 'timeout' | 'network' | 'bad_signature' | 'upstream_error' | 'bad_response';
  constructor(service: ExternalServiceName, reason: VerifierUnavailableError['reason'], message?: string) {
    super(message ?? `${service} unavailable: ${reason}`);
    this.service = service;
    this.reason = reason;
  }
}

export type ExternalServiceName = 'publicSecurity' | 'carrier' | 'bankCard' | 'face' | 'sms' | 'businessLicence';

/** Every answer names the upstream transaction, kept as evidence for the level it grants. */
export interface CheckResult {
  match: boolean;
  /** The upstream's transaction id (stored with the evidence). */
  reference: string;
  checkedAt: Date;
}

export interface PublicSecurityVerifier {
  /** Name + ID number against the population register (实名核验, level 2). */
  checkNameId(input: { name: string; idNumber: string }): Promise<CheckResult>;
}

export interface CarrierVerifier {
  /** Mobile number registered to this name + ID number (运营商三要素, level 3). */
  checkThreeElements(input: { name: string; idNumber: string; mobile: string }): Promise<CheckResult>;
}

export interface BankCardVerifier {
  /** Name, ID number, card number and reserved mobile agree (银行卡四要素, level 3). */
  checkFourElements(input: { name: string; idNumber: string; cardNumber: string; mobile: string }): Promise<CheckResult>;
}

export interface FaceVerifier {
  /**
   * Starts a liveness session: the client must perform `actions` and send back what the
   * capture produced, within `expiresAt`.
   */
  startLiveness(input: { idNumber: string }): Promise<{ sessionId: string; actions: string[]; expiresAt: Date }>;
  /** Face image (JPEG/PNG bytes) from the liveness session against the register photo (level 4). */
  compare(input: { name: string; idNumber: string; livenessSessionId: string; image: Buffer }): Promise<CheckResult & { score: number; live: boolean }>;
}

export interface SmsGateway {
  /** Sends a templated message; resolves once the gateway accepted it. */
  send(input: { mobile: string; template: SmsTemplate; params: Record<string, string> }): Promise<{ messageId: string }>;
}

export type SmsTemplate = 'verification_code' | 'notice';

/** The facts an e-business-licence login assertion carries once its signature checks out. */
export interface BusinessLicenceAssertion {
  creditCode: string;
  companyName: string;
  legalRepresentative: { name: string; idNumber: string };
  /** Who presented the licence (the legal representative or a holder they named). */
  holder: { name: string; idNumber: string; role: 'legal_representative' | 'authorised_holder' };
  licenceSerial: string;
  validFrom: Date;
  validUntil: Date;
  issuedAt: Date;
  nonce: string;
}

export interface BusinessLicenceVerifier {
  /** Where to send the browser to present a licence; the wallet returns to `callbackUrl`. */
  authorizeUrl(input: { nonce: string; callbackUrl: string }): string;
  /**
   * Verifies the issuer's SM2 signature, the nonce, validity dates and revocation status.
   * Throws BusinessLicenceRejectedError with the reason when the assertion is not acceptable.
   */
  verifyAssertion(assertion: string, expectedNonce: string): Promise<BusinessLicenceAssertion>;
}

export class BusinessLicenceRejectedError extends Error {
  /** 'expired': the licence's validity has ended; 'stale': the assertion itself is too old to use. */
  readonly reason: 'signature' | 'audience' | 'nonce' | 'stale' | 'expired' | 'not_yet_valid' | 'revoked' | 'credit_code' | 'malformed';
  constructor(reason: BusinessLicenceRejectedError['reason'], message?: string) {
    super(message ?? `business licence rejected: ${reason}`);
    this.reason = reason;
  }
}

export interface ExternalVerifiers {
  publicSecurity: PublicSecurityVerifier;
  carrier: CarrierVerifier;
  bankCard: BankCardVerifier;
  face: FaceVerifier;
  sms: SmsGateway;
  businessLicence: BusinessLicenceVerifier;
}

declare module '../../../platform/module.ts' {
  interface ExternalServices {
    identity: ExternalVerifiers;
  }
}
