// A case through the API from submission to delivery: idempotent submission, field errors,
// correction and resubmission, acceptance with working-day deadlines, steps, decision,
// pick-up; stale versions, illegal actions, other regions and other people are refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { describeEachBackend } from './support/backends.ts';
import { Browser, buildTestPlatform, type TestPlatform } from './support/platform.ts';
import { FOUR_STEPS, publishedNanjingFoodLicence } from './support/catalog-fixtures.ts';
import { signedInCitizen } from './support/people.ts';
import { isCaseNumber } from '../src/modules/cases/index.ts';
import { DEMO_PASSWORD } from '../demo/load.ts';

describeEachBackend('cases API: apply → intake → review → decision → delivery', (getDb) => {
  let p: TestPlatform;
  let implId: string;
  let applicant: { browser: Browser; csrf: string; mobile: string };
  const staff: Record<string, { browser: Browser; csrf: string }> = {};

  const signedIn = (level: 1 | 2 | 3) => signedInCitizen(p, { level });

  async function call(who: { browser: Browser; csrf: string }, method: 'GET' | 'POST', url: string, body?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return p.app.inject({
      method,
      url,
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
      headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), 'x-csrf-token': who.csrf, cookie: who.browser.cookieHeader, ...headers },
    });
  }

  let upload: Record<string, unknown>;

  /** Uploads a file the way a browser form does (multipart), with the CSRF header. */
  async function uploadFile(who: { browser: Browser; csrf: string }, name: string, bytes: Buffer): Promise<LightMyRequestResponse> {
    const boundary = '----yiwang-case-upload';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return p.app.inject({ method: 'POST', url: '/api/v1/cases/uploads', payload: body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, accept: 'application/json', 'x-csrf-token': who.csrf, cookie: who.browser.cookieHeader } });
  }
  const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
  const apply = (key?: string, answers: Record<string, unknown> = { shopName: '知味小馆' }) =>
    call(applicant, 'POST', '/api/v1/cases', { implementationId: implId, answers, materials: [upload] }, key ? { 'idempotency-key': key } : {});

  before(async () => {
    p = await buildTestPlatform(getDb());
    implId = (await publishedNanjingFoodLicence(p.ctx.db, { processSteps: FOUR_STEPS })).implId;
    applicant = await signedIn(2);
    // A program renamed to .pdf and a truncated PDF are refused before anything is stored.
    const exe = await uploadFile(applicant, '申请书.pdf', Buffer.from('MZ\x90\x00 not a pdf at all'));
    assert.equal(exe.statusCode, 400, exe.body);
    const truncated = await uploadFile(applicant, '申请书.pdf', PDF.subarray(0, 20));
    assert.equal(truncated.statusCode, 400, truncated.body);
    const stored = await uploadFile(applicant, '申请书.pdf', PDF);
    assert.equal(stored.statusCode, 201, stored.body);
    upload = { materialId: 'application', source: 'upload', ...(stored.json() as object) };
    for (const name of ['nj-clerk', 'nj-approver', 'sz-clerk']) {
      const browser = new Browser(p.app);
      await browser.login(name, DEMO_PASSWORD);
      staff[name] = { browser, csrf: Browser.csrfFrom((await browser.get('/staff')).body) };
    }
  });
  after(async () => {
    await p.app.close();
  });

  test('the whole way, with every refusal on the way', async () => {
    // Field errors come back per field; nothing is created.
    const bad = await call(applicant, 'POST', '/api/v1/cases', { implementationId: implId, answers: {}, materials: [] });
    assert.equal(bad.statusCode, 400, bad.body);
    const fields = (bad.json() as { errors: { field: string }[] }).errors.map((e) => e.field);
    assert.ok(fields.includes('shopName'), fields.join());
    assert.ok(fields.includes('materials.application'), fields.join());
    // A file that was never uploaded cannot be referenced.
    const ghost = await call(applicant, 'POST', '/api/v1/cases', { implementationId: implId, answers: { shopName: 'x' }, materials: [{ ...upload, fileHash: 'f'.repeat(64) }] });
    assert.equal(ghost.statusCode, 400);
    assert.match(ghost.body, /没有上传成功/);

    // A level-1 account is below the item's minimum (L2): step up first.
    const weak = await signedIn(1);
    const refused = await call(weak, 'POST', '/api/v1/cases', { implementationId: implId, answers: { shopName: 'x' }, materials: [upload] });
    assert.equal(refused.json().code, 'STEP_UP_REQUIRED');

    // Submitting twice with one key makes one case.
    const first = await apply('submit-0001');
    assert.equal(first.statusCode, 201, first.body);
    const again = await apply('submit-0001');
    assert.equal(again.statusCode, 200);
    assert.equal(again.json().id, first.json().id);
    let c = first.json() as { id: string; caseNumber: string; version: number; state: string };
    assert.ok(isCaseNumber(c.caseNumber), c.caseNumber);
    assert.match(c.caseNumber, /^320100\d{8}1\d{6}[\dX]$/);

    // Someone else cannot see it; the public lookup needs the phone tail.
    const stranger = await signedIn(2);
    assert.equal((await call(stranger, 'GET', `/api/v1/cases/${c.id}`)).statusCode, 404);
    const anon = await p.app.inject({ url: `/api/v1/cases/progress?caseNumber=${c.caseNumber}&phoneTail=${applicant.mobile.slice(-4)}` });
    assert.equal(anon.statusCode, 200, anon.body);
    assert.equal(anon.json().state, '已提交，待受理');
    const wrongTail = await p.app.inject({ url: `/api/v1/cases/progress?caseNumber=${c.caseNumber}&phoneTail=${applicant.mobile.slice(-4) === '0000' ? '1111' : '0000'}` });
    assert.equal(wrongTail.statusCode, 404);

    const act = (who: { browser: Browser; csrf: string }, action: string, body: Record<string, unknown>) => call(who, 'POST', `/api/v1/cases/${c.id}/actions/${action}`, body);
    const clerk = staff['nj-clerk']!;
    const approver = staff['nj-approver']!;

    // Another region's clerk is refused; an illegal action is refused; a correction needs a reason.
    assert.equal((await act(staff['sz-clerk']!, 'accept', { version: c.version })).json().code, 'OUT_OF_REGION');
    assert.equal((await act(clerk, 'deliver', { version: c.version, data: { method: 'pickup' } })).json().code, 'CASE_ACTION_NOT_ALLOWED');
    assert.equal((await act(clerk, 'request_correction', { version: c.version })).statusCode, 400);
    let res = await act(clerk, 'request_correction', { version: c.version, note: '申请书缺少签名', data: { items: [{ materialId: 'application', reason: '缺少申请人签名' }] } });
    assert.equal(res.statusCode, 200, res.body);
    c = res.json().view;
    assert.equal(c.state, 'correction_requested');

    // The applicant resubmits; a clerk acting on the stale version gets 409.
    res = await act(applicant, 'resubmit', { version: c.version });
    assert.equal(res.statusCode, 200, res.body);
    const stale = await act(clerk, 'accept', { version: c.version });
    assert.equal(stale.statusCode, 409);
    assert.equal(stale.json().code, 'CASE_CONFLICT');
    c = res.json().view;
    res = await act(clerk, 'accept', { version: c.version });
    assert.equal(res.statusCode, 200, res.body);
    const accepted = res.json().view as { state: string; dueOn: string; legalDueOn: string; steps: { name: string }[]; light: string; version: number };
    assert.equal(accepted.state, 'in_review');
    assert.deepEqual(accepted.steps.map((s) => s.name), ['审查', '决定']);
    assert.match(accepted.dueOn, /^\d{4}-\d{2}-\d{2}$/);
    assert.ok(accepted.legalDueOn > accepted.dueOn, 'the legal limit (10) is later than the promised (5)');
    assert.equal(accepted.light, 'green');
    // The applicant is told: an in-site message now, an SMS through the outbox.
    const messages = await p.ctx.db.selectFrom('notification').select(['topic', 'sms_status']).where('topic', '=', 'case.accept').execute();
    assert.deepEqual(messages, [{ topic: 'case.accept', sms_status: 'queued' }]);

    // A clerk cannot approve; the approver decides only at the last step.
    assert.equal((await act(clerk, 'approve_step', { version: accepted.version })).statusCode, 403);
    assert.equal((await act(approver, 'decide_approve', { version: accepted.version })).json().code, 'CASE_ACTION_NOT_ALLOWED');
    res = await act(approver, 'approve_step', { version: accepted.version });
    assert.equal(res.statusCode, 200, res.body);
    res = await act(approver, 'decide_approve', { version: res.json().view.version });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().view.state, 'approved');
    const completed = await p.ctx.db.selectFrom('outbox_event').select('payload').where('topic', '=', 'case.completed').execute();
    assert.equal(completed.length, 1, 'case.completed is emitted once for the licence capability');

    res = await act(clerk, 'deliver', { version: res.json().view.version, data: { method: 'pickup' } });
    assert.equal(res.statusCode, 200, res.body);
    assert.match(res.json().pickupCode, /^\d{6}$/);
    assert.equal(res.json().view.state, 'delivered');

    // The applicant's timeline shows every public step in order.
    const timeline = await call(applicant, 'GET', `/api/v1/cases/${c.id}/timeline`);
    assert.deepEqual((timeline.json().events as { action: string }[]).map((e) => e.action), ['submit', 'request_correction', 'resubmit', 'accept', 'approve_step', 'decide_approve', 'deliver']);
    const mine = await call(applicant, 'GET', '/api/v1/cases/mine');
    assert.equal(mine.json().items.length, 1);
  });
});
