// Implementation code (实施编码), as seen on national-platform-connected systems
// (standards.md): {basic code}-{12-digit region}-{3-digit sequence}-{USCC}-{1 digit}-{2-digit sub-item}.

/** The single digit's meaning is not published; 1 is what connected systems show for own implementations. */
export const IMPLEMENTATION_KIND_DIGIT = '1';

export function regionCode12(code: string): string {
  return code.padEnd(12, '0');
}

export function implementationCode(p: { basicCode: string; regionCode: string; sequence: number; creditCode: string; subItem?: string }): string {
  const basic = p.basicCode.replace(/-/g, '');
  const seq = String(p.sequence).padStart(3, '0');
  return `${basic}-${regionCode12(p.regionCode)}-${seq}-${p.creditCode}-${IMPLEMENTATION_KIND_DIGIT}-${p.subItem ?? '00'}`;
}

const PATTERN = /^(\d{9})-(\d{12})-(\d{3})-([0-9A-HJ-NPQRTUWXY]{18})-(\d)-(\d{2})$/;

export function parseImplementationCode(code: string): { basicCode: string; regionCode: string; sequence: number; creditCode: string; subItem: string } | null {
  const m = PATTERN.exec(code);
  if (!m) return null;
  const b = m[1]!;
  return { basicCode: `${b.slice(0, 2)}-${b.slice(2, 6)}-${b.slice(6)}`, regionCode: m[2]!.replace(/(000){1,2}$/, ''), sequence: Number(m[3]), creditCode: m[4]!, subItem: m[6]! };
}
