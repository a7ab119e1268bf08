// End-to-end API tests of the foundation on both database backends.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from './support/backends.ts';
import { buildTestPlatform, Browser, type TestPlatform } from './support/platform.ts';
import { DEMO_PASSWORD } from '../demo/load.ts';

describeEachBackend('platform API', (getDb) => {
  let p: TestPlatform;
  before(async () => {
    p = await buildTestPlatform(getDb());
  });
  after(async () => {
    await p?.app.close();
  });

  test('health, readiness and metrics', async () => {
    assert.equal((await p.app.inject('/healthz')).json().status, 'ok');
    assert.equal((await p.app.inject('/readyz')).json().status, 'ready');
    const metrics = await p.app.inject('/metrics');
    assert.equal(metrics.statusCode, 401, 'metrics are not public');
  });

  test('Jiangsu has 13 cities and 95 county-level divisions plus marked functional zones', async () => {
    const cities = (await p.app.inject('/api/v1/regions/320000/children')).json() as { code: string; level: number }[];
    assert.equal(cities.length, 13);
    assert.deepEqual([cities[0]!.code, cities[12]!.code], ['320100', '321300']);
    let counties = 0;
    let zones = 0;
    for (const city of cities) {
      const children = (await p.app.inject(`/api/v1/regions/${city.code}/children`)).json() as { functionalZone: boolean; levelName: string }[];
      counties += children.filter((c) => !c.functionalZone).length;
      zones += children.filter((c) => c.functionalZone && c.levelName === '功能区').length;
    }
    assert.equal(counties, 95);
    assert.equal(zones, 9);
    const sip = (await p.app.inject('/api/v1/regions/320576')).json();
    assert.equal(sip.name, '苏州工业园区');
    assert.equal(sip.functionalZone, true);
  });

  test('towns and villages below a county', async () => {
    const towns = (await p.app.inject('/api/v1/regions/320102/children')).json() as { code: string; level: number; parentCode: string }[];
    assert.ok(towns.length > 5);
    assert.ok(towns.every((t) => t.level === 4 && t.code.length === 9 && t.parentCode === '320102'));
    const villages = (await p.app.inject(`/api/v1/regions/${towns[0]!.code}/children`)).json() as { level: number }[];
    assert.ok(villages.length > 0 && villages.every((v) => v.level === 5));
  });

  test('unknown region is 404 and malformed code is 400, both problem+json', async () => {
    const missing = await p.app.inject('/api/v1/regions/329900');
    assert.equal(missing.statusCode, 404);
    assert.match(missing.headers['content-type'] as string, /application\/problem\+json/);
    assert.equal(missing.json().code, 'REGION_NOT_FOUND');
    const bad = await p.app.inject('/api/v1/regions/32-100');
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().code, 'REGION_CODE_MALFORMED');
    assert.ok(bad.json().requestId);
    const route = await p.app.inject('/api/v1/nothing-here');
    assert.equal(route.statusCode, 404);
    assert.equal(route.json().code, 'ROUTE_NOT_FOUND');
  });

  test('organisations belong to regions and carry valid credit codes', async () => {
    const orgs = (await p.app.inject('/api/v1/regions/320100/organisations')).json() as { name: string; creditCode: string }[];
    assert.ok(orgs.some((o) => o.name === '南京市市场监督管理局'));
  });

  test('OpenAPI document lists the region endpoints', async () => {
    const doc = (await p.app.inject('/openapi.json')).json();
    assert.match(doc.openapi, /^3\./);
    assert.ok(doc.paths['/api/v1/regions/{code}/children']);
    const docs = await p.app.inject('/docs/');
    assert.equal(docs.statusCode, 200);
  });

  test('bootstrap admin must change the one-time password before anything else', async () => {
    assert.ok(p.adminPassword, 'one-time password was logged');
    const b = new Browser(p.app);
    const res = await b.login('admin', p.adminPassword!);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/staff/password');
    const blocked = await b.get('/staff');
    assert.equal(blocked.statusCode, 403);
    const form = await b.get('/staff/password');
    const changed = await b.submit('/staff/password', { currentPassword: p.adminPassword!, newPassword: 'a-new-long-password-1', confirmPassword: 'a-new-long-password-1' }, Browser.csrfFrom(form.body));
    assert.equal(changed.statusCode, 303);
    assert.equal((await b.get('/staff')).statusCode, 200);
  });

  test('forms without a valid CSRF token are refused', async () => {
    const b = new Browser(p.app);
    await b.get('/staff/login');
    const res = await b.submit('/staff/login', { loginName: 'nj-clerk', password: DEMO_PASSWORD }, 'forged');
    assert.equal(res.statusCode, 403);
    const noToken = await b.submit('/staff/login', { loginName: 'nj-clerk', password: DEMO_PASSWORD });
    assert.equal(noToken.statusCode, 403);
  });

  test('wrong password re-renders the form with an error, in Chinese', async () => {
    const b = new Browser(p.app);
    const res = await b.login('nj-clerk', 'not-the-password');
    assert.equal(res.statusCode, 401);
    assert.match(res.body, /账号或密码不正确/);
    assert.match(res.body, /error-summary/);
  });

  test('bearer tokens: unknown token is refused with problem+json', async () => {
    const res = await p.app.inject({ url: '/api/v1/regions/320000', headers: { authorization: 'Bearer nope' } });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().code, 'INVALID_TOKEN');
  });
});
