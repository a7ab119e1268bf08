// SM3 (GB/T 32905) from Node's OpenSSL; see docs/standards in ../shared for the test vectors.
import { createHash, createHmac } from 'node:crypto';

export function sm3(data: string | Uint8Array): Buffer {
  return createHash('sm3').update(data).digest();
}

export function sm3Hex(data: string | Uint8Array): string {
  return createHash('sm3').update(data).digest('hex');
}

export function hmacSm3(key: Uint8Array, data: string | Uint8Array): Buffer {
  return createHmac('sm3', key).update(data).digest();
}
