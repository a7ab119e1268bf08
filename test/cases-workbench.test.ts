// The staff workbench pages: the intake queue and case page are scoped to the staff's region,
// only the actions the staff may take are offered, a stale form gets a clear 409, material
// previews are audited, the dashboard's counts are the cases' own lights, and walk-in intake
// creates nothing when the identity check fails and a window case when it passes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { describeEachBackend } from './support/backends.ts';
import { Browser, buildTestPlatform, type TestPlatform } from './support/platform.ts';
import { FOUR_STEPS, publishedNanjingFoodLicence } from './support/catalog-fixtures.ts';
import { seedCitizen } from './support/people.ts';
import { sessionCookieName } from '../src/platform/http/auth.ts';
import { DEMO_PASSWORD } from '../demo/load.ts';
import { CASE_ACTIONS, TRANSITIONS, type CaseState } from '../src/modules/cases/index.ts';

interface Who {
  browser: Browser;
  csrf: string;
}
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const BOUNDARY = '----yiwang-workbench';

/** What the state-machine table lets staff with `roles` do from `state`, before step rules. */
function tableAllows(state: CaseState, roles: string[]): string[] {
  return CASE_ACTIONS.filter((a) => {
    const t = TRANSITIONS[a];
    return t.from.includes(state) && t.by !== 'applicant' && t.by.some((r) => roles.includes(r));
  }).sort();
}

