// The signed-message protocol spoken with every outside upstream — identity verifiers, courier
// (docs/simulators.md, "Signed messages"): every request is SM2-signed by the platform's client key over method,
// path, client id, timestamp, nonce and body; every answer is SM2-signed by the upstream's
// service key over status, our nonce, its timestamp and the exact body bytes.
import { randomBytes } from 'node:crypto';
import { sm2Sign, sm2Verify, type Sm2PublicKey } from '../crypto/sm2.ts';

export const WIRE_HEADERS = {
  client: 'x-yw-client',
  timestamp: 'x-yw-timestamp',
  nonce: 'x-yw-nonce',
  signature: 'x-yw-signature',
} as const;

/** Largest clock difference accepted on a signed answer. */
export const RESPONSE_SKEW_MS = 5 * 60_000;

export interface ClientIdentity {
  id: string;
  privateKey: string;
  publicKey: string;
}

export function signedRequestHeaders(client: ClientIdentity, method: string, pathAndQuery: string, body: Uint8Array, now = Date.now()): { headers: Record<string, string>; nonce: string } {
  const timestamp = String(now);
  const nonce = randomBytes(16).toString('hex');
  const input = Buffer.concat([Buffer.from(`YW-SM2-REQ\n${method.toUpperCase()}\n${pathAndQuery}\n${client.id}\n${timestamp}\n${nonce}\n`), body]);
  const signature = sm2Sign(input, client.privateKey, { publicKey: client.publicKey });
  return {
    nonce,
    headers: {
      [WIRE_HEADERS.client]: client.id,
      [WIRE_HEADERS.timestamp]: timestamp,
      [WIRE_HEADERS.nonce]: nonce,
      [WIRE_HEADERS.signature]: signature.toString('base64'),
    },
  };
}

/** True when `body` carries the upstream's valid signature for the request that sent `nonce`. */
export function verifySignedResponse(key: Sm2PublicKey, status: number, nonce: string, headers: Headers, body: Uint8Array, now = Date.now()): boolean {
  const timestamp = headers.get(WIRE_HEADERS.timestamp) ?? '';
  const signature = headers.get(WIRE_HEADERS.signature) ?? '';
  if (!/^\d{13}$/.test(timestamp) || !signature || headers.get(WIRE_HEADERS.nonce) !== nonce) return false;
  if (Math.abs(Number(timestamp) - now) > RESPONSE_SKEW_MS) return false;
  const input = Buffer.concat([Buffer.from(`YW-SM2-RES\n${status}\n${nonce}\n${timestamp}\n`), body]);
  return sm2Verify(input, Buffer.from(signature, 'base64'), key);
}
