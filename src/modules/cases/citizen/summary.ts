// The answers of an application as label/value lines, for the review step and the case page
// (choices shown by their labels, lists joined, nested groups flattened under their titles).
import { maskIdNumber, maskMobile } from '../../../platform/crypto/personal-data.ts';
import { choicesOf, itemsOf, orderedNames, propertiesOf, titleOf, typeOf, type Schema } from '../forms/schema.ts';

export interface AnswerLine {
  field: string;
  label: string;
  value: string;
}

function text(s: Schema, v: unknown): string {
  if (v === undefined || v === null || v === '') return '';
  if (typeof v === 'boolean' && typeOf(s) === 'boolean') return v ? '是' : '否';
  if (Array.isArray(v)) return v.map((x) => text(itemsOf(s), x)).filter(Boolean).join('、');
  if (typeof v === 'object') return '';
  const choice = choicesOf(s)?.find((c) => c.value === v);
  return choice ? choice.label : String(v);
}

/** ID numbers and mobile numbers shown masked, as on every page after submission. */
function masked(value: string): string {
  if (/^\d{17}[\dX]$/.test(value)) return maskIdNumber(value);
  if (/^1\d{10}$/.test(value)) return maskMobile(value);
  return value;
}

/** `mask`: for pages shown after submission (the case page), where personal numbers are masked. */
export function answerLines(schema: Schema, answers: Record<string, unknown>, prefix = '', labelPrefix = '', mask = false): AnswerLine[] {
  const props = propertiesOf(schema);
  const out: AnswerLine[] = [];
  for (const name of orderedNames(schema)) {
    const s = props[name]!;
    const label = `${labelPrefix}${titleOf(s, name)}`;
    const v = answers[name];
    if (typeOf(s) === 'object' && v && typeof v === 'object' && !Array.isArray(v)) {
      out.push(...answerLines(s, v as Record<string, unknown>, `${prefix}${name}.`, `${label}：`, mask));
    } else if (typeOf(s) === 'array' && typeOf(itemsOf(s)) === 'object' && Array.isArray(v)) {
      v.forEach((row, i) => {
        if (row && typeof row === 'object') out.push(...answerLines(itemsOf(s), row as Record<string, unknown>, `${prefix}${name}.${i}.`, `${label}（第 ${i + 1} 项）：`, mask));
      });
    } else {
      const shown = text(s, v);
      out.push({ field: `${prefix}${name}`, label, value: shown ? (mask ? masked(shown) : shown) : '（未填写）' });
    }
  }
  return out;
}
