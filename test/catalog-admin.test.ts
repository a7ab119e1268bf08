// The catalogue admin pages as staff use them without JavaScript: access and region scope,
// the lifecycle through plain forms (four eyes, 三级四同 and conflicts shown as error
// summaries), the consistency report, and bulk export/import (all-or-nothing, idempotent).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { describeEachBackend } from './support/backends.ts';
import { buildTestPlatform, Browser, type TestPlatform } from './support/platform.ts';
import { StaffService } from '../src/modules/identity/index.ts';
import { RegionService } from '../src/modules/regions/index.ts';
import { catalogModule, createCatalogService, type CatalogService, type ImplementationContent } from '../src/modules/catalog/index.ts';
import { OutboxWorker } from '../src/platform/jobs/worker.ts';
import { DEMO_PASSWORD } from '../demo/load.ts';
import { FOOD_LICENCE_BASIC, foodLicenceImplementation } from './support/catalog-fixtures.ts';

const basicContent = FOOD_LICENCE_BASIC;
const implContent = foodLicenceImplementation;

const idFromLocation = (loc: unknown) => /\/admin\/catalog\/entries\/([0-9a-f-]{36})/.exec(String(loc))![1]!;
const summaryOf = (html: string) => /<div class="error-summary"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '';

describeEachBackend('catalogue admin pages', (getDb) => {
  let p: TestPlatform;
  let catalog: CatalogService;
  let basicId: string;
  let njOrg: string;
  let szOrg: string;
  const b: Record<string, Browser> = {};

  /** Posts a form found on `pageUrl` (taking its CSRF token) like a browser without JavaScript. */
  async function post(who: Browser, pageUrl: string, action: string, fields: Record<string, string>) {
    const page = await who.get(pageUrl);
    return who.submit(action, fields, Browser.csrfFrom(page.body));
  }

  before(async () => {
    const db = getDb();
    p = await buildTestPlatform(db);
    catalog = createCatalogService(db.db);
    const regions = new RegionService(db.db);
    njOrg = (await regions.organisations('320100')).find((o) => o.name === '南京市市场监督管理局')!.id;
    szOrg = (await regions.organisations('320500')).find((o) => o.name === '苏州市市场监督管理局')!.id;
    const sys = { kind: 'system' as const, id: 'test' };
    const basic = await catalog.createBasicItem(basicContent, '320000', sys);
    await catalog.submit(basic.id, sys);
    await catalog.approve(basic.id, sys);
    basicId = basic.id;
    const staff = new StaffService(db.db);
    const make = (loginName: string, regionCode: string, roles: ('region_admin' | 'dept_admin')[], orgId: string | null) =>
      staff.createStaff({ loginName, displayName: loginName, password: DEMO_PASSWORD, orgId, regionCode, roles, mustChangePassword: false }, sys);
    await make('nj-scjg', '320100', ['dept_admin'], njOrg);
    await make('nj-region', '320100', ['region_admin'], null);
    for (const name of ['js-admin', 'nj-scjg', 'nj-region', 'nj-clerk', 'js-auditor']) {
      b[name] = new Browser(p.app);
      await b[name].login(name, DEMO_PASSWORD);
    }
  });
  after(async () => {
    await p?.app.close();
  });

  test('pages open for the right roles and regions only', async () => {
    const sz = await catalog.createImplementation(implContent(basicId, '320500', szOrg), { kind: 'system', id: 'test' });
    assert.equal((await b['nj-scjg']!.get('/admin/catalog')).statusCode, 200);
    assert.equal((await b['js-auditor']!.get('/admin/catalog/consistency?region=320100')).statusCode, 200);
    assert.equal((await b['nj-clerk']!.get('/admin/catalog')).statusCode, 403, 'window clerks do not administer the catalogue');
    assert.equal((await b['js-auditor']!.get('/admin/catalog/import')).statusCode, 403, 'auditors do not import');
    // A browser without a session is sent to the staff login, and comes back afterwards.
    const anonymous = await new Browser(p.app).get('/admin/catalog');
    assert.equal(anonymous.statusCode, 303);
    assert.equal(anonymous.headers.location, '/staff/login?next=%2Fadmin%2Fcatalog');
    const other = await b['nj-scjg']!.get('/admin/catalog?region=320500');
    assert.equal(other.statusCode, 403);
    assert.match(other.body, /OUT_OF_REGION/);
    const peek = await b['nj-region']!.get(`/admin/catalog/entries/${sz.id}`);
    assert.equal(peek.statusCode, 403);
    assert.match(peek.body, /OUT_OF_REGION/);
    assert.match((await b['nj-region']!.get(`/admin/catalog/entries/${sz.id}/edit`)).body, /OUT_OF_REGION/);
    assert.equal((await b['nj-region']!.get('/admin/catalog/consistency?region=320500')).statusCode, 403);
    assert.equal((await b['nj-scjg']!.get('/admin/catalog/basic-items/new')).statusCode, 403);
    const province = await b['js-admin']!.get('/admin/catalog?region=320500');
    assert.match(province.body, new RegExp(sz.code));

    // Province staff maintain basic items: list, edit page, create (a draft for a second reviewer).
    assert.match((await b['js-admin']!.get('/admin/catalog?kind=basic_item')).body, /食品经营许可/);
    assert.match((await b['js-admin']!.get(`/admin/catalog/entries/${basicId}/edit`)).body, /01-0901-000/);
    const newBasic = { ...basicContent, name: '小餐饮登记', code: '01-0902-000' };
    const created = await post(b['js-admin']!, '/admin/catalog/basic-items/new', '/admin/catalog/basic-items/new', { content: JSON.stringify(newBasic) });
    assert.equal(created.statusCode, 303, created.body);
    assert.equal((await catalog.get(idFromLocation(created.headers.location))).status, 'draft');
    const dup = await post(b['js-admin']!, '/admin/catalog/basic-items/new', '/admin/catalog/basic-items/new', { content: JSON.stringify({ ...newBasic, itemType: '02' }) });
    assert.equal(dup.statusCode, 400);
    assert.match(summaryOf(dup.body), /基本编码应以事项类型代码 02 开头/);
  });

  test('create, edit, submit, four eyes, reject, approve and withdraw through the forms', async () => {
    const editor = b['nj-scjg']!;
    const step2 = await editor.get(`/admin/catalog/implementations/new?basicItem=${basicId}&region=320100`);
    assert.equal(step2.statusCode, 200);
    assert.match(step2.body, /南京市市场监督管理局/);
    const template = JSON.parse(/<textarea id="content" name="content"[^>]*>([\s\S]*?)<\/textarea>/.exec(step2.body)![1]!.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&'));
    const created = await editor.submit('/admin/catalog/implementations/new', { basicItem: basicId, region: '320100', orgId: njOrg, content: JSON.stringify({ ...template, place: { address: '南京市江东中路 265 号', hours: '工作日' }, phones: { consult: '025-1', complaint: '12345' } }) }, Browser.csrfFrom(step2.body));
    assert.equal(created.statusCode, 303, created.body);
    const id = idFromLocation(created.headers.location);
    const entryUrl = `/admin/catalog/entries/${id}`;
    assert.match((await editor.get(`${entryUrl}?done=created`)).body, /已新建草稿/);

    // Server-side validation: every problem listed in the error summary, the input kept.
    const bad = await post(editor, `${entryUrl}/edit`, `${entryUrl}/edit`, { content: JSON.stringify({ ...template, promisedLimitDays: 99, legalLimitDays: 20 }), lockVersion: '1' });
    assert.equal(bad.statusCode, 400);
    assert.match(summaryOf(bad.body), /promisedLimitDays：承诺时限不能超过法定时限/);
    assert.match(bad.body, /&quot;promisedLimitDays&quot;: ?99|"promisedLimitDays":99|promisedLimitDays&quot;:99/);

    // The region admin edits (and so authors) the new draft, submits it, and cannot approve it.
    const admin = b['nj-region']!;
    const edited = await post(admin, `${entryUrl}/edit`, `${entryUrl}/edit`, { content: JSON.stringify({ ...template, promisedLimitDays: 3 }), lockVersion: '1' });
    assert.equal(edited.statusCode, 303, edited.body);
    const page = await admin.get(entryUrl);
    assert.match(page.body, /promisedLimitDays<\/code>：10 → 3/);
    const lock = /name="lockVersion" value="(\d+)"/.exec(page.body)![1]!;
    assert.equal((await admin.submit(`${entryUrl}/submit`, { lockVersion: lock }, Browser.csrfFrom(page.body))).statusCode, 303);
    const self = await post(admin, entryUrl, `${entryUrl}/approve`, {});
    assert.equal(self.statusCode, 403);
    assert.match(summaryOf(self.body), /不能审核自己提交的修改/);
    assert.equal((await post(editor, entryUrl, `${entryUrl}/approve`, {})).statusCode, 403, 'department admins do not review');

    // Rejection needs a reason; then a fresh submission is approved by another reviewer.
    const noReason = await post(b['js-admin']!, entryUrl, `${entryUrl}/reject`, { note: '' });
    assert.equal(noReason.statusCode, 400);
    assert.match(summaryOf(noReason.body), /请填写退回理由/);
    assert.equal((await post(b['js-admin']!, entryUrl, `${entryUrl}/reject`, { note: '地址不完整' })).statusCode, 303);
    assert.match((await editor.get(entryUrl)).body, /审核意见：地址不完整/);
    const fix = await post(editor, `${entryUrl}/edit`, `${entryUrl}/edit`, { content: JSON.stringify({ ...template, promisedLimitDays: 3, place: { address: '南京市建邺区江东中路 265 号', hours: '工作日' } }), lockVersion: /name="lockVersion" value="(\d+)"/.exec((await editor.get(`${entryUrl}/edit`)).body)![1]! });
    assert.equal(fix.statusCode, 303, fix.body);
    assert.equal((await post(editor, entryUrl, `${entryUrl}/submit`, {})).statusCode, 303);
    assert.equal((await post(admin, entryUrl, `${entryUrl}/approve`, { note: '同意' })).statusCode, 303);
    const published = await editor.get(entryUrl);
    assert.match(published.body, /已发布第 \d+ 版/);
    assert.equal((await p.app.inject(`/api/v1/catalog/implementations/${id}`)).statusCode, 200);

    // Withdrawal needs a reason too.
    assert.match(summaryOf((await post(admin, entryUrl, `${entryUrl}/withdraw`, {})).body), /请填写取消理由/);
    assert.equal((await post(admin, entryUrl, `${entryUrl}/withdraw`, { note: '职能调整' })).statusCode, 303);
    assert.equal((await catalog.get(id)).status, 'withdrawn');
  });

  test('三级四同 refusals and edit conflicts show on the page', async () => {
    const sys = { kind: 'system' as const, id: 'seed' };
    const impl = await catalog.createImplementation(implContent(basicId, '320100', njOrg), sys);
    await catalog.update(impl.id, { ...impl.content, name: '开办饭店许可' }, impl.lockVersion, sys);
    const entryUrl = `/admin/catalog/entries/${impl.id}`;
    const editor = b['nj-scjg']!;
    assert.match((await editor.get(entryUrl)).body, /与基本目录不一致/);
    const refused = await post(editor, entryUrl, `${entryUrl}/submit`, {});
    assert.equal(refused.statusCode, 422);
    assert.match(summaryOf(refused.body), /三级四同/);
    assert.match(summaryOf(refused.body), /事项名称应为“食品经营许可”，实为“开办饭店许可”/);
    const report = await b['js-auditor']!.get('/admin/catalog/consistency?region=320100');
    assert.match(report.body, /南京市市场监督管理局/);
    assert.match(report.body, /<svg[^>]*role="img"/);
    assert.match(report.body, /format=csv/);

    // Two people open the edit page; the second save is refused with a way to reload.
    const first = await editor.get(`${entryUrl}/edit`);
    const second = await b['nj-region']!.get(`${entryUrl}/edit`);
    const lockOf = (html: string) => /name="lockVersion" value="(\d+)"/.exec(html)![1]!;
    const body = { ...implContent(basicId, '320100', njOrg), promisedLimitDays: 4 };
    const ok = await editor.submit(`${entryUrl}/edit`, { content: JSON.stringify(body), lockVersion: lockOf(first.body) }, Browser.csrfFrom(first.body));
    assert.equal(ok.statusCode, 303, ok.body);
    // Saving through the page also restored the name from the basic item.
    assert.equal((await catalog.get(impl.id)).content.name, '食品经营许可');
    const stale = await b['nj-region']!.submit(`${entryUrl}/edit`, { content: JSON.stringify({ ...body, promisedLimitDays: 2 }), lockVersion: lockOf(second.body) }, Browser.csrfFrom(second.body));
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /已被他人修改/);
    assert.match(stale.body, new RegExp(`href="${entryUrl}/edit">重新载入最新内容`));
  });

  test('bulk import is all-or-nothing, reports every bad row, and round-trips idempotently', async () => {
    const editor = b['nj-region']!;
    const header = ['实施编码', '承诺时限（工作日）', '完整内容（JSON）'];
    const good = (address: string) => ['', '', JSON.stringify(implContent(basicId, '320100', njOrg, { place: { address, hours: '工作日' } }))];
    const before = (await catalog.list({ kind: 'implementation', regionPrefix: '3201' }, 'working')).length;
    const badCsv = stringify([header, good('甲'), ['', 'x', JSON.stringify(implContent(basicId, '320100', njOrg))], ['', '', JSON.stringify(implContent(basicId, '320100', njOrg, { name: '错误名称' }))], ['', '', '{oops'], ['', '', JSON.stringify(implContent(basicId, '320500', szOrg))]]);
    const refused = await post(editor, '/admin/catalog/import', '/admin/catalog/import', { csv: badCsv });
    assert.equal(refused.statusCode, 422);
    for (const row of [3, 4, 5, 6]) assert.match(refused.body, new RegExp(`<td class="numeric">${row}</td>`), `row ${row} reported`);
    assert.doesNotMatch(refused.body, /<td class="numeric">2<\/td>/, 'the good row has no problem');
    assert.match(refused.body, /三级四同：事项名称应为/);
    assert.match(refused.body, /不在您的管辖区划内/);
    assert.equal((await catalog.list({ kind: 'implementation', regionPrefix: '3201' }, 'working')).length, before, 'nothing committed');

    const accepted = await post(editor, '/admin/catalog/import', '/admin/catalog/import', { csv: stringify([header, good('乙'), good('丙')]) });
    assert.equal(accepted.statusCode, 200, accepted.body);
    assert.match(accepted.body, /新建草稿 2 项/);
    const after = await catalog.list({ kind: 'implementation', regionPrefix: '3201' }, 'working');
    assert.equal(after.length, before + 2);
    assert.ok(after.filter((e) => ['乙', '丙'].includes((e.content as { place: { address: string } }).place.address)).every((e) => e.status === 'draft'));

    // Export → import changes nothing; an edited cell makes exactly one new draft version.
    const exported = await editor.get('/admin/catalog/export.csv?region=320100');
    assert.match(String(exported.headers['content-type']), /text\/csv/);
    const versionsBefore = after.map((e) => e.working_version).join();
    const again = await post(editor, '/admin/catalog/import', '/admin/catalog/import', { csv: exported.body });
    assert.equal(again.statusCode, 200, summaryOf(again.body));
    assert.match(again.body, new RegExp(`新建草稿 0 项，生成新草稿版本 0 项，内容未变 ${after.length} 项`));
    assert.equal((await catalog.list({ kind: 'implementation', regionPrefix: '3201' }, 'working')).map((e) => e.working_version).join(), versionsBefore);
    const rows = parse(exported.body.replace(/^\ufeff/, '')) as string[][];
    const target = rows.findIndex((r, i) => i > 0 && r[4] === 'draft');
    rows[target]![6] = '1';
    const edited = await post(editor, '/admin/catalog/import', '/admin/catalog/import', { csv: stringify(rows) });
    assert.match(edited.body, /生成新草稿版本 1 项/);
    assert.equal(((await catalog.get(after.find((e) => e.code === rows[target]![0])!.id)).content as ImplementationContent).promisedLimitDays, 1);

    // The Excel export re-imports as a raw upload (for tools), unchanged.
    const xlsx = await editor.get('/admin/catalog/export.xlsx?region=320100');
    assert.equal(xlsx.statusCode, 200);
    const page = await editor.get('/admin/catalog/import');
    const raw = await p.app.inject({ method: 'POST', url: '/admin/catalog/import', payload: xlsx.rawPayload, headers: { cookie: editor.cookieHeader, 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'x-csrf-token': Browser.csrfFrom(page.body), accept: 'application/json' } });
    // Uploads run as a background job (test/catalog-import-jobs.test.ts): run it here.
    assert.equal(raw.statusCode, 202, raw.body);
    const worker = new OutboxWorker(p.ctx.db, { backoffMs: () => 0 });
    for (const h of catalogModule.handlers!(p.ctx)) worker.register(h);
    while ((await worker.runOnce()) > 0);
    const status = (await editor.get((raw.json() as { statusUrl: string }).statusUrl, { accept: 'application/json' })).json() as { status: string; result: object };
    assert.equal(status.status, 'done');
    assert.deepEqual(status.result, { committed: true, rows: after.length, created: 0, updated: 0, unchanged: after.length });
  });
});
