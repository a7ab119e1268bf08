// From an urlencoded form body back to answers shaped like the form's JSON Schema: numbers,
// booleans, arrays from repeated fields or lines, nested objects from dotted names. Blank
// means "not answered". Junk is kept as the string typed (never thrown on), so validation
// names the field and the re-rendered form shows the applicant what they entered.
import { itemsOf, kindOf, orderedNames, propertiesOf, requiredOf, typeOf, type Schema } from './schema.ts';

export type FormBody = Record<string, string | string[] | undefined>;

export interface ParseOptions {
  /**
   * Values the applicant may not change (read-only identity fields), by dotted name: they
   * replace whatever the body says, because a read-only input is only a display.
   */
  fixed?: Record<string, unknown>;
}

/** Beyond this many rows a list's posted rows are ignored (a form shows at most maxItems). */
const MAX_LIST_ROWS = 200;
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

function all(body: FormBody, name: string): string[] {
  const v = Object.prototype.hasOwnProperty.call(body, name) ? body[name] : undefined;
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

// Chinese input methods often type full-width digits and signs: ０-９，．－＋.
function halfWidth(s: string): string {
  return s.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

/** One posted string as the schema's type, or undefined when blank. */
export function coerce(s: Schema, raw: string): unknown {
  const type = typeOf(s);
  const text = raw.replace(/\r\n?/g, '\n').trim();
  if (text === '') return undefined;
  if (type === 'integer' || type === 'number') {
    const n = halfWidth(text).replace(/[\s,，]/g, '');
    if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(n)) {
      const num = Number(n);
      if (Number.isFinite(num)) return num;
    }
    return text;
  }
  if (type === 'boolean') {
    const t = text.toLowerCase();
    if (['true', 'on', '1', 'yes', '是'].includes(t)) return true;
    if (['false', 'off', '0', 'no', '否'].includes(t)) return false;
    return text;
  }
  // Codes, numbers and dates typed with full-width digits; free Chinese text keeps its ，。
  if (type === 'string' && (typeof s.pattern === 'string' || typeof s.format === 'string')) {
    const narrow = halfWidth(text);
    const m = s.format === 'date-time' ? /^(\d{4}-\d\d-\d\d)[T\s]+(\d\d:\d\d)(:\d\d)?$/.exec(narrow) : null;
    // Typed without a zone; the platform's applicants are in China (UTC+8).
    if (m) return `${m[1]}T${m[2]}${m[3] ?? ':00'}+08:00`;
    return narrow;
  }
  return text;
}

function isEmpty(v: unknown): boolean {
  return v === undefined || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0);
}

function parseValue(s: Schema, name: string, required: boolean, body: FormBody, keys: readonly string[]): unknown {
  switch (kindOf(s, required)) {
    case 'group':
      return parseObject(s, `${name}.`, body, keys);
    case 'list': {
      const rows = new Set<number>();
      const prefix = `${name}.`;
      for (const k of keys) {
        if (!k.startsWith(prefix)) continue;
        const m = /^(\d{1,4})\./.exec(k.slice(prefix.length));
        if (m) rows.add(Number(m[1]));
      }
      const items = { ...itemsOf(s), type: 'object' };
      const out = [...rows]
        .sort((a, b) => a - b)
        .slice(0, MAX_LIST_ROWS)
        .map((i) => parseObject(items, `${prefix}${i}.`, body, keys))
        .filter((row) => !isEmpty(row));
      return out.length ? out : undefined;
    }
    case 'checkboxes': {
      const items = itemsOf(s);
      const out = all(body, name).map((v) => coerce(items, v)).filter((v) => v !== undefined);
      return out.length ? out : undefined;
    }
    case 'lines': {
      const items = itemsOf(s);
      const out = all(body, name).flatMap((v) => v.split(/\r\n?|\n/)).map((v) => coerce(items, v)).filter((v) => v !== undefined);
      return out.length ? out : undefined;
    }
    default: {
      // The last value wins: a checkbox posts after its hidden "false".
      const values = all(body, name);
      return values.length ? coerce(s, values[values.length - 1]!) : undefined;
    }
  }
}

function parseObject(s: Schema, prefix: string, body: FormBody, keys: readonly string[]): Record<string, unknown> {
  const props = propertiesOf(s);
  const req = requiredOf(s);
  const out: Record<string, unknown> = {};
  for (const n of orderedNames(s)) {
    if (FORBIDDEN.has(n)) continue;
    const v = parseValue(props[n]!, prefix + n, req.has(n), body, keys);
    if (!isEmpty(v)) out[n] = v;
  }
  return out;
}

function setAt(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  if (parts.some((p) => FORBIDDEN.has(p))) return;
  let cur: Record<string, unknown> = target;
  for (const p of parts.slice(0, -1)) {
    const next = cur[p];
    if (next === null || typeof next !== 'object') cur[p] = {};
    cur = cur[p] as Record<string, unknown>;
  }
  const last = parts[parts.length - 1]!;
  if (value === undefined) delete cur[last];
  else cur[last] = value;
}

/** The answers a posted form gives, typed as the schema says. Never throws. */
export function parseForm(schema: Schema, body: FormBody | null | undefined, options: ParseOptions = {}): Record<string, unknown> {
  const safe: FormBody = body && typeof body === 'object' ? body : {};
  const out = parseObject(schema, '', safe, Object.keys(safe));
  for (const [path, value] of Object.entries(options.fixed ?? {})) setAt(out, path, value);
  return out;
}
