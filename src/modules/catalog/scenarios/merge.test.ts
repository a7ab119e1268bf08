// Unit tests of the 一件事 merge rules (no database): one merged form with fields asked once
// and conflicts kept apart, split back per member with each member's own schema, materials
// de-duplicated with the strictest requirement, and honest totals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { combineFieldSchemas, mergeForms, splitAnswers, type FormMember } from './form.ts';
import { bundleTotals, mergeMaterials, normaliseMaterialName } from './materials.ts';
import type { Material } from '../schemas.ts';

const str = (title: string, extra: Record<string, unknown> = {}) => ({ type: 'string', title, minLength: 1, ...extra });
const form = (properties: Record<string, unknown>, required: string[], extra: Record<string, unknown> = {}) => ({ type: 'object', properties, required, additionalProperties: false, ...extra });

const CERT: FormMember = {
  key: '11-0301-000',
  name: '出生医学证明办理',
  formSchema: form({ applicantName: str('申请人姓名', { maxLength: 30 }), idNumber: str('公民身份号码', { pattern: '^\\d{17}[\\dX]$' }), kind: { type: 'string', title: '办理类型', enum: ['首次签发', '补发'] }, babyName: str('新生儿姓名', { maxLength: 30 }) }, ['applicantName', 'idNumber', 'kind', 'babyName']),
};
const HUKOU: FormMember = {
  key: '07-0104-000',
  name: '新生儿出生登记',
  formSchema: form({ applicantName: str('姓名', { maxLength: 20 }), idNumber: str('公民身份号码', { pattern: '^\\d{17}[\\dX]$' }), kind: { type: 'string', title: '登记类型', enum: ['随父', '随母'] }, babyName: str('新生儿姓名', { maxLength: 30 }), rooms: { type: 'integer', title: '间数', minimum: 1 } }, ['applicantName', 'babyName']),
};
const INSURANCE: FormMember = {
  key: '11-1102-000',
  name: '城乡居民医保参保登记',
  formSchema: form({ applicantName: str('申请人姓名'), babyName: { type: 'number', title: '新生儿姓名' }, rooms: { type: 'number', title: '房间', maximum: 5 } }, ['applicantName']),
};

test('fields with the same name and compatible definitions are asked once, with the stricter bounds', () => {
  const merged = mergeForms('出生一件事联合申请表', [CERT, HUKOU]);
  const names = merged.fields.map((f) => f.name);
  assert.deepEqual(names, ['applicantName', 'idNumber', '11-0301-000:kind', '07-0104-000:kind', 'babyName', 'rooms']);
  const name = merged.fields.find((f) => f.name === 'applicantName')!;
  assert.equal(name.schema.maxLength, 20, 'the shorter maximum length wins so both departments accept the answer');
  assert.equal(name.title, '申请人姓名');
  assert.deepEqual(name.feeds, [{ memberKey: '11-0301-000', field: 'applicantName' }, { memberKey: '07-0104-000', field: 'applicantName' }]);
  assert.equal(merged.fields.find((f) => f.name === 'idNumber')!.required, true, 'required when any member requires it');
  assert.equal(merged.fields.find((f) => f.name === 'rooms')!.required, false);
  assert.deepEqual(merged.schema.required, ['applicantName', 'idNumber', '11-0301-000:kind', 'babyName'], 'the hukou kind is optional there, so optional here');
  assert.equal(merged.schema.additionalProperties, false);
  // Different option lists cannot be one question: kept apart and reported.
  assert.equal(merged.conflicts.length, 1);
  assert.equal(merged.conflicts[0]!.field, 'kind');
  assert.equal(merged.conflicts[0]!.reason, '可选项不同');
  assert.deepEqual(merged.conflicts[0]!.variants, [{ name: '11-0301-000:kind', members: ['11-0301-000'] }, { name: '07-0104-000:kind', members: ['07-0104-000'] }]);
  assert.match(merged.fields.find((f) => f.name === '11-0301-000:kind')!.title, /办理类型（出生医学证明办理）/);
});

