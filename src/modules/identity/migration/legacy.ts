// Checks a password against a hash carried over from a legacy system, for the first sign-in
// of a migrated account (CitizenService.loginWithPassword then replaces it with Argon2id).
//
// Accepted forms, as stored in citizen_account.legacy_hash:
//   md5     32 hex digits            = hex(MD5(password))
//           <salt>$<32 hex digits>   = hex(MD5(salt + password))
//   sha1    40 hex digits            = hex(SHA-1(password))
//           <salt>$<40 hex digits>   = hex(SHA-1(salt + password))
//   bcrypt  $2a$ / $2b$ / $2y$ modular crypt string (cost 04–31)
// Salts are 1–64 characters without '$'. Passwords are hashed as UTF-8.
import { createHash, timingSafeEqual } from 'node:crypto';
import bcrypt from 'bcryptjs';

export type LegacyHashKind = 'md5' | 'sha1' | 'bcrypt';

export const LEGACY_HASH_KINDS: readonly LegacyHashKind[] = ['md5', 'sha1', 'bcrypt'];

const HEX_LENGTH: Record<'md5' | 'sha1', number> = { md5: 32, sha1: 40 };
const SALT = /^[^$]{1,64}$/;
const BCRYPT = /^\$2[aby]\$(0[4-9]|[12]\d|3[01])\$[./A-Za-z0-9]{53}$/;

/**
 * The stored form of a legacy hash (hex lower-cased), or null when it is not one of the
 * accepted forms for `kind`. The importer refuses rows whose hash this rejects.
 */
export function normaliseLegacyHash(kind: LegacyHashKind, hash: string): string | null {
  const h = hash.trim();
  if (kind === 'bcrypt') return BCRYPT.test(h) ? h : null;
  const hex = new RegExp(`^[0-9a-fA-F]{${HEX_LENGTH[kind]}}$`);
  const dollar = h.lastIndexOf('$');
  if (dollar < 0) return hex.test(h) ? h.toLowerCase() : null;
  const salt = h.slice(0, dollar);
  const digest = h.slice(dollar + 1);
  return SALT.test(salt) && hex.test(digest) ? `${salt}$${digest.toLowerCase()}` : null;
}

/** Equal-length buffers compared in constant time; unequal lengths are simply unequal. */
function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function verifyLegacyHash(kind: LegacyHashKind, hash: string, password: string): Promise<boolean> {
  const stored = normaliseLegacyHash(kind, hash);
  if (!stored) return false;
  if (kind === 'bcrypt') {
    // $2y$ (PHP) is the same algorithm as $2b$; bcryptjs knows only a and b.
    // bcryptjs compares the computed and stored strings in constant time itself.
    return bcrypt.compare(password, stored.replace(/^\$2y\$/, '$2b$'));
  }
  const dollar = stored.lastIndexOf('$');
  const salt = dollar < 0 ? '' : stored.slice(0, dollar);
  const expected = Buffer.from(stored.slice(dollar + 1), 'hex');
  const actual = createHash(kind === 'md5' ? 'md5' : 'sha1').update(salt + password, 'utf8').digest();
  return sameBytes(actual, expected);
}
