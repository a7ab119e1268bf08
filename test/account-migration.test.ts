// Account migration from legacy systems (unit checks of hashes and records are in
// src/modules/identity/migration/migration.test.ts): a CSV with good, duplicate,
// conflicting and invalid rows (dry run first, then for real, then again), a
// second system that links by ID number, and migrated people signing in through the login
// page, which replaces their legacy hash with Argon2id.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { sql } from 'kysely';
import { describeEachBackend } from './support/backends.ts';
import { Browser, buildTestPlatform, type TestPlatform } from './support/platform.ts';
import { AccountImporter } from '../src/modules/identity/index.ts';
import { PersonalDataCipher } from '../src/platform/crypto/personal-data.ts';
import { makeIdNumber } from '../src/platform/identifiers/id-number.ts';
import type { Db } from '../src/platform/db/database.ts';

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');
const sha1 = (s: string) => createHash('sha1').update(s, 'utf8').digest('hex');

const PW = { a1: 'Alpha-legacy-1', a2: 'Bravo-legacy-2', a6: 'Fox-legacy-6' };
const ID1 = makeIdNumber('320102', '19900101', 123);
const ID2 = makeIdNumber('320506', '19751230', 44);
const ID3 = makeIdNumber('321002', '20000229', 8);
const BCRYPT_A2 = bcrypt.hashSync(PW.a2, 4);
const BAD_ID = ID3.slice(0, 17) + (ID3.endsWith('0') ? '1' : '0');

function firstCsv(): string {
  const rows = [
    'sourceAccountId,mobile,name,idNumber,passwordHash,hashKind,realNameLevel',
    `a1,+86 139 1000 0001,王小明,${ID1.toLowerCase()},${md5(PW.a1)},md5,3`,
    `a2,13910000002,李四,${ID2},${BCRYPT_A2},bcrypt,`,
    `a1,+86 139 1000 0001,王小明,${ID1.toLowerCase()},${md5(PW.a1)},md5,3`,
    `a3,13910000003,张三,${ID1},${md5('x')},md5,2`,
    `a4,13910000004,赵六,${BAD_ID},${md5('y')},md5,1`,
    `a5,13910000002,李四,${ID3},${md5('z')},md5,`,
    `a6,139 1000 0006,,,s4lt$${sha1(`s4lt${PW.a6}`)},sha1,`,
    `a7,13910000001,王小明,${ID1},${md5('another')},MD5,1`,
    'a8,13910000008,钱七,,not-a-hash,md5,',
  ];
  return rows.join('\r\n') + '\r\n';
}

async function count(db: Db, table: 'citizen_account' | 'legacy_account_import' | 'real_name_evidence' | 'audit_log'): Promise<number> {
  const r = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db);
  return Number(r.rows[0]!.n);
}

