// Personal data at rest: SM4-encrypted values, keyed SM3 blind indexes to look them up
// without decrypting, and the masks shown in lists (architecture.md, "Conventions").
import { hmacSm3 } from './sm3.ts';
import { sm4Open, sm4Seal } from './sm4.ts';

/** Which kind of value a blind index or ciphertext holds: one key per kind, no cross-matching. */
export type PersonalField = 'id_number' | 'mobile' | 'name' | 'bank_card' | 'address' | 'totp_secret';

export class PersonalDataCipher {
  private readonly dataKey: Buffer;
  private readonly indexKey: Buffer;
  constructor(secrets: { dataKey: Buffer; blindIndexKey: Buffer }) {
    this.dataKey = secrets.dataKey;
    this.indexKey = secrets.blindIndexKey;
  }

  /** Base64 text of the SM4 box, bound to its field so it cannot be moved to another. */
  seal(field: PersonalField, value: string): string {
    return sm4Seal(this.dataKey, value, field).toString('base64');
  }

  open(field: PersonalField, sealed: string): string {
    return sm4Open(this.dataKey, Buffer.from(sealed, 'base64'), field).toString('utf8');
  }

  /** Hex HMAC-SM3 of the normalised value: equal inputs give equal indexes, nothing else. */
  blindIndex(field: PersonalField, value: string): string {
    return hmacSm3(this.indexKey, `${field}|${normalise(field, value)}`).toString('hex');
  }
}

function normalise(field: PersonalField, value: string): string {
  const v = value.trim();
  if (field === 'id_number') return v.toUpperCase();
  if (field === 'mobile' || field === 'bank_card') return v.replace(/[\s-]/g, '');
  return v;
}

/** 320102199001011234 → 3201**********1234 (first 4, last 4). */
export function maskIdNumber(id: string): string {
  if (id.length <= 8) return '*'.repeat(id.length);
  return `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}`;
}

/** 13812345678 → 138****5678. */
export function maskMobile(mobile: string): string {
  if (mobile.length < 7) return '*'.repeat(mobile.length);
  return `${mobile.slice(0, 3)}${'*'.repeat(mobile.length - 7)}${mobile.slice(-4)}`;
}

/** 张三 → 张*, 欧阳娜娜 → 欧***: the family name stays so a person recognises their own. */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return name;
  return chars[0] + '*'.repeat(chars.length - 1);
}

/** 6222021234567890123 → **** **** **** 0123. */
export function maskBankCard(card: string): string {
  const digits = card.replace(/\D/g, '');
  return `**** **** **** ${digits.slice(-4)}`;
}
