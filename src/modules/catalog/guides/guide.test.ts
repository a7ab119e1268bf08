// Unit tests of the guide's wording and of 好办 personalisation (no database).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFen, materialSourceText, visitsText, workingDaysText } from './guide.ts';
import { answersQuery, parseAnswers, personalise } from './personalise.ts';
import type { ImplementationContent } from '../schemas.ts';

test('fees: integer fen as yuan, zero as 不收费', () => {
  assert.equal(formatFen(1200), '¥12.00');
  assert.equal(formatFen(5), '¥0.05');
  assert.equal(formatFen(99), '¥0.99');
  assert.equal(formatFen(123456789), '¥1,234,567.89');
  assert.equal(formatFen(0), '不收费');
});

test('material source wording names the licence type or data resource', () => {
  assert.equal(materialSourceText({ source: 'upload' }), '申请人提交');
  assert.equal(materialSourceText({ source: 'licence', licenceType: '居民身份证' }), '电子证照免提交（居民身份证）');
  assert.equal(materialSourceText({ source: 'licence' }), '电子证照免提交');
  assert.equal(materialSourceText({ source: 'data', dataResource: '户籍信息' }), '数据共享免提交（户籍信息）');
  assert.equal(materialSourceText({ source: 'data' }), '数据共享免提交');
});

test('visits and working days', () => {
  assert.equal(visitsText(0), '0 次（不见面办理，零跑动）');
  assert.equal(visitsText(1), '最多跑 1 次');
  assert.equal(workingDaysText(20), '20 个工作日');
  assert.equal(workingDaysText(0), '即办');
});

const content: Pick<ImplementationContent, 'questions' | 'acceptanceConditions' | 'materials'> = {
  questions: [
    { id: 'first', text: '是否首次申请？', options: [{ value: 'yes', label: '是' }, { value: 'no', label: '否' }] },
    { id: 'agent', text: '是否委托他人办理？', options: [{ value: 'yes', label: '是' }, { value: 'no', label: '否' }] },
  ],
  acceptanceConditions: [{ text: '具有完全民事行为能力' }, { text: '原证件已遗失或损坏', when: { first: 'no' } }],
  materials: [
    { id: 'form', name: '申请表', form: 'original', count: 1, required: true, source: 'upload' },
    { id: 'old', name: '原证件', form: 'original', count: 1, required: true, source: 'upload', when: { first: 'no' } },
    { id: 'proxy', name: '授权委托书', form: 'original', count: 1, required: true, source: 'upload', when: { agent: 'yes' } },
    { id: 'both', name: '代办人身份证明', form: 'copy', count: 1, required: true, source: 'upload', when: { first: 'no', agent: 'yes' } },
  ],
};

test('personalise: no answers lists everything, items depending on questions marked conditional', () => {
  const p = personalise(content, {});
  assert.equal(p.personalised, false);
  assert.deepEqual(p.materials.map((m) => [m.id, m.conditional]), [['form', false], ['old', true], ['proxy', true], ['both', true]]);
  assert.equal(p.conditions.length, 2);
  assert.equal(p.unanswered.length, 2);
});

test('personalise: answers keep only matching items; unconditional items always apply', () => {
  const first = personalise(content, { first: 'yes', agent: 'no' });
  assert.equal(first.personalised, true);
  assert.deepEqual(first.materials.map((m) => m.id), ['form']);
  assert.deepEqual(first.conditions.map((c) => c.text), ['具有完全民事行为能力']);
  assert.deepEqual(first.answered.map((a) => a.label), ['是', '否']);

  const renewByAgent = personalise(content, { first: 'no', agent: 'yes' });
  assert.deepEqual(renewByAgent.materials.map((m) => [m.id, m.conditional]), [['form', false], ['old', false], ['proxy', false], ['both', false]]);
});

test('personalise: a partly answered guide keeps items that depend on the open question', () => {
  const p = personalise(content, { first: 'no' });
  assert.deepEqual(p.materials.map((m) => [m.id, m.conditional]), [['form', false], ['old', false], ['proxy', true], ['both', true]]);
  assert.deepEqual(p.unanswered.map((u) => u.questionId), ['agent']);
});

test('parseAnswers: ignores other parameters and empty values, reports invalid values by question', () => {
  assert.deepEqual(parseAnswers(content.questions, { first: 'no', agent: '', utm: 'x' }), { answers: { first: 'no' }, errors: [] });
  const bad = parseAnswers(content.questions, { first: 'maybe', agent: 'yes' });
  assert.deepEqual(bad.answers, { agent: 'yes' });
  assert.deepEqual(bad.errors.map((e) => e.field), ['first']);
  assert.match(bad.errors[0]!.message, /是否首次申请/);
  assert.equal(answersQuery(content.questions, { agent: 'yes', first: 'no' }), '?first=no&agent=yes');
  assert.equal(answersQuery(content.questions, {}), '');
});
