// ExternalVerifiers over HTTP: signed requests, signed answers checked before they are read,
// and a time limit on every call. Anything other than a verified, well-formed answer becomes
// VerifierUnavailableError, so a slow, failing or tampered upstream can never raise a level;
// a mismatch (match: false) is an ordinary answer.
import { sm2PrivateKeyFromPem, sm2PublicKey, sm2PublicKeyFromPrivate, type Sm2PublicKey } from '../../../platform/crypto/sm2.ts';
import { createBusinessLicenceVerifier } from './business-licence.ts';
import {
  VerifierUnavailableError, type CheckResult, type ExternalServiceName, type ExternalVerifiers,
} from './types.ts';
import { signedRequestHeaders, verifySignedResponse, type ClientIdentity } from './wire.ts';

export const DEFAULT_VERIFIER_TIMEOUT_MS = 3000;

export interface UpstreamOverride {
  baseUrl?: string;
  /** The upstream's response-signing public key (hex or PEM). */
  publicKey?: string;
  timeoutMs?: number;
}

export interface HttpVerifiersOptions {
  /** Where the upstreams answer (one gateway, or the default for per-service overrides). */
  baseUrl: string;
  /** Response-signing public key of the upstreams, SM2 (uncompressed hex or PEM). */
  servicePublicKey: string;
  /** The market-regulation issuer's key that signs e-business-licence assertions. */
  licenceIssuerPublicKey: string;
  /** This platform's origin (PUBLIC_URL's): the only `aud` a licence assertion may carry. */
  licenceAudience: string;
  /** Our identity towards the upstreams; the private key is SM2 (hex or PEM). */
  clientId: string;
  clientPrivateKey: string;
  /** Per-call time limit; default 3000 ms. */
  timeoutMs?: number;
  /** Where browsers are sent for the licence wallet, when it differs from baseUrl. */
  licenceWalletUrl?: string;
  /** How old a licence assertion may be when it arrives; default 5 minutes. */
  assertionMaxAgeMs?: number;
  services?: Partial<Record<ExternalServiceName, UpstreamOverride>>;
}

export interface UpstreamCall {
  (service: ExternalServiceName, method: 'GET' | 'POST', path: string, body?: unknown): Promise<Record<string, unknown>>;
}

