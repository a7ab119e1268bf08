// A licence test bed on a built platform: the licence catalogue with the test food-licence
// item linked to 食品经营许可证, that item implemented in Nanjing, a verified applicant with
// an uploaded application form, demo staff signed in, an outbox worker running the licences
// and seals handlers, and helpers to decide a case and give the bureau a seal.
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { Browser, type TestPlatform } from './platform.ts';
import { FOOD_LICENCE_BASIC, foodLicenceImplementation, publishedFoodLicence } from './catalog-fixtures.ts';
import { seedCitizen } from './people.ts';
import { sessionCookieName } from '../../src/platform/http/auth.ts';
import type { Actor } from '../../src/platform/http/access.ts';
import { OutboxWorker } from '../../src/platform/jobs/worker.ts';
import type { EventHandler } from '../../src/platform/jobs/worker.ts';
import { DEMO_PASSWORD } from '../../demo/load.ts';
import { DEMO_LICENCE_TYPES, licenceCatalogueStep, licenceServiceFor, licencesModule } from '../../src/modules/licences/index.ts';
import { sealServiceFor, sealsModule } from '../../src/modules/seals/index.ts';

export type Who = { browser: Browser; csrf: string };
export const STAFF_NAMES = ['nj-clerk', 'nj-approver', 'sz-clerk', 'js-admin'] as const;
const SYSTEM = { kind: 'system' as const, id: 'test' };

/** The demo catalogue with the test food-licence item linked to 食品经营许可证, as an administrator would. */
export const testLicenceCatalogue = () => DEMO_LICENCE_TYPES.map((t) => (t.key === 'food_business' ? { ...t, issuedBy: [...t.issuedBy, FOOD_LICENCE_BASIC.code] } : t));

export interface LicenceBed {
  implId: string;
  /** The test food-licence basic item. */
  basicId: string;
  njOrg: string;
  applicant: Who & { idNumber: string; accountId: string; name: string; token: string; mobile: string };
  staff: Record<(typeof STAFF_NAMES)[number], Who>;
  upload: Record<string, unknown>;
  worker: OutboxWorker;
  call(who: Who | null, method: 'GET' | 'POST', url: string, body?: unknown): Promise<LightMyRequestResponse>;
  /** Runs the worker until nothing is left to deliver. */
  drain(): Promise<void>;
  /** Submit → accept → decide_approve: emits case.completed. Returns the case id. */
  decidedCase(answers: Record<string, unknown>): Promise<string>;
  /** Requests and approves a 业务专用章 for the Nanjing bureau; returns its ES id. */
  issueSeal(): Promise<string>;
  /** A decided case, drained: the issued licence's identifier. */
  issuedLicence(answers?: Record<string, unknown>): Promise<{ caseId: string; identifier: string }>;
  /** A signed-in citizen session of another verified person. */
  otherCitizen(name: string): Promise<Who & { idNumber: string }>;
}

export async function signedInSession(p: TestPlatform, token: string): Promise<Who> {
  const browser = new Browser(p.app);
  browser.setCookie(sessionCookieName(p.config.cookieSecure), token);
  return { browser, csrf: Browser.csrfFrom((await browser.get('/account')).body) };
}

