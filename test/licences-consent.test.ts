// Issue 8 item 9, consented reuse: an applicant reuses their 食品经营许可证 as a material of a
// Suzhou case in the no-JS wizard, agreeing to the authorisation shown at review; the
// submission creates one consent for the Suzhou bureau and that case (once, even when the
// event is delivered again). The bureau's clerk sees the licence verified and the holder sees
// that use; another organisation, a revoked or an expired consent get 403 and no data; a
// legal basis opens it and is logged. A business system exchanges a holder's one-time token
// once: replay 409, expired, revoked and unknown tokens refused with no data.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { describeEachBackend } from './support/backends.ts';
import { Browser, buildTestPlatform, type TestPlatform } from './support/platform.ts';
import { licenceBed, type LicenceBed, type Who } from './support/licences.ts';
import { foodLicenceImplementation } from './support/catalog-fixtures.ts';
import { multipart as multipartBody } from './support/multipart.ts';
import { DEMO_PASSWORD } from '../demo/load.ts';
import { createCatalogService } from '../src/modules/catalog/index.ts';
import { RegionService } from '../src/modules/regions/index.ts';
import { StaffService } from '../src/modules/identity/index.ts';
import { LICENCE_READ_SCOPE, WalletService, licenceServiceFor } from '../src/modules/licences/index.ts';
import { PersonalDataCipher } from '../src/platform/crypto/personal-data.ts';

const SYSTEM = { kind: 'system' as const, id: 'test' };
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

