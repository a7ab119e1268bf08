// The query pipeline without a database: normalisation, synonyms, pinyin and initials,
// typo correction and highlighting over a dictionary built from a few documents.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { documentTerms, highlight, initialsOf, normalise, pinyinOf, planQuery, TermDictionary } from './text.ts';

const docs = [
  { name: '食品经营许可', keywords: ['开饭店'] },
  { name: '出生医学证明', keywords: [] },
  { name: '生育登记', keywords: [] },
  { name: '机动车驾驶证换证', keywords: [] },
];
const dictionary = new TermDictionary(
  (() => {
    const counts = new Map<string, number>();
    for (const d of docs) for (const t of documentTerms(d)) counts.set(t, (counts.get(t) ?? 0) + 1);
    return counts;
  })(),
);
const synonyms = [
  { phrase: '生孩子', terms: ['出生医学证明', '生育登记'] },
  { phrase: '换驾照', terms: ['机动车驾驶证换证'] },
];

test('normalise: full-width to half-width, tones dropped, punctuation and spaces collapsed', () => {
  assert.equal(normalise('  ＳＨＩＰＩＮ　１２３ '), 'shipin 123');
  assert.equal(normalise('食品经营许kě！'), '食品经营许ke');
  assert.equal(normalise('开饭店，要办什么？'), '开饭店 要办什么');
  assert.equal(normalise('x'.repeat(300)).length, 100);
});

test('pinyin and initials of Han text', () => {
  assert.equal(pinyinOf('食品'), 'shipin');
  assert.equal(initialsOf('食品经营许可'), 'spjyxk');
  assert.equal(pinyinOf('绿色'), 'lvse');
});

test('document terms hold words, whole phrases, pinyin and initials', () => {
  const terms = documentTerms(docs[0]!);
  for (const t of ['食品', '经营', '许可', '食品经营许可', 'shipin', 'sp', 'spjyxk', 'shipinjingyingxuke', '开饭店', '饭店']) assert.ok(terms.includes(t), t);
  assert.ok(!terms.includes('开'), 'single characters are not indexed');
});

test('a literal query ANDs its known words and drops filler words', () => {
  const plan = planQuery('我想办食品经营许可', dictionary, []);
  assert.match(plan.tsquery!, /'食品' & '经营' & '许可'|'食品经营许可'/);
  assert.doesNotMatch(plan.tsquery!, /我想/);
  assert.equal(planQuery('火箭发射', dictionary, []).tsquery, null);
  assert.equal(planQuery('火箭发射许可', dictionary, []).tsquery, null, 'one known word among unknown ones would mislead');
  assert.ok(planQuery('怎么办理食品经营许可需要什么材料', dictionary, []).tsquery, 'filler words do not count');
  assert.equal(planQuery('  ', dictionary, []).tsquery, null);
});

test('colloquial phrases expand to every canonical item', () => {
  const plan = planQuery('生孩子要办什么', dictionary, synonyms);
  assert.deepEqual(plan.synonyms, ['生孩子']);
  assert.match(plan.tsquery!, /出生/);
  assert.match(plan.tsquery!, /生育/);
  assert.match(planQuery('驾照到期换驾照', dictionary, synonyms).tsquery!, /驾驶证/);
});

test('pinyin and initials become prefix matches', () => {
  assert.match(planQuery('shipin', dictionary, []).tsquery!, /'shipin':\*/);
  assert.match(planQuery('spjy', dictionary, []).tsquery!, /'spjy':\*/);
  assert.equal(planQuery('zzzz', dictionary, []).tsquery, null);
});

test('typos: a homophone, a tone-marked syllable and a one-letter pinyin slip', () => {
  const homophone = planQuery('食品经营许克', dictionary, []);
  assert.deepEqual(homophone.corrections, [{ from: '许克', to: '许可' }]);
  assert.match(planQuery('食品经营许kě', dictionary, []).tsquery!, /'shipinjingyingxuke':\*/);
  const slip = planQuery('shipim', dictionary, []);
  assert.deepEqual(slip.corrections, [{ from: 'shipim', to: 'shipin' }]);
  const long = planQuery('机动车驾驶正换证', dictionary, []);
  assert.ok(long.tsquery, 'a three-character word one edit away is corrected');
  assert.equal(dictionary.correct('饭馆'), null, 'two-character words are corrected only to homophones');
});

test('highlight marks matched words, pinyin-covered words, and escapes everything else', () => {
  assert.equal(highlight('食品经营许可', ['许可'], []), '食品经营<mark>许可</mark>');
  assert.equal(highlight('食品经营许可', [], ['shipin']), '<mark>食品</mark>经营许可');
  assert.equal(highlight('食品经营许可', [], ['spjy']), '<mark>食品经营</mark>许可');
  assert.equal(highlight('<b>证明</b>', ['证明'], []), '&lt;b&gt;<mark>证明</mark>&lt;/b&gt;');
});

test('ranking input: the literal name and its synonym both reach the same lexemes', () => {
  const a = planQuery('食品经营许可', dictionary, []);
  const b = planQuery('开饭店', dictionary, [{ phrase: '开饭店', terms: ['食品经营许可'] }]);
  assert.ok(a.tsquery && b.tsquery);
  assert.ok(b.tsquery.includes("'食品经营许可'") || b.tsquery.includes("'食品'"));
});
