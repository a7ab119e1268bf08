import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPrefill, applicantOf } from './prefill.ts';
import { answerLines } from './summary.ts';

const schema = {
  type: 'object',
  properties: {
    applicantName: { type: 'string', title: '申请人姓名' },
    idNumber: { type: 'string', title: '公民身份号码' },
    phone: { type: 'string', title: '手机号码' },
    shopName: { type: 'string', title: '店铺名称' },
    seats: { type: 'integer', title: '座位数' },
    kind: { type: 'string', title: '类型', enum: ['a', 'b'], enumNames: ['餐饮', '零售'] },
  },
  required: ['applicantName', 'idNumber', 'phone', 'shopName'],
};
const identity = { applicantName: '张三', idNumber: '11010519491231002X' };

test('identity is read-only and fixed, profile and previous answers are tagged by source', () => {
  const p = buildPrefill(schema, { identity, profile: { phone: '13900000001', mobile: '13900000001' }, previous: { applicantName: '旧名字', phone: '13800000000', shopName: '知味小馆', seats: 20, extra: 'x' } });
  assert.deepEqual(p.values, { applicantName: '张三', idNumber: '11010519491231002X', phone: '13900000001', shopName: '知味小馆', seats: 20 });
  assert.deepEqual(p.readOnly, ['applicantName', 'idNumber']);
  assert.deepEqual(p.fixed, identity);
  assert.deepEqual(p.provenance, { applicantName: { source: 'identity' }, idNumber: { source: 'identity' }, phone: { source: 'profile' }, shopName: { source: 'previous' }, seats: { source: 'previous' } });
});

test('a draft overrides suggestions, never identity; a changed value loses its tag', () => {
  const p = buildPrefill(
    schema,
    { identity, profile: { phone: '13900000001' }, previous: { shopName: '知味小馆', seats: 20 } },
    { applicantName: '李四', idNumber: '320102199003070012', phone: '13900000001', shopName: '新店', seats: 20, notInForm: 1 },
  );
  assert.equal(p.values.applicantName, '张三');
  assert.equal(p.values.idNumber, '11010519491231002X');
  assert.equal(p.values.shopName, '新店');
  assert.equal(p.values.notInForm, undefined);
  assert.equal(p.provenance.shopName, undefined, 'the applicant changed it');
  assert.deepEqual(p.provenance.seats, { source: 'previous' });
  assert.deepEqual(p.provenance.phone, { source: 'profile' });
});

test('再来一单: a draft copied from the earlier case is tagged as coming from it', () => {
  const previous = { shopName: '知味小馆', kind: 'b' };
  const p = buildPrefill(schema, { identity: {}, profile: {}, previous }, { shopName: '知味小馆', kind: 'b' });
  assert.deepEqual(p.provenance, { shopName: { source: 'previous' }, kind: { source: 'previous' } });
  assert.deepEqual(p.readOnly, []);
});

test('without a verified identity nothing is read-only', () => {
  const p = buildPrefill(schema, { identity: {}, profile: { phone: '13900000001' }, previous: null });
  assert.deepEqual(p.values, { phone: '13900000001' });
  assert.deepEqual(p.fixed, {});
});

test('the applicant of a proxy session is the principal', () => {
  const base = { kind: 'citizen' as const, accountId: 'proxy', displayName: 'x', realNameLevel: 2 as const, accountLevel: 2 as const, sessionId: 's' };
  assert.deepEqual(applicantOf(base), { kind: 'citizen', id: 'proxy' });
  assert.deepEqual(applicantOf({ ...base, onBehalfOf: { accountId: 'principal', grantId: 'g', proxyAccountId: 'proxy', items: 'all' } }), { kind: 'citizen', id: 'principal' });
  assert.equal(applicantOf({ kind: 'anonymous' }), null);
});

test('answer lines show choice labels and mark what was left blank', () => {
  const lines = answerLines(schema, { applicantName: '张三', kind: 'b', seats: 0 });
  assert.deepEqual(lines.find((l) => l.field === 'kind'), { field: 'kind', label: '类型', value: '零售' });
  assert.equal(lines.find((l) => l.field === 'seats')!.value, '0');
  assert.equal(lines.find((l) => l.field === 'shopName')!.value, '（未填写）');
});
