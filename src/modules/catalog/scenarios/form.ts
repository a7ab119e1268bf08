// 合并表单: one application form for a 一件事 built from its members' form schemas, and the
// way back (split) from the merged answers to one answer object per member. Pure functions.
// A field every member asks the same way is asked once; a field whose definitions cannot
// both be satisfied by one answer is kept apart, once per variant, under a prefixed name.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FieldError } from '../../../platform/http/errors.ts';

type Schema = Record<string, unknown>;

export interface FormMember {
  /** Stable key of the member within the scenario: its basic code, e.g. 11-0301-000. */
  key: string;
  name: string;
  formSchema: Schema;
}

export interface MergedField {
  /** The property name in the merged form. */
  name: string;
  title: string;
  schema: Schema;
  required: boolean;
  /** Which member fields this answer feeds: the case workflow splits it back by these. */
  feeds: { memberKey: string; field: string }[];
}

export interface FormConflict {
  field: string;
  reason: string;
  /** The separate fields the conflicting definitions became. */
  variants: { name: string; members: string[] }[];
}

export interface MergedForm {
  schema: Schema;
  fields: MergedField[];
  conflicts: FormConflict[];
  /** Whole-form rules (allOf, if/then …) a member form has that the merged form leaves out. */
  notes: string[];
}

const ANNOTATIONS = new Set(['title', 'description', 'examples', 'default', '$comment']);
const LOWER_BOUNDS = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems'];
const UPPER_BOUNDS = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems'];
const ENVELOPE = new Set(['$schema', '$id', 'type', 'title', 'description', 'properties', 'required', 'additionalProperties']);