test('a conflicting type splits a field; integer and number merge to integer within both ranges', () => {
  const merged = mergeForms('t', [CERT, HUKOU, INSURANCE]);
  const baby = merged.fields.filter((f) => f.feeds.some((x) => x.field === 'babyName'));
  assert.deepEqual(baby.map((f) => f.name), ['11-0301-000:babyName', '11-1102-000:babyName']);
  assert.deepEqual(baby[0]!.feeds.map((x) => x.memberKey), ['11-0301-000', '07-0104-000'], 'the compatible members share one variant');
  assert.match(merged.conflicts.find((c) => c.field === 'babyName')!.reason, /类型不同（string 与 number）/);
  const rooms = merged.fields.find((f) => f.name === 'rooms')!;
  assert.deepEqual([rooms.schema.type, rooms.schema.minimum, rooms.schema.maximum], ['integer', 1, 5]);
  assert.deepEqual(combineFieldSchemas({ type: 'integer', minimum: 6 }, { type: 'number', maximum: 5 }), { reason: '取值范围没有交集' });
  assert.deepEqual(combineFieldSchemas({ type: 'string', format: 'date' }, { type: 'string' }), { reason: '格式不同（date 与 无）' });
  assert.deepEqual(combineFieldSchemas({ type: 'string', pattern: 'a' }, { type: 'string', pattern: 'b' }), { reason: '格式规则（pattern）不同' });
  assert.deepEqual(combineFieldSchemas({ type: 'string' }, { type: 'string', enum: ['是', '否'] }), { schema: { type: 'string', enum: ['是', '否'] } });
});

test('whole-form rules a member has are reported, not silently dropped', () => {
  const withRule = { ...HUKOU, formSchema: { ...HUKOU.formSchema, allOf: [{ required: ['rooms'] }] } };
  assert.match(mergeForms('t', [CERT, withRule]).notes[0]!, /“新生儿出生登记”的申请表另有整体规则（allOf）/);
});

test('split gives each member its own answers and validates them with its own schema', () => {
  const members = [CERT, HUKOU];
  const merged = mergeForms('t', members);
  const answers = { applicantName: '张三', idNumber: '11010519491231002X', '11-0301-000:kind': '首次签发', '07-0104-000:kind': '随母', babyName: '张小宝', rooms: 2 };
  const r = splitAnswers(merged, members, answers);
  assert.equal(r.ok, true, JSON.stringify(r.errors));
  assert.deepEqual(r.parts, [
    { memberKey: '11-0301-000', answers: { applicantName: '张三', idNumber: '11010519491231002X', kind: '首次签发', babyName: '张小宝' } },
    { memberKey: '07-0104-000', answers: { applicantName: '张三', idNumber: '11010519491231002X', kind: '随母', babyName: '张小宝', rooms: 2 } },
  ]);
  // Errors come back under the merged field names the applicant saw, once each.
  const bad = splitAnswers(merged, members, { applicantName: '张'.repeat(25), idNumber: '123', '11-0301-000:kind': '随母', rooms: 0, extra: 1 });
  assert.equal(bad.ok, false);
  const byField = new Map(bad.errors.map((e) => [e.field, e.message]));
  assert.match(byField.get('applicantName')!, /“申请人姓名”的长度不符合要求/, 'too long for the stricter member (20)');
  assert.match(byField.get('idNumber')!, /“公民身份号码”的格式不正确/);
  assert.match(byField.get('11-0301-000:kind')!, /请从给出的选项中选择/);
  assert.match(byField.get('babyName')!, /请填写“新生儿姓名”/);
  assert.match(byField.get('rooms')!, /超出允许的范围/);
  assert.equal(byField.get('extra'), '合并申请表中没有这一项');
  assert.equal(bad.errors.filter((e) => e.field === 'babyName').length, 1, 'a field two members need is reported once');
  assert.equal(bad.errors.at(-1)!.field, 'extra', 'unknown fields last, the rest in form order');
  assert.ok(!byField.has('07-0104-000:kind'), 'the hukou kind is optional');
});

const mat = (id: string, name: string, extra: Partial<Material> = {}): Material => ({ id, name, form: 'electronic', count: 1, required: true, source: 'upload', ...extra });

