// For tests only: what a browser would post from rendered form fields (checked radios and
// checkboxes, selected options, textarea text, every other named input), sample answers
// for a schema, and the inputs that lack a label. Reads only the markup renderForm writes.
import { choicesOf, itemsOf, kindOf, orderedNames, propertiesOf, requiredOf, typeOf, type Schema } from './schema.ts';

const decode = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

export function attrsOf(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/\s([a-zA-Z-]+)(?:="([^"]*)")?/g)) out[m[1]!] = decode(m[2] ?? '');
  return out;
}

export interface Control {
  tag: 'input' | 'select' | 'textarea';
  attrs: Record<string, string>;
  value: string;
}

export function controlsOf(html: string): Control[] {
  const out: Control[] = [];
  for (const m of html.matchAll(/<input(\s[^>]*)>|<textarea(\s[^>]*)>([\s\S]*?)<\/textarea>|<select(\s[^>]*)>([\s\S]*?)<\/select>/g)) {
    if (m[1] !== undefined) {
      const attrs = attrsOf(m[1]);
      out.push({ tag: 'input', attrs, value: attrs.value ?? '' });
    } else if (m[2] !== undefined) {
      out.push({ tag: 'textarea', attrs: attrsOf(m[2]), value: decode(m[3]!) });
    } else {
      const options = [...m[5]!.matchAll(/<option(\s[^>]*)>/g)].map((o) => attrsOf(o[1]!));
      const chosen = options.find((o) => 'selected' in o) ?? options[0];
      out.push({ tag: 'select', attrs: attrsOf(m[4]!), value: chosen?.value ?? '' });
    }
  }
  return out;
}

/** The urlencoded body the browser would send, repeated names as arrays (as @fastify/formbody). */
export function submitted(html: string): Record<string, string | string[]> {
  const body: Record<string, string | string[]> = {};
  for (const c of controlsOf(html)) {
    const name = c.attrs.name;
    if (!name) continue;
    if (c.tag === 'input' && (c.attrs.type === 'radio' || c.attrs.type === 'checkbox') && !('checked' in c.attrs)) continue;
    const prev = body[name];
    body[name] = prev === undefined ? c.value : [...(Array.isArray(prev) ? prev : [prev]), c.value];
  }
  return body;
}

/** Visible controls with no <label for> naming them (or an empty one). */
export function unlabelled(html: string): string[] {
  const labels = new Map<string, string>();
  for (const m of html.matchAll(/<label(\s[^>]*)>([\s\S]*?)<\/label>/g)) labels.set(attrsOf(m[1]!).for ?? '', m[2]!.replace(/<[^>]+>/g, '').trim());
  return controlsOf(html)
    .filter((c) => c.attrs.type !== 'hidden')
    .filter((c) => !c.attrs.id || !labels.get(c.attrs.id))
    .map((c) => c.attrs.id ?? c.attrs.name ?? '?');
}

const PATTERN_SAMPLES: Record<string, string> = {
  '^1\\d{10}$': '13800000000',
  '^[0-9A-HJ-NPQRTUWXY]{2}\\d{6}[0-9A-HJ-NPQRTUWXY]{10}$': '91320102MA1W2X3Y4K',
  '^[A-Z]\\d{9}$': 'E123456789',
  '^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Z][A-Z0-9]{5,6}$': '苏A12345',
  '^\\d{12}$': '320102000001',
  '^\\d{12}[A-Z]{2}\\d{5}[A-Z]\\d{8}$': '320102000001JC00001G00000001',
  '^\\d{16,19}$': '6222020200001234567',
  '^\\d{17}[\\dX]$': '32010219900307001X',
  '^\\d{17}[\\dX]\\d{2}[1-4]?$': '320102199003070012011',
  '^\\d{4}-(0[1-9]|1[0-2])$': '2025-06',
  '^\\d{4}-\\d{6}-\\d{2}-\\d{2}-\\d{6}$': '3201-000001-01-01-000001',
  '^\\d{6,20}$': '12345678',
  '^\\d{6}$': '210000',
};

/** A valid answer for every field of the schema (throws on a pattern it has no sample for). */
export function sampleAnswers(s: Schema, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const props = propertiesOf(s);
  const req = requiredOf(s);
  orderedNames(s).forEach((n, i) => {
    out[n] = sampleValue(props[n]!, n, req.has(n), i + depth);
  });
  return out;
}

function sampleValue(s: Schema, name: string, required: boolean, salt: number): unknown {
  if (Array.isArray(s.examples) && s.examples.length) return s.examples[0];
  const kind = kindOf(s, required);
  const type = typeOf(s);
  if (kind === 'group') return sampleAnswers(s, salt);
  if (kind === 'list') return [sampleAnswers(itemsOf(s), 1), sampleAnswers(itemsOf(s), 2)].slice(0, typeof s.maxItems === 'number' ? s.maxItems : 2);
  if (kind === 'checkboxes') return choicesOf(itemsOf(s))!.slice(0, typeof s.maxItems === 'number' ? Math.min(2, s.maxItems) : 2).map((c) => c.value);
  if (kind === 'lines') return ['第一项', '第二项'].map((x) => (typeOf(itemsOf(s)) === 'string' ? x : 1));
  const choices = choicesOf(s);
  if (choices) return choices[salt % choices.length]!.value;
  if (type === 'boolean') return required ? salt % 2 === 0 : true;
  if (type === 'integer' || type === 'number') {
    const lo = typeof s.minimum === 'number' ? s.minimum : 0;
    const hi = typeof s.maximum === 'number' ? s.maximum : lo + 100;
    const mid = (lo + hi) / 2;
    return type === 'integer' ? Math.floor(mid) : Math.round(mid * 100) / 100;
  }
  if (typeof s.pattern === 'string') {
    const v = PATTERN_SAMPLES[s.pattern];
    if (v === undefined) throw new Error(`no sample for pattern ${s.pattern} (${name})`);
    return v;
  }
  if (s.format === 'date') return '2025-06-30';
  if (s.format === 'date-time') return '2025-06-30T09:30:00+08:00';
  if (s.format === 'email') return 'zhang.san@example.com';
  const max = typeof s.maxLength === 'number' ? s.maxLength : 50;
  const text = kind === 'textarea' ? `第一行：${name}\n第二行` : `示例${name}`;
  return [...text].slice(0, max).join('');
}
