// Issue 8 foundation end to end: a food-licence case decided → the outbox worker issues the
// 食品经营许可证 (GB/T 36903 identifier, data per schema, PDF signed with the bureau's seal,
// stored); a second delivery issues nothing; no seal → failure recorded, then a seal →
// retried and issued; suspend, resume, revoke (final); other regions refused; forged and
// unknown identifiers get clear errors; a company's case issues the licence to the company.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from './support/backends.ts';
import { Browser, buildTestPlatform, type TestPlatform } from './support/platform.ts';
import { FOOD_LICENCE_BASIC } from './support/catalog-fixtures.ts';
import { licenceBed, testLicenceCatalogue, type LicenceBed } from './support/licences.ts';
import { licenceLogin } from './support/companies.ts';
import { demoCompany } from '../simulators/index.ts';
import { PersonalDataCipher } from '../src/platform/crypto/personal-data.ts';
import { licenceServiceFor, parseIdentifier } from '../src/modules/licences/index.ts';
import { sealServiceFor, signingServiceFor } from '../src/modules/seals/index.ts';
import type { Actor } from '../src/platform/http/access.ts';

describeEachBackend('licences: issue on completion, library, lifecycle', (getDb) => {
  let p: TestPlatform;
  let bed: LicenceBed;
  let njOrg: string;
  let applicant: LicenceBed['applicant'];
  let staff: LicenceBed['staff'];
  let call: LicenceBed['call'];
  let decidedCase: LicenceBed['decidedCase'];
  let drain: LicenceBed['drain'];
  const licenceOf = (caseId: string) => p.ctx.db.selectFrom('licence').selectAll().where('case_id', '=', caseId).executeTakeFirst();

  before(async () => {
    p = await buildTestPlatform(getDb());
    bed = await licenceBed(p);
    ({ njOrg, applicant, staff, call, decidedCase, drain } = bed);
  });
  after(async () => {
    await p.app.close();
  });

  test('the catalogue is public and its changes are in the outbox for the national push', async () => {
    const res = await call(null, 'GET', '/api/v1/licence-types');
    assert.equal(res.statusCode, 200);
    const food = (res.json().items as { key: string; name: string; issuedBy: string[] }[]).find((t) => t.key === 'food_business')!;
    assert.equal(food.name, '食品经营许可证');
    assert.deepEqual(food.issuedBy, ['01-0201-000', FOOD_LICENCE_BASIC.code]);
    // One event per type when loaded, one more for the changed link.
    const events = await p.ctx.db.selectFrom('outbox_event').select('topic').where('topic', '=', 'licence_type.changed').execute();
    assert.equal(events.length, res.json().items.length + 1);
    assert.deepEqual(await licenceServiceFor(p.ctx).syncCatalogue(testLicenceCatalogue(), { kind: 'system', id: 'test' }), []);
    assert.equal((await p.ctx.db.selectFrom('outbox_event').select('topic').where('topic', '=', 'licence_type.changed').execute()).length, events.length, 'an unchanged catalogue emits nothing');
  });

  test('no seal → failure recorded; seal approved → retried and issued; signed PDF verifies; redelivery issues nothing', async () => {
    const caseId = await decidedCase({ shopName: '知味小馆' });
    await drain();
    assert.equal(await licenceOf(caseId), undefined);
    const failure = await p.ctx.db.selectFrom('licence_issue_failure').selectAll().where('case_id', '=', caseId).executeTakeFirstOrThrow();
    assert.equal(failure.reason_code, 'no_valid_seal');
    assert.equal(failure.retryable, true);
    assert.match(failure.message, /南京市市场监督管理局.*没有有效的电子印章/);

    const admin: Actor = { kind: 'staff', accountId: '00000000-0000-7000-8000-0000000000a1', displayName: '管理员', roles: ['region_admin'], orgId: null, regionCode: '320100', sessionId: 's', mustChangePassword: false };
    const seals = sealServiceFor(p.ctx);
    const requestId = await seals.request({ ...admin, roles: ['dept_admin'], orgId: njOrg }, { orgId: njOrg, kind: 'business' });
    const { esId } = await seals.approve(admin, requestId);
    await drain();

    const licence = await licenceOf(caseId);
    assert.ok(licence, 'issued after the seal exists');
    const parsed = parseIdentifier(licence.identifier);
    assert.ok(parsed.ok, licence.identifier);
    assert.equal(parsed.id.typeCode, '11100000000013338W110');
    assert.equal(parsed.id.version, '001');
    assert.equal(licence.seal_es_id, esId);
    assert.ok((await p.ctx.db.selectFrom('licence_issue_failure').select('resolved_at').where('case_id', '=', caseId).executeTakeFirstOrThrow()).resolved_at);
    // Personal data is not stored in clear.
    assert.ok(!JSON.stringify(licence.data).includes(applicant.idNumber) && !JSON.stringify(licence.data).includes('王小明'));

    // The holder reads it and downloads the signed PDF, whose seal signature verifies.
    const view = await call(applicant, 'GET', `/api/v1/licences/${licence.identifier}`);
    assert.equal(view.statusCode, 200, view.body);
    const fields = Object.fromEntries((view.json().fields as { key: string; value: string }[]).map((f) => [f.key, f.value]));
    assert.deepEqual({ shopName: fields.shopName, holderName: fields.holderName, holderCode: fields.holderCode, issuerName: fields.issuerName }, { shopName: '知味小馆', holderName: '王小明', holderCode: applicant.idNumber, issuerName: '南京市市场监督管理局' });
    const pdf = await call(applicant, 'GET', `/api/v1/licences/${licence.identifier}/pdf`);
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    const verified = await signingServiceFor(p.ctx).verify(pdf.rawPayload);
    assert.equal(verified.valid, true, JSON.stringify(verified));
    assert.ok(verified.valid && verified.seal.esId === esId);
    assert.equal((await call(staff['nj-clerk']!, 'GET', `/api/v1/licences/${licence.identifier}/pdf`)).statusCode, 403, 'the PDF is for the holder');

    // A second delivery of case.completed issues nothing new.
    const original = await p.ctx.db.selectFrom('outbox_event').select(['topic', 'payload']).where('topic', '=', 'case.completed').executeTakeFirstOrThrow();
    await p.ctx.db.insertInto('outbox_event').values({ topic: 'case.completed', payload: JSON.stringify(original.payload), idempotency_key: `again:${caseId}`, region_code: '320100', locked_by: null, locked_until: null, last_error: null, delivered_at: null }).execute();
    await drain();
    assert.equal((await p.ctx.db.selectFrom('licence').select('id').where('case_id', '=', caseId).execute()).length, 1);
    assert.equal((await p.ctx.db.selectFrom('outbox_event').select('id').where('topic', '=', 'licence.issued').execute()).length, 1);
    assert.equal((await p.ctx.db.selectFrom('outbox_event').select('id').where('status', '=', 'dead').execute()).length, 0);
  });

  test('a case whose answers do not fit the schema records a final failure, no retries', async () => {
    const caseId = await decidedCase({ shopName: '店'.repeat(201) });
    await drain();
    const failure = await p.ctx.db.selectFrom('licence_issue_failure').selectAll().where('case_id', '=', caseId).executeTakeFirstOrThrow();
    assert.equal(failure.reason_code, 'data_invalid');
    assert.equal(failure.retryable, false);
    assert.match(failure.message, /answers\.shopName/);
    assert.equal(await licenceOf(caseId), undefined);
  });

  test('lifecycle: suspend → status suspended → resume; change and renew make new versions; revoke is final; other regions refused', async () => {
    const caseId = await decidedCase({ shopName: '金陵面馆' });
    await drain();
    const id = (await licenceOf(caseId))!.identifier;
    const approver = staff['nj-approver']!;
    const status = async (x: string) => (await call(null, 'GET', `/api/v1/licences/${x}/status`)).json().status as string;
    assert.equal(await status(id), 'valid');

    assert.equal((await call(staff['sz-clerk']!, 'POST', `/api/v1/licences/${id}/suspend`, { reason: '核查' })).statusCode, 403, 'a window clerk may not');
    assert.equal((await call(staff['sz-clerk']!, 'GET', `/api/v1/licences/${id}`)).json().code, 'OUT_OF_REGION');
    assert.equal((await call(staff['nj-approver']!, 'POST', `/api/v1/licences/${id}/suspend`, {})).statusCode, 400, 'a reason is required');

    let res = await call(approver, 'POST', `/api/v1/licences/${id}/suspend`, { reason: '涉嫌违法经营，立案调查' });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(await status(id), 'suspended');
    assert.equal((await call(approver, 'POST', `/api/v1/licences/${id}/suspend`, { reason: 'x' })).json().code, 'LICENCE_STATE_CONFLICT');
    assert.equal((await call(approver, 'POST', `/api/v1/licences/${id}/resume`, { reason: '调查结束' })).statusCode, 200);

    res = await call(approver, 'POST', `/api/v1/licences/${id}/change`, { data: { address: '南京市鼓楼区中山北路2号' }, reason: '经营场所变更' });
    assert.equal(res.statusCode, 200, res.body);
    const changed = res.json().identifier as string;
    assert.match(changed, /\.002\.[0-9A-Z]$/);
    assert.equal(await status(id), 'superseded');
    assert.equal((await call(approver, 'POST', `/api/v1/licences/${changed}/change`, { data: { holderCode: '123' }, reason: '错' })).json().code, 'LICENCE_DATA_INVALID');
    res = await call(approver, 'POST', `/api/v1/licences/${changed}/renew`, { reason: '延续' });
    assert.equal(res.statusCode, 200, res.body);
    const renewed = res.json().identifier as string;
    assert.ok(parseIdentifier(renewed).ok);

    res = await call(approver, 'POST', `/api/v1/licences/${renewed}/revoke`, { kind: 'withdrawn', reason: '违法经营，依法吊销' });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(await status(renewed), 'revoked');
    assert.equal((await call(approver, 'POST', `/api/v1/licences/${renewed}/resume`, { reason: '想恢复' })).json().code, 'LICENCE_STATE_CONFLICT');
    const topics = (await p.ctx.db.selectFrom('outbox_event').select('topic').where('topic', 'like', 'licence.%').execute()).map((e) => e.topic);
    for (const t of ['licence.suspended', 'licence.resumed', 'licence.changed', 'licence.renewed', 'licence.revoked']) assert.ok(topics.includes(t), t);
    const events = (await call(approver, 'GET', `/api/v1/licences/${renewed}?basis=${encodeURIComponent('证照履历核对（行政检查）')}`)).json().events as { action: string; reason: string | null }[];
    assert.deepEqual(events.map((e) => e.action), ['issue', 'suspend', 'resume', 'change', 'renew', 'revoke']);
  });

  test('unknown and forged identifiers get clear errors', async () => {
    const licence = (await p.ctx.db.selectFrom('licence').select('identifier').executeTakeFirstOrThrow()).identifier;
    const parts = parseIdentifier(licence);
    assert.ok(parts.ok);
    const { formatIdentifier } = await import('../src/modules/licences/index.ts');
    const unknown = formatIdentifier({ ...parts.id, serial: '209900000001' });
    let res = await call(null, 'GET', `/api/v1/licences/${unknown}/status`);
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().code, 'LICENCE_NOT_FOUND');
    res = await call(null, 'GET', `/api/v1/licences/${licence.slice(0, -1)}${licence.endsWith('A') ? 'B' : 'A'}/status`);
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().code, 'LICENCE_IDENTIFIER_INVALID');
    assert.match(res.body, /校验位/);
    res = await call(null, 'GET', '/api/v1/licences/not-an-identifier/status');
    assert.equal(res.json().code, 'LICENCE_IDENTIFIER_INVALID');
  });

  test('a company applicant: the licence is issued to the company (name, USCC) and is in its wallet', async () => {
    const company = demoCompany('南京玄武知味餐饮管理有限公司');
    const b = await licenceLogin(p, company, '张伟');
    const who = { browser: b, csrf: Browser.csrfFrom((await b.get('/company')).body) };
    const sub = await call(who, 'POST', '/api/v1/cases', { implementationId: bed.implId, answers: { shopName: '知味餐饮', address: '南京市玄武区北京东路1号' }, materials: [bed.upload] });
    assert.equal(sub.statusCode, 201, sub.body);
    const id = sub.json().id as string;
    let res = await call(staff['nj-clerk'], 'POST', `/api/v1/cases/${id}/actions/accept`, { version: sub.json().version });
    res = await call(staff['nj-approver'], 'POST', `/api/v1/cases/${id}/actions/decide_approve`, { version: res.json().view.version });
    assert.equal(res.statusCode, 200, res.body);
    await drain();
    const licence = await licenceOf(id);
    assert.ok(licence, JSON.stringify(await p.ctx.db.selectFrom('licence_issue_failure').selectAll().where('case_id', '=', id).executeTakeFirst()));
    assert.equal(licence.holder_kind, 'company');
    assert.equal(licence.holder_index, new PersonalDataCipher(p.config.secrets).blindIndex('id_number', company.creditCode));
    const view = await call(who, 'GET', `/api/v1/licences/${licence.identifier}`);
    assert.equal(view.statusCode, 200, view.body);
    const fields = Object.fromEntries((view.json().fields as { key: string; value: string }[]).map((f) => [f.key, f.value]));
    assert.deepEqual([fields.holderName, fields.holderCode], [company.name, company.creditCode]);
    assert.match((await b.get('/my/licences')).body, /食品经营许可证/);
    assert.equal((await call(applicant, 'GET', `/api/v1/licences/${licence.identifier}`)).statusCode, 404, 'not the citizen\'s');
  });
});
