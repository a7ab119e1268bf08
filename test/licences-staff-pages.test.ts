// The staff licence pages: the region's library and issue failures, and a licence's lifecycle
// form (suspend → resume → revoke) with its errors; no holder data on either page; a window
// clerk is not let in, a Suzhou approver sees no Nanjing licence.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from './support/backends.ts';
import { Browser, buildTestPlatform, type TestPlatform } from './support/platform.ts';
import { licenceBed, type LicenceBed } from './support/licences.ts';
import { StaffService } from '../src/modules/identity/index.ts';
import { RegionService } from '../src/modules/regions/index.ts';

describeEachBackend('licences: staff library and lifecycle pages', (getDb) => {
  let p: TestPlatform;
  let bed: LicenceBed;
  before(async () => {
    p = await buildTestPlatform(getDb());
    bed = await licenceBed(p);
  });
  after(async () => {
    await p.app.close();
  });

  test('a failure is listed until a seal exists; the library lists the licence without holder data', async () => {
    const approver = bed.staff['nj-approver'].browser;
    const caseId = await bed.decidedCase({ shopName: '知味小馆' });
    await bed.drain();
    const caseNumber = (await p.ctx.db.selectFrom('service_case').select('case_number').where('id', '=', caseId).executeTakeFirstOrThrow()).case_number;
    let page = await approver.get('/staff/licences');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(`${caseNumber}[\\s\\S]*没有有效的电子印章[\\s\\S]*条件满足后自动重新签发`));

    await bed.issueSeal();
    await bed.drain();
    const { identifier } = (await p.ctx.db.selectFrom('licence').select('identifier').where('case_id', '=', caseId).executeTakeFirstOrThrow());
    page = await approver.get('/staff/licences');
    assert.match(page.body, /没有签发失败的办件/);
    assert.ok(page.body.includes(identifier));
    assert.ok(!page.body.includes('王小明') && !page.body.includes(bed.applicant.idNumber), 'no holder data in the list');
    assert.match((await approver.get(`/staff/licences?q=${encodeURIComponent(identifier)}`)).body, /证照（共 1 张）/);
    assert.match((await approver.get('/staff/licences?q=1.2.156.3005.2.nothing')).body, /没有找到该标识的证照/);
  });

  test('suspend, resume and revoke through the form; a reason is required; revoked is final', async () => {
    const { identifier } = await bed.issuedLicence({ shopName: '金陵面馆' });
    const approver = bed.staff['nj-approver'];
    const url = `/staff/licences/${encodeURIComponent(identifier)}/manage`;
    let page = await approver.browser.get(url);
    assert.equal(page.statusCode, 200);
    assert.ok(!page.body.includes('王小明') && !page.body.includes(bed.applicant.idNumber), 'no holder data on the manage page');
    const csrf = Browser.csrfFrom(page.body);

    let res = await approver.browser.submit(url, { action: 'suspend', reason: '' }, csrf);
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /请填写原因/);
    res = await approver.browser.submit(url, { action: 'nonsense', reason: '核查' }, csrf);
    assert.match(res.body, /请选择要执行的操作/);

    res = await approver.browser.submit(url, { action: 'suspend', reason: '涉嫌违法经营，立案调查' }, csrf);
    assert.equal(res.statusCode, 303);
    page = await approver.browser.get(res.headers.location as string);
    assert.match(page.body, /已中止[\s\S]*涉嫌违法经营/);
    assert.equal((await bed.call(null, 'GET', `/api/v1/licences/${identifier}/status`)).json().status, 'suspended');

    res = await approver.browser.submit(url, { action: 'suspend', reason: '再次中止' }, csrf);
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /证照当前状态为 已中止/);
    res = await approver.browser.submit(url, { action: 'resume', reason: '调查结束' }, csrf);
    assert.equal(res.statusCode, 303);
    res = await approver.browser.submit(url, { action: 'withdrawn', reason: '违法经营，依法吊销' }, csrf);
    assert.equal(res.statusCode, 303);
    page = await approver.browser.get(url);
    assert.match(page.body, /已吊销/);
    assert.ok(!page.body.includes('name="action"'), 'no lifecycle form for a revoked licence');
    assert.match(page.body, /签发[\s\S]*中止[\s\S]*恢复[\s\S]*注销或吊销/);
    assert.equal((await bed.call(null, 'GET', `/api/v1/licences/${identifier}/status`)).json().status, 'revoked');
  });

  test('a window clerk is refused; an approver of another city sees none of Nanjing', async () => {
    const { identifier } = await bed.issuedLicence({ shopName: '秦淮小吃' });
    assert.equal((await bed.staff['nj-clerk'].browser.get('/staff/licences')).statusCode, 403);
    const sz = (await new RegionService(p.ctx.db).organisations('320500'))[0]!;
    await new StaffService(p.ctx.db).createStaff({ loginName: 'sz-licence-approver', displayName: '苏州审批', password: 'Sz-Approver-Password-2026', orgId: sz.id, regionCode: '320500', roles: ['approver'], mustChangePassword: false }, { kind: 'system', id: 'test' });
    const b = new Browser(p.app);
    await b.login('sz-licence-approver', 'Sz-Approver-Password-2026');
    const list = await b.get('/staff/licences');
    assert.equal(list.statusCode, 200);
    assert.ok(!list.body.includes(identifier));
    const manage = await b.get(`/staff/licences/${encodeURIComponent(identifier)}/manage`);
    assert.equal(manage.statusCode, 403);
    const csrf = Browser.csrfFrom(list.body);
    assert.equal((await b.submit(`/staff/licences/${encodeURIComponent(identifier)}/manage`, { action: 'suspend', reason: '越权' }, csrf)).statusCode, 403);
    assert.equal((await bed.call(null, 'GET', `/api/v1/licences/${identifier}/status`)).json().status, 'valid');
  });

  test('a paper copy the holder asked for is listed, printed from the signed file, and the print is a use', async () => {
    const { identifier } = await bed.issuedLicence({ shopName: '鸡鸣汤包' });
    const approver = bed.staff['nj-approver'].browser;
    const pdfUrl = `/staff/licences/${encodeURIComponent(identifier)}/paper.pdf`;
    assert.equal((await approver.get(pdfUrl)).statusCode, 409, 'nothing to print before the holder asks');
    assert.equal((await bed.call(bed.applicant, 'POST', `/api/v1/licences/${identifier}/paper-copy`)).statusCode, 204);
    let list = (await approver.get('/staff/licences')).body;
    assert.match(list, new RegExp(`${identifier.replace(/\./g, '\\.')}</span><br><span class="hint">[^<]*申请，尚未打印`));
    assert.match((await approver.get(`/staff/licences/${encodeURIComponent(identifier)}/manage`)).body, /申请了纸质证照/);
    const pdf = await approver.get(pdfUrl);
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    assert.ok(pdf.rawPayload.subarray(0, 5).toString() === '%PDF-');
    list = (await approver.get('/staff/licences')).body;
    assert.match(list, /已打印/);
    const use = await p.ctx.db.selectFrom('licence_use').select(['kind', 'actor_kind', 'purpose']).where('identifier', '=', identifier).where('kind', '=', 'download').executeTakeFirstOrThrow();
    assert.deepEqual(use, { kind: 'download', actor_kind: 'staff', purpose: '打印纸质证照（持证人申请）' });
    assert.equal((await bed.staff['nj-clerk'].browser.get(pdfUrl)).statusCode, 403);
  });
});
