// Text processing for catalogue search, shared by indexing and querying so both sides
// produce the same lexemes: normalisation, jieba segmentation, pinyin and initials, typo
// correction against the indexed term dictionary, and <mark> highlighting. No I/O here.
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { pinyin } from 'pinyin-pro';
import { distance } from 'fastest-levenshtein';

// Loading the dictionary takes ≈170 ms: once per process, on first use.
let jieba: Jieba | null = null;
function segmenter(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

const HAN = /\p{Script=Han}/u;
const ALL_HAN = /^\p{Script=Han}+$/u;

/**
 * Full-width → half-width (NFKC), tone marks dropped (kě → ke, so pinyin typed with tones
 * still matches), lower case, punctuation to spaces, whitespace collapsed, at most 100 chars.
 */
export function normalise(text: string): string {
  return text
    .normalize('NFKC')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .slice(0, 100)
    .trim();
}

/** A lexeme safe to quote inside a tsquery: letters and digits only. */
export function clean(word: string): string {
  return word.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

export function isHan(word: string): boolean {
  return ALL_HAN.test(word);
}

/** Toneless pinyin of the Han characters, other characters kept (ü as v). */
export function pinyinOf(text: string): string {
  return clean(pinyin(text, { toneType: 'none', type: 'array', v: true, nonZh: 'consecutive' }).join(''));
}

export function initialsOf(text: string): string {
  return clean(pinyin(text, { pattern: 'first', toneType: 'none', type: 'array', v: true, nonZh: 'consecutive' }).join(''));
}

export function cut(text: string): string[] {
  return segmenter().cut(text, true).map(clean).filter(Boolean);
}

function cutForSearch(text: string): string[] {
  return segmenter().cutForSearch(text, true).map(clean).filter(Boolean);
}

/**
 * The terms a published implementation is found by: jieba words (fine and coarse) of its
 * name, keywords and sub-items, each phrase whole, and the pinyin and initials of words and
 * whole phrases (so `shipin`, `spjy` and `shipinjingyingxuke` all reach 食品经营许可).
 */
export function documentTerms(doc: { name: string; keywords: readonly string[]; subItems?: readonly string[] }): string[] {
  const terms = new Set<string>();
  const phrase = (raw: string, whole: boolean) => {
    const text = normalise(raw);
    for (const part of text.split(' ')) {
      if (!part) continue;
      if (whole && part.length >= 2) terms.add(part);
      for (const w of cutForSearch(part)) {
        if (w.length < 2 && isHan(w)) continue; // single characters match far too much
        terms.add(w);
        if (HAN.test(w)) {
          terms.add(pinyinOf(w));
          terms.add(initialsOf(w));
        }
      }
      if (whole && HAN.test(part)) {
        terms.add(pinyinOf(part));
        terms.add(initialsOf(part));
      }
    }
  };
  phrase(doc.name, true);
  for (const k of doc.keywords) phrase(k, true);
  for (const s of doc.subItems ?? []) phrase(s, false);
  terms.delete('');
  return [...terms];
}

/** The indexed terms with how many documents hold each (from ts_stat). */
export class TermDictionary {
  readonly docs: Map<string, number>;
  private readonly ascii: string[];
  private readonly byPinyin = new Map<string, string[]>();

  constructor(entries: Iterable<[string, number]>) {
    this.docs = new Map(entries);
    this.ascii = [...this.docs.keys()].filter((t) => !HAN.test(t)).sort();
    for (const t of this.docs.keys()) {
      if (!isHan(t)) continue;
      const key = pinyinOf(t);
      const list = this.byPinyin.get(key) ?? [];
      list.push(t);
      this.byPinyin.set(key, list);
    }
  }

  has(term: string): boolean {
    return this.docs.has(term);
  }

  /** True when some indexed term starts with `prefix` (binary search over sorted terms). */
  hasPrefix(prefix: string): boolean {
    let lo = 0;
    let hi = this.ascii.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ascii[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.ascii.length && this.ascii[lo]!.startsWith(prefix);
  }

  /**
   * A correction for a word with no hits, or null. Two-character Han words are corrected
   * only to a homophone (the usual input-method slip, 许克 → 许可): any other one-character
   * change of a two-character word is a different word. Longer Han words and pinyin of four
   * or more letters accept one edit.
   */
  correct(word: string): string | null {
    const pick = (cands: string[]) => cands.sort((a, b) => (this.docs.get(b) ?? 0) - (this.docs.get(a) ?? 0) || (a < b ? -1 : 1))[0] ?? null;
    if (isHan(word)) {
      if (word.length < 2) return null;
      const homophones = (this.byPinyin.get(pinyinOf(word)) ?? []).filter((t) => t.length === word.length);
      if (homophones.length) return pick(homophones);
      if (word.length < 3) return null;
      return pick([...this.docs.keys()].filter((t) => isHan(t) && Math.abs(t.length - word.length) <= 1 && distance(t, word) === 1));
    }
    if (word.length < 4) return null;
    return pick(this.ascii.filter((t) => Math.abs(t.length - word.length) <= 1 && distance(t, word) === 1));
  }
}

export interface Synonym {
  phrase: string;
  terms: string[];
}

export interface QueryPlan {
  normalised: string;
  /** to_tsquery('simple', …) text, or null when nothing in the query can match. */
  tsquery: string | null;
  /** Han terms to mark in names, and pinyin/initial prefixes. */
  marks: string[];
  prefixes: string[];
  corrections: { from: string; to: string }[];
  synonyms: string[];
}

// Words people wrap around what they want; they neither match nor count against a query.
const FILLER = new Set(['怎么', '怎样', '如何', '办理', '申请', '需要', '什么', '哪里', '在哪', '我想', '想要', '可以', '材料', '手续', '流程', '多久', '要求', '一下', '请问']);

/**
 * Words of `text` as tsquery operands AND-ed together. Words the index does not know are
 * corrected when possible and otherwise dropped, so filler words (我想、怎么、办理) do not
 * empty the result; but when most of the content words are unknown (火箭发射许可), the one
 * known word would mislead, so nothing matches.
 */
function conjunction(text: string, d: TermDictionary, plan: QueryPlan): string | null {
  const parts: string[] = [];
  let unknown = 0;
  for (const w of cut(text)) {
    if (FILLER.has(w) || (isHan(w) && w.length < 2 && !d.has(w))) continue;
    const before = parts.length;
    resolve(w);
    if (parts.length === before) unknown++;
  }
  return parts.length && parts.length > unknown ? [...new Set(parts)].join(' & ') : null;

  function resolve(w: string): void {
    if (HAN.test(w)) {
      if (d.has(w)) {
        parts.push(`'${w}'`);
        plan.marks.push(w);
        return;
      }
      const subs = cutForSearch(w).filter((s) => s !== w && d.has(s));
      if (subs.length) {
        parts.push(...subs.map((s) => `'${s}'`));
        plan.marks.push(...subs);
        return;
      }
      const fixed = d.correct(w);
      if (fixed) {
        parts.push(`'${fixed}'`);
        plan.marks.push(fixed);
        plan.corrections.push({ from: w, to: fixed });
      }
    } else if (d.hasPrefix(w)) {
      parts.push(`'${w}':*`);
      plan.prefixes.push(w);
    } else {
      const fixed = d.correct(w);
      if (fixed) {
        parts.push(`'${fixed}'`);
        plan.prefixes.push(fixed);
        plan.corrections.push({ from: w, to: fixed });
      }
    }
  }
}

/** Turns what a citizen typed into a tsquery over the index's lexemes. */
export function planQuery(query: string, d: TermDictionary, synonyms: readonly Synonym[]): QueryPlan {
  const normalised = normalise(query);
  const plan: QueryPlan = { normalised, tsquery: null, marks: [], prefixes: [], corrections: [], synonyms: [] };
  if (!normalised) return plan;
  const alternatives: string[] = [];
  // Colloquial phrases first, longest first; what they cover leaves the literal query.
  let rest = normalised;
  const compact = normalised.replace(/ /g, '');
  for (const s of [...synonyms].sort((a, b) => b.phrase.length - a.phrase.length)) {
    const phrase = normalise(s.phrase).replace(/ /g, '');
    if (!phrase || !compact.includes(phrase)) continue;
    plan.synonyms.push(s.phrase);
    rest = rest.replace(phrase, ' ');
    for (const t of s.terms) {
      const alt = conjunction(normalise(t), d, plan);
      if (alt) alternatives.push(alt);
    }
  }
  rest = rest.replace(/\s+/g, ' ').trim();
  if (rest) {
    const main = conjunction(rest, d, plan);
    if (main) alternatives.push(main);
    // The whole query as pinyin catches mixed and homophone typing (食品经营许kě, 许克).
    if (HAN.test(rest)) {
      const py = pinyinOf(rest.replace(/ /g, ''));
      if (py.length >= 4 && d.hasPrefix(py)) {
        alternatives.push(`'${py}':*`);
        plan.prefixes.push(py);
      }
    }
  }
  const unique = [...new Set(alternatives)];
  plan.tsquery = unique.length ? unique.map((a) => `(${a})`).join(' | ') : null;
  plan.marks = [...new Set(plan.marks)];
  plan.prefixes = [...new Set(plan.prefixes)];
  return plan;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** `text` HTML-escaped with <mark> around the matched terms and the words a pinyin prefix covers. */
export function highlight(text: string, marks: readonly string[], prefixes: readonly string[]): string {
  const on = new Array<boolean>(text.length).fill(false);
  const lower = text.toLowerCase();
  for (const m of marks) {
    for (let i = lower.indexOf(m); m && i >= 0; i = lower.indexOf(m, i + m.length)) on.fill(true, i, i + m.length);
  }
  if (prefixes.length) {
    const words: { start: number; end: number; py: string; ini: string }[] = [];
    let pos = 0;
    for (const w of segmenter().cut(text, true)) {
      if (HAN.test(w)) words.push({ start: pos, end: pos + w.length, py: pinyinOf(w), ini: initialsOf(w) });
      pos += w.length;
    }
    for (const p of prefixes) {
      for (const key of ['py', 'ini'] as const) {
        for (let i = 0; i < words.length; i++) {
          let acc = '';
          for (let j = i; j < words.length; j++) {
            acc += words[j]![key];
            if (p.startsWith(acc)) {
              on.fill(true, words[i]!.start, words[j]!.end);
              if (acc.length === p.length) break;
            } else {
              if (acc.startsWith(p)) on.fill(true, words[i]!.start, words[j]!.end);
              break;
            }
          }
        }
      }
    }
  }
  let out = '';
  for (let i = 0; i < text.length; ) {
    let j = i;
    while (j < text.length && on[j] === on[i]) j++;
    const part = escapeHtml(text.slice(i, j));
    out += on[i] ? `<mark>${part}</mark>` : part;
    i = j;
  }
  return out;
}
