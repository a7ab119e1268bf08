// HTTP hardening through inject: security headers on every response, request ids, region
// rules that run only on validated input, the rate limiter's own Retry-After, the proxy
// setting, and the answer given while the server shuts down.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from './support/backends.ts';
import { buildTestPlatform, Browser, testConfig, type TestPlatform } from './support/platform.ts';
import { buildApp, type App } from '../src/app.ts';
import { createLogger } from '../src/platform/logger.ts';
import { DEMO_PASSWORD } from '../demo/load.ts';

const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function assertBaseHeaders(headers: Record<string, unknown>, what: string): void {
  assert.equal(headers['x-content-type-options'], 'nosniff', what);
  assert.equal(headers['referrer-policy'], 'same-origin', what);
  assert.equal(headers['x-frame-options'], 'DENY', what);
}

describeEachBackend('HTTP hardening', (getDb) => {
  let p: TestPlatform;
  const extra: App[] = [];
  const appWith = async (overrides: Record<string, string>) => {
    const built = await buildApp({ config: testConfig(overrides), db: getDb().db, logger: createLogger('silent') });
    extra.push(built);
    return built;
  };
  before(async () => {
    p = await buildTestPlatform(getDb());
  });
  after(async () => {
    for (const a of extra) await a.app.close();
    await p?.app.close();
  });

  test('every response carries nosniff, a referrer policy and frame denial', async () => {
    const cases: [string, Record<string, string>][] = [
      ['/', { accept: 'text/html' }],
      ['/api/v1/regions/320000', {}],
      ['/api/v1/nothing-here', {}],
      ['/regions/329900', { accept: 'text/html' }],
      ['/assets/site.css', {}],
      ['/docs/', {}],
      ['/openapi.json', {}],
    ];
    for (const [url, headers] of cases) {
      const res = await p.app.inject({ url, headers });
      assertBaseHeaders(res.headers, url);
      assert.equal(res.headers['strict-transport-security'], undefined, 'no HSTS on a plain-http deployment');
    }
  });

  test('HTML pages get the content security policy; JSON and the API reference do not', async () => {
    const home = await p.app.inject({ url: '/', headers: { accept: 'text/html' } });
    assert.equal(home.headers['content-security-policy'], CSP);
    const errorPage = await p.app.inject({ url: '/regions/329900', headers: { accept: 'text/html' } });
    assert.equal(errorPage.statusCode, 404);
    assert.equal(errorPage.headers['content-security-policy'], CSP);
    const json = await p.app.inject('/api/v1/regions/320000');
    assert.equal(json.headers['content-security-policy'], undefined);
    const docs = await p.app.inject('/docs/');
    assert.equal(docs.statusCode, 200);
    assert.equal(docs.headers['content-security-policy'], undefined, 'the API reference page brings its own scripts');
  });

  test('HSTS when the public address is https', async () => {
    const https = await appWith({ PUBLIC_URL: 'https://zwfw.example.gov.cn' });
    const res = await https.app.inject('/healthz');
    assert.equal(res.headers['strict-transport-security'], 'max-age=31536000');
  });

  test('responses to signed-in requests are not stored by caches', async () => {
    const b = new Browser(p.app);
    assert.equal((await b.login('nj-clerk', DEMO_PASSWORD)).statusCode, 303);
    const page = await b.get('/staff');
    assert.equal(page.statusCode, 200);
    assert.equal(page.headers['cache-control'], 'no-store');
    const anonymous = await p.app.inject({ url: '/', headers: { accept: 'text/html' } });
    assert.notEqual(anonymous.headers['cache-control'], 'no-store');
    const asset = await p.app.inject({ url: '/assets/site.css', headers: { cookie: b.cookieHeader } });
    assert.notEqual(asset.headers['cache-control'], 'no-store', 'assets stay cacheable');
  });

  test('an incoming x-request-id is kept only when it is a short plain token', async () => {
    const kept = await p.app.inject({ url: '/healthz', headers: { 'x-request-id': 'lb-2026.06_01-abc' } });
    assert.equal(kept.headers['x-request-id'], 'lb-2026.06_01-abc');
    for (const bad of ['has space', 'a'.repeat(65), 'x\u00e9y', 'a/b', '<script>', '']) {
      const res = await p.app.inject({ url: '/healthz', headers: { 'x-request-id': bad } });
      assert.match(String(res.headers['x-request-id']), UUID, JSON.stringify(bad));
    }
  });

  test('a region rule never sees unvalidated input: a repeated region parameter is 4xx', async () => {
    const b = new Browser(p.app);
    assert.equal((await b.login('js-admin', DEMO_PASSWORD)).statusCode, 303);
    const res = await p.app.inject({ url: '/api/v1/calendar/overrides?region=320100&region=320500', headers: { cookie: b.cookieHeader, accept: 'application/json' } });
    assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${res.statusCode} ${res.body}`);
    const nanjing = await p.app.inject({ url: '/api/v1/calendar/overrides?region=320100', headers: { cookie: b.cookieHeader } });
    assert.equal(nanjing.statusCode, 200);
    const shanghai = await p.app.inject({ url: '/api/v1/calendar/overrides?region=310100', headers: { cookie: b.cookieHeader } });
    assert.equal(shanghai.json().code, 'OUT_OF_REGION');
  });

  test('a rate-limited answer keeps the limiter’s own Retry-After', async () => {
    const limited = await appWith({ RATE_LIMIT_PER_MINUTE: '2' });
    let last = await limited.app.inject('/healthz');
    for (let i = 0; i < 3; i++) last = await limited.app.inject('/healthz');
    assert.equal(last.statusCode, 429);
    assert.equal(last.json().code, 'RATE_LIMITED');
    const retry = Number(last.headers['retry-after']);
    assert.ok(retry > 5 && retry <= 60, `Retry-After ${last.headers['retry-after']} is the limiter's window, not the generic 5 s`);
  });

  test('client addresses come from X-Forwarded-For only when TRUST_PROXY says so', async () => {
    const loginFrom = async (app: App['app']) => {
      const b = new Browser(app);
      const page = await b.get('/staff/login');
      await app.inject({
        method: 'POST',
        url: '/staff/login',
        payload: new URLSearchParams({ _csrf: Browser.csrfFrom(page.body), loginName: 'sz-clerk', password: DEMO_PASSWORD }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: b.cookieHeader, 'x-forwarded-for': '203.0.113.9' },
      });
      const row = await getDb().db.selectFrom('web_session').select('ip').orderBy('created_at', 'desc').executeTakeFirstOrThrow();
      return row.ip;
    };
    assert.equal(await loginFrom(p.app), '127.0.0.1', 'not trusted by default');
    assert.equal(await loginFrom((await appWith({ TRUST_PROXY: '127.0.0.1/8' })).app), '203.0.113.9');
  });

  test('while shutting down, new requests get 503 SHUTTING_DOWN as problem+json', async () => {
    const closing = await appWith({});
    assert.equal((await closing.app.inject('/healthz')).statusCode, 200);
    closing.beginClosing();
    const res = await closing.app.inject({ url: '/api/v1/regions/320000', headers: { accept: 'application/json' } });
    assert.equal(res.statusCode, 503);
    assert.match(String(res.headers['content-type']), /application\/problem\+json/);
    assert.equal(res.json().code, 'SHUTTING_DOWN');
    assert.equal(res.headers['retry-after'], '5');
  });
});
