// GB/T 36903 electronic licence identifiers (证照标识), as ../shared/docs/standards.md records
// them: `1.2.156.3005.2.{type code}.{issuer USCC}.{serial}.{version}.{check}`. The check
// algorithm lives only here (and in iso7064.ts): the standard's own text was not available,
// and MOD 37,36 over the concatenated parts reproduces published identifiers.
import { checkCreditCode } from '../../platform/identifiers/credit-code.ts';
import { mod37_36 } from '../../platform/identifiers/iso7064.ts';

export const IDENTIFIER_PREFIX = '1.2.156.3005.2.';

export interface LicenceIdentifier {
  /** USCC of the defining authority + 3-digit type number (21 characters). */
  typeCode: string;
  issuerUscc: string;
  serial: string;
  /** 3 digits, `001` for the first version. */
  version: string;
  check: string;
}

export type IdentifierProblem = 'format' | 'check' | 'type_code' | 'issuer';

const TYPE_CODE = /^[0-9A-Z]{18}[0-9]{3}$/;
const SERIAL = /^[0-9A-Z]{1,40}$/;

export function identifierCheck(parts: Omit<LicenceIdentifier, 'check'>): string {
  return mod37_36(parts.typeCode + parts.issuerUscc + parts.serial + parts.version);
}

export function formatIdentifier(parts: Omit<LicenceIdentifier, 'check'>): string {
  if (!TYPE_CODE.test(parts.typeCode)) throw new Error(`bad licence type code ${parts.typeCode}`);
  if (checkCreditCode(parts.issuerUscc)) throw new Error(`bad issuer USCC ${parts.issuerUscc}`);
  if (!SERIAL.test(parts.serial)) throw new Error(`bad licence serial ${parts.serial}`);
  if (!/^[0-9]{3}$/.test(parts.version)) throw new Error(`bad licence version ${parts.version}`);
  return `${IDENTIFIER_PREFIX}${parts.typeCode}.${parts.issuerUscc}.${parts.serial}.${parts.version}.${identifierCheck(parts)}`;
}

export function versionString(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 999) throw new Error(`licence version out of range: ${n}`);
  return String(n).padStart(3, '0');
}

/**
 * Parses and checks an identifier. `strictIssuer` also demands a valid GB 32100 issuer code
 * (identifiers this platform issues); published identifiers from elsewhere sometimes carry
 * a region code there, so verification of foreign identifiers can relax it.
 */
export function parseIdentifier(text: string, options: { strictIssuer?: boolean } = {}): { ok: true; id: LicenceIdentifier } | { ok: false; problem: IdentifierProblem } {
  if (typeof text !== 'string' || text.length > 120 || !text.startsWith(IDENTIFIER_PREFIX)) return { ok: false, problem: 'format' };
  const parts = text.slice(IDENTIFIER_PREFIX.length).split('.');
  if (parts.length !== 5) return { ok: false, problem: 'format' };
  const [typeCode, issuerUscc, serial, version, check] = parts as [string, string, string, string, string];
  if (!/^[0-9A-Z]+$/.test(typeCode + issuerUscc + serial) || !/^[0-9]{3}$/.test(version) || !/^[0-9A-Z]$/.test(check)) return { ok: false, problem: 'format' };
  if (!TYPE_CODE.test(typeCode)) return { ok: false, problem: 'type_code' };
  if (options.strictIssuer !== false && checkCreditCode(issuerUscc)) return { ok: false, problem: 'issuer' };
  if (identifierCheck({ typeCode, issuerUscc, serial, version }) !== check) return { ok: false, problem: 'check' };
  return { ok: true, id: { typeCode, issuerUscc, serial, version, check } };
}

/** The serial this platform assigns: issue year + 8-digit sequence per (type, issuer, year). */
export function serialFor(year: number, sequence: number): string {
  if (sequence < 1 || sequence > 99_999_999) throw new Error('licence serial sequence out of range');
  return `${year}${String(sequence).padStart(8, '0')}`;
}
