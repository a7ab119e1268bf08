// Unified social credit code, GB 32100-2015 (18 characters); rules in shared/docs/standards.md.

export const CREDIT_CODE_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** Check character (position 18) for the first 17 characters. */
export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CREDIT_CODE_CHARSET.indexOf(first17[i]!);
    if (v < 0) throw new Error(`invalid credit-code character ${first17[i]}`);
    sum += v * WEIGHTS[i]!;
  }
  const c = 31 - (sum % 31);
  return CREDIT_CODE_CHARSET[c === 31 ? 0 : c]!;
}

/** GB 11714 organisation-code check character for its 8-character body. */
export function orgCodeCheckChar(body8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const ch = body8[i]!;
    const v = /\d/.test(ch) ? Number(ch) : ch.charCodeAt(0) - 55; // A=10 … Z=35
    sum += v * ORG_WEIGHTS[i]!;
  }
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

export type CreditCodeProblem = 'length' | 'charset' | 'check';

export function checkCreditCode(code: string): CreditCodeProblem | null {
  if (code.length !== 18) return 'length';
  if (![...code].every((ch) => CREDIT_CODE_CHARSET.includes(ch))) return 'charset';
  return creditCodeCheckChar(code.slice(0, 17)) === code[17] ? null : 'check';
}

/**
 * Builds a valid code from its parts, for synthetic demo organisations and companies:
 * authority + category + 6-digit region + 8-character organisation body.
 */
export function makeCreditCode(authority: string, category: string, regionCode: string, orgBody8: string): string {
  const subject = orgBody8 + orgCodeCheckChar(orgBody8);
  const first17 = `${authority}${category}${regionCode}${subject}`;
  return first17 + creditCodeCheckChar(first17);
}
