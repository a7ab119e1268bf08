// ISO/IEC 7064 MOD 11-2 (pure system, one check character 0-9 or X): the check of GB 11643
// ID numbers and of the platform's case numbers.

export function mod11_2(digits: string): string {
  if (!/^\d+$/.test(digits)) throw new Error('MOD 11-2 needs digits');
  let p = 0;
  for (const ch of digits) p = ((p + Number(ch)) * 2) % 11;
  const check = (12 - p) % 11;
  return check === 10 ? 'X' : String(check);
}