function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  return `{${Object.keys(value as Schema).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Schema)[k])}`).join(',')}}`;
}

const typesOf = (s: Schema): string[] => (s.type === undefined ? [] : Array.isArray(s.type) ? [...(s.type as string[])].sort() : [String(s.type)]);

/**
 * One definition both a and b accept an answer to, or the reason there is none. Bounds are
 * intersected (the stricter wins); an enum narrows a free field; anything else must match.
 */
export function combineFieldSchemas(a: Schema, b: Schema): { schema: Schema } | { reason: string } {
  const ta = typesOf(a);
  const tb = typesOf(b);
  const out: Schema = { ...a };
  if (canonical(ta) !== canonical(tb)) {
    const numeric = (t: string[]) => t.length === 1 && (t[0] === 'integer' || t[0] === 'number');
    if (!(numeric(ta) && numeric(tb))) return { reason: `类型不同（${ta.join('/') || '任意'} 与 ${tb.join('/') || '任意'}）` };
    out.type = 'integer';
  }
  if ((a.format ?? null) !== (b.format ?? null)) return { reason: `格式不同（${String(a.format ?? '无')} 与 ${String(b.format ?? '无')}）` };
  if (a.enum !== undefined && b.enum !== undefined) {
    const sa = new Set((a.enum as unknown[]).map(canonical));
    const sb = new Set((b.enum as unknown[]).map(canonical));
    if (sa.size !== sb.size || [...sa].some((v) => !sb.has(v))) return { reason: '可选项不同' };
  } else if (b.enum !== undefined) out.enum = b.enum;
  if (a.pattern !== undefined && b.pattern !== undefined && a.pattern !== b.pattern) return { reason: '格式规则（pattern）不同' };
  if (a.pattern === undefined && b.pattern !== undefined) out.pattern = b.pattern;
  for (const k of LOWER_BOUNDS) if (typeof b[k] === 'number') out[k] = typeof a[k] === 'number' ? Math.max(a[k] as number, b[k] as number) : b[k];
  for (const k of UPPER_BOUNDS) if (typeof b[k] === 'number') out[k] = typeof a[k] === 'number' ? Math.min(a[k] as number, b[k] as number) : b[k];
  for (const [lo, hi] of [['minimum', 'maximum'], ['minLength', 'maxLength'], ['minItems', 'maxItems']] as const) {
    if (typeof out[lo] === 'number' && typeof out[hi] === 'number' && (out[lo] as number) > (out[hi] as number)) return { reason: '取值范围没有交集' };
  }
  const handled = new Set(['type', 'format', 'enum', 'pattern', ...LOWER_BOUNDS, ...UPPER_BOUNDS, ...ANNOTATIONS]);
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (!handled.has(k) && canonical(a[k]) !== canonical(b[k])) return { reason: `定义不同（${k}）` };
  }
  return { schema: out };
}

interface Use {
  memberKey: string;
  memberName: string;
  schema: Schema;
  required: boolean;
}

/** The merged form of the members, in member order and each member's field order. */
export function mergeForms(title: string, members: readonly FormMember[]): MergedForm {
  const byName = new Map<string, Use[]>();
  const notes: string[] = [];
  for (const m of members) {
    const props = (m.formSchema.properties ?? {}) as Record<string, Schema>;
    const requiredList = ((m.formSchema.required ?? []) as string[]).filter((n) => n in props);
    const required = new Set(requiredList);
    // Stored as jsonb, a schema's properties lose their order; its required list keeps it.
    const order = [...requiredList, ...Object.keys(props).filter((n) => !required.has(n))];
    for (const name of order) {
      const schema = props[name]!;
      if (!byName.has(name)) byName.set(name, []);
      byName.get(name)!.push({ memberKey: m.key, memberName: m.name, schema, required: required.has(name) });
    }
    const extra = Object.keys(m.formSchema).filter((k) => !ENVELOPE.has(k));
    if (extra.length) notes.push(`“${m.name}”的申请表另有整体规则（${extra.join('、')}），合并表单未体现，拆分后按该事项原表校验。`);
  }
  const fields: MergedField[] = [];
  const conflicts: FormConflict[] = [];
  for (const [name, uses] of byName) {
    // Greedy clustering: each use joins the first variant it is compatible with.
    const clusters: { schema: Schema; uses: Use[]; reason?: string }[] = [];
    let firstReason: string | null = null;
    for (const use of uses) {
      let placed = false;
      for (const c of clusters) {
        const r = combineFieldSchemas(c.schema, use.schema);
        if ('schema' in r) {
          c.schema = r.schema;
          c.uses.push(use);
          placed = true;
          break;
        }
        firstReason ??= r.reason;
      }
      if (!placed) clusters.push({ schema: use.schema, uses: [use] });
    }
    const variants: FormConflict['variants'] = [];
    for (const c of clusters) {
      const fieldName = clusters.length === 1 ? name : `${c.uses[0]!.memberKey}:${name}`;
      fields.push({
        name: fieldName,
        title: String(c.schema.title ?? name) + (clusters.length === 1 ? '' : `（${c.uses.map((u) => u.memberName).join('、')}）`),
        schema: c.schema,
        required: c.uses.some((u) => u.required),
        feeds: c.uses.map((u) => ({ memberKey: u.memberKey, field: name })),
      });
      variants.push({ name: fieldName, members: c.uses.map((u) => u.memberKey) });
    }
    if (clusters.length > 1) conflicts.push({ field: name, reason: firstReason ?? '定义不同', variants });
  }
  const properties: Record<string, Schema> = {};
  for (const f of fields) properties[f.name] = { ...f.schema, title: f.title };
  const schema: Schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    title,
    properties,
    required: fields.filter((f) => f.required).map((f) => f.name),
    additionalProperties: false,
  };
  return { schema, fields, conflicts, notes };
}

// Own compiler (as validation.ts): forms carry Chinese titles that strict mode rejects.
const ajv = new Ajv({ strict: false, allErrors: true });
type AddFormats = (a: Ajv) => Ajv;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ?? addFormatsModule) as unknown as AddFormats;
addFormats(ajv);
const compiled = new Map<string, ValidateFunction>();

/** A compiled validator per distinct schema; the cache is bounded like the region cache. */
function validatorFor(schema: Schema): ValidateFunction {
  const key = canonical(schema);
  let v = compiled.get(key);
  if (!v) {
    if (compiled.size >= 500) compiled.clear();
    v = ajv.compile(schema);
    compiled.set(key, v);
  }
  return v;
}

function messageFor(e: ErrorObject, title: string): string {
  switch (e.keyword) {
    case 'required':
      return `请填写“${title}”`;
    case 'enum':
      return `“${title}”请从给出的选项中选择`;
    case 'type':
      return `“${title}”的填写格式不对`;
    case 'pattern':
    case 'format':
      return `“${title}”的格式不正确`;
    case 'minLength':
    case 'maxLength':
      return `“${title}”的长度不符合要求（${e.message ?? ''}）`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `“${title}”超出允许的范围（${e.message ?? ''}）`;
    default:
      return `“${title}”不符合要求（${e.message ?? e.keyword}）`;
  }
}

export interface SplitPart {
  memberKey: string;
  answers: Record<string, unknown>;
}

export interface SplitResult {
  ok: boolean;
  parts: SplitPart[];
  /** Problems named by merged-form field, each once, in field order. */
  errors: FieldError[];
}

/**
 * Splits merged-form answers into each member's own answers and validates each against that
 * member's form schema. Errors are reported under the merged field that feeds the value, so
 * the merged form can show them beside the field the applicant filled in.
 */
export function splitAnswers(form: MergedForm, members: readonly FormMember[], answers: Record<string, unknown>): SplitResult {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  const add = (field: string, message: string) => {
    if (!seen.has(`${field}\u0000${message}`)) {
      seen.add(`${field}\u0000${message}`);
      errors.push({ field, message });
    }
  };
  const known = new Map(form.fields.map((f) => [f.name, f]));
  for (const k of Object.keys(answers)) if (!known.has(k)) add(k, '合并申请表中没有这一项');
  const parts: SplitPart[] = [];
  for (const m of members) {
    const own: Record<string, unknown> = {};
    const mergedNameOf = new Map<string, MergedField>();
    for (const f of form.fields) {
      for (const feed of f.feeds) {
        if (feed.memberKey !== m.key) continue;
        mergedNameOf.set(feed.field, f);
        if (answers[f.name] !== undefined) own[feed.field] = answers[f.name];
      }
    }
    parts.push({ memberKey: m.key, answers: own });
    const validate = validatorFor(m.formSchema);
    if (validate(own)) continue;
    for (const e of validate.errors ?? []) {
      const prop = e.keyword === 'required' ? String((e.params as { missingProperty?: string }).missingProperty ?? '') : e.instancePath.split('/')[1] ?? '';
      const field = mergedNameOf.get(prop);
      if (field) add(field.name, messageFor(e, field.title));
      else add(prop || '(全部)', `“${m.name}”的申请表：${e.message ?? e.keyword}`);
    }
  }
  const order = [...known.keys()];
  errors.sort((a, b) => (order.indexOf(a.field) >>> 0) - (order.indexOf(b.field) >>> 0));
  return { ok: errors.length === 0, parts, errors };
}
