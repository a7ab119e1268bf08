// 证照目录: the licence types this node issues or accepts. Each type says who defines it
// (the type code), which department issues it, who holds it, what data it carries (the
// metadata schema, GB/T 36902/36903), how long it is valid and how its face is laid out; it
// names the catalogue basic items whose completed cases issue it and the material
// `licenceType` keys (demo/catalog) that it satisfies.
import type { PersonalField } from '../../platform/crypto/personal-data.ts';

export type HolderKind = 'person' | 'company';
export type FieldType = 'text' | 'date' | 'id_number' | 'credit_code' | 'holder_code';

/** Where a field's value comes from when a case issues the licence. */
export type FieldSource = 'holder.name' | 'holder.code' | 'issuer.name' | 'case.number' | `answers.${string}`;

export interface MetadataField {
  key: string;
  label: string;
  type: FieldType;
  required: boolean;
  source: FieldSource;
  /** Personal data: sealed (SM4) at rest under this field kind, masked in lists. */
  personal?: PersonalField;
  maxLength?: number;
}

export type ValidityRule = { kind: 'permanent' } | { kind: 'years'; years: number };

export interface LicenceTemplate {
  /** Title printed on the face. */
  title: string;
  /** Centre of the seal on page 1, millimetres from the top-left corner. */
  seal: { x: number; y: number };
}

export interface LicenceType {
  /** Catalogue key, equal to the materials' `licenceType`. */
  key: string;
  /** GB/T 36903 type code: USCC of the defining authority + 3-digit type number. */
  code: string;
  name: string;
  /** The catalogue department type (DEPARTMENT_TYPES) whose organisations issue it. */
  departmentType: string;
  holderKinds: HolderKind[];
  fields: MetadataField[];
  validity: ValidityRule;
  template: LicenceTemplate;
  /** Basic item codes whose completed cases issue this licence. */
  issuedBy: string[];
  /** Material `licenceType` keys this licence satisfies (usually just `key`). */
  satisfies: string[];
}

/**
 * The defining authority of the demo types: the national platform's code, as carried by
 * published identifiers (11100000000013338W…). The 3-digit numbers below are this
 * deployment's own assignments until the national licence catalogue is loaded.
 */
export const DEMO_AUTHORITY = '11100000000013338W';

const holderName = (label: string): MetadataField => ({ key: 'holderName', label, type: 'text', required: true, source: 'holder.name', personal: 'name', maxLength: 100 });
const holderId = (label = '公民身份号码'): MetadataField => ({ key: 'holderCode', label, type: 'holder_code', required: true, source: 'holder.code', personal: 'id_number' });
const answer = (key: string, label: string, required = false, type: FieldType = 'text'): MetadataField => ({ key, label, type, required, source: `answers.${key}`, maxLength: 200 });
const issuer: MetadataField = { key: 'issuerName', label: '发证机关', type: 'text', required: true, source: 'issuer.name', maxLength: 100 };
const caseNo: MetadataField = { key: 'caseNumber', label: '办件编号', type: 'text', required: true, source: 'case.number', maxLength: 40 };
const SEAL = { x: 150, y: 240 };

const type = (n: number, key: string, name: string, departmentType: string, holderKinds: HolderKind[], fields: MetadataField[], validity: ValidityRule, issuedBy: string[]): LicenceType => ({
  key, code: `${DEMO_AUTHORITY}${String(n).padStart(3, '0')}`, name, departmentType, holderKinds, fields: [...fields, issuer, caseNo], validity,
  template: { title: name, seal: SEAL }, issuedBy, satisfies: [key],
});

export const DEMO_LICENCE_TYPES: LicenceType[] = [
  type(101, 'hukou', '居民户口簿', 'public_security', ['person'], [holderName('户主姓名'), holderId(), answer('address', '住址')], { kind: 'permanent' }, ['07-0104-000', '07-0105-000']),
  type(102, 'residence_permit', '居住证', 'public_security', ['person'], [holderName('姓名'), holderId(), answer('address', '居住地址')], { kind: 'years', years: 1 }, ['07-0101-000']),
  type(103, 'social_security_card', '社会保障卡', 'human_resources', ['person'], [holderName('姓名'), holderId('社会保障号码')], { kind: 'years', years: 10 }, ['11-0401-000']),
  type(104, 'marriage', '结婚证', 'civil_affairs', ['person'], [holderName('持证人'), holderId(), answer('spouseName', '配偶姓名')], { kind: 'permanent' }, ['07-0501-000']),
  type(105, 'divorce', '离婚证', 'civil_affairs', ['person'], [holderName('持证人'), holderId()], { kind: 'permanent' }, ['07-0502-000']),
  type(106, 'driving_licence', '机动车驾驶证', 'public_security', ['person'], [holderName('姓名'), holderId('证号'), answer('vehicleClass', '准驾车型')], { kind: 'years', years: 6 }, ['01-0102-000']),
  type(107, 'vehicle_licence', '机动车行驶证', 'public_security', ['person', 'company'], [holderName('所有人'), holderId('所有人证件号码'), answer('plateNumber', '号牌号码')], { kind: 'permanent' }, []),
  type(108, 'real_estate', '不动产权证书', 'natural_resources', ['person', 'company'], [holderName('权利人'), holderId('权利人证件号码'), answer('location', '坐落'), answer('unitNumber', '不动产单元号')], { kind: 'permanent' }, ['07-0701-001', '07-0701-002']),
  type(109, 'business_licence', '营业执照', 'market_regulation', ['company', 'person'], [answer('entityName', '名称', true), holderName('法定代表人（经营者）'), holderId('统一社会信用代码（身份证号码）'), answer('address', '住所')], { kind: 'permanent' }, ['01-0203-000', '01-0204-000', '01-0205-000']),
  type(110, 'food_business', '食品经营许可证', 'market_regulation', ['company', 'person'], [answer('shopName', '经营者名称', true), holderName('法定代表人（负责人）'), holderId('社会信用代码（身份证号码）'), answer('address', '经营场所'), answer('businessType', '主体业态')], { kind: 'years', years: 5 }, ['01-0201-000']),
  type(111, 'birth_certificate', '出生医学证明', 'health', ['person'], [holderName('申领人'), holderId('申领人证件号码'), answer('childName', '新生儿姓名'), answer('birthDate', '出生日期', false, 'date')], { kind: 'permanent' }, ['11-0301-000']),
];

/**
 * The type a basic item issues, if any. Basic codes compare without their dashes: the
 * implementation code carries the basic code as digits only (`010201000-3201…`).
 */
export function typeIssuedBy(types: readonly LicenceType[], basicCode: string): LicenceType | null {
  const digits = basicCode.replace(/-/g, '');
  return types.find((t) => t.issuedBy.some((c) => c.replace(/-/g, '') === digits)) ?? null;
}

/** The validity end for an issue date (YYYY-MM-DD), or null when permanent. */
export function validUntil(rule: ValidityRule, from: string): string | null {
  if (rule.kind === 'permanent') return null;
  const [y, m, d] = from.split('-').map(Number) as [number, number, number];
  // The day before the anniversary: a 5-year licence from 2026-03-01 ends 2031-02-28.
  const end = new Date(Date.UTC(y + rule.years, m - 1, d) - 86_400_000);
  return end.toISOString().slice(0, 10);
}
