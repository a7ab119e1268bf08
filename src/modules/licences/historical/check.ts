// Checking one row of a historical import against the licence type: the holder (name and ID
// number or USCC, by the type's holder kind), the issue date and validity, the paper licence's
// number, and the type's own fields by key or label. The issuing organisation and
// 办件编号 are not in the file: the issuer is the importing organisation, and a historical
// licence has no case, so its number field records where it came from.
import { checkCreditCode } from '../../../platform/identifiers/credit-code.ts';
import { checkIdNumber } from '../../../platform/identifiers/id-number.ts';
import { validUntil, type LicenceType } from '../catalogue.ts';
import { validateLicenceData, type FieldError, type Holder, type LicenceData } from '../data.ts';

export const COLUMN = { holderName: '持证人名称', holderCode: '持证人证件号码', validFrom: '发证日期', validUntil: '有效期至', originalNumber: '原证号' } as const;

export type CheckedRow =
  | { ok: true; holder: Holder; data: LicenceData; validFrom: string; validUntil: string | null; originalNumber: string }
  | { ok: false; originalNumber: string; errors: FieldError[] };

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isDate = (v: string) => DATE.test(v) && new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) === v;
/** 2019/3/7, 2019.3.7 and 20190307 as 2019-03-07; anything else as given (and then refused). */
function normaliseDate(v: string): string {
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(v) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(v);
  return m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : v;
}

/** The columns a file must have (by key or label), for the template and the header check. */
export function requiredColumns(type: LicenceType): string[] {
  const own = type.fields.filter((f) => f.required && !f.source.startsWith('holder.') && f.source !== 'issuer.name' && f.source !== 'case.number').map((f) => f.label);
  return [COLUMN.holderName, COLUMN.holderCode, COLUMN.validFrom, COLUMN.originalNumber, ...own];
}

export function templateHeader(type: LicenceType): string[] {
  const own = type.fields.filter((f) => !f.source.startsWith('holder.') && f.source !== 'issuer.name' && f.source !== 'case.number').map((f) => f.label);
  return [COLUMN.holderName, COLUMN.holderCode, COLUMN.validFrom, COLUMN.validUntil, COLUMN.originalNumber, ...own];
}

export function checkRow(type: LicenceType, issuerName: string, cells: Record<string, string>, today: string): CheckedRow {
  const errors: FieldError[] = [];
  const get = (key: string, label: string) => cells[label] ?? cells[key] ?? '';
  const originalNumber = get('originalNumber', COLUMN.originalNumber);
  if (!originalNumber) errors.push({ field: COLUMN.originalNumber, message: '缺少原证号' });
  else if (originalNumber.length > 60) errors.push({ field: COLUMN.originalNumber, message: '原证号不能超过 60 个字' });

  const name = get('holderName', COLUMN.holderName);
  const code = get('holderCode', COLUMN.holderCode).toUpperCase();
  let kind: Holder['kind'] | null = null;
  if (!name) errors.push({ field: COLUMN.holderName, message: '缺少持证人名称' });
  if (!code) errors.push({ field: COLUMN.holderCode, message: '缺少持证人证件号码' });
  else if (!checkIdNumber(code) && type.holderKinds.includes('person')) kind = 'person';
  else if (!checkCreditCode(code) && type.holderKinds.includes('company')) kind = 'company';
  else errors.push({ field: COLUMN.holderCode, message: type.holderKinds.includes('company') ? '不是有效的公民身份号码或统一社会信用代码（请核对校验位）' : '不是有效的公民身份号码（请核对校验位）' });

  const from = normaliseDate(get('validFrom', COLUMN.validFrom));
  if (!from) errors.push({ field: COLUMN.validFrom, message: '缺少发证日期' });
  else if (!isDate(from)) errors.push({ field: COLUMN.validFrom, message: '发证日期应为年-月-日，如 2019-03-07' });
  else if (from > today) errors.push({ field: COLUMN.validFrom, message: '发证日期不能晚于今天' });
  const untilText = normaliseDate(get('validUntil', COLUMN.validUntil));
  let until: string | null = null;
  if (untilText && untilText !== '长期') {
    if (!isDate(untilText)) errors.push({ field: COLUMN.validUntil, message: '有效期至应为年-月-日，或“长期”' });
    else if (from && untilText < from) errors.push({ field: COLUMN.validUntil, message: '有效期至不能早于发证日期' });
    else until = untilText;
  } else if (!untilText && isDate(from)) until = validUntil(type.validity, from);

  const raw: Record<string, unknown> = {};
  for (const f of type.fields) {
    if (f.source === 'holder.name') raw[f.key] = name;
    else if (f.source === 'holder.code') raw[f.key] = code;
    else if (f.source === 'issuer.name') raw[f.key] = issuerName;
    else if (f.source === 'case.number') raw[f.key] = `存量证照 ${originalNumber}`.slice(0, 40);
    else raw[f.key] = cells[f.label] ?? cells[f.key] ?? '';
  }
  if (kind) {
    const checked = validateLicenceData(type, raw, kind);
    const labelOf = new Map(type.fields.map((f) => [f.key, f.label]));
    if (!checked.ok) errors.push(...checked.errors.map((e) => ({ field: e.field === 'holder' ? COLUMN.holderCode : (labelOf.get(e.field) ?? e.field), message: e.message })));
    else if (!errors.length) return { ok: true, holder: { kind, name, code }, data: checked.data, validFrom: from, validUntil: until, originalNumber };
  }
  return { ok: false, originalNumber, errors };
}
