import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { PersonalDataCipher } from '../../platform/crypto/personal-data.ts';
import { makeIdNumber } from '../../platform/identifiers/id-number.ts';
import { DEMO_LICENCE_TYPES, typeIssuedBy, validUntil } from './catalogue.ts';
import { buildLicenceData, openLicenceData, sealLicenceData, validateLicenceData } from './data.ts';
import { parseIdentifier } from './identifier.ts';
import { formatIdentifier } from './identifier.ts';

const food = DEMO_LICENCE_TYPES.find((t) => t.key === 'food_business')!;
const id = makeIdNumber('320102', '19900307', 12);
const base = { holder: { kind: 'person' as const, name: '张三', code: id }, issuerName: '南京市市场监督管理局', caseNumber: '320100202603011000001X' };

test('the demo catalogue: the eleven required types, unique codes and keys, links to basic items', () => {
  const names = DEMO_LICENCE_TYPES.map((t) => t.name);
  for (const n of ['居民户口簿', '居住证', '社会保障卡', '结婚证', '离婚证', '机动车驾驶证', '机动车行驶证', '不动产权证书', '营业执照', '食品经营许可证', '出生医学证明']) assert.ok(names.includes(n), n);
  assert.equal(new Set(DEMO_LICENCE_TYPES.map((t) => t.code)).size, DEMO_LICENCE_TYPES.length);
  assert.equal(new Set(DEMO_LICENCE_TYPES.map((t) => t.key)).size, DEMO_LICENCE_TYPES.length);
  const basicCodes = DEMO_LICENCE_TYPES.flatMap((t) => t.issuedBy);
  assert.equal(new Set(basicCodes).size, basicCodes.length, 'one basic item issues one type');
  assert.equal(typeIssuedBy(DEMO_LICENCE_TYPES, '01-0201-000')?.name, '食品经营许可证');
  assert.equal(typeIssuedBy(DEMO_LICENCE_TYPES, '010201000')?.key, 'food_business', 'as the implementation code carries it');
  assert.equal(typeIssuedBy(DEMO_LICENCE_TYPES, '99-9999-999'), null);
  // Every type code makes a valid identifier.
  for (const t of DEMO_LICENCE_TYPES) assert.ok(parseIdentifier(formatIdentifier({ typeCode: t.code, issuerUscc: '11370800MB28559184', serial: '202600000001', version: '001' })).ok, t.key);
});

test('data is built from the case per the schema, and a case that does not fit says which field', () => {
  const ok = buildLicenceData(food, { ...base, answers: { shopName: ' 知味小馆 ', address: '南京市玄武区中山路1号', ignored: 'x' } });
  assert.ok(ok.ok);
  assert.deepEqual(ok.data, { shopName: '知味小馆', holderName: '张三', holderCode: id, address: '南京市玄武区中山路1号', issuerName: '南京市市场监督管理局', caseNumber: base.caseNumber });

  const missing = buildLicenceData(food, { ...base, answers: {} });
  assert.deepEqual(missing, { ok: false, errors: [{ field: 'answers.shopName', message: '缺少经营者名称' }] });
  const badId = buildLicenceData(food, { ...base, holder: { ...base.holder, code: id.slice(0, -1) + (id.endsWith('1') ? '2' : '1') }, answers: { shopName: 'x' } });
  assert.equal(!badId.ok && badId.errors[0]!.field, 'holder.code');
  const company = buildLicenceData(DEMO_LICENCE_TYPES.find((t) => t.key === 'marriage')!, { ...base, holder: { kind: 'company', name: '某公司', code: '91320100MA1XXXXXXX' }, answers: {} });
  assert.ok(!company.ok && company.errors.some((e) => e.field === 'holder'));
  const longName = buildLicenceData(food, { ...base, answers: { shopName: '店'.repeat(201) } });
  assert.ok(!longName.ok);
});

test('changes are validated against the schema too (unknown keys, dates)', () => {
  const birth = DEMO_LICENCE_TYPES.find((t) => t.key === 'birth_certificate')!;
  const bad = validateLicenceData(birth, { holderName: '李四', holderCode: id, issuerName: 'x', caseNumber: 'y', birthDate: '2026-02-30', colour: 'red' }, 'person');
  assert.ok(!bad.ok);
  assert.deepEqual(bad.errors.map((e) => e.field).sort(), ['birthDate', 'colour']);
});

test('personal fields are sealed at rest and open again; others stay readable', () => {
  const cipher = new PersonalDataCipher({ dataKey: randomBytes(16), blindIndexKey: randomBytes(32) });
  const built = buildLicenceData(food, { ...base, answers: { shopName: '知味小馆' } });
  assert.ok(built.ok);
  const sealed = sealLicenceData(cipher, food, built.data);
  assert.equal(sealed.shopName, '知味小馆');
  assert.notEqual(sealed.holderCode, id);
  assert.ok(!JSON.stringify(sealed).includes(id) && !JSON.stringify(sealed).includes('张三'));
  assert.deepEqual(openLicenceData(cipher, food, sealed), built.data);
});

test('validity: years end the day before the anniversary; permanent has no end', () => {
  assert.equal(validUntil({ kind: 'years', years: 5 }, '2026-03-01'), '2031-02-28');
  assert.equal(validUntil({ kind: 'years', years: 1 }, '2028-02-29'), '2029-02-28');
  assert.equal(validUntil({ kind: 'permanent' }, '2026-03-01'), null);
});