export async function licenceBed(p: TestPlatform, opts: { extraHandlers?: EventHandler[] } = {}): Promise<LicenceBed> {
  await licenceCatalogueStep.run({ config: p.config, db: p.ctx.db, log: p.ctx.log });
  await licenceServiceFor(p.ctx).syncCatalogue(testLicenceCatalogue(), SYSTEM);
  const fixture = await publishedFoodLicence(p.ctx.db);
  const impl = await fixture.catalog.createImplementation(foodLicenceImplementation(fixture.basicId, '320100', fixture.njOrg), SYSTEM);
  await fixture.catalog.submit(impl.id, SYSTEM);
  await fixture.catalog.approve(impl.id, SYSTEM);

  const call: LicenceBed['call'] = (who, method, url, body) =>
    p.app.inject({
      method, url, ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
      headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(who ? { 'x-csrf-token': who.csrf, cookie: who.browser.cookieHeader } : {}) },
    });
  const otherCitizen: LicenceBed['otherCitizen'] = async (name) => {
    const c = await seedCitizen(p.ctx, { level: 2, factors: { password: Date.now(), sms: Date.now() }, name });
    return { ...(await signedInSession(p, c.token)), idNumber: c.idNumber };
  };
  const c = await seedCitizen(p.ctx, { level: 2, factors: { password: Date.now(), sms: Date.now() }, name: '王小明' });
  const applicant = { ...(await signedInSession(p, c.token)), idNumber: c.idNumber, accountId: c.id, name: '王小明', token: c.token, mobile: c.mobile };

  const boundary = '----licence-test';
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
  const stored = await p.app.inject({
    method: 'POST', url: '/api/v1/cases/uploads',
    payload: Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n`), pdf, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, accept: 'application/json', 'x-csrf-token': applicant.csrf, cookie: applicant.browser.cookieHeader },
  });
  assert.equal(stored.statusCode, 201, stored.body);
  const upload = { materialId: 'application', source: 'upload', ...(stored.json() as object) };

  const staff = {} as LicenceBed['staff'];
  for (const name of STAFF_NAMES) {
    const b = new Browser(p.app);
    await b.login(name, DEMO_PASSWORD);
    staff[name] = { browser: b, csrf: Browser.csrfFrom((await b.get('/staff')).body) };
  }
  const worker = new OutboxWorker(p.ctx.db, { pollMs: 50, backoffMs: () => 0 });
  for (const h of [...licencesModule.handlers!(p.ctx), ...sealsModule.handlers!(p.ctx), ...(opts.extraHandlers ?? [])]) worker.register(h);
  const drain = async () => {
    while ((await worker.runOnce()) > 0);
  };

  const decidedCase: LicenceBed['decidedCase'] = async (answers) => {
    const sub = await call(applicant, 'POST', '/api/v1/cases', { implementationId: impl.id, answers, materials: [upload] });
    assert.equal(sub.statusCode, 201, sub.body);
    const id = sub.json().id as string;
    let res = await call(staff['nj-clerk'], 'POST', `/api/v1/cases/${id}/actions/accept`, { version: sub.json().version });
    assert.equal(res.statusCode, 200, res.body);
    res = await call(staff['nj-approver'], 'POST', `/api/v1/cases/${id}/actions/decide_approve`, { version: res.json().view.version });
    assert.equal(res.statusCode, 200, res.body);
    return id;
  };
  const issueSeal = async () => {
    const admin: Actor = { kind: 'staff', accountId: '00000000-0000-7000-8000-0000000000a1', displayName: '管理员', roles: ['region_admin'], orgId: null, regionCode: '320100', sessionId: 's', mustChangePassword: false };
    const seals = sealServiceFor(p.ctx);
    const requestId = await seals.request({ ...admin, roles: ['dept_admin'], orgId: fixture.njOrg }, { orgId: fixture.njOrg, kind: 'business' });
    return (await seals.approve(admin, requestId)).esId;
  };
  const issuedLicence: LicenceBed['issuedLicence'] = async (answers = { shopName: '知味小馆' }) => {
    const caseId = await decidedCase(answers);
    await drain();
    const row = await p.ctx.db.selectFrom('licence').select('identifier').where('case_id', '=', caseId).executeTakeFirst();
    assert.ok(row, 'the licence was issued (does the bureau have a seal?)');
    return { caseId, identifier: row.identifier };
  };
  return { implId: impl.id, basicId: fixture.basicId, njOrg: fixture.njOrg, applicant, staff, upload, worker, call, drain, decidedCase, issueSeal, issuedLicence, otherCitizen };
}
