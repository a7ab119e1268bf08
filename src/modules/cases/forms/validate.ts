// Validation of parsed answers against the form's JSON Schema with ajv, reported as one
// Chinese message per field under the name of the input it belongs to, so the message lands
// beside the field and in the error summary. Validators are compiled once per schema content.
import { createHash } from 'node:crypto';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FieldError } from '../../../platform/http/errors.ts';
import { itemsOf, kindOf, orderedNames, propertiesOf, requiredOf, titleOf, typeOf, type Schema } from './schema.ts';

// strict off: application forms carry Chinese titles and UI keywords (x-order, enumNames).
const ajv = new Ajv({ strict: false, allErrors: true });
type AddFormats = (a: Ajv) => Ajv;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ?? addFormatsModule) as unknown as AddFormats;
addFormats(ajv);

/** The whole form, for errors that belong to no one field. */
export const FORM_FIELD = '(全部)';
const CACHE_LIMIT = 1000;
const compiled = new Map<string, ValidateFunction>();

function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  return `{${Object.keys(value as Schema).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Schema)[k])}`).join(',')}}`;
}

/** A validator per distinct schema content (hundreds of implementations share a few shapes). */
export function validatorFor(schema: Schema): ValidateFunction {
  const key = createHash('sha256').update(canonical(schema)).digest('base64url');
  let v = compiled.get(key);
  if (v) {
    // Least recently used goes first when the cache is full.
    compiled.delete(key);
    compiled.set(key, v);
    return v;
  }
  // Two implementations may copy one $id; ajv refuses a second schema under the same id.
  const { $id: _id, ...anonymous } = schema;
  v = ajv.compile(anonymous);
  if (compiled.size >= CACHE_LIMIT) compiled.delete(compiled.keys().next().value!);
  compiled.set(key, v);
  return v;
}

export function cachedValidators(): number {
  return compiled.size;
}

interface Target {
  /** The rendered input's name. */
  field: string;
  schema: Schema;
  title: string;
  required: boolean;
}

/**
 * The field an ajv error belongs to: the instance path walked down the schema, stopping at
 * an array of choices or lines (one input name for all its items).
 */
function targetOf(root: Schema, e: ErrorObject): Target | null {
  const parts = e.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (e.keyword === 'required') parts.push(String((e.params as { missingProperty?: string }).missingProperty ?? ''));
  if (e.keyword === 'additionalProperties') parts.push(String((e.params as { additionalProperty?: string }).additionalProperty ?? ''));
  let schema = root;
  let required = false;
  const names: string[] = [];
  const titles: string[] = [];
  for (const part of parts) {
    const type = typeOf(schema);
    if (type === 'array') {
      if (kindOf(schema, false) !== 'list' || !/^\d+$/.test(part)) break;
      schema = itemsOf(schema);
      titles.push(`${titleOf(schema, names[names.length - 1] ?? '')}（第 ${Number(part) + 1} 项）`);
      names.push(part);
      required = false;
      continue;
    }
    const props = propertiesOf(schema);
    const next = Object.prototype.hasOwnProperty.call(props, part) ? props[part] : undefined;
    names.push(part);
    if (!next) return names.join('.') ? { field: names.join('.'), schema: {}, title: part, required: false } : null;
    required = requiredOf(schema).has(part);
    schema = next;
    if (typeOf(schema) === 'object') titles.push(titleOf(schema, part));
  }
  if (!names.length) return null;
  const own = titleOf(schema, names[names.length - 1]!);
  const path = titles.filter((t) => t !== own);
  return { field: names.join('.'), schema, title: path.length ? `${path.join('：')}：${own}` : own, required };
}

const q = (t: string) => `“${t}”`;

function isChoice(s: Schema): boolean {
  const kind = kindOf(s, true);
  return kind === 'radios' || kind === 'select' || kind === 'checkboxes' || kind === 'yesno' || kind === 'checkbox';
}

function range(s: Schema): [number | undefined, number | undefined] {
  const lo = typeof s.minimum === 'number' ? s.minimum : typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum : undefined;
  const hi = typeof s.maximum === 'number' ? s.maximum : typeof s.exclusiveMaximum === 'number' ? s.exclusiveMaximum : undefined;
  return [lo, hi];
}

const FORMAT_HINTS: Record<string, string> = {
  date: '应为有效日期，如 2025-01-31',
  'date-time': '应为有效的日期和时间',
  email: '应为有效的电子邮箱地址，如 name@example.com',
  time: '应为有效时间',
  uri: '应为有效网址',
};

/** The Chinese message for one ajv error about the target field. */
export function messageFor(e: ErrorObject, t: Target): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return isChoice(t.schema) ? `请选择${q(t.title)}（必填）` : `请填写${q(t.title)}（必填）`;
    case 'type': {
      const type = typeOf(t.schema);
      if (type === 'integer') return `${q(t.title)}应为整数`;
      if (type === 'number') return `${q(t.title)}应为数字`;
      if (type === 'boolean') return `请选择${q(t.title)}`;
      return `${q(t.title)}格式不正确`;
    }
    case 'enum':
    case 'const':
    case 'oneOf':
    case 'anyOf':
      return `${q(t.title)}请从选项中选择`;
    case 'format':
      return `${q(t.title)}${FORMAT_HINTS[String(p.format)] ?? '格式不正确'}`;
    case 'pattern':
      return `${q(t.title)}格式不正确`;
    case 'maxLength':
      return `${q(t.title)}不能超过 ${String(p.limit)} 个字`;
    case 'minLength':
      return p.limit === 1 ? `请填写${q(t.title)}（必填）` : `${q(t.title)}不能少于 ${String(p.limit)} 个字`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const [lo, hi] = range(t.schema);
      if (lo !== undefined && hi !== undefined) return `${q(t.title)}应在 ${lo} 到 ${hi} 之间`;
      if (lo !== undefined) return `${q(t.title)}不能小于 ${lo}`;
      return `${q(t.title)}不能大于 ${String(hi)}`;
    }
    case 'minItems':
      return p.limit === 1 ? `请至少选择或填写一项${q(t.title)}` : `${q(t.title)}至少要 ${String(p.limit)} 项`;
    case 'maxItems':
      return `${q(t.title)}最多 ${String(p.limit)} 项`;
    case 'uniqueItems':
      return `${q(t.title)}有重复的项`;
    case 'additionalProperties':
      return `申请表中没有${q(t.title)}这一项`;
    default:
      return `${q(t.title)}不符合要求`;
  }
}

/** Rendered field names in display order, for sorting errors as the form shows them. */
function fieldOrder(s: Schema, prefix = '', out: string[] = []): string[] {
  const props = propertiesOf(s);
  for (const n of orderedNames(s)) {
    out.push(prefix + n);
    if (typeOf(props[n]!) === 'object') fieldOrder(props[n]!, `${prefix}${n}.`, out);
  }
  return out;
}

/**
 * Field errors for the answers, one per field (the first problem found), in form order;
 * list rows sort under their list. Empty when the answers are valid.
 */
export function validateAnswers(schema: Schema, answers: unknown): FieldError[] {
  const validate = validatorFor(schema);
  if (validate(answers)) return [];
  const byField = new Map<string, string>();
  const raw = [...(validate.errors ?? [])];
  // "required" before the rest so an empty required field says 必填, not 格式不正确.
  raw.sort((a, b) => Number(b.keyword === 'required') - Number(a.keyword === 'required'));
  for (const e of raw) {
    if (e.keyword === 'if' || e.keyword === 'allOf') continue;
    const t = targetOf(schema, e);
    const field = t?.field ?? FORM_FIELD;
    if (byField.has(field)) continue;
    byField.set(field, t ? messageFor(e, t) : `申请表${e.message ? `不符合要求（${e.message}）` : '不符合要求'}`);
  }
  const order = fieldOrder(schema);
  // The deepest named field a (list row) error sits under: its place in the form.
  const rank = (f: string) => {
    let best = -1;
    for (let i = 0; i < order.length; i++) if ((f === order[i] || f.startsWith(`${order[i]}.`)) && (best < 0 || order[i]!.length > order[best]!.length)) best = i;
    return best < 0 ? order.length : best;
  };
  return [...byField]
    .map(([field, message]) => ({ field, message }))
    .sort((a, b) => rank(a.field) - rank(b.field) || a.field.localeCompare(b.field, 'en', { numeric: true }));
}