/** Builds the signed-call function shared by every verifier. */
export function createUpstreamCaller(options: HttpVerifiersOptions): UpstreamCall {
  const privateKey = options.clientPrivateKey.includes('-----BEGIN') ? sm2PrivateKeyFromPem(options.clientPrivateKey) : options.clientPrivateKey.toLowerCase();
  const client: ClientIdentity = { id: options.clientId, privateKey, publicKey: sm2PublicKeyFromPrivate(privateKey) };
  const defaultKey = sm2PublicKey(options.servicePublicKey);
  const resolved = new Map<ExternalServiceName, { baseUrl: string; key: Sm2PublicKey; timeoutMs: number }>();
  const upstream = (service: ExternalServiceName) => {
    let found = resolved.get(service);
    if (!found) {
      const o = options.services?.[service] ?? {};
      found = {
        baseUrl: (o.baseUrl ?? options.baseUrl).replace(/\/+$/, ''),
        key: o.publicKey ? sm2PublicKey(o.publicKey) : defaultKey,
        timeoutMs: o.timeoutMs ?? options.timeoutMs ?? DEFAULT_VERIFIER_TIMEOUT_MS,
      };
      resolved.set(service, found);
    }
    return found;
  };

  return async (service, method, path, body) => {
    const { baseUrl, key, timeoutMs } = upstream(service);
    const url = new URL(baseUrl + path);
    const payload = body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body));
    const { headers, nonce } = signedRequestHeaders(client, method, url.pathname + url.search, payload);
    let status: number;
    let responseHeaders: Headers;
    let raw: Buffer;
    try {
      const res = await fetch(url, {
        method,
        headers: { ...headers, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : payload,
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      });
      status = res.status;
      responseHeaders = res.headers;
      raw = Buffer.from(await res.arrayBuffer());
    } catch (err) {
      const name = err instanceof Error ? err.name : '';
      if (name === 'TimeoutError' || name === 'AbortError') throw new VerifierUnavailableError(service, 'timeout', `${service}: no answer within ${timeoutMs} ms`);
      const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
      throw new VerifierUnavailableError(service, 'network', `${service}: ${err instanceof Error ? err.message : String(err)}${cause}`);
    }
    if (status >= 500) throw new VerifierUnavailableError(service, 'upstream_error', `${service}: upstream answered ${status}`);
    if (!verifySignedResponse(key, status, nonce, responseHeaders, raw)) {
      throw new VerifierUnavailableError(service, 'bad_signature', `${service}: answer not signed by the configured service key`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new VerifierUnavailableError(service, 'bad_response', `${service}: answer is not JSON`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new VerifierUnavailableError(service, 'bad_response', `${service}: answer is not an object`);
    const record = parsed as Record<string, unknown>;
    // A signed refusal of our request (bad client signature, invalid input) is still an outage for the caller.
    if (status !== 200) throw new VerifierUnavailableError(service, 'upstream_error', `${service}: upstream refused (${status} ${String(record.detail ?? record.title ?? '')})`);
    return record;
  };
}

function checkResult(service: ExternalServiceName, body: Record<string, unknown>): CheckResult {
  const checkedAt = new Date(String(body.checkedAt));
  if (typeof body.match !== 'boolean' || typeof body.transactionId !== 'string' || !body.transactionId || Number.isNaN(checkedAt.getTime())) {
    throw new VerifierUnavailableError(service, 'bad_response', `${service}: answer lacks match, transactionId or checkedAt`);
  }
  return { match: body.match, reference: body.transactionId, checkedAt };
}

export function createHttpVerifiers(options: HttpVerifiersOptions): ExternalVerifiers {
  const call = createUpstreamCaller(options);
  return {
    publicSecurity: {
      async checkNameId({ name, idNumber }) {
        return checkResult('publicSecurity', await call('publicSecurity', 'POST', '/public-security/v1/name-id-checks', { name, idNumber }));
      },
    },
    carrier: {
      async checkThreeElements({ name, idNumber, mobile }) {
        return checkResult('carrier', await call('carrier', 'POST', '/carrier/v1/three-element-checks', { name, idNumber, mobile }));
      },
    },
    bankCard: {
      async checkFourElements({ name, idNumber, cardNumber, mobile }) {
        return checkResult('bankCard', await call('bankCard', 'POST', '/bank/v1/four-element-checks', { name, idNumber, cardNumber, mobile }));
      },
    },
    face: {
      async startLiveness({ idNumber }) {
        const body = await call('face', 'POST', '/face/v1/liveness-sessions', { idNumber });
        const expiresAt = new Date(String(body.expiresAt));
        if (typeof body.sessionId !== 'string' || !Array.isArray(body.actions) || !body.actions.every((a) => typeof a === 'string') || Number.isNaN(expiresAt.getTime())) {
          throw new VerifierUnavailableError('face', 'bad_response', 'face: liveness session answer malformed');
        }
        return { sessionId: body.sessionId, actions: body.actions as string[], expiresAt };
      },
      async compare({ name, idNumber, livenessSessionId, image }) {
        const body = await call('face', 'POST', '/face/v1/comparisons', { name, idNumber, sessionId: livenessSessionId, image: image.toString('base64') });
        const result = checkResult('face', body);
        if (typeof body.live !== 'boolean' || typeof body.score !== 'number') throw new VerifierUnavailableError('face', 'bad_response', 'face: answer lacks live or score');
        // Never a match without liveness, whatever else the answer says.
        return { ...result, match: result.match && body.live, live: body.live, score: body.score };
      },
    },
    sms: {
      async send({ mobile, template, params }) {
        const body = await call('sms', 'POST', '/sms/v1/messages', { mobile, template, params });
        if (typeof body.messageId !== 'string' || !body.messageId) throw new VerifierUnavailableError('sms', 'bad_response', 'sms: answer lacks messageId');
        return { messageId: body.messageId };
      },
    },
    businessLicence: createBusinessLicenceVerifier({
      walletUrl: options.licenceWalletUrl ?? options.services?.businessLicence?.baseUrl ?? options.baseUrl,
      issuerPublicKey: options.licenceIssuerPublicKey,
      audience: options.licenceAudience,
      maxAgeMs: options.assertionMaxAgeMs,
      call,
    }),
  };
}
