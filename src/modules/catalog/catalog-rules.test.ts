import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffContent } from './diff.ts';
import { checkConsistency, describeDeviation } from './consistency.ts';
import { implementationCode, parseImplementationCode } from './codes.ts';

const basis = [
  { kind: 'law' as const, title: '《中华人民共和国食品安全法》', article: '第三十五条' },
  { kind: 'rule' as const, title: '《食品经营许可和备案管理办法》', article: '第二条' },
];
const basic = { name: '食品经营许可', code: '01-0001-000', itemType: '01' as const, legalBasis: basis };
const impl = { name: '食品经营许可', basicCode: '01-0001-000', itemType: '01' as const, legalBasis: [...basis].reverse() };

test('三级四同: an identical implementation passes, whatever the order of citations', () => {
  assert.deepEqual(checkConsistency(basic, impl), []);
});

test('三级四同: each of the four fields is caught and described in Chinese', () => {
  const bad = { name: '开办饭店许可', basicCode: '01-0001-001', itemType: '11' as const, legalBasis: [basis[0]!] };
  const devs = checkConsistency(basic, bad);
  assert.deepEqual(devs.map((d) => d.field).sort(), ['code', 'itemType', 'legalBasis', 'name']);
  assert.match(describeDeviation(devs.find((d) => d.field === 'name')!), /事项名称应为“食品经营许可”，实为“开办饭店许可”/);
});

test('diff names changed paths and matches materials by id', () => {
  const before = { promisedLimitDays: 10, materials: [{ id: 'a', name: '申请书', count: 1 }, { id: 'b', name: '身份证', count: 1 }] };
  const after = { promisedLimitDays: 5, materials: [{ id: 'z', name: '委托书', count: 1 }, { id: 'a', name: '申请书', count: 2 }, { id: 'b', name: '身份证', count: 1 }] };
  assert.deepEqual(diffContent(before, after), [
    { path: 'materials[a].count', before: 1, after: 2 },
    { path: 'materials[z]', after: { id: 'z', name: '委托书', count: 1 } },
    { path: 'promisedLimitDays', before: 10, after: 5 },
  ]);
  assert.deepEqual(diffContent(before, before), []);
});

test('implementation code round-trips', () => {
  const code = implementationCode({ basicCode: '01-0001-000', regionCode: '320102', sequence: 1, creditCode: '11320100Y000001044', subItem: '02' });
  assert.equal(code, '010001000-320102000000-001-11320100Y000001044-1-02');
  assert.deepEqual(parseImplementationCode(code), { basicCode: '01-0001-000', regionCode: '320102', sequence: 1, creditCode: '11320100Y000001044', subItem: '02' });
  assert.equal(parseImplementationCode('bad'), null);
});
