// Server-side rendering of an application form's JSON Schema into design-system fields
// (see form-fields.eta): every input has a label, hints and errors are tied to it with
// aria-describedby, choices are fieldsets with a legend, and a pre-filled value says where
// it came from. The view model is built here so the template stays dumb and escaped.
import { Eta } from 'eta';
import { VIEWS_ROOT } from '../../../platform/web/render.ts';
import type { FieldError } from '../../../platform/http/errors.ts';
import { choicesOf, itemsOf, kindOf, listRows, orderedNames, propertiesOf, requiredOf, titleOf, typeOf, valueAt, type FieldKind, type Schema } from './schema.ts';

export type ProvenanceSource = 'identity' | 'profile' | 'previous' | 'licence';
export interface Provenance {
  source: ProvenanceSource;
  /** Overrides the tag's words, e.g. 来自电子证照《营业执照》. */
  label?: string;
}

export interface RenderFormInput {
  schema: Schema;
  /** Answers (the shape parseForm returns), e.g. the draft, the pre-fill or what was posted. */
  values?: Record<string, unknown>;
  errors?: readonly FieldError[];
  /** Where pre-filled values came from, by field name (`parent.child`). */
  provenance?: Record<string, Provenance>;
  /** Fields shown but not editable (verified identity); the server must re-impose them. */
  readOnly?: readonly string[];
  readOnlyReasons?: Record<string, string>;
}

export const SOURCE_LABELS: Record<ProvenanceSource, string> = {
  identity: '来自实名信息',
  profile: '来自个人资料',
  previous: '来自上次申请',
  licence: '来自电子证照',
};

const READ_ONLY_REASONS: Record<ProvenanceSource, string> = {
  identity: '已按实名认证信息填写，不能修改；如有误，请先更正实名认证信息。',
  profile: '已按个人资料填写，不能在此修改。',
  previous: '沿用上次申请的内容，不能在此修改。',
  licence: '已按电子证照填写，不能在此修改。',
};

export const REQUIRED_MARK = '（必填）';

export interface OptionView {
  id: string;
  value: string;
  label: string;
  checked: boolean;
}

export interface FieldView {
  kind: FieldKind | 'fixed';
  name: string;
  id: string;
  label: string;
  required: boolean;
  hint: string | null;
  error: string | null;
  /** Pre-fill provenance tag text. */
  source: string | null;
  readOnlyReason: string | null;
  describedBy: string | null;
  value: string;
  inputType: string;
  /** Extra attributes of the input, already stringified. */
  attrs: [string, string][];
  options: OptionView[];
  /** The hidden inputs that carry a fixed (read-only) field's values. */
  hidden: string[];
  children: FieldView[];
}

// Well-known fields get the autocomplete token and keyboard that fit them.
const AUTOCOMPLETE: Record<string, { autocomplete: string; type?: string; inputmode?: string }> = {
  applicantName: { autocomplete: 'name' },
  phone: { autocomplete: 'tel', type: 'tel', inputmode: 'tel' },
  mobile: { autocomplete: 'tel', type: 'tel', inputmode: 'tel' },
  email: { autocomplete: 'email' },
  postcode: { autocomplete: 'postal-code', inputmode: 'numeric' },
};

// Only the input types the design system styles; a date-time is typed as text (Chromium's
// datetime-local is unstyled by site.css and drops what it cannot parse, losing the input).
const INPUT_TYPES: Record<string, string> = { date: 'date', email: 'email' };
const FORMAT_HINTS: Record<string, string> = { 'date-time': '例如 2025-06-30 09:30', time: '例如 09:30', uri: '例如 https://www.example.com' };

export function displayValue(v: unknown, s?: Schema): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Array.isArray(v)) return v.map((x) => displayValue(x, s)).join('\n');
  if (typeof v === 'object') return '';
  // Shown as typed: 2025-06-30 09:30 (China time, as parse assumes).
  if (s?.format === 'date-time' && typeof v === 'string') {
    const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d)(:00)?(\+08:00)?$/.exec(v);
    if (m) return `${m[1]} ${m[2]}`;
  }
  return String(v);
}

function choiceLabel(s: Schema, v: unknown): string {
  if (typeof v === 'boolean' && typeOf(s) === 'boolean') return v ? '是' : '否';
  const c = (choicesOf(s) ?? choicesOf(itemsOf(s)))?.find((o) => o.value === v);
  return c ? c.label : displayValue(v);
}

interface Context {
  input: RenderFormInput;
  errors: Map<string, string>;
  readOnly: Set<string>;
}

