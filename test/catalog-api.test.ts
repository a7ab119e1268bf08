// The catalogue lifecycle through the API, as province and city staff use it: basic item
// → implementation → review → publication, 三级四同, concurrent edits, revision, withdrawal.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from './support/backends.ts';
import { buildTestPlatform, Browser, type TestPlatform } from './support/platform.ts';
import { StaffService } from '../src/modules/identity/index.ts';
import { RegionService } from '../src/modules/regions/index.ts';
import { DEMO_PASSWORD } from '../demo/load.ts';
import { FOOD_LICENCE_BASIC, foodLicenceImplementation } from './support/catalog-fixtures.ts';

const basicContent = FOOD_LICENCE_BASIC;
const implContent = (basicItemId: string, regionCode: string, orgId: string) => foodLicenceImplementation(basicItemId, regionCode, orgId);

describeEachBackend('catalogue API', (getDb) => {
  let p: TestPlatform;
  let province: Browser;
  let reviewer: Browser;
  let njEditor: Browser;
  let njReviewer: Browser;
  let njOrg: string;
  let szOrg: string;
  const api = async (b: Browser, method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) => {
    const page = await b.get('/staff');
    const res = await p.app.inject({ method, url, payload: body as object, headers: { cookie: b.cookieHeader, 'x-csrf-token': Browser.csrfFrom(page.body), accept: 'application/json' } });
    return { status: res.statusCode, json: /json/.test(String(res.headers['content-type'])) ? res.json() : null, body: res.body, headers: res.headers };
  };

  before(async () => {
    const db = getDb();
    p = await buildTestPlatform(db);
    const regions = new RegionService(db.db);
    njOrg = (await regions.organisations('320100')).find((o) => o.name === '南京市市场监督管理局')!.id;
    szOrg = (await regions.organisations('320500')).find((o) => o.name === '苏州市市场监督管理局')!.id;
    const staff = new StaffService(db.db);
    const sys = { kind: 'system' as const, id: 'test' };
    const make = (loginName: string, regionCode: string, roles: ('region_admin' | 'dept_admin')[], orgId: string | null) =>
      staff.createStaff({ loginName, displayName: loginName, password: DEMO_PASSWORD, orgId, regionCode, roles, mustChangePassword: false }, sys);
    await make('js-reviewer', '320000', ['region_admin'], null);
    await make('nj-scjg', '320100', ['dept_admin'], njOrg);
    await make('nj-region', '320100', ['region_admin'], null);
    province = new Browser(p.app);
    reviewer = new Browser(p.app);
    njEditor = new Browser(p.app);
    njReviewer = new Browser(p.app);
    await province.login('js-admin', DEMO_PASSWORD);
    await reviewer.login('js-reviewer', DEMO_PASSWORD);
    await njEditor.login('nj-scjg', DEMO_PASSWORD);
    await njReviewer.login('nj-region', DEMO_PASSWORD);
  });
  after(async () => {
    await p?.app.close();
  });

  test('from basic item to published implementation, with 三级四同, conflicts, revision and withdrawal', async () => {
    // The province defines the basic item; its author cannot approve it.
    const created = await api(province, 'POST', '/api/v1/catalog/basic-items', { content: basicContent });
    assert.equal(created.status, 201, created.body);
    const basicId = created.json.id as string;
    assert.equal(created.json.status, 'draft');
    assert.equal((await api(njEditor, 'POST', '/api/v1/catalog/basic-items', { content: basicContent })).status, 403, 'city staff cannot define basic items');
    assert.equal((await api(province, 'POST', `/api/v1/catalog/entries/${basicId}/submit`, {})).json.status, 'in_review');
    const self = await api(province, 'POST', `/api/v1/catalog/entries/${basicId}/approve`, {});
    assert.equal(self.json.code, 'CATALOG_SELF_APPROVAL');
    assert.equal((await api(reviewer, 'POST', `/api/v1/catalog/entries/${basicId}/approve`, {})).json.status, 'published');
    assert.equal((await p.app.inject(`/api/v1/catalog/basic-items/${basicId}`)).json().content.name, '食品经营许可');

    // Bad input: every problem reported by field, nothing stored.
    const bad = await api(njEditor, 'POST', '/api/v1/catalog/implementations', { content: { ...implContent(basicId, '320100', njOrg), promisedLimitDays: 20, formSchema: { type: 'object', properties: { x: { type: 'nonsense' } } } } });
    assert.equal(bad.status, 400, bad.body);
    const fields = (bad.json.errors as { field: string }[]).map((e) => e.field);
    assert.ok(fields.includes('promisedLimitDays') && fields.includes('formSchema'), fields.join(','));
    const negative = await api(njEditor, 'POST', '/api/v1/catalog/implementations', { content: { ...implContent(basicId, '320100', njOrg), legalLimitDays: -1 } });
    assert.equal(negative.status, 400);
    const otherRegion = await api(njEditor, 'POST', '/api/v1/catalog/implementations', { content: implContent(basicId, '320500', szOrg) });
    assert.equal(otherRegion.json.code, 'OUT_OF_REGION');

    // The Nanjing market regulator drafts its implementation; the platform assigns the code.
    const impl = await api(njEditor, 'POST', '/api/v1/catalog/implementations', { content: implContent(basicId, '320100', njOrg) });
    assert.equal(impl.status, 201, impl.body);
    assert.match(impl.json.code, /^010901000-320100000000-001-[0-9A-Z]{18}-1-00$/);
    const implId = impl.json.id as string;

    // Concurrent edits: the stale save gets 409 with the other version.
    const edit = { ...implContent(basicId, '320100', njOrg), sequence: 1, promisedLimitDays: 3 };
    const first = await api(njEditor, 'PUT', `/api/v1/catalog/entries/${implId}`, { content: edit, lockVersion: impl.json.lockVersion });
    assert.equal(first.status, 200, first.body);
    assert.equal(first.json.workingVersion, 2);
    const stale = await api(njEditor, 'PUT', `/api/v1/catalog/entries/${implId}`, { content: { ...edit, promisedLimitDays: 4 }, lockVersion: impl.json.lockVersion });
    assert.equal(stale.status, 409);
    assert.equal(stale.json.code, 'CATALOG_EDIT_CONFLICT');
    assert.match(stale.json.errors[0].message, /"promisedLimitDays":3/);
    const versions = await api(njEditor, 'GET', `/api/v1/catalog/entries/${implId}/versions`);
    assert.deepEqual(versions.json[0].diff, [{ path: 'promisedLimitDays', before: 5, after: 3 }]);

    // A renamed implementation cannot be submitted: 三级四同 lists the difference.
    const renamed = await api(njEditor, 'PUT', `/api/v1/catalog/entries/${implId}`, { content: { ...edit, name: '开办饭店许可' }, lockVersion: first.json.lockVersion });
    const refused = await api(njEditor, 'POST', `/api/v1/catalog/entries/${implId}/submit`, {});
    assert.equal(refused.status, 422);
    assert.equal(refused.json.code, 'CATALOG_INCONSISTENT');
    assert.match(refused.json.errors[0].message, /事项名称应为“食品经营许可”，实为“开办饭店许可”/);
    const report = await api(njReviewer, 'GET', '/api/v1/catalog/consistency?region=320100');
    assert.equal(report.json.total, 1);
    assert.equal(report.json.percentConsistent, 0);
    assert.equal(report.json.deviating[0].deviations[0].field, 'name');
    const csv = await api(njReviewer, 'GET', '/api/v1/catalog/consistency?region=320100&format=csv');
    assert.match(csv.headers['content-type'] as string, /text\/csv/);
    assert.match(csv.body, /事项名称,事项名称应为“食品经营许可”/);
    assert.equal((await api(njReviewer, 'GET', '/api/v1/catalog/consistency?region=320500')).json.code, 'OUT_OF_REGION');

    // Fixed, submitted, approved by the city's reviewer: published and public.
    const fixed = await api(njEditor, 'PUT', `/api/v1/catalog/entries/${implId}`, { content: edit, lockVersion: renamed.json.lockVersion });
    assert.equal((await api(njEditor, 'POST', `/api/v1/catalog/entries/${implId}/submit`, {})).json.status, 'in_review');
    assert.equal((await api(njEditor, 'PUT', `/api/v1/catalog/entries/${implId}`, { content: edit, lockVersion: fixed.json.lockVersion + 1 })).json.code, 'CATALOG_INVALID_STATE');
    const published = await api(njReviewer, 'POST', `/api/v1/catalog/entries/${implId}/approve`, { note: '同意' });
    assert.equal(published.json.status, 'published');
    const list = (await p.app.inject('/api/v1/catalog/implementations?region=320100')).json();
    assert.deepEqual(list.map((i: { id: string }) => i.id), [implId]);
    assert.equal(list[0].content.promisedLimitDays, 3);

    // 动态调整: a revised basic item flags the implementation and notifies its organisation.
    const basicNow = await api(province, 'GET', `/api/v1/catalog/entries/${basicId}`);
    await api(province, 'PUT', `/api/v1/catalog/entries/${basicId}`, { content: { ...basicContent, keywords: ['开饭店', '开餐馆', '开小吃店'] }, lockVersion: basicNow.json.lockVersion });
    await api(province, 'POST', `/api/v1/catalog/entries/${basicId}/submit`, {});
    await api(reviewer, 'POST', `/api/v1/catalog/entries/${basicId}/approve`, {});
    assert.equal((await api(njEditor, 'GET', `/api/v1/catalog/entries/${implId}`)).json.needsReview, true);
    const notes = await api(njEditor, 'GET', '/api/v1/catalog/notifications');
    assert.match(notes.json[0].message, /基本目录事项 01-0901-000 已调整（keywords）/);

    // Withdrawn: gone from the public catalogue, history kept.
    assert.equal((await api(njReviewer, 'POST', `/api/v1/catalog/entries/${implId}/withdraw`, {})).status, 400, 'a reason is required');
    assert.equal((await api(njReviewer, 'POST', `/api/v1/catalog/entries/${implId}/withdraw`, { note: '职能调整' })).json.status, 'withdrawn');
    assert.equal((await p.app.inject(`/api/v1/catalog/implementations/${implId}`)).statusCode, 404);
    assert.ok((await api(njEditor, 'GET', `/api/v1/catalog/entries/${implId}/versions`)).json.length >= 4);
  });

  test('staff cannot open another region’s entries', async () => {
    const basic = (await p.app.inject('/api/v1/catalog/basic-items')).json()[0];
    const sz = await api(province, 'POST', '/api/v1/catalog/implementations', { content: implContent(basic.id, '320500', szOrg) });
    assert.equal(sz.status, 201, sz.body);
    const peek = await api(njEditor, 'GET', `/api/v1/catalog/entries/${sz.json.id}`);
    assert.equal(peek.status, 403);
    assert.equal(peek.json.code, 'OUT_OF_REGION');
    assert.equal((await p.app.inject(`/api/v1/catalog/entries/${sz.json.id}`)).statusCode, 401);
  });
});
