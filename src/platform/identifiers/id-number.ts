// Citizen identity number, GB 11643-1999: 6-digit region, 8-digit birth date, 3-digit
// sequence (odd = male), ISO 7064 MOD 11-2 check character (0-9 or X).

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export function idNumberCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}

export type IdNumberProblem = 'length' | 'format' | 'birthDate' | 'check';

/** Why `id` is not a valid GB 11643 number (upper-case X expected), or null when it is. */
export function checkIdNumber(id: string, today = new Date()): IdNumberProblem | null {
  if (id.length !== 18) return 'length';
  if (!/^[1-9]\d{16}[\dX]$/.test(id)) return 'format';
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d || birth > today) return 'birthDate';
  return idNumberCheckChar(id.slice(0, 17)) === id[17] ? null : 'check';
}

export const ID_NUMBER_PROBLEM_MESSAGES: Record<IdNumberProblem, string> = {
  length: '身份证号码应为 18 位',
  format: '身份证号码只能由数字组成，最后一位可以是 X',
  birthDate: '身份证号码中的出生日期不正确',
  check: '身份证号码校验位不正确，请核对是否输错',
};

/** Builds a valid number from region, birth date (YYYYMMDD) and 3-digit sequence, for synthetic people. */
export function makeIdNumber(regionCode: string, birthDate: string, sequence: number): string {
  const first17 = `${regionCode}${birthDate}${String(sequence).padStart(3, '0')}`;
  if (!/^\d{17}$/.test(first17)) throw new Error(`cannot build an ID number from ${first17}`);
  return first17 + idNumberCheckChar(first17);
}

export function idNumberFacts(id: string): { regionCode: string; birthDate: string; sex: 'male' | 'female' } {
  return {
    regionCode: id.slice(0, 6),
    birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
    sex: Number(id[16]) % 2 === 1 ? 'male' : 'female',
  };
}
