// What render, parse and validate agree on about an application form's JSON Schema: the
// order of its fields, the kind of input each becomes, the labels of its choices and the
// dotted input names (`parent.child`, `list.0.child`) that tie an answer to its field.
export type Schema = Record<string, unknown>;

export type FieldKind =
  | 'text'
  | 'textarea'
  | 'lines'
  | 'number'
  | 'radios'
  | 'select'
  | 'checkbox'
  | 'yesno'
  | 'checkboxes'
  | 'group'
  | 'list';

/** Above this many options a choice becomes a select instead of radios. */
export const MAX_RADIOS = 5;
/** Longer free text than this gets a textarea. */
export const TEXTAREA_FROM = 200;
/** Rows of a list of objects shown at most when the schema sets no maxItems. */
export const DEFAULT_MAX_ROWS = 10;

const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

export function typeOf(s: Schema): string | undefined {
  if (typeof s.type === 'string') return s.type;
  // ["string", "null"] and the like: the first non-null type is what the applicant answers.
  if (Array.isArray(s.type)) return (s.type as unknown[]).find((t) => t !== 'null') as string | undefined;
  if (s.enum !== undefined || s.const !== undefined) return 'string';
  if (isSchema(s.properties)) return 'object';
  return undefined;
}

export function propertiesOf(s: Schema): Record<string, Schema> {
  const props = isSchema(s.properties) ? s.properties : {};
  const out: Record<string, Schema> = {};
  for (const [k, v] of Object.entries(props)) if (isSchema(v)) out[k] = v;
  return out;
}

export function requiredOf(s: Schema): Set<string> {
  return new Set(Array.isArray(s.required) ? (s.required as unknown[]).filter((x): x is string => typeof x === 'string') : []);
}

/**
 * Property names in display order: `x-order` when the schema gives one (unknown names are
 * skipped, unlisted ones follow), else the required list's order and then the rest — a
 * jsonb column loses key order but keeps arrays, as the 一件事 merged form also assumes.
 */
export function orderedNames(s: Schema): string[] {
  const props = propertiesOf(s);
  const names = Object.keys(props);
  const head: string[] = [];
  const order = Array.isArray(s['x-order']) ? (s['x-order'] as unknown[]) : Array.isArray(s.required) ? (s.required as unknown[]) : [];
  for (const n of order) if (typeof n === 'string' && n in props && !head.includes(n)) head.push(n);
  return [...head, ...names.filter((n) => !head.includes(n))];
}

export interface Choice {
  value: string | number | boolean;
  label: string;
}

/** The options of an enum, with labels from enumNames / x-enumNames or a oneOf of const+title. */
export function choicesOf(s: Schema): Choice[] | null {
  const alternatives = Array.isArray(s.oneOf) ? s.oneOf : Array.isArray(s.anyOf) ? s.anyOf : null;
  if (alternatives && alternatives.length && alternatives.every((a) => isSchema(a) && 'const' in a)) {
    return (alternatives as Schema[]).map((a) => ({ value: a.const as Choice['value'], label: String(a.title ?? a.const) }));
  }
  if (!Array.isArray(s.enum)) return null;
  const names = Array.isArray(s.enumNames) ? s.enumNames : Array.isArray(s['x-enumNames']) ? (s['x-enumNames'] as unknown[]) : [];
  return (s.enum as unknown[])
    .filter((v): v is Choice['value'] => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
    .map((v, i) => ({ value: v, label: typeof names[i] === 'string' ? (names[i] as string) : String(v) }));
}

export function itemsOf(s: Schema): Schema {
  return isSchema(s.items) ? s.items : {};
}

/** The input kind a property becomes; `required` matters for booleans only. */
export function kindOf(s: Schema, required: boolean): FieldKind {
  const type = typeOf(s);
  if (type === 'object') return 'group';
  if (type === 'array') {
    const items = itemsOf(s);
    if (choicesOf(items)) return 'checkboxes';
    return typeOf(items) === 'object' ? 'list' : 'lines';
  }
  if (type === 'boolean') return required ? 'yesno' : 'checkbox';
  const choices = choicesOf(s);
  if (choices) return choices.length <= MAX_RADIOS ? 'radios' : 'select';
  if (type === 'integer' || type === 'number') return 'number';
  if (typeof s.maxLength === 'number' && s.maxLength > TEXTAREA_FROM) return 'textarea';
  return 'text';
}

export function titleOf(s: Schema, name: string): string {
  return typeof s.title === 'string' && s.title.trim() ? s.title : name;
}

/** How many rows a list of objects shows: what was answered plus one blank, within bounds. */
export function listRows(s: Schema, answered: number): number {
  const max = typeof s.maxItems === 'number' ? s.maxItems : DEFAULT_MAX_ROWS;
  const min = typeof s.minItems === 'number' ? s.minItems : 0;
  return Math.max(1, Math.min(max, Math.max(min, answered + 1)), Math.min(answered, max));
}

/** The value at a dotted path in an answers object. */
export function valueAt(values: unknown, path: string): unknown {
  let cur: unknown = values;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}
