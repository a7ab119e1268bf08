// Workflow rules and supervision through the API: 告知承诺制 with its later verification, special
// procedures, transfer, delivery by post (courier outages, a retried order ships once), the
// supervision figures against hand-counted cases, and 督办 that a rerun does not repeat.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { describeEachBackend } from './support/backends.ts';
import { Browser, buildTestPlatform, type TestPlatform } from './support/platform.ts';
import { foodLicenceImplementation, publishedFoodLicence } from './support/catalog-fixtures.ts';
import { seedCitizen } from './support/people.ts';
import { sessionCookieName } from '../src/platform/http/auth.ts';
import { escalateOverdue, startCaseSchedules, staffNotifier, sweepCaseFiles, todayInShanghai, SUPERVISION_SCOPE } from '../src/modules/cases/index.ts';
import { StaffService } from '../src/modules/identity/index.ts';
import { RegionService } from '../src/modules/regions/index.ts';
import { CalendarService } from '../src/platform/calendar/index.ts';
import { fileStoreFromConfig } from '../src/platform/files/index.ts';
import { DEMO_PASSWORD } from '../demo/load.ts';

type Who = { browser?: Browser; csrf?: string; bearer?: string };
type View = { id: string; version: number; state: string; specialProcedure: string | null; trackingNumber: string | null; light: string };