describeEachBackend('account migration from legacy systems', (getDb) => {
  let platform: TestPlatform;
  let importer: AccountImporter;
  let cipher: PersonalDataCipher;
  const actor = { kind: 'system' as const, id: 'test' };
  before(async () => {
    platform = await buildTestPlatform(getDb());
    cipher = new PersonalDataCipher(platform.config.secrets);
    importer = new AccountImporter(getDb().db, cipher, platform.config.nodeRegionCode);
  });
  after(async () => {
    await platform.app.close();
  });

  const account = (mobile: string) =>
    getDb().db.selectFrom('citizen_account').selectAll().where('mobile_index', '=', cipher.blindIndex('mobile', mobile)).executeTakeFirst();

  test('a dry run reports everything and writes nothing', async () => {
    const db = getDb().db;
    const before = await Promise.all([count(db, 'citizen_account'), count(db, 'legacy_account_import'), count(db, 'audit_log')]);
    const r = await importer.run(firstCsv(), { source: 'legacy-a', format: 'csv', dryRun: true, actor });
    assert.deepEqual({ ...r, report: r.report.length }, { dryRun: true, total: 9, created: 3, linked: 1, unchanged: 0, duplicates: 1, conflicts: 2, invalid: 2, report: 4 });
    assert.deepEqual(await Promise.all([count(db, 'citizen_account'), count(db, 'legacy_account_import'), count(db, 'audit_log')]), before);
  });

  test('the real run creates, links and reports in batches; personal data in the report is masked', async () => {
    const db = getDb().db;
    const auditBefore = await count(db, 'audit_log');
    const r = await importer.run(firstCsv(), { source: 'legacy-a', format: 'csv', dryRun: false, actor, batchSize: 3 });
    assert.deepEqual({ ...r, report: undefined }, { dryRun: false, total: 9, created: 3, linked: 1, unchanged: 0, duplicates: 1, conflicts: 2, invalid: 2, report: undefined });
    assert.deepEqual(r.report.map((l) => [l.row, l.sourceAccountId, l.category]), [[5, 'a3', 'conflict'], [6, 'a4', 'invalid'], [7, 'a5', 'conflict'], [10, 'a8', 'invalid']]);
    assert.match(r.report[0]!.reason, /同一身份证号码对应不同手机号码（与本文件第 2 行）/);
    assert.match(r.report[1]!.reason, /校验位不正确/);
    assert.match(r.report[2]!.reason, /同一手机号码对应不同身份证号码（与本文件第 3 行）/);
    assert.match(r.report[3]!.reason, /密码散列不符合 md5 格式/);
    assert.equal(r.report[0]!.mobile, '139****0003');
    assert.equal(r.report[0]!.idNumber, maskedId(ID1));
    assert.equal(r.report[0]!.name, '张*');
    const text = JSON.stringify(r.report);
    for (const secret of [ID1, ID3, BAD_ID, '13910000003', '13910000002', '赵六']) assert.ok(!text.includes(secret), `report leaks ${secret}`);

    // 7 valid records in batches of 3: three audited transactions.
    const audits = await db.selectFrom('audit_log').select(['action', 'target_id']).where('id', '>', auditBefore).where('action', '=', 'citizen.legacy_import.batch').execute();
    assert.equal(audits.length, 3);

    const a1 = await account('13910000001');
    assert.ok(a1);
    assert.equal(a1.real_name_level, 1, 'a claimed level 3 is not granted');
    assert.equal(a1.password_hash, null);
    assert.equal(a1.legacy_hash_kind, 'md5');
    assert.equal(a1.legacy_hash, md5(PW.a1));
    assert.equal(a1.id_number_index, null, 'an unverified ID number does not reserve the number on the account');
    const evidence = await db.selectFrom('real_name_evidence').select(['level', 'method', 'reference', 'details']).where('account_id', '=', a1.id).orderBy('id').execute();
    assert.deepEqual(evidence.map((e) => [e.level, e.method, e.reference]), [[1, 'legacy_claim', 'legacy-a:a1'], [1, 'legacy_claim', 'legacy-a:a7']]);
    assert.equal((evidence[0]!.details as { claimedLevel: number }).claimedLevel, 3);
    assert.equal((evidence[0]!.details as { idNumber: string }).idNumber, maskedId(ID1));
    const links = await db.selectFrom('legacy_account_import').selectAll().where('source_system', '=', 'legacy-a').orderBy('source_account_id').execute();
    assert.deepEqual(links.map((l) => [l.source_account_id, l.outcome, l.account_id === a1.id]), [['a1', 'created', true], ['a2', 'created', false], ['a6', 'created', false], ['a7', 'linked', true]]);
    assert.equal(cipher.open('id_number', links[0]!.id_number_sealed!), ID1, 'the claimed ID number is kept sealed');
    assert.equal(cipher.open('name', links[0]!.name_sealed!), '王小明');
    assert.equal(links[2]!.id_number_sealed, null, 'nothing sealed when nothing was given');
    assert.equal((await account('13910000006'))?.legacy_hash, `s4lt$${sha1(`s4lt${PW.a6}`)}`);
    assert.equal(await account('13910000003'), undefined, 'a conflict creates nothing');
  });

  test('running the same file again changes nothing', async () => {
    const db = getDb().db;
    const before = await Promise.all([count(db, 'citizen_account'), count(db, 'legacy_account_import'), count(db, 'real_name_evidence')]);
    const r = await importer.run(firstCsv(), { source: 'legacy-a', format: 'csv', dryRun: false, actor });
    assert.deepEqual([r.created, r.linked, r.unchanged, r.duplicates, r.conflicts, r.invalid], [0, 0, 4, 1, 2, 2]);
    assert.deepEqual(await Promise.all([count(db, 'citizen_account'), count(db, 'legacy_account_import'), count(db, 'real_name_evidence')]), before);
    // The same source record with other content is a conflict, not a silent update.
    const changed = firstCsv().replace(`${md5(PW.a1)},md5,3`, `${md5(PW.a1)},md5,4`);
    const again = await importer.run(changed, { source: 'legacy-a', format: 'csv', dryRun: false, actor });
    assert.equal(again.unchanged, 3);
    assert.ok(again.report.some((l) => l.sourceAccountId === 'a1' && /此前已导入，但本次内容不同/.test(l.reason)));
  });

  test('a second source system with the same ID number and mobile links; another mobile conflicts', async () => {
    const json = JSON.stringify([
      { sourceAccountId: 'B-001', mobile: '8613910000001', name: '王小明', idNumber: ID1, passwordHash: sha1('other'), hashKind: 'sha-1', realNameLevel: 2 },
      { sourceAccountId: 'B-002', mobile: '13910000022', name: '李四', idNumber: ID2, passwordHash: sha1('x'), hashKind: 'sha1' },
      { sourceAccountId: 'B-003', mobile: '13910000001', name: '王晓明', idNumber: '' },
      { sourceAccountId: 'B-004', mobile: '13910000031', name: '孙八', idNumber: ID3 },
    ]);
    const r = await importer.run(json, { source: 'legacy-b', format: 'json', dryRun: false, actor });
    assert.deepEqual([r.created, r.linked, r.conflicts, r.invalid], [1, 1, 2, 0], JSON.stringify(r.report));
    assert.match(r.report.find((l) => l.sourceAccountId === 'B-002')!.reason, /同一身份证号码对应不同手机号码（与平台已有账户）/);
    assert.match(r.report.find((l) => l.sourceAccountId === 'B-003')!.reason, /同一手机号码对应不同姓名/);
    const a1 = await account('13910000001');
    const link = await getDb().db.selectFrom('legacy_account_import').selectAll().where('source_system', '=', 'legacy-b').where('source_account_id', '=', 'B-001').executeTakeFirstOrThrow();
    assert.equal(link.account_id, a1!.id);
    assert.equal(link.outcome, 'linked');
    assert.equal(a1!.legacy_hash, md5(PW.a1), "the first system's password stays");
  });

  test('migrated people sign in with their old password, which is then rehashed with Argon2id', async () => {
    const b = new Browser(platform.app);
    const csrf = Browser.csrfFrom((await b.get('/account/login')).body);
    const wrong = await b.submit('/account/login', { mobile: '13910000002', password: 'Bravo-legacy-X' }, csrf);
    assert.equal(wrong.statusCode, 401);
    assert.match(wrong.body, /手机号码或密码不正确/);
    assert.equal((await account('13910000002'))!.legacy_hash_kind, 'bcrypt', 'a failed attempt changes nothing');

    for (const [mobile, password] of [['139 1000 0001', PW.a1], ['13910000002', PW.a2], ['+8613910000006', PW.a6]] as const) {
      const person = new Browser(platform.app);
      const token = Browser.csrfFrom((await person.get('/account/login')).body);
      const res = await person.submit('/account/login', { mobile, password }, token);
      assert.equal(res.statusCode, 303, `${mobile}: ${res.body.slice(0, 300)}`);
      assert.equal((await person.get('/account')).statusCode, 200);
      const row = await account(mobile.replace(/\s|\+86/g, ''));
      assert.match(row!.password_hash ?? '', /^\$argon2id\$/);
      assert.equal(row!.legacy_hash, null);
      assert.equal(row!.legacy_hash_kind, null);
    }
    // From now on only the Argon2id hash counts: the old MD5 hash string is no password.
    const again = new Browser(platform.app);
    const token = Browser.csrfFrom((await again.get('/account/login')).body);
    assert.equal((await again.submit('/account/login', { mobile: '13910000001', password: md5(PW.a1) }, token)).statusCode, 401);
    assert.equal((await again.submit('/account/login', { mobile: '13910000001', password: PW.a1 }, token)).statusCode, 303);
  });
});

function maskedId(id: string): string {
  return `${id.slice(0, 4)}**********${id.slice(-4)}`;
}