describeEachBackend('licences: consent and consented reuse', (getDb) => {
  let p: TestPlatform;
  let bed: LicenceBed;
  let identifier: string;
  let szImpl: string;
  let caseId: string;
  let szClerk: Who;
  let otherClerk: Who;
  let admin: Who;
  const clients: Record<string, string> = {};

  const consentsOf = () => p.ctx.db.selectFrom('licence_consent').selectAll().innerJoin('licence', 'licence.id', 'licence_consent.licence_id').where('licence.identifier', '=', identifier).select(['licence_consent.id as consentId']).execute();
  const uses = (kind: string) => p.ctx.db.selectFrom('licence_use').selectAll().where('identifier', '=', identifier).where('kind', '=', kind as never).execute();
  const staffView = (who: Who, c: string) => who.browser.get(`/staff/licences/${encodeURIComponent(identifier)}?case=${c}`);
  const exchange = (bearer: string, token: string): Promise<LightMyRequestResponse> =>
    p.app.inject({ method: 'POST', url: '/api/v1/licence-consents/exchange', payload: { token }, headers: { accept: 'application/json', authorization: `Bearer ${bearer}` } });
  const grant = async (body: Record<string, unknown>) => bed.call(bed.applicant, 'POST', `/api/v1/licences/${identifier}/consents`, { purpose: '平台入驻资质核验', scope: ['shopName', 'issuerName'], expiresInDays: 30, ...body });
  async function staffMember(loginName: string, orgId: string): Promise<Who> {
    await new StaffService(p.ctx.db).createStaff({ loginName, displayName: loginName === 'sz-food' ? '苏州市场监管窗口' : '苏州其他部门窗口', password: DEMO_PASSWORD, orgId, regionCode: '320500', roles: ['window_clerk'], mustChangePassword: false }, SYSTEM);
    const b = new Browser(p.app);
    await b.login(loginName, DEMO_PASSWORD);
    return { browser: b, csrf: Browser.csrfFrom((await b.get('/staff')).body) };
  }

  before(async () => {
    p = await buildTestPlatform(getDb());
    bed = await licenceBed(p);
    await bed.issueSeal();
    ({ identifier } = await bed.issuedLicence({ shopName: '知味小馆' }));
    const orgs = await new RegionService(p.ctx.db).organisations('320500');
    const sz = orgs.find((o) => o.name === '苏州市市场监督管理局')!;
    const catalog = createCatalogService(p.ctx.db);
    const impl = await catalog.createImplementation(foodLicenceImplementation(bed.basicId, '320500', sz.id, {
      materials: [
        { id: 'application', name: '食品经营许可申请书', form: 'electronic', count: 1, required: true, source: 'upload' },
        { id: 'food_licence', name: '原食品经营许可证', form: 'electronic', count: 1, required: false, source: 'licence', licenceType: 'food_business' },
      ],
    }), SYSTEM);
    await catalog.submit(impl.id, SYSTEM);
    await catalog.approve(impl.id, SYSTEM);
    szImpl = impl.id;
    szClerk = await staffMember('sz-food', sz.id);
    otherClerk = await staffMember('sz-other', orgs.find((o) => o.id !== sz.id)!.id);
    admin = bed.staff['js-admin'];
    const staff = new StaffService(p.ctx.db);
    clients.platform = (await staff.createClient({ name: '外卖平台', scopes: [LICENCE_READ_SCOPE], regionCode: '320000' }, SYSTEM)).token;
    clients.other = (await staff.createClient({ name: '其他平台', scopes: [LICENCE_READ_SCOPE], regionCode: '320000' }, SYSTEM)).token;
    clients.unscoped = (await staff.createClient({ name: '无权限系统', scopes: ['regions:read'], regionCode: '320000' }, SYSTEM)).token;
  });
  after(async () => {
    await p?.app.close();
  });

  test('the wizard offers the licence, shows the authorisation, and submitting needs the consent box', async () => {
    const me = bed.applicant;
    const form = await me.browser.submit(`/cases/apply/${szImpl}/form`, { shopName: '姑苏小馆' }, me.csrf);
    assert.equal(form.statusCode, 303, form.body.slice(0, 500));
    const step2 = await me.browser.get(`/cases/apply/${szImpl}?step=2`);
    const value = `licence|${identifier}`;
    assert.ok(step2.body.includes(`value="${value}"`), 'the licence is offered for the licence material');
    assert.match(step2.body, /电子证照：食品经营许可证/);
    const body = multipartBody({ _csrf: me.csrf, action: 'next', 'choice.application': 'upload', 'choice.food_licence': value, 'materials.application': { file: PDF, name: '申请书.pdf' } });
    const mats = me.browser.setCookiesFrom(await p.app.inject({ method: 'POST', url: `/cases/apply/${szImpl}/materials`, payload: body.payload, headers: { ...body.headers, accept: 'text/html', cookie: me.browser.cookieHeader } }));
    assert.equal(mats.statusCode, 303, mats.body.slice(0, 800));

    const review = await me.browser.get(`/cases/apply/${szImpl}?step=3`);
    for (const text of ['电子证照使用授权', '苏州市市场监督管理局', '食品经营许可', '证照上的全部信息', '有效期至', '我已阅读并同意']) assert.ok(review.body.includes(text), text);
    const refused = await me.browser.submit(`/cases/apply/${szImpl}/submit`, {}, me.csrf);
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /href="#consent"/);
    assert.equal((await consentsOf()).length, 0);

    const submitted = await me.browser.submit(`/cases/apply/${szImpl}/submit`, { consent: 'yes' }, me.csrf);
    assert.equal(submitted.statusCode, 303, submitted.body.slice(0, 800));
    caseId = /^\/cases\/([0-9a-f-]{36})\/submitted$/.exec(submitted.headers.location as string)![1]!;
    const material = await p.ctx.db.selectFrom('case_material').select(['source', 'reference']).where('case_id', '=', caseId).where('material_id', '=', 'food_licence').executeTakeFirstOrThrow();
    assert.deepEqual(material, { source: 'licence', reference: identifier });
  });

  test('case.submitted creates one consent for the case organisation, once even when delivered again', async () => {
    await bed.drain();
    const rows = await p.ctx.db.selectFrom('licence_consent').selectAll().where('purpose_ref', '=', caseId).execute();
    assert.equal(rows.length, 1);
    const c = rows[0]!;
    const sz = (await new RegionService(p.ctx.db).organisations('320500')).find((o) => o.name === '苏州市市场监督管理局')!;
    assert.equal(c.grantee_org_id, sz.id);
    assert.equal(c.purpose_kind, 'case');
    assert.match(c.purpose_text, /食品经营许可/);
    assert.deepEqual(c.scope, ['*']);
    assert.equal(c.created_by_id, bed.applicant.accountId);
    const days = (new Date(c.expires_at).getTime() - Date.now()) / 86_400_000;
    assert.ok(days > 179 && days <= 180, String(days));
    assert.equal((await uses('material')).length, 1);

    const original = await p.ctx.db.selectFrom('outbox_event').select(['payload', 'region_code']).where('topic', '=', 'case.submitted').where('idempotency_key', '=', `case.submitted:${caseId}`).executeTakeFirstOrThrow();
    await p.ctx.db.insertInto('outbox_event').values({ topic: 'case.submitted', payload: JSON.stringify(original.payload), idempotency_key: `again:${caseId}`, region_code: original.region_code, locked_by: null, locked_until: null, last_error: null, delivered_at: null } as never).execute();
    await bed.drain();
    assert.equal((await p.ctx.db.selectFrom('licence_consent').select('id').where('purpose_ref', '=', caseId).execute()).length, 1);
    assert.equal((await uses('material')).length, 1);
  });

  test("the bureau's clerk sees the licence verified; the holder sees that use", async () => {
    const casePage = await szClerk.browser.get(`/staff/cases/${caseId}`);
    assert.equal(casePage.statusCode, 200);
    assert.ok(casePage.body.includes(`/staff/licences/${encodeURIComponent(identifier)}?case=${caseId}`), 'the case page links to the verified view');
    const page = await staffView(szClerk, caseId);
    assert.equal(page.statusCode, 200, page.body.slice(0, 800));
    for (const text of ['已核验', '知味小馆', bed.applicant.idNumber, '南京市市场监督管理局', '有效']) assert.ok(page.body.includes(text), text);
    const shared = await uses('shared_view');
    assert.equal(shared.length, 1);
    assert.ok(shared[0]!.consent_id);
    assert.match(shared[0]!.purpose ?? '', /办件 /);
    const wallet = await bed.applicant.browser.get(`/my/licences/${encodeURIComponent(identifier)}`);
    assert.match(wallet.body, /经授权查看/);
    assert.match(wallet.body, /苏州市场监管窗口/);
    assert.match(wallet.body, /作为办件材料提交/);
  });

  test('another organisation, a clerk of no organisation, or another region get no data', async () => {
    for (const who of [otherClerk, bed.staff['sz-clerk']]) {
      const res = await staffView(who, caseId);
      assert.equal(res.statusCode, 403);
      assert.match(res.body, /没有持证人授权/);
      assert.ok(!res.body.includes('知味小馆') && !res.body.includes(bed.applicant.idNumber));
    }
    const nj = await staffView(bed.staff['nj-clerk'], caseId);
    assert.equal(nj.statusCode, 403, 'the case is outside Nanjing');
    assert.ok(!nj.body.includes('知味小馆'));
    assert.equal((await uses('shared_view')).length, 1, 'refusals are not uses');
  });

  test('the legal-basis path opens the licence and logs the basis', async () => {
    const refused = await staffView(admin, caseId);
    assert.equal(refused.statusCode, 403);
    assert.match(refused.body, /依法查阅/);
    const url = `/staff/licences/${encodeURIComponent(identifier)}/basis`;
    const short = await admin.browser.submit(url, { case: caseId, basis: '检查' }, admin.csrf);
    assert.equal(short.statusCode, 400);
    assert.ok(!short.body.includes('知味小馆'));
    const ok = await admin.browser.submit(url, { case: caseId, basis: '《食品安全法》第一百一十条 监督检查' }, admin.csrf);
    assert.equal(ok.statusCode, 200, ok.body.slice(0, 800));
    assert.match(ok.body, /知味小馆/);
    const logged = await uses('legal_basis_view');
    assert.equal(logged.length, 1);
    assert.match(logged[0]!.purpose ?? '', /第一百一十条.*办件/);
  });

  test('revoked (wallet button) and expired consents are refused with no data', async () => {
    const wallet = await bed.applicant.browser.get(`/my/licences/${encodeURIComponent(identifier)}`);
    const action = /action="(\/my\/licences\/[^"]+\/consents\/[0-9a-f-]{36}\/revoke)"/.exec(wallet.body)?.[1];
    assert.ok(action, 'the wallet offers a revoke button');
    const res = await bed.applicant.browser.submit(action.replace(/&#x2F;|&#47;/g, '/'), {}, bed.applicant.csrf);
    assert.equal(res.statusCode, 303, res.body.slice(0, 500));
    const revoked = await staffView(szClerk, caseId);
    assert.equal(revoked.statusCode, 403);
    assert.match(revoked.body, /已撤销/);
    assert.ok(!revoked.body.includes('知味小馆'));
    assert.match((await bed.applicant.browser.get(`/my/licences/${encodeURIComponent(identifier)}`)).body, /已撤销/);

    // A second case reusing it, whose consent then runs out.
    const sub = await bed.call(bed.applicant, 'POST', '/api/v1/cases', { implementationId: szImpl, answers: { shopName: '姑苏二店' }, materials: [bed.upload, { materialId: 'food_licence', source: 'licence', reference: identifier }] });
    assert.equal(sub.statusCode, 201, sub.body);
    const second = sub.json().id as string;
    await bed.drain();
    assert.equal((await staffView(szClerk, second)).statusCode, 200);
    await p.ctx.db.updateTable('licence_consent').set({ expires_at: new Date(Date.now() - 1000) }).where('purpose_ref', '=', second).execute();
    const expired = await staffView(szClerk, second);
    assert.equal(expired.statusCode, 403);
    assert.match(expired.body, /已过期/);
    assert.ok(!expired.body.includes('知味小馆'));
  });

  test('consent tokens: exchanged once within scope; replay, expiry, revocation, unknown and other systems refused', async () => {
    const clientId = (await new StaffService(p.ctx.db).listClients()).find((c) => c.name === '外卖平台')!.id;
    const made = await grant({ clientId });
    assert.equal(made.statusCode, 201, made.body);
    const { token, id } = made.json() as { token: string; id: string };
    assert.equal(Buffer.from(token, 'base64url').length, 32);
    const stored = await p.ctx.db.selectFrom('licence_consent').select(['token_sm3']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.ok(stored.token_sm3 && !stored.token_sm3.includes(token), 'only the hash is kept');

    assert.equal((await exchange(clients.unscoped!, token)).statusCode, 403, 'the scope licences:read is required');
    assert.equal((await exchange(clients.other!, token)).json().code, 'LICENCE_CONSENT_NOT_FOUND', "another system cannot use this system's token");
    const ok = await exchange(clients.platform!, token);
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual(ok.json().fields.map((f: { key: string }) => f.key), ['shopName', 'issuerName']);
    assert.equal(ok.json().status, 'valid');
    assert.ok(!ok.body.includes(bed.applicant.idNumber), 'fields outside the scope are not given');
    const replay = await exchange(clients.platform!, token);
    assert.equal(replay.statusCode, 409);
    assert.equal(replay.json().code, 'LICENCE_CONSENT_REPLAYED');
    assert.ok(!replay.body.includes('知味小馆'));
    assert.equal((await exchange(clients.platform!, 'A'.repeat(43))).statusCode, 404);
    assert.equal((await exchange(clients.platform!, 'nonsense')).statusCode, 404);

    const expiring = (await grant({ clientId })).json() as { token: string; id: string };
    await p.ctx.db.updateTable('licence_consent').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', expiring.id).execute();
    const expired = await exchange(clients.platform!, expiring.token);
    assert.equal(expired.json().code, 'LICENCE_CONSENT_EXPIRED');
    assert.ok(!expired.body.includes('知味小馆'));

    const sz = (await new RegionService(p.ctx.db).organisations('320500')).find((o) => o.name === '苏州市市场监督管理局')!;
    const toOrg = (await grant({ granteeOrgId: sz.id, scope: ['*'] })).json() as { token: string; id: string };
    const revoke = await bed.call(bed.applicant, 'POST', `/api/v1/licence-consents/${toOrg.id}/revoke`, {});
    assert.equal(revoke.statusCode, 204, revoke.body);
    const revokedRes = await exchange(clients.other!, toOrg.token);
    assert.equal(revokedRes.json().code, 'LICENCE_CONSENT_REVOKED');
    assert.ok(!revokedRes.body.includes('知味小馆'));

    const listed = (await bed.call(bed.applicant, 'GET', `/api/v1/licences/${identifier}/consents`)).json().items as { id: string; state: string; grantee: string }[];
    assert.equal(listed.find((c) => c.id === id)?.state, 'used');
    assert.equal(listed.find((c) => c.id === expiring.id)?.state, 'expired');
    assert.equal(listed.find((c) => c.id === toOrg.id)?.state, 'revoked');
    assert.equal(listed.find((c) => c.id === id)?.grantee, '外卖平台');
    const shared = (await uses('shared_view')).filter((u) => u.actor_kind === 'client');
    assert.equal(shared.length, 1, 'exactly the one successful exchange is a use');
  });

  test('consent input is checked, and only the holder may grant or revoke', async () => {
    const clientId = (await new StaffService(p.ctx.db).listClients()).find((c) => c.name === '外卖平台')!.id;
    const sz = (await new RegionService(p.ctx.db).organisations('320500'))[0]!;
    assert.equal((await grant({ clientId, granteeOrgId: sz.id })).json().code, 'LICENCE_CONSENT_INVALID');
    assert.equal((await grant({})).json().code, 'LICENCE_CONSENT_INVALID');
    assert.equal((await grant({ clientId, scope: ['salary'] })).json().code, 'LICENCE_CONSENT_INVALID');
    assert.equal((await grant({ clientId, expiresInDays: 366 })).statusCode, 400);
    assert.equal((await grant({ clientId: '00000000-0000-7000-8000-000000000000' })).json().code, 'LICENCE_CONSENT_INVALID');
    const other = await bed.otherCitizen('孙丽');
    const theirs = await bed.call(other, 'POST', `/api/v1/licences/${identifier}/consents`, { clientId, purpose: '冒用', scope: ['*'], expiresInDays: 30 });
    assert.equal(theirs.json().code, 'LICENCE_NOT_FOUND');
    const mine = (await grant({ clientId })).json() as { id: string };
    assert.equal((await bed.call(other, 'POST', `/api/v1/licence-consents/${mine.id}/revoke`, {})).json().code, 'LICENCE_CONSENT_NOT_FOUND');
  });

  test("the wallet's QR code carries the face's signed token", async () => {
    const wallet = new WalletService({ db: p.ctx.db, config: p.config, cipher: new PersonalDataCipher(p.config.secrets), licences: licenceServiceFor(p.ctx) });
    const actor = { kind: 'citizen' as const, accountId: bed.applicant.accountId, displayName: '王小明', realNameLevel: 2 as const, accountLevel: 2 as const, sessionId: 's' };
    const text = await wallet.qrText(actor, identifier);
    assert.ok(text.startsWith(`${p.config.publicUrl.replace(/\/$/, '')}/licences/verify?qr=YWL`), text);
  });
});
