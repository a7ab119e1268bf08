// ISO/IEC 7064 MOD 11-2 (pure system, one check character 0-9 or X): the check of GB 11643
// ID numbers and of the platform's case numbers.

export function mod11_2(digits: string): string {
  if (!/^\d+$/.test(digits)) throw new Error('MOD 11-2 needs digits');
  let p = 0;
  for (const ch of digits) p = ((p + Number(ch)) * 2) % 11;
  const check = (12 - p) % 11;
  return check === 10 ? 'X' : String(check);
}

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * ISO/IEC 7064 MOD 37,36 (hybrid system, M = 36, one check character 0-9 or A-Z): the check
 * of GB/T 36903 electronic licence identifiers. Input is upper-case 0-9A-Z.
 */
export function mod37_36(text: string): string {
  if (!/^[0-9A-Z]+$/.test(text)) throw new Error('MOD 37,36 needs 0-9 and A-Z');
  let p = 36;
  for (const ch of text) {
    const s = (p + ALNUM.indexOf(ch)) % 36 || 36;
    p = (s * 2) % 37;
  }
  return ALNUM[(37 - p) % 36]!;
}
