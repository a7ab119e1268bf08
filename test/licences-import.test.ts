// 存量证照 import end to end: a CSV of 25 food licences with five bad rows (a wrong ID check
// digit, an impossible date, a missing required field, a repeated 原证号, an empty holder) is
// checked row by row before anything is issued; starting issues the valid rows in batches
// through the outbox; a batch that crashes after its work rolls back and is redone without
// duplicates; pause stops between batches; the same file again is refused row by row; an
// Excel file works; the imported licence is in its holder's wallet; clerks are turned away.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { describeEachBackend } from './support/backends.ts';
import { Browser, buildTestPlatform, type TestPlatform } from './support/platform.ts';
import { licenceBed, type LicenceBed } from './support/licences.ts';
import { multipart } from './support/multipart.ts';
import { makeIdNumber } from '../src/platform/identifiers/id-number.ts';
import { OutboxWorker } from '../src/platform/jobs/worker.ts';
import { StaffService } from '../src/modules/identity/index.ts';
import { importServiceFor, licencesModule } from '../src/modules/licences/index.ts';

const HEADER = '持证人名称,持证人证件号码,发证日期,有效期至,原证号,经营者名称,经营场所,主体业态';
const PASSWORD = 'Import-Approver-Password-2026';

describeEachBackend('licences: historical import', (getDb) => {
  let p: TestPlatform;
  let bed: LicenceBed;
  let importer: Browser;

  before(async () => {
    p = await buildTestPlatform(getDb());
    bed = await licenceBed(p);
    await bed.issueSeal();
    await new StaffService(p.ctx.db).createStaff({ loginName: 'nj-market-approver', displayName: '南京市场监管审批', password: PASSWORD, orgId: bed.njOrg, regionCode: '320100', roles: ['approver'], mustChangePassword: false }, { kind: 'system', id: 'test' });
    importer = new Browser(p.app);
    await importer.login('nj-market-approver', PASSWORD);
  });
  after(async () => {
    await p.app.close();
  });

  const upload = async (who: Browser, name: string, file: Buffer, typeCode = '11100000000013338W110') => {
    const csrf = Browser.csrfFrom((await who.get('/staff/licences/imports')).body);
    const form = multipart({ _csrf: csrf, typeCode, file: { file, name } });
    return p.app.inject({ method: 'POST', url: '/staff/licences/imports', payload: form.payload, headers: { ...form.headers, accept: 'text/html', cookie: who.cookieHeader } });
  };
  const jobIdOf = (location: unknown) => /\/staff\/licences\/imports\/([0-9a-f-]{36})$/.exec(String(location))![1]!;
  const job = (id: string) => p.ctx.db.selectFrom('licence_import_job').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const post = async (id: string, verb: 'start' | 'pause') => {
    const csrf = Browser.csrfFrom((await importer.get(`/staff/licences/imports/${id}`)).body);
    return importer.submit(`/staff/licences/imports/${id}/${verb}`, {}, csrf);
  };

  function csv(): Buffer {
    const lines = [HEADER];
    for (let i = 1; i <= 25; i++) lines.push(`持证人${i},${makeIdNumber('320102', '19800101', i)},2019-03-${String((i % 28) + 1).padStart(2, '0')},,NJ-FOOD-${i},店铺${i},南京市玄武区${i}号,餐饮服务`);
    lines.push(`${bed.applicant.name},${bed.applicant.idNumber},2018/6/1,长期,NJ-FOOD-OWN,王记小馆,南京市秦淮区1号,餐饮服务`);
    const bad = makeIdNumber('320102', '19800101', 99);
    lines.push(`坏号码,${bad.slice(0, 17)}${bad.endsWith('0') ? '1' : '0'},2019-01-01,,NJ-FOOD-BAD1,店,地址,餐饮服务`);
    lines.push(`坏日期,${makeIdNumber('320102', '19800101', 98)},2019-02-30,,NJ-FOOD-BAD2,店,地址,餐饮服务`);
    lines.push(`缺名称,${makeIdNumber('320102', '19800101', 97)},2019-01-01,,NJ-FOOD-BAD3,,地址,餐饮服务`);
    lines.push(`重复号,${makeIdNumber('320102', '19800101', 96)},2019-01-01,,NJ-FOOD-1,店,地址,餐饮服务`);
    lines.push(`,${makeIdNumber('320102', '19800101', 95)},2019-01-01,,NJ-FOOD-BAD5,店,地址,餐饮服务`);
    return Buffer.from(`\ufeff${lines.join('\n')}\n`);
  }

  test('rows are checked first; a crashed batch is redone without duplicates; every valid row is issued once', async () => {
    const res = await upload(importer, '南京存量食品经营许可证.csv', csv());
    assert.equal(res.statusCode, 303, res.body.slice(0, 500));
    const id = jobIdOf(res.headers.location);
    let j = await job(id);
    assert.deepEqual([j.status, j.total, j.valid, j.issued], ['checked', 31, 26, 0]);
    const page = (await importer.get(`/staff/licences/imports/${id}`)).body;
    assert.match(page, /持证人证件号码：不是有效的公民身份号码/);
    assert.match(page, /发证日期：发证日期应为年-月-日/);
    assert.match(page, /经营者名称：缺少经营者名称/);
    assert.match(page, /原证号：文件中有重复的原证号/);
    assert.match(page, /持证人名称：缺少持证人名称/);
    assert.match(page, /开始签发 26 张证照/);
    const problems = await importer.get(`/staff/licences/imports/${id}/problems.csv`);
    assert.match(problems.body, /行号,原证号,列,问题/);
    for (const n of ['NJ-FOOD-BAD1,', 'NJ-FOOD-BAD2,', 'NJ-FOOD-BAD3,', 'NJ-FOOD-1,原证号,文件中有重复的原证号', 'NJ-FOOD-BAD5,']) assert.ok(problems.body.includes(n), n);
    assert.ok(problems.body.trim().split('\n').length >= 6, 'one line per problem');
    assert.equal((await p.ctx.db.selectFrom('licence').select('id').where('case_id', 'is', null).execute()).length, 0, 'nothing issued before the start');

    assert.equal((await post(id, 'start')).statusCode, 303);
    // A worker whose batch does all its work and then dies: the transaction rolls back.
    const svc = importServiceFor(p.ctx);
    const crashing = new OutboxWorker(p.ctx.db, { pollMs: 50, backoffMs: () => 0 });
    crashing.register({ name: 'licences.import-batch', topic: 'licence.import_batch', async handle(event, tx) {
      await svc.runBatch(tx, (event.payload as { jobId: string }).jobId);
      throw new Error('simulated crash after the batch');
    } });
    await crashing.runOnce();
    j = await job(id);
    assert.deepEqual([j.status, j.issued, j.failed], ['running', 0, 0], 'the crashed batch left nothing behind');
    assert.equal((await p.ctx.db.selectFrom('licence').select('id').where('case_id', 'is', null).execute()).length, 0);

    // A fresh worker resumes it to the end.
    const worker = new OutboxWorker(p.ctx.db, { pollMs: 50, backoffMs: () => 0 });
    for (const h of licencesModule.handlers!(p.ctx)) worker.register(h);
    let progressSeen = false;
    for (let n = 0; n < 20; n++) {
      await worker.runOnce();
      j = await job(id);
      if (j.status === 'running' && j.issued > 0 && j.issued < 26) {
        const running = (await importer.get(`/staff/licences/imports/${id}`)).body;
        assert.match(running, new RegExp(`<progress id="job-progress" value="${j.issued}" max="26">`));
        assert.match(running, /data-progress-url=/);
        const status = (await importer.get(`/staff/licences/imports/${id}/status`, { accept: 'application/json' })).json();
        assert.deepEqual([status.rowsProcessed, status.totalRows], [j.issued, 26]);
        progressSeen = true;
      }
      if (j.status === 'done') break;
    }
    assert.ok(progressSeen, 'the progress was seen between batches');
    assert.deepEqual([j.status, j.issued, j.failed], ['done', 26, 0]);
    const issued = await p.ctx.db.selectFrom('licence').select(['identifier', 'valid_from', 'valid_until']).where('case_id', 'is', null).execute();
    assert.equal(issued.length, 26);
    assert.equal(new Set(issued.map((l) => l.identifier)).size, 26);
    assert.equal((await p.ctx.db.selectFrom('licence_use').select('id').where('kind', '=', 'import').execute()).length, 26);
    assert.match((await importer.get(`/staff/licences/imports/${id}`)).body, /导入完成：签发 26 张/);

    // The holder (who had no licence before) finds the historical one in the wallet.
    const wallet = (await bed.applicant.browser.get('/my/licences')).body;
    assert.match(wallet, /食品经营许可证/);

    // The same file again: every row is a duplicate now.
    const again = await upload(importer, '南京存量食品经营许可证.csv', csv());
    const second = await job(jobIdOf(again.headers.location));
    assert.deepEqual([second.status, second.valid], ['done', 0]);
    assert.match((await importer.get(`/staff/licences/imports/${second.id}`)).body, /原证号：该证已经导入过/);
  });

  test('pause stops between batches and start continues; an Excel file works', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('存量');
    ws.addRow(HEADER.split(','));
    for (let i = 1; i <= 12; i++) ws.addRow([`业主${i}`, makeIdNumber('320104', '19750505', i), '2020-05-05', '2025-05-04', `NJ-XLSX-${i}`, `面馆${i}`, `南京市秦淮区${i}号`, '餐饮服务']);
    const res = await upload(importer, '存量.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    assert.equal(res.statusCode, 303, res.body.slice(0, 300));
    const id = jobIdOf(res.headers.location);
    assert.equal((await job(id)).valid, 12);
    await post(id, 'start');
    assert.equal((await post(id, 'pause')).statusCode, 303);
    const worker = new OutboxWorker(p.ctx.db, { pollMs: 50, backoffMs: () => 0 });
    for (const h of licencesModule.handlers!(p.ctx)) worker.register(h);
    while ((await worker.runOnce()) > 0);
    assert.deepEqual([(await job(id)).status, (await job(id)).issued], ['paused', 0]);
    assert.match((await importer.get(`/staff/licences/imports/${id}`)).body, /继续签发/);
    await post(id, 'start');
    while ((await worker.runOnce()) > 0);
    const j = await job(id);
    assert.deepEqual([j.status, j.issued], ['done', 12]);
    const expired = await p.ctx.db.selectFrom('licence').select('valid_until').where('valid_until', '=', '2025-05-04').execute();
    assert.equal(expired.length, 12, 'the paper validity is kept');
  });

  test('bad files and the wrong people are refused', async () => {
    let res = await upload(importer, 'x.txt', Buffer.from('a,b'));
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /只接受 CSV/);
    res = await upload(importer, 'x.csv', Buffer.from('姓名,号码\n张三,1\n'));
    assert.match(res.body, /缺少这些列：持证人名称/);
    const clerk = bed.staff['nj-clerk'].browser;
    assert.equal((await clerk.get('/staff/licences/imports')).statusCode, 403);
    // js-admin has no organisation: it cannot be the issuer of an import.
    res = await upload(bed.staff['js-admin'].browser, 'a.csv', csv());
    assert.equal(res.statusCode, 403);
  });
});
