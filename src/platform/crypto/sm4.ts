// SM4 (GB/T 32907) from Node's OpenSSL. OpenSSL 3.0 as shipped here has no SM4-GCM, so
// confidentiality and integrity come from SM4-CTR plus HMAC-SM3 over the IV and ciphertext
// (encrypt-then-MAC), each with its own key derived from one master key by HKDF-SM3.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

const VERSION = 1;
const IV_BYTES = 16;
const MAC_BYTES = 32;

interface DerivedKeys {
  enc: Buffer;
  mac: Buffer;
}

const derived = new WeakMap<Uint8Array, DerivedKeys>();

function keysFor(master: Uint8Array): DerivedKeys {
  let keys = derived.get(master);
  if (!keys) {
    if (master.length !== 16) throw new Error('SM4 master key must be 16 bytes');
    const okm = Buffer.from(hkdfSync('sm3', master, Buffer.alloc(0), 'yiwang sm4-ctr+hmac-sm3 v1', 16 + 32));
    keys = { enc: okm.subarray(0, 16), mac: okm.subarray(16) };
    derived.set(master, keys);
  }
  return keys;
}

function mac(key: Buffer, aad: string, iv: Buffer, ct: Buffer): Buffer {
  // The associated data binds a ciphertext to its purpose (e.g. the column it sits in), so a
  // value copied from one column into another no longer opens.
  return createHmac('sm3', key).update(Buffer.from([VERSION])).update(`${aad.length}:${aad}`).update(iv).update(ct).digest();
}

/** Encrypts `plaintext`: version byte, IV, ciphertext, HMAC-SM3 tag. */
export function sm4Seal(master: Uint8Array, plaintext: string | Uint8Array, aad = ''): Buffer {
  const { enc, mac: macKey } = keysFor(master);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('sm4-ctr', enc, iv);
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), iv, ct, mac(macKey, aad, iv, ct)]);
}

/** Decrypts what sm4Seal produced; throws on any tampering, a wrong key or a wrong `aad`. */
export function sm4Open(master: Uint8Array, sealed: Uint8Array, aad = ''): Buffer {
  const box = Buffer.from(sealed);
  if (box.length < 1 + IV_BYTES + MAC_BYTES || box[0] !== VERSION) throw new Error('SM4 box malformed');
  const { enc, mac: macKey } = keysFor(master);
  const iv = box.subarray(1, 1 + IV_BYTES);
  const ct = box.subarray(1 + IV_BYTES, box.length - MAC_BYTES);
  const tag = box.subarray(box.length - MAC_BYTES);
  if (!timingSafeEqual(tag, mac(macKey, aad, iv, ct))) throw new Error('SM4 box failed authentication');
  const decipher = createDecipheriv('sm4-ctr', enc, iv);
  return Buffer.concat([decipher.update(ct), decipher.final()]);
}