function multipart(fields: Record<string, string>, files: Record<string, { name: string; bytes: Buffer }>): Buffer {
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  for (const [k, f] of Object.entries(files)) {
    parts.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${k}"; filename="${f.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`), f.bytes, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(parts);
}

describeEachBackend('staff workbench: queue, case page, notices, dashboard, walk-in', (getDb) => {
  let p: TestPlatform;
  let implId: string;
  let applicant: Who;
  let upload: Record<string, unknown>;
  const staff: Record<string, Who> = {};

  const call = (who: Who, method: 'GET' | 'POST', url: string, body?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> =>
    p.app.inject({
      method,
      url,
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
      headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), 'x-csrf-token': who.csrf, cookie: who.browser.cookieHeader, ...headers },
    });

  let serial = 0;
  async function apply(): Promise<{ id: string; caseNumber: string; version: number }> {
    const res = await call(applicant, 'POST', '/api/v1/cases', { implementationId: implId, answers: { shopName: '知味小馆' }, materials: [upload] }, { 'idempotency-key': `workbench-${++serial}-${Date.now()}` });
    assert.equal(res.statusCode, 201, res.body);
    return res.json();
  }
  async function accept(c: { id: string; version: number }): Promise<void> {
    const res = await call(staff['nj-clerk']!, 'POST', `/api/v1/cases/${c.id}/actions/accept`, { version: c.version });
    assert.equal(res.statusCode, 200, res.body);
  }
  const formsOn = (html: string, id: string) => [...html.matchAll(new RegExp(`action="/staff/cases/${id}/actions/([a-z_]+)"`, 'g'))].map((m) => m[1]).sort();

  before(async () => {
    p = await buildTestPlatform(getDb());
    implId = (await publishedNanjingFoodLicence(p.ctx.db, { processSteps: FOUR_STEPS })).implId;
    const c = await seedCitizen(p.ctx, { level: 2, factors: { password: Date.now(), sms: Date.now() } });
    const browser = new Browser(p.app);
    browser.setCookie(sessionCookieName(p.config.cookieSecure), c.token);
    applicant = { browser, csrf: Browser.csrfFrom((await browser.get('/account')).body) };
    const body = multipart({}, { file: { name: '申请书.pdf', bytes: PDF } });
    const stored = await p.app.inject({ method: 'POST', url: '/api/v1/cases/uploads', payload: body, headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, accept: 'application/json', 'x-csrf-token': applicant.csrf, cookie: browser.cookieHeader } });
    assert.equal(stored.statusCode, 201, stored.body);
    upload = { materialId: 'application', source: 'upload', ...(stored.json() as object) };
    for (const name of ['nj-clerk', 'nj-approver', 'sz-clerk']) {
      const b = new Browser(p.app);
      await b.login(name, DEMO_PASSWORD);
      staff[name] = { browser: b, csrf: Browser.csrfFrom((await b.get('/staff')).body) };
    }
  });
  after(async () => {
    await p.app.close();
  });

  test('queue and case page are scoped; only allowed actions render; stale forms get 409; notices print', async () => {
    const c = await apply();
    const clerk = staff['nj-clerk']!;
    const sz = staff['sz-clerk']!;
    const queue = await clerk.browser.get('/staff/cases');
    assert.equal(queue.statusCode, 200, queue.body.slice(0, 500));
    assert.ok(queue.body.includes(c.caseNumber), 'the Nanjing clerk sees the case in the queue');
    assert.ok(!(await sz.browser.get('/staff/cases')).body.includes(c.caseNumber), 'the Suzhou clerk does not');
    assert.equal((await sz.browser.get(`/staff/cases/${c.id}`)).statusCode, 403);
    // Filters narrow the queue: another channel hides the web case.
    assert.ok(!(await clerk.browser.get('/staff/cases?channel=2')).body.includes(c.caseNumber));
    assert.ok((await clerk.browser.get('/staff/cases?item=%E9%A3%9F%E5%93%81')).body.includes(c.caseNumber));

    const page = await clerk.browser.get(`/staff/cases/${c.id}`);
    assert.equal(page.statusCode, 200);
    const offered = formsOn(page.body, c.id);
    assert.deepEqual(offered, tableAllows('submitted', ['window_clerk']));
    for (const a of ['accept', 'accept_with_commitment', 'refuse', 'request_correction']) assert.ok(offered.includes(a), a);
    for (const a of ['resubmit', 'withdraw', 'approve_step', 'decide_approve', 'deliver']) assert.ok(!offered.includes(a), a);
    assert.match(page.body, /知味小馆/, 'the answers are shown');
    const approverPage = await staff['nj-approver']!.browser.get(`/staff/cases/${c.id}`);
    assert.deepEqual(formsOn(approverPage.body, c.id), tableAllows('submitted', ['approver']));

    // 一次性告知: a ticked material without a reason is refused with a field error.
    const url = `/staff/cases/${c.id}/actions/request_correction`;
    const incomplete = await clerk.browser.submit(url, { version: String(c.version), 'request_correction-materials': 'application' }, clerk.csrf);
    assert.equal(incomplete.statusCode, 400);
    assert.match(incomplete.body, /需要补正的原因/);
    const corrected = await clerk.browser.submit(url, { version: String(c.version), 'request_correction-materials': 'application', 'request_correction-reason-application': '缺少申请人签名', 'request_correction-note': '请同时提供店铺平面图' }, clerk.csrf);
    assert.equal(corrected.statusCode, 303, corrected.body.slice(0, 800));
    const after = await clerk.browser.get(`/staff/cases/${c.id}`);
    assert.deepEqual(formsOn(after.body, c.id), [], 'waiting for the applicant: no staff action');
    const noticeHref = /href="(\/staff\/cases\/[^"]+\/notice\/\d+)"/.exec(after.body)?.[1];
    assert.ok(noticeHref, 'the correction notice is linked');
    const notice = await clerk.browser.get(noticeHref!);
    assert.equal(notice.statusCode, 200);
    for (const text of [c.caseNumber, '食品经营许可申请书', '缺少申请人签名', '请同时提供店铺平面图', '南京市市场监督管理局', '一次性告知']) assert.ok(notice.body.includes(text), text);

    // The applicant resubmits; a clerk posting the page's old version gets a clear 409.
    const resub = await call(applicant, 'POST', `/api/v1/cases/${c.id}/actions/resubmit`, { version: c.version + 1 });
    assert.equal(resub.statusCode, 200, resub.body);
    const stale = await clerk.browser.submit(`/staff/cases/${c.id}/actions/accept`, { version: String(c.version + 1) }, clerk.csrf);
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /办件已被他人处理/);
    assert.match(stale.body, /已提交，待受理/);
    assert.match(stale.body, /重新载入办件/);

    // Refusal with its legal basis, and the printable notice.
    const refused = await clerk.browser.submit(`/staff/cases/${c.id}/actions/refuse`, { version: String(c.version + 2), 'refuse-note': '申请人不具备主体资格', 'refuse-legalBasis': '《中华人民共和国食品安全法》第三十五条' }, clerk.csrf);
    assert.equal(refused.statusCode, 303, refused.body.slice(0, 800));
    const final = await clerk.browser.get(`/staff/cases/${c.id}`);
    const refusalHref = [...final.body.matchAll(/href="(\/staff\/cases\/[^"]+\/notice\/\d+)"/g)].map((m) => m[1]!).pop()!;
    const refusal = await clerk.browser.get(refusalHref);
    assert.match(refusal.body, /不予受理通知书/);
    assert.match(refusal.body, /第三十五条/);
  });

  test('review actions follow the step; material preview is audited and region-bound', async () => {
    const c = await apply();
    await accept(c);
    const approver = staff['nj-approver']!;
    const page = await approver.browser.get(`/staff/cases/${c.id}`);
    const offered = formsOn(page.body, c.id);
    // First of two steps: no return, no decision yet; everything else the table allows.
    assert.deepEqual(offered, tableAllows('in_review', ['approver']).filter((a) => !['return_step', 'decide_approve', 'decide_reject'].includes(a)));
    assert.ok(offered.includes('approve_step') && offered.includes('suspend'));
    assert.deepEqual(formsOn((await staff['nj-clerk']!.browser.get(`/staff/cases/${c.id}`)).body, c.id), [], 'a clerk takes no review action');
    const tasks = await approver.browser.get('/staff/cases/tasks');
    assert.ok(tasks.body.includes(c.caseNumber), 'the case is in the approver\'s tasks');
    assert.ok(!(await staff['nj-clerk']!.browser.get('/staff/cases/tasks')).body.includes(c.caseNumber), 'not in the clerk\'s: the step is an approver\'s');

    const href = /<a href="(\/staff\/cases\/[^"]+\/materials\/[^"]+)"/.exec(page.body)?.[1];
    assert.ok(href, 'the material has a preview link');
    const audits = () => p.ctx.db.selectFrom('audit_log').select('id').where('action', '=', 'case.material.view').execute().then((r) => r.length);
    const before = await audits();
    const file = await approver.browser.get(href!);
    assert.equal(file.statusCode, 200);
    assert.equal(file.headers['content-type'], 'application/pdf');
    assert.match(String(file.headers['content-disposition']), /^inline/);
    assert.equal(file.headers['x-content-type-options'], 'nosniff');
    assert.deepEqual(file.rawPayload, PDF);
    assert.equal(await audits(), before + 1, 'the look is audited');
    assert.equal((await staff['sz-clerk']!.browser.get(href!)).statusCode, 403);
    assert.equal(await audits(), before + 1, 'a refused look reads nothing');
  });

  test('the dashboard counts the cases\' own lights', async () => {
    const made = [] as { id: string; caseNumber: string; version: number }[];
    for (let i = 0; i < 5; i++) {
      const c = await apply();
      await accept(c);
      made.push(c);
    }
    const today = (await call(staff['nj-clerk']!, 'GET', `/api/v1/cases/${made[0]!.id}`)).json().dueOn as string;
    assert.ok(today);
    const shanghai = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    await p.ctx.db.updateTable('service_case').set({ due_on: '2024-03-01' }).where('id', 'in', [made[0]!.id, made[1]!.id]).execute();
    await p.ctx.db.updateTable('service_case').set({ due_on: shanghai }).where('id', '=', made[2]!.id).execute();
    const lights = { red: 0, yellow: 0, green: 0 } as Record<string, number>;
    const all = await p.ctx.db.selectFrom('service_case').select('id').where('state', '=', 'in_review').execute();
    for (const { id } of all) lights[(await call(staff['nj-clerk']!, 'GET', `/api/v1/cases/${id}`)).json().light as string]! += 1;
    assert.ok(lights.red! >= 2 && lights.yellow! >= 1 && lights.green! >= 2, JSON.stringify(lights));
    const board = await staff['nj-approver']!.browser.get('/staff/cases/dashboard');
    assert.equal(board.statusCode, 200, board.body.slice(0, 500));
    const count = (name: string) => Number(new RegExp(`${name}：</span>(\\d+) 件`).exec(board.body)?.[1]);
    assert.deepEqual({ red: count('红灯'), yellow: count('黄灯'), green: count('绿灯') }, lights);
    assert.match(board.body, /<svg[^>]*role="img"/);
    assert.match(board.body, /<title id="org-chart-title">/);
    const orgRow = /<th scope="row">南京市市场监督管理局<\/th>((?:<td class="numeric">\d+<\/td>)+)/.exec(board.body)?.[1];
    assert.ok(orgRow, 'the organisation has a table row');
    const cells = [...orgRow!.matchAll(/>(\d+)</g)].map((m) => Number(m[1]));
    assert.deepEqual(cells.slice(0, 4), [lights.red, lights.yellow, lights.green, lights.red! + lights.yellow! + lights.green!]);
    for (const c of made.slice(0, 2)) assert.ok(board.body.includes(c.caseNumber), 'overdue cases are listed');
    assert.ok(!board.body.includes(made[3]!.caseNumber), 'a green case is not in the overdue list');
    // Another city's dashboard holds none of Nanjing's cases.
    const sz = await staff['sz-clerk']!.browser.get('/staff/cases/dashboard');
    assert.equal(Number(/红灯：<\/span>(\d+) 件/.exec(sz.body)?.[1]), 0);
  });

  test('walk-in: a failed identity check creates nothing; a verified person gets a window case', async () => {
    const clerk = staff['nj-clerk']!;
    const search = await clerk.browser.get('/staff/cases/walk-in?q=%E9%A3%9F%E5%93%81');
    assert.ok(search.body.includes(`/staff/cases/walk-in/${implId}`), 'the implementation is found');
    assert.equal((await staff['nj-approver']!.browser.get('/staff/cases/walk-in')).statusCode, 403, 'window clerks only');
    const form = await clerk.browser.get(`/staff/cases/walk-in/${implId}`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /name="shopName"/);
    const csrf = Browser.csrfFrom(form.body);
    const requestKey = /name="requestKey" value="([^"]+)"/.exec(form.body)![1]!;
    const post = (fields: Record<string, string>) =>
      p.app.inject({ method: 'POST', url: `/staff/cases/walk-in/${implId}`, payload: multipart({ _csrf: csrf, requestKey, shopName: '窗口小馆', mobile: '13951000001', ...fields }, { 'file-application': { name: '申请书.pdf', bytes: PDF } }), headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, accept: 'text/html', cookie: clerk.browser.cookieHeader } });
    const counts = async () => ({
      cases: (await p.ctx.db.selectFrom('service_case').select('id').execute()).length,
      accounts: (await p.ctx.db.selectFrom('citizen_account').select('id').execute()).length,
    });
    const before = await counts();
    const forged = await post({ _csrf: 'forged', personName: '张伟', idNumber: '320102198503120119' });
    assert.equal(forged.statusCode, 403, 'the multipart form checks its CSRF token');
    const badCheck = await post({ personName: '李四', idNumber: '320102198503120119' });
    assert.equal(badCheck.statusCode, 422, badCheck.body.slice(0, 500));
    assert.match(badCheck.body, /公安人口信息核验不一致/);
    const badNumber = await post({ personName: '张伟', idNumber: '320102198503120118' });
    assert.equal(badNumber.statusCode, 400);
    assert.deepEqual(await counts(), before, 'nothing was created');

    const ok = await post({ personName: '张伟', idNumber: '320102198503120119' });
    assert.equal(ok.statusCode, 303, ok.body.slice(0, 800));
    const receiptUrl = ok.headers.location as string;
    const receipt = await clerk.browser.get(receiptUrl);
    const caseNumber = /<strong class="numeric">(\d{21}[\dX])<\/strong>/.exec(receipt.body)?.[1];
    assert.ok(caseNumber, 'the receipt shows the case number');
    assert.match(caseNumber!, /^320100\d{8}2\d{6}[\dX]$/, 'channel 2: window');
    assert.match(receipt.body, /收件回执/);
    const row = await p.ctx.db.selectFrom('service_case').select(['channel', 'applicant_id', 'state']).where('case_number', '=', caseNumber!).executeTakeFirstOrThrow();
    assert.deepEqual([row.channel, row.state], [2, 'submitted']);
    const evidence = await p.ctx.db.selectFrom('real_name_evidence').select(['method', 'level']).where('account_id', '=', row.applicant_id).execute();
    assert.deepEqual(evidence, [{ method: 'window', level: 2 }]);
    assert.ok((await clerk.browser.get('/staff/cases?channel=2')).body.includes(caseNumber!), 'the window case is in the queue');
    // Posting the same form again (a double click) makes no second case.
    const again = await post({ personName: '张伟', idNumber: '320102198503120119' });
    assert.equal(again.headers.location, receiptUrl);
  });
});
