// Sessions, cookies and CSRF end to end: malformed tokens and bodies are refused (never a
// 500), cookies are cleared with the attributes they were set with, a password change ends
// the account's other sessions, and static assets skip the session lookup.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { describeEachBackend } from './support/backends.ts';
import { buildTestPlatform, Browser, type TestPlatform } from './support/platform.ts';
import { StaffService } from '../src/modules/identity/index.ts';

const PASSWORD = 'a-long-test-password-1';

interface SetCookie {
  name: string;
  value: string;
  path?: string;
  httpOnly?: boolean;
  secure?: boolean;
  sameSite?: string;
  expires?: Date;
  maxAge?: number;
}
const cookiesOf = (res: LightMyRequestResponse) => res.cookies as SetCookie[];

function assertClearedLikeSet(c: SetCookie | undefined, name: string): void {
  assert.ok(c, `${name} is cleared`);
  assert.equal(c.value, '');
  assert.equal(c.path, '/');
  assert.equal(c.httpOnly, true);
  assert.equal(c.secure, true, 'a __Host- cookie is only cleared by a Secure Set-Cookie');
  assert.equal(c.sameSite, 'Lax');
}

describeEachBackend('sessions, cookies and CSRF', (getDb) => {
  let p: TestPlatform;
  before(async () => {
    p = await buildTestPlatform(getDb());
    const staff = new StaffService(getDb().db);
    for (const loginName of ['auth-two-sessions', 'auth-logout']) {
      await staff.createStaff({ loginName, displayName: '测试', password: PASSWORD, orgId: null, regionCode: '320100', roles: ['window_clerk'], mustChangePassword: false }, { kind: 'system', id: 'test' });
    }
  });
  after(async () => {
    await p?.app.close();
  });

  /** A browser that has loaded the login page: it holds the CSRF cookie and the form token. */
  async function anonymousWithToken(): Promise<{ b: Browser; token: string }> {
    const b = new Browser(p.app);
    const page = await b.get('/staff/login');
    return { b, token: Browser.csrfFrom(page.body) };
  }

  test('the anonymous CSRF cookie is __Host- prefixed when cookies are secure', async () => {
    const res = await p.app.inject({ url: '/staff/login', headers: { accept: 'text/html' } });
    const c = cookiesOf(res).find((x) => x.name.endsWith('yw_csrf'));
    assert.equal(c?.name, '__Host-yw_csrf');
    assert.deepEqual([c?.path, c?.secure, c?.httpOnly, c?.sameSite], ['/', true, true, 'Lax']);
  });

  test('a CSRF token with a multi-byte character is 403, not 500', async () => {
    const { b, token } = await anonymousWithToken();
    // Same number of UTF-16 units as a real token, more bytes.
    const forged = 'é' + token.slice(1);
    assert.equal(forged.length, token.length);
    // A header value arrives as latin1 text (é is one UTF-16 unit, two UTF-8 bytes).
    const res = await p.app.inject({
      method: 'POST',
      url: '/staff/login',
      headers: { cookie: b.cookieHeader, 'x-csrf-token': forged, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      payload: 'loginName=x&password=y',
    });
    assert.equal(res.statusCode, 403, res.body);
    assert.equal(res.json().code, 'CSRF_INVALID');
    for (const sent of ['令' + token.slice(1), '😀'.repeat(Math.floor(token.length / 2)) + 'a'.repeat(token.length % 2)]) {
      const inForm = await b.submit('/staff/login', { loginName: 'x', password: 'y' }, sent);
      assert.equal(inForm.statusCode, 403, inForm.body);
    }
    const inBody = await b.submit('/staff/login', { loginName: 'x', password: 'y' }, forged);
    assert.equal(inBody.statusCode, 403);
  });

  test('a JSON body that is not an object is 403 or 400, never 500', async () => {
    const { b, token } = await anonymousWithToken();
    for (const payload of ['"abc"', '5', 'null', 'true', '[1]']) {
      for (const headers of [{}, { 'x-csrf-token': token }]) {
        const res = await p.app.inject({ method: 'POST', url: '/staff/login', payload, headers: { cookie: b.cookieHeader, 'content-type': 'application/json', accept: 'application/json', ...headers } });
        assert.ok([400, 403].includes(res.statusCode), `${payload} ${JSON.stringify(headers)} answered ${res.statusCode} ${res.body}`);
        assert.match(res.json().code, /^(CSRF_INVALID|VALIDATION_FAILED)$/);
      }
    }
  });

  test('a POST to an unknown URL is 404 ROUTE_NOT_FOUND, not a CSRF refusal', async () => {
    const res = await p.app.inject({ method: 'POST', url: '/api/v1/nothing-here', payload: {}, headers: { accept: 'application/json' } });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().code, 'ROUTE_NOT_FOUND');
  });

  test('logout clears the session cookie with the attributes it was set with', async () => {
    const b = new Browser(p.app);
    const login = await b.login('auth-logout', PASSWORD);
    assert.equal(login.statusCode, 303);
    const set = cookiesOf(login).find((c) => c.name === '__Host-yw_sid');
    assert.deepEqual([set?.path, set?.secure, set?.httpOnly, set?.sameSite], ['/', true, true, 'Lax']);
    const page = await b.get('/staff');
    const res = await b.submit('/logout', {}, Browser.csrfFrom(page.body));
    assert.equal(res.statusCode, 303);
    assertClearedLikeSet(cookiesOf(res).find((c) => c.name === '__Host-yw_sid'), '__Host-yw_sid');
  });

  test('an unknown or expired session cookie is cleared with the same attributes', async () => {
    const res = await p.app.inject({ url: '/', headers: { accept: 'text/html', cookie: '__Host-yw_sid=not-a-live-session' } });
    assert.equal(res.statusCode, 200);
    assertClearedLikeSet(cookiesOf(res).find((c) => c.name === '__Host-yw_sid'), '__Host-yw_sid');
  });

  test('static assets skip the session lookup', async () => {
    const res = await p.app.inject({ url: '/assets/site.css', headers: { cookie: '__Host-yw_sid=not-a-live-session' } });
    assert.equal(res.statusCode, 200);
    assert.equal(cookiesOf(res).length, 0, 'no session was looked up, so none was found stale and cleared');
  });

  test('changing the password ends the account’s other sessions, not the current one', async () => {
    const phone = new Browser(p.app);
    const desk = new Browser(p.app);
    assert.equal((await phone.login('auth-two-sessions', PASSWORD)).statusCode, 303);
    assert.equal((await desk.login('auth-two-sessions', PASSWORD)).statusCode, 303);
    assert.equal((await phone.get('/staff')).statusCode, 200);
    const form = await desk.get('/staff/password');
    const next = 'another-long-password-2';
    const changed = await desk.submit('/staff/password', { currentPassword: PASSWORD, newPassword: next, confirmPassword: next }, Browser.csrfFrom(form.body));
    assert.equal(changed.statusCode, 303);
    assert.equal((await desk.get('/staff')).statusCode, 200, 'the session that changed the password stays signed in');
    const signedOut = await phone.get('/staff');
    assert.equal(signedOut.statusCode, 303, 'the other session is signed out');
    assert.equal(signedOut.headers.location, '/staff/login?next=%2Fstaff');
  });
});
