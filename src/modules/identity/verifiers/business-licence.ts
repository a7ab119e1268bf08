// E-business-licence login (电子营业执照): the wallet returns an assertion
// `base64url(JSON) . base64url(DER SM2 signature by the issuer)`; it is accepted only with the
// issuer's signature, our nonce, a recent issue time, a valid GB 32100 credit code, dates that
// cover now, and a "valid" answer from the issuer's revocation status service.
import { sm2PublicKey, sm2Verify } from '../../../platform/crypto/sm2.ts';
import { checkCreditCode } from '../../../platform/identifiers/credit-code.ts';
import type { UpstreamCall } from './http-verifiers.ts';
import { BusinessLicenceRejectedError, VerifierUnavailableError, type BusinessLicenceAssertion, type BusinessLicenceVerifier } from './types.ts';

export const DEFAULT_ASSERTION_MAX_AGE_MS = 5 * 60_000;
/** Allowance for the issuer's clock running ahead of ours. */
const FUTURE_SKEW_MS = 60_000;

export interface BusinessLicenceVerifierOptions {
  walletUrl: string;
  issuerPublicKey: string;
  /** Our own origin: an assertion made out to another site (its `aud`) is refused here. */
  audience: string;
  maxAgeMs?: number;
  call: UpstreamCall;
  now?: () => Date;
}

const reject = (reason: BusinessLicenceRejectedError['reason'], message: string): never => {
  throw new BusinessLicenceRejectedError(reason, message);
};

function text(value: unknown, field: string): string {
  return typeof value === 'string' && value.length > 0 && value.length <= 200 ? value : reject('malformed', `assertion field ${field} missing`);
}

function date(value: unknown, field: string): Date {
  const d = new Date(text(value, field));
  return Number.isNaN(d.getTime()) ? reject('malformed', `assertion field ${field} is not a date`) : d;
}

function person(value: unknown, field: string): { name: string; idNumber: string } {
  const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  return { name: text(v.name, `${field}.name`), idNumber: text(v.idNumber, `${field}.idNumber`) };
}

export function createBusinessLicenceVerifier(options: BusinessLicenceVerifierOptions): BusinessLicenceVerifier {
  const issuerKey = sm2PublicKey(options.issuerPublicKey);
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_ASSERTION_MAX_AGE_MS;
  const now = options.now ?? (() => new Date());
  const walletUrl = options.walletUrl.replace(/\/+$/, '');

  return {
    authorizeUrl({ nonce, callbackUrl }) {
      const url = new URL(`${walletUrl}/licence/authorize`);
      url.searchParams.set('nonce', nonce);
      url.searchParams.set('callback', callbackUrl);
      return url.href;
    },

    async verifyAssertion(assertion, expectedNonce) {
      const parts = typeof assertion === 'string' ? assertion.split('.') : [];
      if (parts.length !== 2 || !/^[A-Za-z0-9_-]+$/.test(parts[0]!) || !/^[A-Za-z0-9_-]+$/.test(parts[1]!) || assertion.length > 16_384) {
        return reject('malformed', 'assertion is not payload.signature');
      }
      const [body, signature] = parts as [string, string];
      if (!sm2Verify(body, Buffer.from(signature, 'base64url'), issuerKey)) return reject('signature', 'assertion not signed by the licence issuer');
      let payload: Record<string, unknown>;
      try {
        const parsed: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
        if (typeof parsed !== 'object' || parsed === null) throw new Error('not an object');
        payload = parsed as Record<string, unknown>;
      } catch {
        return reject('malformed', 'assertion payload is not JSON');
      }
      if (payload.typ !== 'ebl-login') reject('malformed', 'not a login assertion');
      // Bound to the site it was made out to: another site using the same wallet cannot
      // replay what its visitors signed for it here.
      if (payload.aud !== options.audience) reject('audience', 'assertion was made out to another site');
      const nonce = text(payload.nonce, 'nonce');
      if (!expectedNonce || nonce !== expectedNonce) reject('nonce', 'assertion was issued for another login attempt');
      const issuedAt = date(payload.issuedAt, 'issuedAt');
      const t = now().getTime();
      if (t - issuedAt.getTime() > maxAgeMs || issuedAt.getTime() - t > FUTURE_SKEW_MS) reject('stale', 'assertion is too old to be used');
      const creditCode = text(payload.creditCode, 'creditCode');
      if (checkCreditCode(creditCode) !== null) reject('credit_code', `credit code ${creditCode} fails GB 32100`);
      const holderRaw = (payload.holder ?? {}) as Record<string, unknown>;
      const role = holderRaw.role === 'legal_representative' || holderRaw.role === 'authorised_holder' ? holderRaw.role : reject('malformed', 'holder role');
      const result: BusinessLicenceAssertion = {
        creditCode,
        companyName: text(payload.companyName, 'companyName'),
        legalRepresentative: person(payload.legalRepresentative, 'legalRepresentative'),
        holder: { ...person(payload.holder, 'holder'), role },
        licenceSerial: text(payload.licenceSerial, 'licenceSerial'),
        validFrom: date(payload.validFrom, 'validFrom'),
        validUntil: date(payload.validUntil, 'validUntil'),
        issuedAt,
        nonce,
      };
      if (result.validFrom.getTime() > t) reject('not_yet_valid', 'licence not yet valid');
      if (result.validUntil.getTime() < t) reject('expired', 'licence validity has ended');

      // Revocation is asked of the issuer every time; if it cannot answer, nobody logs in.
      const status = await options.call('businessLicence', 'GET', `/licence/v1/licences/${encodeURIComponent(result.licenceSerial)}/status`);
      if (status.licenceSerial !== result.licenceSerial) throw new VerifierUnavailableError('businessLicence', 'bad_response', 'status answer is for another licence');
      if (status.status === 'revoked' || status.status === 'not_found') reject('revoked', `licence ${result.licenceSerial} is ${String(status.status)}`);
      if (status.status === 'expired') reject('expired', 'the issuer reports the licence expired');
      if (status.status !== 'valid') throw new VerifierUnavailableError('businessLicence', 'bad_response', `unknown licence status ${String(status.status)}`);
      return result;
    },
  };
}
