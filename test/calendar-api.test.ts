// Working-day API end to end on both database backends: public queries, region-scoped
// overrides for administrators, and loading a new year's schedule.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { describeEachBackend } from './support/backends.ts';
import { buildTestPlatform, Browser, type TestPlatform } from './support/platform.ts';
import { DEMO_PASSWORD } from '../demo/load.ts';
import { StaffService } from '../src/modules/identity/index.ts';
import { packageSchedules } from '../src/platform/calendar/index.ts';

const nextYear = Math.max(...packageSchedules().map((s) => s.year)) + 1;

/** A logged-in staff member sending JSON with the session's CSRF token, as the admin pages' scripts do. */
interface StaffClient {
  send(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown): Promise<LightMyRequestResponse>;
}

async function staffClient(p: TestPlatform, loginName: string, password: string): Promise<StaffClient> {
  const b = new Browser(p.app);
  const login = await b.login(loginName, password);
  assert.equal(login.statusCode, 303, `login ${loginName}`);
  const csrf = Browser.csrfFrom((await b.get('/staff')).body);
  return {
    send: (method, url, body) =>
      p.app.inject({
        method,
        url,
        headers: { cookie: b.cookieHeader, 'x-csrf-token': csrf, accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
      }),
  };
}

describeEachBackend('calendar API', (getDb) => {
  let p: TestPlatform;
  let provinceAdmin: StaffClient;
  let clerk: StaffClient;
  let platformAdmin: StaffClient;

  before(async () => {
    p = await buildTestPlatform(getDb());
    provinceAdmin = await staffClient(p, 'js-admin', DEMO_PASSWORD);
    clerk = await staffClient(p, 'nj-clerk', DEMO_PASSWORD);
    await new StaffService(getDb().db).createStaff(
      { loginName: 'cal-platform', displayName: '平台管理员（测试）', password: DEMO_PASSWORD, orgId: null, regionCode: '320000', roles: ['platform_admin'], mustChangePassword: false },
      { kind: 'system', id: 'test' },
    );
    platformAdmin = await staffClient(p, 'cal-platform', DEMO_PASSWORD);
  });
  after(async () => {
    await p?.app.close();
  });

  test('is a day a working day: 国庆 and its adjusted Saturday', async () => {
    const holiday = await p.app.inject('/api/v1/calendar/days/2026-10-01');
    assert.equal(holiday.statusCode, 200);
    assert.deepEqual(holiday.json(), {
      date: '2026-10-01', weekday: 4, workingDay: false, basis: 'holiday', holidayName: '国庆节', override: null, description: '法定节假日（国庆节）',
    });
    const saturday = (await p.app.inject('/api/v1/calendar/days/2026-10-10')).json();
    assert.deepEqual([saturday.workingDay, saturday.basis], [true, 'adjusted_workday']);
  });

  test('deadlines and counts, the start date not counted', async () => {
    const add = await p.app.inject('/api/v1/calendar/add-working-days?from=2026-09-30&days=3');
    assert.deepEqual(add.json(), { from: '2026-09-30', days: 3, region: '', date: '2026-10-10' });
    const spring = await p.app.inject('/api/v1/calendar/add-working-days?from=2026-02-13&days=2');
    assert.equal(spring.json().date, '2026-02-24');
    const count = await p.app.inject('/api/v1/calendar/working-days?from=2026-02-13&to=2026-02-28');
    assert.equal(count.json().workingDays, 6);
  });

  test('bad input is problem+json with a stable code', async () => {
    const bad = await p.app.inject('/api/v1/calendar/days/2026-02-30');
    assert.equal(bad.statusCode, 400);
    assert.match(bad.headers['content-type'] as string, /application\/problem\+json/);
    assert.equal(bad.json().code, 'CALENDAR_DATE_INVALID');
    assert.equal((await p.app.inject('/api/v1/calendar/add-working-days?from=2026-9-30&days=3')).json().code, 'CALENDAR_DATE_INVALID');
    assert.equal((await p.app.inject('/api/v1/calendar/add-working-days?from=2026-09-30&days=-1')).json().code, 'VALIDATION_FAILED');
    assert.equal((await p.app.inject('/api/v1/calendar/days/2026-10-01?region=32')).json().code, 'REGION_CODE_MALFORMED');
  });

  test(`a deadline reaching into ${nextYear} is 422 CALENDAR_YEAR_NOT_LOADED, not a guess`, async () => {
    const res = await p.app.inject(`/api/v1/calendar/add-working-days?from=${nextYear - 1}-12-20&days=20`);
    assert.equal(res.statusCode, 422);
    assert.equal(res.json().code, 'CALENDAR_YEAR_NOT_LOADED');
    assert.match(res.json().title, /尚未加载/);
  });

  test('overrides: who may list and add them', async () => {
    assert.equal((await p.app.inject('/api/v1/calendar/overrides')).statusCode, 401);
    assert.equal((await clerk.send('GET', '/api/v1/calendar/overrides')).json().code, 'FORBIDDEN');
    const anonymousPost = await p.app.inject({ method: 'POST', url: '/api/v1/calendar/overrides', payload: { date: '2026-03-10', kind: 'holiday', reason: 'x' } });
    assert.equal(anonymousPost.statusCode, 403, 'no CSRF token, no session');
    const zhejiang = await provinceAdmin.send('POST', '/api/v1/calendar/overrides', { date: '2026-03-10', kind: 'holiday', reason: '越权', regionCode: '330100' });
    assert.equal(zhejiang.json().code, 'OUT_OF_REGION');
    assert.equal((await provinceAdmin.send('GET', '/api/v1/calendar/overrides?region=330100')).json().code, 'OUT_OF_REGION');
  });

  test('a province administrator closes Nanjing for a day; it applies to Nanjing districts only', async () => {
    const created = await provinceAdmin.send('POST', '/api/v1/calendar/overrides', { date: '2026-03-10', kind: 'holiday', reason: '暴雨停工', regionCode: '320100' });
    assert.equal(created.statusCode, 201, created.body);
    const o = created.json();
    assert.deepEqual([o.date, o.kind, o.regionCode, o.reason], ['2026-03-10', 'holiday', '320100', '暴雨停工']);
    const again = await provinceAdmin.send('POST', '/api/v1/calendar/overrides', { date: '2026-03-10', kind: 'workday', reason: '重复', regionCode: '320100' });
    assert.deepEqual([again.statusCode, again.json().code], [409, 'CALENDAR_OVERRIDE_EXISTS']);

    const xuanwu = (await p.app.inject('/api/v1/calendar/days/2026-03-10?region=320102')).json();
    assert.deepEqual([xuanwu.workingDay, xuanwu.basis, xuanwu.override.reason], [false, 'override', '暴雨停工']);
    assert.equal((await p.app.inject('/api/v1/calendar/days/2026-03-10?region=320505')).json().workingDay, true);
    assert.equal((await p.app.inject('/api/v1/calendar/days/2026-03-10')).json().workingDay, true);
    const deadline = (await p.app.inject('/api/v1/calendar/add-working-days?from=2026-03-09&days=1&region=320102')).json();
    assert.equal(deadline.date, '2026-03-11');

    const list = (await provinceAdmin.send('GET', '/api/v1/calendar/overrides?region=320102')).json() as { id: number }[];
    assert.deepEqual(list.map((x) => x.id), [o.id]);

    const audit = await getDb().db.selectFrom('audit_log').select(['actor_kind', 'region_code', 'request_id']).where('action', '=', 'calendar.override.add').execute();
    assert.equal(audit.length, 1);
    assert.deepEqual([audit[0]!.actor_kind, audit[0]!.region_code], ['staff', '320100']);
    assert.ok(audit[0]!.request_id);

    const removed = await provinceAdmin.send('DELETE', `/api/v1/calendar/overrides/${o.id}`);
    assert.equal(removed.statusCode, 204);
    assert.equal((await p.app.inject('/api/v1/calendar/days/2026-03-10?region=320102')).json().workingDay, true);
    assert.equal((await provinceAdmin.send('DELETE', `/api/v1/calendar/overrides/${o.id}`)).json().code, 'NOT_FOUND');
  });

  test('loading a year: platform administrators only, validated, then used', async () => {
    const schedule = { source: '测试用安排（非官方）', days: [{ date: `${nextYear}-01-01`, kind: 'holiday', name: '元旦' }] };
    assert.equal((await provinceAdmin.send('PUT', `/api/v1/calendar/years/${nextYear}`, schedule)).json().code, 'FORBIDDEN');
    const invalid = await platformAdmin.send('PUT', `/api/v1/calendar/years/${nextYear}`, { ...schedule, days: [{ date: `${nextYear + 1}-05-01`, kind: 'holiday', name: '劳动节' }] });
    assert.deepEqual([invalid.statusCode, invalid.json().code], [400, 'CALENDAR_SCHEDULE_INVALID']);
    assert.ok(invalid.json().errors.length > 0);
    const loaded = await platformAdmin.send('PUT', `/api/v1/calendar/years/${nextYear}`, schedule);
    assert.equal(loaded.statusCode, 200, loaded.body);
    assert.deepEqual(loaded.json(), { year: nextYear, source: '测试用安排（非官方）', holidays: 1, workdays: 0 });
    const years = (await p.app.inject('/api/v1/calendar/years')).json() as { year: number; source: string }[];
    assert.equal(years.find((y) => y.year === nextYear)?.source, '测试用安排（非官方）');
    assert.ok(years.some((y) => y.year === 2026 && y.source.startsWith('chinese-days@')));
    const res = await p.app.inject(`/api/v1/calendar/add-working-days?from=${nextYear - 1}-12-20&days=20`);
    assert.equal(res.statusCode, 200);
  });

  test('the OpenAPI document lists the calendar endpoints', async () => {
    const doc = (await p.app.inject('/openapi.json')).json();
    for (const path of ['/api/v1/calendar/days/{date}', '/api/v1/calendar/add-working-days', '/api/v1/calendar/working-days', '/api/v1/calendar/overrides', '/api/v1/calendar/overrides/{id}', '/api/v1/calendar/years/{year}']) {
      assert.ok(doc.paths[path], path);
    }
  });
});
