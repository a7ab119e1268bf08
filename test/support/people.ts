// People for tests: codes from the simulated SMS gateway, registration through the pages,
// and accounts seeded straight into the database with a session at a chosen level.
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { citizenServiceFor } from '../../src/modules/identity/index.ts';
import { inTransaction } from '../../src/platform/db/database.ts';
import type { RealNameLevel } from '../../src/platform/http/access.ts';
import { makeIdNumber } from '../../src/platform/identifiers/id-number.ts';
import type { AppContext } from '../../src/platform/module.ts';
import { Browser, type TestPlatform } from './platform.ts';
import { sessionCookieName } from '../../src/platform/http/auth.ts';

/** The newest verification code the simulated gateway sent to `mobile`. */
export function smsCode(platform: TestPlatform, mobile: string): string {
  const messages = platform.externals.simulators!.smsMessages(mobile);
  const m = /验证码为(\d{6})/.exec(messages[0]?.content ?? '');
  if (!m) throw new Error(`no code sent to ${mobile}: ${JSON.stringify(messages)}`);
  return m[1]!;
}

/** Registers through the pages (code, then the form); the browser holds the new session. */
export async function registerPerson(platform: TestPlatform, mobile: string, password = 'Jiangsu-2026'): Promise<Browser> {
  const b = new Browser(platform.app);
  const page = await b.get('/account/register');
  const csrf = Browser.csrfFrom(page.body);
  const sent = await b.submit('/account/code', { mobile, purpose: 'register' }, csrf);
  assert.equal(sent.statusCode, 200, sent.body.slice(0, 500));
  assert.match(sent.body, /验证码已发送/);
  const res = await b.submit('/account/register', { mobile, code: smsCode(platform, mobile), password, confirmPassword: password }, csrf);
  assert.equal(res.statusCode, 303, res.body.slice(0, 800));
  assert.match(res.headers.location as string, /^\/account\/realname\?welcome=1/);
  return b;
}

/**
 * An account at `level` with a verified identity, written directly (no outside checks), and a
 * session that has proven `factors`.
 */
export async function seedCitizen(
  ctx: AppContext,
  options: { level: RealNameLevel; factors?: Record<string, number>; idNumber?: string; name?: string },
): Promise<{ id: string; token: string; sessionId: string; mobile: string; idNumber: string }> {
  const svc = citizenServiceFor(ctx);
  const mobile = `139${String(randomInt(0, 1e8)).padStart(8, '0')}`;
  const idNumber = options.idNumber ?? makeIdNumber('320102', '19900307', randomInt(1, 999));
  const row = await ctx.db
    .insertInto('citizen_account')
    .values({
      mobile_sealed: svc.cipher.seal('mobile', mobile),
      mobile_index: svc.cipher.blindIndex('mobile', mobile),
      password_hash: null,
      legacy_hash: null,
      legacy_hash_kind: null,
      name_sealed: svc.cipher.seal('name', options.name ?? '张三'),
      id_number_sealed: svc.cipher.seal('id_number', idNumber),
      id_number_index: svc.cipher.blindIndex('id_number', idNumber),
      region_code: '320102',
      real_name_level: options.level,
      password_changed_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const opened = await inTransaction(ctx.db, (tx) => svc.openSession(tx, row.id, 'password', options.factors ?? { password: Date.now() }, {}));
  if (opened.actor.kind !== 'citizen') throw new Error('not a citizen session');
  return { id: row.id, token: opened.token, sessionId: opened.actor.sessionId, mobile, idNumber };
}

export interface SignedInCitizen {
  id: string;
  browser: Browser;
  /** The CSRF token of the person's pages (form field or x-csrf-token header). */
  csrf: string;
  mobile: string;
  idNumber: string;
}

/** A person seeded at `level` and signed in on a cookie-jar browser (factors fresh, so no step-up). */
export async function signedInCitizen(p: TestPlatform, options: { level: RealNameLevel; name?: string; idNumber?: string } = { level: 2 }): Promise<SignedInCitizen> {
  const c = await seedCitizen(p.ctx, { ...options, factors: { password: Date.now(), sms: Date.now() } });
  const browser = new Browser(p.app);
  browser.setCookie(sessionCookieName(p.config.cookieSecure), c.token);
  const page = await browser.get('/account');
  assert.equal(page.statusCode, 200, 'the seeded session opens the user centre');
  return { id: c.id, browser, csrf: Browser.csrfFrom(page.body), mobile: c.mobile, idNumber: c.idNumber };
}
