// 好办 (guided guide): the applicant's answers to an implementation's questions select the
// acceptance conditions and materials that apply to them. Pure functions, no I/O.
import type { FieldError } from '../../../platform/http/errors.ts';
import type { ImplementationContent } from '../schemas.ts';

export type Answers = Record<string, string>;
type Question = ImplementationContent['questions'][number];
type Condition = ImplementationContent['acceptanceConditions'][number];
type MaterialItem = ImplementationContent['materials'][number];

export interface Personalised {
  conditions: (Condition & { conditional: boolean })[];
  materials: (MaterialItem & { conditional: boolean })[];
  /** At least one question was answered: this is a personal guide. */
  personalised: boolean;
  answered: { questionId: string; question: string; value: string; label: string }[];
  /** Questions left unanswered; items that depend on them are still listed. */
  unanswered: { questionId: string; question: string }[];
}

/**
 * An item applies unless an answer contradicts its `when`. An item whose `when` names an
 * unanswered question is kept (we cannot rule it out) and marked `conditional`, so the
 * applicant sees it may apply to them rather than losing it silently.
 */
function applies(when: Record<string, string> | undefined, answers: Answers): { keep: boolean; conditional: boolean } {
  if (!when) return { keep: true, conditional: false };
  let conditional = false;
  for (const [questionId, expected] of Object.entries(when)) {
    const given = answers[questionId];
    if (given === undefined) conditional = true;
    else if (given !== expected) return { keep: false, conditional: false };
  }
  return { keep: true, conditional };
}

/** The conditions and materials that apply to these (already validated) answers. */
export function personalise(content: Pick<ImplementationContent, 'questions' | 'acceptanceConditions' | 'materials'>, answers: Answers): Personalised {
  const conditions: Personalised['conditions'] = [];
  for (const c of content.acceptanceConditions) {
    const r = applies(c.when, answers);
    if (r.keep) conditions.push({ ...c, conditional: r.conditional });
  }
  const materials: Personalised['materials'] = [];
  for (const m of content.materials) {
    const r = applies(m.when, answers);
    if (r.keep) materials.push({ ...m, conditional: r.conditional });
  }
  const answered: Personalised['answered'] = [];
  const unanswered: Personalised['unanswered'] = [];
  for (const q of content.questions) {
    const value = answers[q.id];
    const option = q.options.find((o) => o.value === value);
    if (option) answered.push({ questionId: q.id, question: q.text, value: option.value, label: option.label });
    else unanswered.push({ questionId: q.id, question: q.text });
  }
  return { conditions, materials, personalised: answered.length > 0, answered, unanswered };
}

/**
 * Reads answers from query parameters named by question id. Other parameters are ignored
 * (links may carry tracking or future parameters); an empty value means unanswered; a value
 * that is not one of the question's options is a field error.
 */
export function parseAnswers(questions: readonly Question[], query: Record<string, unknown>): { answers: Answers; errors: FieldError[] } {
  const answers: Answers = {};
  const errors: FieldError[] = [];
  for (const q of questions) {
    const raw = query[q.id];
    if (raw === undefined || raw === '') continue;
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (typeof value === 'string' && q.options.some((o) => o.value === value)) answers[q.id] = value;
    else errors.push({ field: q.id, message: `“${q.text}”请从给出的选项中选择` });
  }
  return { answers, errors };
}

/** The shareable query string for a set of answers, in question order. */
export function answersQuery(questions: readonly Question[], answers: Answers): string {
  const params = new URLSearchParams();
  for (const q of questions) if (answers[q.id] !== undefined) params.set(q.id, answers[q.id]!);
  const s = params.toString();
  return s ? `?${s}` : '';
}
