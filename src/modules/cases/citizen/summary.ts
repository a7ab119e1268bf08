// The answers of an application as label/value lines, for the review step and the case page
// (choices shown by their labels, lists joined, nested groups flattened under their titles).
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

export function answerLines(schema: Schema, answers: Record<string, unknown>, prefix = '', labelPrefix = ''): AnswerLine[] {
  const props = propertiesOf(schema);
  const out: AnswerLine[] = [];
  for (const name of orderedNames(schema)) {
    const s = props[name]!;
    const label = `${labelPrefix}${titleOf(s, name)}`;
    const v = answers[name];
    if (typeOf(s) === 'object' && v && typeof v === 'object' && !Array.isArray(v)) {
      out.push(...answerLines(s, v as Record<string, unknown>, `${prefix}${name}.`, `${label}：`));
    } else if (typeOf(s) === 'array' && typeOf(itemsOf(s)) === 'object' && Array.isArray(v)) {
      v.forEach((row, i) => {
        if (row && typeof row === 'object') out.push(...answerLines(itemsOf(s), row as Record<string, unknown>, `${prefix}${name}.${i}.`, `${label}（第 ${i + 1} 项）：`));
      });
    } else {
      out.push({ field: `${prefix}${name}`, label, value: text(s, v) || '（未填写）' });
    }
  }
  return out;
}
