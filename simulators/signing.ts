// The simulators' side of the wire protocol (docs/simulators.md, "Signed messages"). It is
// written independently of the platform's adapter on purpose: a real upstream shares no
// code with us, and two implementations meeting in the tests is what proves the protocol.
import { randomBytes } from 'node:crypto';
import { sm2Verify, type Sm2PublicKey, sm2PublicKey } from '../src/platform/crypto/sm2.ts';

export const HEADER = {
  client: 'x-yw-client',
  timestamp: 'x-yw-timestamp',
  nonce: 'x-yw-nonce',
  signature: 'x-yw-signature',
} as const;

/** How far a request's timestamp may be from the simulator's clock. */
export const CLOCK_SKEW_MS = 5 * 60_000;

export function requestSigningInput(method: string, pathAndQuery: string, client: string, timestamp: string, nonce: string, body: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`YW-SM2-REQ\n${method.toUpperCase()}\n${pathAndQuery}\n${client}\n${timestamp}\n${nonce}\n`), body]);
}

export function responseSigningInput(status: number, requestNonce: string, timestamp: string, body: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`YW-SM2-RES\n${status}\n${requestNonce}\n${timestamp}\n`), body]);
}

export type RequestCheck =
  | { ok: true; client: string; nonce: string }
  | { ok: false; problem: 'missing_signature' | 'unknown_client' | 'stale_timestamp' | 'replayed_nonce' | 'bad_signature'; nonce: string };

/** Checks client signatures and remembers nonces for the skew window, so a captured request cannot be replayed. */
export function createRequestVerifier(clients: Record<string, string>, now: () => number = Date.now) {
  const keys = new Map<string, Sm2PublicKey>(Object.entries(clients).map(([id, key]) => [id, sm2PublicKey(key)]));
  const seen = new Map<string, number>();
  const prune = (t: number) => {
    for (const [nonce, expires] of seen) if (expires < t) seen.delete(nonce);
  };
  return {
    check(method: string, pathAndQuery: string, headers: Record<string, string | string[] | undefined>, body: Uint8Array): RequestCheck {
      const h = (name: string) => (typeof headers[name] === 'string' ? (headers[name] as string) : '');
      const client = h(HEADER.client), timestamp = h(HEADER.timestamp), nonce = h(HEADER.nonce), signature = h(HEADER.signature);
      if (!client || !timestamp || !nonce || !signature) return { ok: false, problem: 'missing_signature', nonce };
      const key = keys.get(client);
      if (!key) return { ok: false, problem: 'unknown_client', nonce };
      const t = now();
      if (!/^\d{13}$/.test(timestamp) || Math.abs(Number(timestamp) - t) > CLOCK_SKEW_MS) return { ok: false, problem: 'stale_timestamp', nonce };
      if (!/^[0-9a-f]{32}$/.test(nonce)) return { ok: false, problem: 'missing_signature', nonce };
      const input = requestSigningInput(method, pathAndQuery, client, timestamp, nonce, body);
      if (!sm2Verify(input, Buffer.from(signature, 'base64'), key)) return { ok: false, problem: 'bad_signature', nonce };
      const seenKey = `${client}:${nonce}`;
      if (seen.has(seenKey)) return { ok: false, problem: 'replayed_nonce', nonce };
      if (seen.size > 50_000) prune(t);
      seen.set(seenKey, t + 2 * CLOCK_SKEW_MS);
      return { ok: true, client, nonce };
    },
  };
}

export function transactionId(prefix: string): string {
  const d = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');
  return `${prefix}${d}${randomBytes(6).toString('hex').toUpperCase()}`;
}
