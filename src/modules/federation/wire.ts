// Signed node-to-node messages. The same shape as the verifier wire protocol (docs/simulators.md,
// "Signed messages": x-yw-client / -timestamp / -nonce / -signature, SM2 over method, path,
// sender id, timestamp, nonce and the body bytes), under its own domain tags so a message
// signed for a verifier can never be replayed as a federation message or the reverse. The
// body is canonical JSON (keys sorted), so the receiver can re-derive the signed bytes.
import { randomBytes } from 'node:crypto';
import { canonicalJson } from '../../platform/audit/audit.ts';
import { sm2Sign, sm2Verify } from '../../platform/crypto/sm2.ts';

export const FED_HEADERS = {
  client: 'x-yw-client',
  timestamp: 'x-yw-timestamp',
  nonce: 'x-yw-nonce',
  signature: 'x-yw-signature',
} as const;

/** Largest clock difference accepted between nodes. */
export const SKEW_MS = 5 * 60_000;

export interface NodeIdentity {
  id: string;
  privateKey: string;
  publicKey: string;
}

const requestInput = (method: string, path: string, sender: string, timestamp: string, nonce: string, body: string) =>
  Buffer.from(`YW-FED-REQ\n${method.toUpperCase()}\n${path}\n${sender}\n${timestamp}\n${nonce}\n${body}`);
const responseInput = (status: number, nonce: string, timestamp: string, body: string) => Buffer.from(`YW-FED-RES\n${status}\n${nonce}\n${timestamp}\n${body}`);

export function signRequest(node: NodeIdentity, method: string, path: string, payload: unknown, now = Date.now()) {
  const body = canonicalJson(payload);
  const timestamp = String(now);
  const nonce = randomBytes(16).toString('hex');
  const signature = sm2Sign(requestInput(method, path, node.id, timestamp, nonce, body), node.privateKey, { publicKey: node.publicKey }).toString('base64');
  return {
    body,
    nonce,
    headers: { [FED_HEADERS.client]: node.id, [FED_HEADERS.timestamp]: timestamp, [FED_HEADERS.nonce]: nonce, [FED_HEADERS.signature]: signature },
  };
}

type HeaderBag = Record<string, string | string[] | undefined>;
const one = (h: HeaderBag, name: string) => {
  const v = h[name];
  return typeof v === 'string' ? v : '';
};

/** The sender a request claims to come from (to find its key), before anything is checked. */
export function claimedSender(headers: HeaderBag): string {
  return one(headers, FED_HEADERS.client);
}

/** True when the request carries `publicKey`'s valid, fresh signature over this exact message. */
export function verifyRequest(publicKey: string, method: string, path: string, headers: HeaderBag, payload: unknown, now = Date.now()): boolean {
  const timestamp = one(headers, FED_HEADERS.timestamp);
  const nonce = one(headers, FED_HEADERS.nonce);
  const signature = one(headers, FED_HEADERS.signature);
  if (!/^\d{13}$/.test(timestamp) || !/^[0-9a-f]{32}$/.test(nonce) || !signature) return false;
  if (Math.abs(Number(timestamp) - now) > SKEW_MS) return false;
  const input = requestInput(method, path, one(headers, FED_HEADERS.client), timestamp, nonce, canonicalJson(payload));
  return sm2Verify(input, Buffer.from(signature, 'base64'), publicKey);
}

/** Signs an answer to the request that sent `nonce`; returns the exact body to send and headers. */
export function signResponse(node: NodeIdentity, status: number, nonce: string, payload: unknown, now = Date.now()) {
  const body = canonicalJson(payload);
  const timestamp = String(now);
  const signature = sm2Sign(responseInput(status, nonce, timestamp, body), node.privateKey, { publicKey: node.publicKey }).toString('base64');
  return { body, headers: { [FED_HEADERS.client]: node.id, [FED_HEADERS.timestamp]: timestamp, [FED_HEADERS.nonce]: nonce, [FED_HEADERS.signature]: signature } };
}

/** True when `body` is the peer's signed answer to our request `nonce`. */
export function verifyResponse(publicKey: string, status: number, nonce: string, headers: Headers, body: string, now = Date.now()): boolean {
  const timestamp = headers.get(FED_HEADERS.timestamp) ?? '';
  const signature = headers.get(FED_HEADERS.signature) ?? '';
  if (!/^\d{13}$/.test(timestamp) || !signature || headers.get(FED_HEADERS.nonce) !== nonce) return false;
  if (Math.abs(Number(timestamp) - now) > SKEW_MS) return false;
  return sm2Verify(responseInput(status, nonce, timestamp, body), Buffer.from(signature, 'base64'), publicKey);
}
