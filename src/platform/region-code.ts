// Arithmetic on region codes: GB/T 2260 (6 digits: province, city, county) extended by the
// statistical codes (9 digits: town/street; 12 digits: village/community).

export type RegionLevel = 1 | 2 | 3 | 4 | 5;
export const LEVEL_NAMES: Record<RegionLevel, string> = { 1: '省', 2: '市', 3: '县', 4: '乡镇街道', 5: '村社区' };
/** The national node's pseudo-region, above every province. */
export const NATIONAL_CODE = '100000';

export function isWellFormedRegionCode(code: string): boolean {
  return /^(\d{6}|\d{9}|\d{12})$/.test(code) && !/^0/.test(code);
}

export function regionLevel(code: string): RegionLevel {
  if (code.length === 12) return 5;
  if (code.length === 9) return 4;
  if (code.endsWith('0000')) return 1;
  if (code.endsWith('00')) return 2;
  return 3;
}

/** The significant prefix: every code inside a region starts with it. */
export function regionPrefix(code: string): string {
  if (code === NATIONAL_CODE) return '';
  switch (regionLevel(code)) {
    case 1:
      return code.slice(0, 2);
    case 2:
      return code.slice(0, 4);
    default:
      return code;
  }
}

/** True when `inner` is `outer` itself or lies inside it (a county inside its city …). */
export function regionContains(outer: string, inner: string): boolean {
  return inner.startsWith(regionPrefix(outer));
}

export function parentRegionCode(code: string): string | null {
  switch (regionLevel(code)) {
    case 1:
      return null;
    case 2:
      return code.slice(0, 2) + '0000';
    case 3:
      return code.slice(0, 4) + '00';
    case 4:
      return code.slice(0, 6);
    case 5:
      return code.slice(0, 9);
  }
}
