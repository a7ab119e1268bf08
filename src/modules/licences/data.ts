// A licence's data per its type's metadata schema: built from a completed case (answers,
// holder identity, issuer) and validated; personal fields sealed (SM4, PersonalDataCipher)
// field by field at rest, so everything else stays queryable and the holder is found by
// blind index, never by decrypting.
import type { PersonalDataCipher } from '../../platform/crypto/personal-data.ts';
import { checkCreditCode } from '../../platform/identifiers/credit-code.ts';
import { checkIdNumber } from '../../platform/identifiers/id-number.ts';
import type { HolderKind, LicenceType, MetadataField } from './catalogue.ts';

export interface Holder {
  kind: HolderKind;
  name: string;
  /** ID number (person) or USCC (company). */
  code: string;
}

export interface BuildInput {
  holder: Holder;
  answers: Record<string, unknown>;
  issuerName: string;
  caseNumber: string;
}

export interface FieldError {
  field: string;
  message: string;
}

export type LicenceData = Record<string, string>;

function sourceValue(f: MetadataField, input: BuildInput): unknown {
  if (f.source === 'holder.name') return input.holder.name;
  if (f.source === 'holder.code') return input.holder.code;
  if (f.source === 'issuer.name') return input.issuerName;
  if (f.source === 'case.number') return input.caseNumber;
  return input.answers[f.source.slice('answers.'.length)];
}

function fieldProblem(f: MetadataField, value: string, holderKind: HolderKind): string | null {
  if (f.maxLength && value.length > f.maxLength) return `${f.label}不能超过 ${f.maxLength} 个字`;
  const type = f.type === 'holder_code' ? (holderKind === 'company' ? 'credit_code' : 'id_number') : f.type;
  if (type === 'id_number' && checkIdNumber(value)) return `${f.label}不是有效的公民身份号码`;
  if (type === 'credit_code' && checkCreditCode(value)) return `${f.label}不是有效的统一社会信用代码`;
  if (type === 'date' && (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value)) return `${f.label}应为有效日期（年-月-日）`;
  return null;
}

/** Validates a data object against the type (shared by issuing and 变更). */
export function validateLicenceData(type: LicenceType, data: Record<string, unknown>, holderKind: HolderKind): { ok: true; data: LicenceData } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const out: LicenceData = {};
  if (!type.holderKinds.includes(holderKind)) errors.push({ field: 'holder', message: `${type.name}的持证人不能是${holderKind === 'company' ? '企业' : '个人'}` });
  const known = new Set(type.fields.map((f) => f.key));
  for (const key of Object.keys(data)) if (!known.has(key)) errors.push({ field: key, message: `${type.name}没有这一项` });
  for (const f of type.fields) {
    const raw = data[f.key];
    if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
      if (f.required) errors.push({ field: f.key, message: `缺少${f.label}` });
      continue;
    }
    if (typeof raw !== 'string' && typeof raw !== 'number') {
      errors.push({ field: f.key, message: `${f.label}应为文字` });
      continue;
    }
    const value = String(raw).trim();
    const problem = fieldProblem(f, f.type === 'holder_code' || f.type === 'id_number' || f.type === 'credit_code' ? value.toUpperCase() : value, holderKind);
    if (problem) errors.push({ field: f.key, message: problem });
    else out[f.key] = f.type === 'holder_code' || f.type === 'id_number' || f.type === 'credit_code' ? value.toUpperCase() : value;
  }
  return errors.length ? { ok: false, errors } : { ok: true, data: out };
}

/** The licence data a completed case gives, per the type's schema; field errors name the source. */
export function buildLicenceData(type: LicenceType, input: BuildInput): { ok: true; data: LicenceData } | { ok: false; errors: FieldError[] } {
  const raw: Record<string, unknown> = {};
  for (const f of type.fields) raw[f.key] = sourceValue(f, input);
  const result = validateLicenceData(type, raw, input.holder.kind);
  if (result.ok) return result;
  const sourceOf = new Map(type.fields.map((f) => [f.key, f.source]));
  return { ok: false, errors: result.errors.map((e) => ({ field: sourceOf.get(e.field) ?? e.field, message: e.message })) };
}

/** Personal fields sealed, the rest as they are: what the licence table stores. */
export function sealLicenceData(cipher: PersonalDataCipher, type: LicenceType, data: LicenceData): LicenceData {
  const out: LicenceData = { ...data };
  for (const f of type.fields) if (f.personal && out[f.key] !== undefined) out[f.key] = cipher.seal(f.personal, out[f.key]!);
  return out;
}

export function openLicenceData(cipher: PersonalDataCipher, type: LicenceType, stored: LicenceData): LicenceData {
  const out: LicenceData = { ...stored };
  for (const f of type.fields) if (f.personal && out[f.key] !== undefined) out[f.key] = cipher.open(f.personal, out[f.key]!);
  return out;
}

/** The data as a list of label/value pairs in schema order (the PDF face and the API). */
export function labelled(type: LicenceType, data: LicenceData): { key: string; label: string; value: string }[] {
  return type.fields.filter((f) => data[f.key] !== undefined).map((f) => ({ key: f.key, label: f.label, value: data[f.key]! }));
}