function build(ctx: Context, s: Schema, name: string, requiredInSchema: boolean, label: string, optionalRow = false): FieldView {
  // In a list row the applicant may leave blank (it is dropped on parse) nothing is required.
  const required = requiredInSchema && !optionalRow;
  const kind = kindOf(s, required);
  const value = valueAt(ctx.input.values ?? {}, name);
  const prov = ctx.input.provenance?.[name];
  const present = value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0);
  const fixed = ctx.readOnly.has(name) && present && kind !== 'group' && kind !== 'list';
  const view: FieldView = {
    kind: fixed ? 'fixed' : kind,
    name,
    id: name,
    label,
    required,
    hint: typeof s.description === 'string' && s.description.trim() ? s.description : kind === 'lines' ? '每行填写一项' : kind === 'text' ? (FORMAT_HINTS[String(s.format)] ?? null) : null,
    error: ctx.errors.get(name) ?? null,
    source: prov && present ? (prov.label ?? SOURCE_LABELS[prov.source] ?? null) : null,
    readOnlyReason: fixed ? (ctx.input.readOnlyReasons?.[name] ?? READ_ONLY_REASONS[prov?.source ?? 'identity']) : null,
    describedBy: null,
    value: kind === 'lines' ? displayValue(value) : typeof value === 'object' ? '' : displayValue(value, s),
    inputType: 'text',
    attrs: [],
    options: [],
    hidden: [],
    children: [],
  };
  view.describedBy =
    [view.hint && `${name}-hint`, view.source && `${name}-source`, view.readOnlyReason && `${name}-readonly`, view.error && `${name}-error`].filter(Boolean).join(' ') || null;
  const attr = (k: string, v: unknown) => view.attrs.push([k, String(v)]);
  if (fixed) {
    view.value = Array.isArray(value) ? value.map((v) => choiceLabel(s, v)).join('、') : choiceLabel(s, value);
    view.hidden = Array.isArray(value) ? value.map((v) => displayValue(v)) : [displayValue(value, s)];
    return view;
  }
  const known = AUTOCOMPLETE[name.split('.').pop()!];
  switch (kind) {
    case 'text': {
      view.inputType = (typeof s.format === 'string' && INPUT_TYPES[s.format]) || known?.type || 'text';
      if (typeof s.maxLength === 'number') attr('maxlength', s.maxLength);
      if (typeof s.pattern === 'string') attr('pattern', s.pattern);
      if (known) attr('autocomplete', known.autocomplete);
      if (known?.inputmode) attr('inputmode', known.inputmode);
      break;
    }
    case 'textarea':
      if (typeof s.maxLength === 'number') attr('maxlength', s.maxLength);
      break;
    case 'lines':
      break;
    case 'number': {
      view.inputType = 'number';
      const integer = typeOf(s) === 'integer';
      attr('inputmode', integer ? 'numeric' : 'decimal');
      attr('step', integer ? 1 : 'any');
      if (typeof s.minimum === 'number') attr('min', s.minimum);
      if (typeof s.maximum === 'number') attr('max', s.maximum);
      break;
    }
    case 'radios':
    case 'select':
    case 'checkboxes':
    case 'yesno':
    case 'checkbox': {
      const choices = kind === 'checkboxes' ? choicesOf(itemsOf(s))! : kind === 'yesno' || kind === 'checkbox' ? [{ value: true, label: '是' }, { value: false, label: '否' }] : choicesOf(s)!;
      const picked = new Set((Array.isArray(value) ? value : [value]).map((v) => displayValue(v)));
      view.options = choices.map((c, i) => ({ id: i === 0 ? name : `${name}-${i}`, value: displayValue(c.value), label: c.label, checked: picked.has(displayValue(c.value)) }));
      if (kind === 'checkbox') view.options = view.options.slice(0, 1);
      break;
    }
    case 'group': {
      const props = propertiesOf(s);
      const req = requiredOf(s);
      view.children = orderedNames(s).map((n) => build(ctx, props[n]!, `${name}.${n}`, req.has(n), titleOf(props[n]!, n), optionalRow));
      break;
    }
    case 'list': {
      const items = itemsOf(s);
      const rows = listRows(s, Array.isArray(value) ? value.length : 0);
      const itemTitle = titleOf(items, label);
      const minRows = typeof s.minItems === 'number' ? s.minItems : 0;
      const answered = Array.isArray(value) ? value.length : 0;
      for (let i = 0; i < rows; i++) {
        // Rows the list must have, and rows already answered, keep their required marks; a
        // blank extra row is optional (dropped on parse) so it must not block submitting.
        view.children.push(build(ctx, { ...items, type: 'object' }, `${name}.${i}`, false, `${itemTitle}（第 ${i + 1} 项）`, i >= Math.max(minRows, answered)));
      }
      break;
    }
  }
  return view;
}

/** The field views of a form, in display order (for pages that include form-fields.eta). */
export function formFields(input: RenderFormInput): FieldView[] {
  const errors = new Map<string, string>();
  for (const e of input.errors ?? []) if (!errors.has(e.field)) errors.set(e.field, e.message);
  const ctx: Context = { input, errors, readOnly: new Set(input.readOnly ?? []) };
  const props = propertiesOf(input.schema);
  const req = requiredOf(input.schema);
  return orderedNames(input.schema).map((n) => build(ctx, props[n]!, n, req.has(n), titleOf(props[n]!, n)));
}

// One compiled-template cache for every form; the partial is a file in this folder.
const eta = new Eta({ views: VIEWS_ROOT, cache: true, autoEscape: true, useWith: false });
export const FORM_FIELDS_VIEW = '/modules/cases/forms/form-fields.eta';

/** The fields of the form as HTML (without the <form> element, CSRF token or buttons). */
export function renderForm(input: RenderFormInput): string {
  return eta.render(FORM_FIELDS_VIEW, { fields: formFields(input), mark: REQUIRED_MARK });
}
