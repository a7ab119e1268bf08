// Unit checks of account migration: legacy hash verification for every accepted form
// (vectors computed here with node:crypto and bcryptjs) and record normalisation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { makeIdNumber } from '../../../platform/identifiers/id-number.ts';
import { normaliseLegacyHash, verifyLegacyHash } from './legacy.ts';
import { normaliseImportMobile, parseRecords, validateRecord } from './records.ts';

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');
const sha1 = (s: string) => createHash('sha1').update(s, 'utf8').digest('hex');

test('legacy hashes: MD5 and SHA-1, plain and salted, and bcrypt $2a$/$2b$/$2y$', async () => {
  const pw = '旧系统Pass-01';
  assert.equal(await verifyLegacyHash('md5', md5(pw), pw), true);
  assert.equal(await verifyLegacyHash('md5', md5(pw).toUpperCase(), pw), true, 'upper-case hex');
  assert.equal(await verifyLegacyHash('md5', md5(pw), 'Pass-01'), false);
  assert.equal(await verifyLegacyHash('md5', `k9Z.$${md5(`k9Z.${pw}`)}`, pw), true, 'md5(salt + password)');
  assert.equal(await verifyLegacyHash('md5', `k9Z.$${md5(pw)}`, pw), false, 'the salt counts');
  assert.equal(await verifyLegacyHash('sha1', sha1(pw), pw), true);
  assert.equal(await verifyLegacyHash('sha1', `abc$${sha1(`abc${pw}`)}`, pw), true);
  assert.equal(await verifyLegacyHash('sha1', sha1(pw), `${pw} `), false);
  assert.equal(await verifyLegacyHash('sha1', md5(pw), pw), false, 'an MD5 digest is not a SHA-1 hash');
  const b = bcrypt.hashSync(pw, 4);
  assert.match(b, /^\$2b\$04\$/);
  assert.equal(await verifyLegacyHash('bcrypt', b, pw), true);
  assert.equal(await verifyLegacyHash('bcrypt', b.replace('$2b$', '$2y$'), pw), true, 'PHP $2y$');
  assert.equal(await verifyLegacyHash('bcrypt', b.replace('$2b$', '$2a$'), pw), true);
  assert.equal(await verifyLegacyHash('bcrypt', b, 'wrong-pass'), false);
  assert.equal(await verifyLegacyHash('bcrypt', md5(pw), pw), false);
  assert.equal(normaliseLegacyHash('md5', 'a$b$' + md5('x')), null, 'a salt may not contain $');
  assert.equal(normaliseLegacyHash('sha1', sha1('x').slice(1)), null);
});

test('records are normalised: +86 and spaces, lower-case x, trimmed names; bad rows say why', () => {
  const id = makeIdNumber('320102', '19850312', 27);
  const ok = validateRecord({ row: 2, fields: { sourceAccountId: ' u1 ', mobile: '+86 139-1234 5678', name: ' 王  小明 ', idNumber: id.toLowerCase(), passwordHash: md5('x').toUpperCase(), hashKind: 'MD5', realNameLevel: 'L3' } });
  assert.ok('record' in ok);
  assert.deepEqual(ok.record, { row: 2, sourceAccountId: 'u1', mobile: '13912345678', name: '王 小明', idNumber: id.toUpperCase(), hash: md5('x'), hashKind: 'md5', claimedLevel: 3 });
  const wrongCheck = id.slice(0, 17) + (id.endsWith('1') ? '2' : '1');
  const bad = validateRecord({ row: 3, fields: { sourceAccountId: '', mobile: '1234', idNumber: wrongCheck, passwordHash: 'zz', hashKind: 'sha256', realNameLevel: '9' } });
  assert.ok('problems' in bad);
  assert.deepEqual(bad.problems, ['缺少原账户编号', '手机号码格式不正确（应为 11 位大陆手机号码）', '身份证号码校验位不正确，请核对是否输错', '不支持的散列类型“sha256”（仅支持 md5、sha1、bcrypt）', '原系统实名等级应为 1–5']);
});

test('mobiles: +86, 0086 and 86 prefixes, spaces and dashes; nothing else passes', () => {
  for (const m of ['13912345678', '+86 139 1234 5678', '0086-139-1234-5678', '8613912345678']) assert.equal(normaliseImportMobile(m), '13912345678', m);
  for (const m of ['1391234567', '23912345678', '+85213912345678', '']) assert.equal(normaliseImportMobile(m), null, m);
});

test('CSV with a BOM and Chinese headers, and JSON arrays, become records with row numbers', () => {
  const csv = parseRecords('\uFEFF原账户编号,手机号码,姓名\r\nx1,13912345678,王五\r\n\r\nx2,13912345679,"赵\n六"\r\nx3,13912345670,孙七\r\n', 'csv');
  assert.deepEqual(csv.map((r) => [r.row, r.fields.sourceAccountId, r.fields.mobile]), [[2, 'x1', '13912345678'], [5, 'x2', '13912345679'], [6, 'x3', '13912345670']]);
  const json = parseRecords(JSON.stringify([{ sourceAccountId: 7, mobile: '13912345678', realNameLevel: 2 }, 'junk']), 'json');
  assert.deepEqual(json, [{ row: 1, fields: { sourceAccountId: '7', mobile: '13912345678', realNameLevel: '2' } }, { row: 2, fields: {} }]);
  assert.throws(() => parseRecords('{"a":1}', 'json'), /ACCOUNT_IMPORT_FILE_INVALID|迁移文件无法读取/);
  assert.throws(() => parseRecords('id,phone\n1,2\n', 'csv'), (e: Error & { detail?: string }) => /mobile/.test(e.detail ?? ''));
});