describeEachBackend('cases: 告知承诺, special procedures, transfer, post, supervision, 督办', (getDb) => {
  let p: TestPlatform;
  let plain: string; // an implementation without 告知承诺
  let promising: string; // one that allows it
  let njOrg: string;
  let otherNjOrg: string;
  let szOrg: string;
  let applicant: Who;
  let upload: Record<string, unknown>;
  const staff: Record<string, Who> = {};
  const today = todayInShanghai();

  async function call(who: Who, method: 'GET' | 'POST', url: string, body?: unknown): Promise<LightMyRequestResponse> {
    const auth: Record<string, string> = who.bearer ? { authorization: `Bearer ${who.bearer}` } : { 'x-csrf-token': who.csrf!, cookie: who.browser!.cookieHeader };
    return p.app.inject({ method, url, ...(body !== undefined ? { payload: JSON.stringify(body) } : {}), headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...auth } });
  }
  const act = (who: Who, c: { id: string; version: number }, action: string, body: Record<string, unknown> = {}) => call(who, 'POST', `/api/v1/cases/${c.id}/actions/${action}`, { version: c.version, ...body });
  async function ok(res: LightMyRequestResponse): Promise<View> {
    assert.equal(res.statusCode, 200, res.body);
    return res.json().view as View;
  }
  async function apply(implementationId: string): Promise<View> {
    const res = await call(applicant, 'POST', '/api/v1/cases', { implementationId, answers: { shopName: '知味小馆' }, materials: [upload] });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as View;
  }
  async function uploadPdf(text: string): Promise<Record<string, unknown>> {
    const boundary = '----yiwang-sup';
    const body = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n`), Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n`), Buffer.from(`\r\n--${boundary}--\r\n`)]);
    const res = await p.app.inject({ method: 'POST', url: '/api/v1/cases/uploads', payload: body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, accept: 'application/json', 'x-csrf-token': applicant.csrf!, cookie: applicant.browser!.cookieHeader } });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as Record<string, unknown>;
  }

  before(async () => {
    p = await buildTestPlatform(getDb());
    const fixture = await publishedFoodLicence(p.ctx.db);
    njOrg = fixture.njOrg;
    const regions = new RegionService(p.ctx.db);
    otherNjOrg = (await regions.organisations('320100')).find((o) => o.id !== njOrg)!.id;
    szOrg = (await regions.organisations('320500'))[0]!.id;
    const sys = { kind: 'system' as const, id: 'test' };
    const steps = [{ name: '申请', description: '' }, { name: '受理', description: '' }, { name: '审查', description: '' }, { name: '决定', description: '' }];
    const publish = async (extra: Record<string, unknown>) => {
      const impl = await fixture.catalog.createImplementation(foodLicenceImplementation(fixture.basicId, '320100', njOrg, { processSteps: steps, ...extra }), sys);
      await fixture.catalog.submit(impl.id, sys);
      await fixture.catalog.approve(impl.id, sys);
      return impl.id;
    };
    plain = await publish({});
    promising = await publish({ commitmentApproval: { allowed: true, verifyWithinDays: 5, text: '本人承诺经营场所和设施符合食品经营许可条件。' } });
    const c = await seedCitizen(p.ctx, { level: 2, factors: { password: Date.now(), sms: Date.now() } });
    const browser = new Browser(p.app);
    browser.setCookie(sessionCookieName(p.config.cookieSecure), c.token);
    applicant = { browser, csrf: Browser.csrfFrom((await browser.get('/account')).body) };
    upload = { materialId: 'application', source: 'upload', ...(await uploadPdf('referenced')) };
    for (const name of ['nj-clerk', 'nj-approver', 'js-auditor', 'js-admin']) {
      const b = new Browser(p.app);
      await b.login(name, DEMO_PASSWORD);
      staff[name] = { browser: b, csrf: Browser.csrfFrom((await b.get('/staff')).body) };
    }
  });
  after(async () => {
    await p.app.close();
  });

  const outbox = async (topic: string) => (await p.ctx.db.selectFrom('outbox_event').select('payload').where('topic', '=', topic).execute()).length;
  const audits = async (action: string) => (await p.ctx.db.selectFrom('audit_log').select('id').where('action', '=', action).execute()).length;

  // Every case of the suite, for the hand count at the end: org → what happened to it.
  const tally: { org: string; accepted: boolean; refused: boolean; decided: boolean; late: boolean; overdue: boolean }[] = [];

  test('告知承诺: approved at once where allowed, refused elsewhere; the verification task and a breach', async () => {
    const clerk = staff['nj-clerk']!;
    const approver = staff['nj-approver']!;
    const elsewhere = await apply(plain);
    const refused = await act(clerk, elsewhere, 'accept_on_commitment');
    assert.equal(refused.statusCode, 409, refused.body);
    assert.equal(refused.json().code, 'CASE_ACTION_NOT_ALLOWED');
    assert.equal(await outbox('case.completed'), 0);
    const r = await ok(await act(clerk, elsewhere, 'refuse', { note: '不属于本机关职权范围' }));
    assert.equal(r.state, 'refused');
    tally.push({ org: njOrg, accepted: false, refused: true, decided: false, late: false, overdue: false });

    const c = await apply(promising);
    const approved = await ok(await act(clerk, c, 'accept_on_commitment'));
    assert.equal(approved.state, 'approved');
    tally.push({ org: njOrg, accepted: true, refused: false, decided: true, late: false, overdue: false });
    assert.equal(await outbox('case.completed'), 1, 'the licence capability hears of it like any approval');
    const event = (await p.ctx.db.selectFrom('case_event').select('data').where('case_id', '=', c.id).where('action', '=', 'accept_on_commitment').executeTakeFirstOrThrow()).data as { commitmentText: string };
    assert.match(event.commitmentText, /本人承诺/);
    const due = await new CalendarService(p.ctx.db).addWorkingDays(today, 5, '320100');
    const task = await p.ctx.db.selectFrom('case_verification').selectAll().where('case_id', '=', c.id).executeTakeFirstOrThrow();
    assert.equal(task.due_on, due);
    assert.equal(task.result, null);

    // Listed for the workbench once due (not before), only for reviewers.
    assert.deepEqual((await call(approver, 'GET', '/api/v1/cases/verifications')).json().items, []);
    const listed = await call(approver, 'GET', `/api/v1/cases/verifications?dueBy=${due}`);
    assert.deepEqual((listed.json().items as { caseId: string }[]).map((i) => i.caseId), [c.id]);
    assert.equal((await call(clerk, 'GET', '/api/v1/cases/verifications')).statusCode, 403);

    // Only approvers record the result; a breach needs the finding; a result is final.
    assert.equal((await call(clerk, 'POST', `/api/v1/cases/${c.id}/verification`, { result: 'breached', note: 'x' })).statusCode, 403);
    assert.equal((await call(approver, 'POST', `/api/v1/cases/${c.id}/verification`, { result: 'breached' })).statusCode, 400);
    assert.equal((await call(approver, 'POST', `/api/v1/cases/${elsewhere.id}/verification`, { result: 'fulfilled' })).json().code, 'CASE_VERIFICATION_NOT_FOUND');
    const breach = await call(approver, 'POST', `/api/v1/cases/${c.id}/verification`, { result: 'breached', note: '现场核查：未设置防蝇设施' });
    assert.equal(breach.statusCode, 200, breach.body);
    assert.equal(await outbox('case.commitment_breached'), 1);
    assert.equal(await audits('case.commitment_breached'), 1);
    assert.equal((await call(approver, 'POST', `/api/v1/cases/${c.id}/verification`, { result: 'fulfilled' })).json().code, 'CASE_VERIFICATION_DONE');
    assert.deepEqual((await call(approver, 'GET', `/api/v1/cases/verifications?dueBy=${due}`)).json().items, []);
    const timeline = (await call(applicant, 'GET', `/api/v1/cases/${c.id}/timeline`)).json().events as { action: string }[];
    assert.deepEqual(timeline.map((e) => e.action), ['submit', 'accept_on_commitment', 'commitment_breached']);
  });

  test('special procedures stop the clock with a named procedure; transfer stays in the region', async () => {
    const clerk = staff['nj-clerk']!;
    const approver = staff['nj-approver']!;
    let c = await ok(await act(clerk, await apply(plain), 'accept'));
    assert.equal((await act(approver, c, 'suspend', { note: '需要听证' })).statusCode, 400, 'the procedure is required');
    assert.equal((await act(approver, c, 'suspend', { note: '需要听证', data: { procedure: 'party' } })).statusCode, 400);
    c = await ok(await act(approver, c, 'suspend', { note: '依申请人要求举行听证', data: { procedure: 'hearing' } }));
    assert.equal(c.state, 'suspended');
    assert.equal(c.specialProcedure, 'hearing');
    c = await ok(await act(approver, c, 'resume'));
    assert.equal(c.specialProcedure, null);
    const resumed = (await p.ctx.db.selectFrom('case_event').select('data').where('case_id', '=', c.id).where('action', '=', 'resume').executeTakeFirstOrThrow()).data as { procedure: string; procedureName: string };
    assert.deepEqual([resumed.procedure, resumed.procedureName], ['hearing', '听证']);

    assert.equal((await act(clerk, c, 'transfer', { note: '职能调整', data: { orgId: otherNjOrg } })).statusCode, 403);
    assert.equal((await act(approver, c, 'transfer', { data: { orgId: otherNjOrg } })).statusCode, 400, 'a reason is required');
    for (const orgId of [szOrg, njOrg, '00000000-0000-4000-8000-000000000000']) {
      const bad = await act(approver, c, 'transfer', { note: '职能调整', data: { orgId } });
      assert.equal(bad.statusCode, 400, `${orgId}: ${bad.body}`);
    }
    c = await ok(await act(approver, c, 'transfer', { note: '职能调整，转至主管部门', data: { orgId: otherNjOrg } }));
    assert.equal(c.state, 'in_review');
    assert.equal((await p.ctx.db.selectFrom('service_case').select('org_id').where('id', '=', c.id).executeTakeFirstOrThrow()).org_id, otherNjOrg);
    assert.equal(await audits('case.transfer'), 1);
    tally.push({ org: otherNjOrg, accepted: true, refused: false, decided: false, late: false, overdue: false });
  });

  test('post: a courier outage is 503 and leaves the case approved; a retry after a lost answer ships once', async () => {
    const clerk = staff['nj-clerk']!;
    const approver = staff['nj-approver']!;
    let c = await ok(await act(clerk, await apply(plain), 'accept'));
    c = await ok(await act(approver, c, 'approve_step'));
    c = await ok(await act(approver, c, 'decide_approve'));
    tally.push({ org: njOrg, accepted: true, refused: false, decided: true, late: false, overdue: false });
    const address = { name: '张三', mobile: '13900000001', address: '南京市玄武区北京东路 41 号' };
    const noAddress = await act(clerk, c, 'deliver', { data: { method: 'post', address: { name: '张三' } } });
    assert.equal(noAddress.statusCode, 400);
    assert.deepEqual((noAddress.json().errors as { field: string }[]).map((e) => e.field).sort(), ['address.address', 'address.mobile']);

    const sims = p.externals.simulators!;
    sims.control('courier', 'fail');
    const down = await act(clerk, c, 'deliver', { data: { method: 'post', address } });
    assert.equal(down.statusCode, 503, down.body);
    assert.equal(down.json().code, 'COURIER_UNAVAILABLE');
    // Slower than our time limit: the courier takes the order, but its answer never reaches us.
    sims.control('courier', 'slow', 2000);
    assert.equal((await act(clerk, c, 'deliver', { data: { method: 'post', address } })).statusCode, 503);
    sims.control('courier', 'normal');
    assert.equal((await call(clerk, 'GET', `/api/v1/cases/${c.id}`)).json().state, 'approved');
    await new Promise((r) => setTimeout(r, 800));
    const lost = [...new Set((await (await fetch(`${sims.url}/courier`)).text()).match(/SF\d{12}/g))];
    assert.equal(lost.length, 1, 'the slow order was taken although we never heard back');

    const delivered = await ok(await act(clerk, c, 'deliver', { data: { method: 'post', address } }));
    assert.equal(delivered.state, 'delivered');
    assert.match(delivered.trackingNumber!, /^SF\d{12}$/);
    const page = await (await fetch(`${sims.url}/courier`)).text();
    assert.deepEqual([...new Set(page.match(/SF\d{12}/g))], [delivered.trackingNumber], 'one shipment for the case');
    assert.deepEqual(lost, [delivered.trackingNumber], 'the retry got the order already taken');
    const ev = (await p.ctx.db.selectFrom('case_event').select('data').where('case_id', '=', c.id).where('action', '=', 'deliver').executeTakeFirstOrThrow()).data as Record<string, unknown>;
    assert.equal(JSON.stringify(ev).includes('北京东路'), false, 'the address is not kept on the timeline');

    const tracking = await call(applicant, 'GET', `/api/v1/cases/${c.id}/tracking`);
    assert.equal(tracking.statusCode, 200, tracking.body);
    assert.deepEqual([tracking.json().status, tracking.json().statusName], ['created', '已下单']);
    assert.equal((await call(clerk, 'GET', `/api/v1/cases/${c.id}/tracking`)).statusCode, 200);
    sims.control('courier', 'down');
    assert.equal((await call(applicant, 'GET', `/api/v1/cases/${c.id}/tracking`)).statusCode, 503);
    sims.control('courier', 'normal');
  });

  test('督办: an overdue case escalates once per level however often the job runs; figures equal the hand count', async () => {
    const clerk = staff['nj-clerk']!;
    const approver = staff['nj-approver']!;
    const c = await ok(await act(clerk, await apply(plain), 'accept'));
    // Accepted long ago: both the promised and the legal date have passed.
    await p.ctx.db.updateTable('service_case').set({ clock_started_on: '2026-03-02', due_on: '2026-03-09', legal_due_on: '2026-03-16' }).where('id', '=', c.id).execute();
    tally.push({ org: njOrg, accepted: true, refused: false, decided: false, late: false, overdue: true });
    const first = await escalateOverdue(p.ctx.db, { today, notifyStaff: staffNotifier(p.ctx) });
    assert.deepEqual(first.map((e) => e.level), [1, 2]);
    assert.deepEqual(await escalateOverdue(p.ctx.db, { today, notifyStaff: staffNotifier(p.ctx) }), []);
    assert.equal((await p.ctx.db.selectFrom('case_escalation').select('level').where('case_id', '=', c.id).execute()).length, 2);
    assert.equal(await outbox('case.escalated'), 2);
    assert.equal(await audits('case.escalate'), 2);
    const notices = await p.ctx.db.selectFrom('notification').select(['recipient_kind', 'link']).where('topic', '=', 'case.escalated').execute();
    assert.deepEqual(notices, [1, 2].map(() => ({ recipient_kind: 'staff', link: `/staff/cases/${c.id}` })), 'the clerk who accepted it hears of each level');
    // Internal: the applicant's timeline does not show it; staff's does.
    assert.ok(!((await call(applicant, 'GET', `/api/v1/cases/${c.id}/timeline`)).json().events as { action: string }[]).some((e) => e.action === 'escalate'));
    assert.ok(((await call(approver, 'GET', `/api/v1/cases/${c.id}/timeline`)).json().events as { action: string }[]).some((e) => e.action === 'escalate'));

    // Per case, for auditors, region administrators and the evaluation system's client only.
    const auditor = staff['js-auditor']!;
    const figures = await call(auditor, 'GET', `/api/v1/supervision/cases/${c.id}`);
    assert.equal(figures.statusCode, 200, figures.body);
    const f = figures.json();
    assert.equal(f.onTime, false);
    assert.equal(f.light, 'red');
    assert.equal(f.workingDaysUsed, await new CalendarService(p.ctx.db).countWorkingDays('2026-03-02', today, '320100'));
    assert.deepEqual((f.escalations as { level: number }[]).map((e) => e.level), [1, 2]);
    assert.equal((await call(clerk, 'GET', `/api/v1/supervision/cases/${c.id}`)).statusCode, 403);
    const staffSvc = new StaffService(p.ctx.db);
    const sys = { kind: 'system' as const, id: 'test' };
    const evaluation = { bearer: (await staffSvc.createClient({ name: '好差评系统', scopes: [SUPERVISION_SCOPE], regionCode: '320000' }, sys)).token };
    const suzhou = { bearer: (await staffSvc.createClient({ name: '苏州评价', scopes: [SUPERVISION_SCOPE], regionCode: '320500' }, sys)).token };
    const unscoped = { bearer: (await staffSvc.createClient({ name: '其他系统', scopes: ['regions:read'], regionCode: '320000' }, sys)).token };
    assert.equal((await call(evaluation, 'GET', `/api/v1/supervision/cases/${c.id}`)).statusCode, 200);
    assert.equal((await call(suzhou, 'GET', `/api/v1/supervision/cases/${c.id}`)).json().code, 'OUT_OF_REGION');
    assert.equal((await call(unscoped, 'GET', `/api/v1/supervision/cases/${c.id}`)).statusCode, 403);

    // Per organisation: equal to counting the suite's cases by hand.
    const orgs = await call(evaluation, 'GET', `/api/v1/supervision/organisations?region=320100&from=${today}&to=${today}`);
    assert.equal(orgs.statusCode, 200, orgs.body);
    const got = Object.fromEntries((orgs.json().organisations as { orgId: string }[]).map((o) => [o.orgId, o]));
    for (const org of [njOrg, otherNjOrg]) {
      const mine = tally.filter((t) => t.org === org);
      const decided = mine.filter((t) => t.decided).length;
      assert.deepEqual(
        { ...(got[org] as object), orgName: undefined },
        { orgId: org, orgName: undefined, received: mine.length, accepted: mine.filter((t) => t.accepted).length, refused: mine.filter((t) => t.refused).length, decided, onTime: mine.filter((t) => t.decided && !t.late).length, overdue: mine.filter((t) => t.overdue || t.late).length, averageWorkingDays: decided ? 0 : null },
        org,
      );
    }
    assert.equal(Object.keys(got).length, 2);
    assert.equal((await call(suzhou, 'GET', `/api/v1/supervision/organisations?region=320100&from=${today}&to=${today}`)).json().code, 'OUT_OF_REGION');
    const before = await call(auditor, 'GET', `/api/v1/supervision/organisations?region=320100&from=2026-01-01&to=2026-01-31`);
    assert.deepEqual(before.json().organisations, []);
    assert.equal((await call(auditor, 'GET', `/api/v1/supervision/organisations?from=${today}&to=2026-01-01`)).statusCode, 400);
  });

  test('the orphan sweep deletes an unreferenced upload and keeps the referenced one', async () => {
    const orphan = await uploadPdf('orphan');
    const files = fileStoreFromConfig(p.config);
    await new Promise((r) => setTimeout(r, 20));
    const swept = await sweepCaseFiles(p.ctx.db, files, 0);
    assert.deepEqual(swept.deleted, [orphan.fileHash]);
    assert.ok(await files.has(upload.fileHash as string));
    assert.deepEqual((await sweepCaseFiles(p.ctx.db, files, 0)).deleted, []);
    // The scheduled run does both jobs; nothing is escalated twice, the referenced file stays.
    const escalations = (await p.ctx.db.selectFrom('case_escalation').select('id').execute()).length;
    const schedules = startCaseSchedules(p.ctx, { everyMs: 3_600_000, graceMs: 0 });
    await schedules.runOnce();
    await schedules.stop();
    assert.equal((await p.ctx.db.selectFrom('case_escalation').select('id').execute()).length, escalations);
    assert.ok(await files.has(upload.fileHash as string));
  });
});