test('materials: same name or same e-licence / data resource listed once with who needs them', () => {
  const merged = mergeMaterials([
    { key: 'a', name: '出生医学证明办理', materials: [mat('mother_id', '母亲居民身份证', { source: 'licence', licenceType: 'id_card' }), mat('form', '申请表（出生）'), mat('photo', '照片', { form: 'copy', count: 2 })] },
    { key: 'b', name: '出生登记', materials: [mat('ids', '父母居民身份证', { source: 'licence', licenceType: 'id_card', count: 2 }), mat('cert', '《出生医学证明》', { form: 'original', when: { kind: 'first' } }), mat('household', '户籍信息', { source: 'data', dataResource: '公安人口户籍信息' })] },
    { key: 'c', name: '医保参保', materials: [mat('cert2', '出生医学证明', { source: 'licence', licenceType: 'birth_certificate', required: false }), mat('hh', '户口信息', { source: 'data', dataResource: '公安人口户籍信息' }), mat('photo', ' 照 片 ', { form: 'original', required: false })] },
  ]);
  assert.deepEqual(merged.map((m) => m.name), ['母亲居民身份证', '申请表（出生）', '照片', '《出生医学证明》', '户籍信息']);
  const id = merged[0]!;
  assert.deepEqual([id.aliases, id.count, id.exempt, id.licenceTypes, id.neededBy.map((n) => n.memberKey)], [['父母居民身份证'], 2, true, ['id_card'], ['a', 'b']]);
  const photo = merged[2]!;
  assert.deepEqual([photo.form, photo.count, photo.required, photo.exempt], ['original', 2, true, false], 'strictest form, largest count, required if any requires');
  const cert = merged[3]!;
  assert.deepEqual([cert.aliases, cert.form, cert.exempt, cert.partlyExempt, cert.conditional], [[], 'original', false, true, false], 'one department wants the paper original: only partly exempt; 《》 make no alias');
  assert.deepEqual(cert.neededBy.map((n) => [n.memberKey, n.when]), [['b', { kind: 'first' }], ['c', null]]);
  const household = merged[4]!;
  assert.deepEqual([household.exempt, household.dataResources, household.aliases], [true, ['公安人口户籍信息'], ['户口信息']]);
  assert.equal(normaliseMaterialName('《营业执照》（副本）'), normaliseMaterialName('营业执照 (副本)'));
});

test('a material only some situations need stays conditional', () => {
  const [m] = mergeMaterials([
    { key: 'a', name: 'A', materials: [mat('loss', '遗失声明', { when: { kind: 'reissue' } })] },
    { key: 'b', name: 'B', materials: [mat('loss', '遗失声明', { when: { why: 'lost' } })] },
  ]);
  assert.equal(m!.conditional, true);
});

test('totals: each department\'s promise, the longest and the sum; visits at most the maximum; fees summed in fen', () => {
  const content = (promised: number, legal: number, visits: number, fees: number[], depth = 4, level = 2) => ({ promisedLimitDays: promised, legalLimitDays: legal, visits, fees: fees.map((amountFen) => ({ name: 'f', amountFen, basis: '' })), onlineDepth: depth, minRealNameLevel: level });
  const t = bundleTotals([
    { key: 'a', name: 'A', departmentName: '卫健委', content: content(5, 20, 0, []) },
    { key: 'b', name: 'B', departmentName: '公安局', content: content(3, 30, 1, [2000, 1000], 3, 3) },
    { key: 'c', name: 'C', departmentName: '医保局', content: content(0, 1, 0, [8000]) },
  ]);
  assert.deepEqual([t.maxPromisedDays, t.sumPromisedDays, t.maxLegalDays, t.visits, t.feesFen, t.allOnline, t.minRealNameLevel], [5, 8, 30, 1, 11000, false, 3]);
  assert.deepEqual(t.departments.map((d) => [d.departmentName, d.promisedDays]), [['卫健委', 5], ['公安局', 3], ['医保局', 0]]);
  assert.deepEqual([bundleTotals([]).maxPromisedDays, bundleTotals([]).allOnline], [0, false]);
});
