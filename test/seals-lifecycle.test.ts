// Seal lifecycle end to end over HTTP: a department admin requests, the region admin
// approves (key, certificate, picture, SES_Seal signed by the issuing CA), the DER parses
// and the maker signature verifies, suspend (挂失) shows in the public status API, revoke
// (注销) is final; a Suzhou admin cannot touch a Nanjing seal. The CA is the node's own
// (created at start-up), with its keys in the software key store.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeEachBackend } from './support/backends.ts';
import { Browser, buildTestPlatform, type TestPlatform } from './support/platform.ts';
import { parseCertificate } from '../src/platform/crypto/x509/index.ts';
import { StaffService } from '../src/modules/identity/index.ts';
import { verifyAuditChain } from '../src/platform/audit/audit.ts';
import { parseSeal, sealsModule, verifySealStructure, verifyWithCertificate } from '../src/modules/seals/index.ts';
import { OutboxWorker } from '../src/platform/jobs/worker.ts';
import type { Db } from '../src/platform/db/database.ts';

const PASSWORD = 'Seal-Test-Password-2026';

async function orgIn(db: Db, regionCode: string, name: string): Promise<string> {
  const row = await db.insertInto('organisation').values({ region_code: regionCode, name, kind: 'department' } as never).returning('id').executeTakeFirstOrThrow();
  return (row as { id: string }).id;
}

describeEachBackend('seal lifecycle', (getDb) => {
  let app: TestPlatform;
  let njOrg: string;
  const login = async (name: string) => {
    const b = new Browser(app.app);
    const res = await b.login(name, PASSWORD);
    assert.equal(res.statusCode, 303, `login ${name}`);
    return { b, csrf: Browser.csrfFrom((await b.get('/staff/seals')).body) };
  };
  const api = (who: { b: Browser; csrf: string }, url: string, body: unknown = {}) =>
    app.app.inject({ method: 'POST', url, payload: body as object, headers: { cookie: who.b.cookieHeader, 'x-csrf-token': who.csrf, accept: 'application/json' } });

  before(async () => {
    const database = getDb();
    // The real module: seals are made by the node's issuing CA, keys in the software key store.
    app = await buildTestPlatform(database);
    njOrg = await orgIn(database.db, '320100', '南京市市场监督管理局');
    const staff = new StaffService(database.db);
    const sys = { kind: 'system', id: 'test' } as const;
    await staff.createStaff({ loginName: 'nj-seal-dept', displayName: '南京市场监管部门管理员', password: PASSWORD, orgId: njOrg, regionCode: '320100', roles: ['dept_admin'], mustChangePassword: false }, sys);
    await staff.createStaff({ loginName: 'nj-seal-admin', displayName: '南京区划管理员', password: PASSWORD, orgId: null, regionCode: '320100', roles: ['region_admin'], mustChangePassword: false }, sys);
    await staff.createStaff({ loginName: 'sz-seal-admin', displayName: '苏州区划管理员', password: PASSWORD, orgId: null, regionCode: '320500', roles: ['region_admin'], mustChangePassword: false }, sys);
  });
  after(async () => {
    await app?.app.close();
  });

  test('request → approve → SES_Seal verifies → suspend → status says suspended → revoke', async () => {
    const dept = await login('nj-seal-dept');
    const admin = await login('nj-seal-admin');
    const sz = await login('sz-seal-admin');

    const otherOrg = await orgIn(getDb().db, '320100', '南京市公安局');
    assert.equal((await api(dept, '/api/v1/seal-requests', { orgId: otherOrg, kind: 'official' })).statusCode, 403, 'a department admin requests only for their own organisation');
    assert.equal((await api(dept, '/api/v1/seal-requests', { orgId: njOrg, kind: 'business', label: 'bad' })).statusCode, 400);
    const created = await api(dept, '/api/v1/seal-requests', { orgId: njOrg, kind: 'business' });
    assert.equal(created.statusCode, 201, created.body);
    const requestId = created.json<{ id: string }>().id;
    assert.equal((await api(dept, `/api/v1/seal-requests/${requestId}/approve`)).statusCode, 403, 'a department admin cannot approve');
    assert.equal((await api(sz, `/api/v1/seal-requests/${requestId}/approve`)).json<{ code: string }>().code, 'OUT_OF_REGION');

    const approved = await api(admin, `/api/v1/seal-requests/${requestId}/approve`);
    assert.equal(approved.statusCode, 200, approved.body);
    const { esId } = approved.json<{ esId: string }>();
    assert.match(esId, new RegExp(`^320100${new Date().getFullYear()}00000001$`));
    assert.equal((await api(admin, `/api/v1/seal-requests/${requestId}/approve`)).statusCode, 409, 'a request is issued once');

    const download = await app.app.inject({ method: 'GET', url: `/api/v1/seals/${esId}` });
    assert.equal(download.statusCode, 200);
    const seal = parseSeal(download.rawPayload);
    assert.equal(seal.sealInfo.esId, esId);
    assert.equal(seal.sealInfo.property.name, '南京市市场监督管理局业务专用章');
    assert.equal(seal.sealInfo.picture.type, 'PNG');
    assert.deepEqual(seal.sealInfo.picture.data.subarray(0, 8), Buffer.from('89504e470d0a1a0a', 'hex'));
    assert.equal(seal.sealInfo.picture.width, 40);
    assert.equal(seal.sealInfo.property.certList.type, 1);
    const sealCert = parseCertificate(seal.sealInfo.property.certList.type === 1 ? seal.sealInfo.property.certList.certs[0]! : Buffer.alloc(0));
    assert.equal(sealCert.subject.commonName, '南京市市场监督管理局业务专用章');
    assert.deepEqual(await verifySealStructure(seal, verifyWithCertificate, new Date()), { ok: true });
    const tampered = Buffer.from(download.rawPayload);
    const at = tampered.indexOf(Buffer.from(esId)) + 17;
    tampered[at] = tampered[at]! ^ 1;
    assert.equal((await verifySealStructure(parseSeal(tampered), verifyWithCertificate)).ok, false);

    const status = async () => (await app.app.inject({ method: 'GET', url: `/api/v1/seals/${esId}/status` })).json<{ status: string; reason: string | null; expired: boolean }>();
    assert.equal((await status()).status, 'valid');
    assert.equal((await api(sz, `/api/v1/seals/${esId}/suspend`, { note: '外区' })).statusCode, 403, 'a wrong-region admin is refused');
    assert.equal((await api(admin, `/api/v1/seals/${esId}/suspend`, { note: 'UKey 遗失' })).statusCode, 200);
    const suspended = await status();
    assert.deepEqual([suspended.status, suspended.reason, suspended.expired], ['suspended', '挂失', false]);
    // The seal's certificate follows through the outbox: held on the CRL, then released.
    const worker = new OutboxWorker(getDb().db, { pollMs: 50 });
    for (const h of sealsModule.handlers!(app.ctx)) worker.register(h);
    const certStatus = async () => (await app.app.inject({ method: 'GET', url: `/api/v1/ca/certificates/${sealCert.serial}/status` })).json<{ status: string; reason?: string }>();
    assert.equal((await certStatus()).status, 'good');
    await worker.runOnce();
    assert.deepEqual(await certStatus(), { ...(await certStatus()), status: 'revoked', reason: 'certificateHold' });
    assert.equal((await api(admin, `/api/v1/seals/${esId}/resume`, { note: '已找回' })).statusCode, 200);
    await worker.runOnce();
    assert.equal((await certStatus()).status, 'good', 'released with the seal');
    assert.equal((await api(admin, `/api/v1/seals/${esId}/suspend`, { note: 'UKey 再次遗失' })).statusCode, 200);
    assert.equal((await api(admin, `/api/v1/seals/${esId}/suspend`)).statusCode, 409);
    assert.equal((await api(admin, `/api/v1/seals/${esId}/revoke`, { reason: '随便' })).statusCode, 400);
    assert.equal((await api(admin, `/api/v1/seals/${esId}/revoke`, { reason: '注销', note: '机构撤并' })).statusCode, 200);
    assert.equal((await status()).status, 'revoked');
    assert.equal((await status()).reason, '注销');
    await worker.runOnce();
    assert.deepEqual(await certStatus(), { ...(await certStatus()), status: 'revoked', reason: 'cessationOfOperation' });
    await worker.runOnce();
    assert.equal((await certStatus()).reason, 'cessationOfOperation', 'nothing changes twice');
    assert.equal((await api(admin, `/api/v1/seals/${esId}/resume`)).statusCode, 409, 'revocation is final');

    // Pages: the registry shows the seal with its picture; the detail page lists the history.
    const registry = await admin.b.get('/staff/seals');
    assert.equal(registry.statusCode, 200);
    assert.match(registry.body, new RegExp(`/api/v1/seals/${esId}/picture.png`));
    const detail = await admin.b.get(`/staff/seals/${esId}`);
    assert.match(detail.body, /制发备案[\s\S]*挂失[\s\S]*注销/);
    assert.equal((await sz.b.get(`/staff/seals/${esId}`)).statusCode, 403);
    const png = await app.app.inject({ method: 'GET', url: `/api/v1/seals/${esId}/picture.png` });
    assert.equal(png.headers['content-type'], 'image/png');

    const audit = await getDb().db.selectFrom('audit_log').select('action').where('target_id', 'in', [esId, requestId]).orderBy('id').execute();
    assert.deepEqual(audit.map((a) => a.action), ['seal.request', 'seal.issue', 'seal.suspended', 'seal.resumed', 'seal.suspended', 'seal.revoked']);
    assert.equal((await verifyAuditChain(getDb().db)).ok, true);
    assert.equal((await app.app.inject({ method: 'GET', url: '/api/v1/seals/320100202699999999/status' })).statusCode, 404);
  });

  test('pages: request by form, reject with a reason, approve by form', async () => {
    const dept = await login('nj-seal-dept');
    const admin = await login('nj-seal-admin');
    const res = await dept.b.submit('/staff/seals/requests', { orgId: njOrg, kind: 'official' }, dept.csrf);
    assert.equal(res.statusCode, 303);
    const rows = await getDb().db.selectFrom('seal_request').select(['id', 'kind']).where('status', '=', 'pending').execute();
    assert.equal(rows.length, 1);
    const empty = await admin.b.submit(`/staff/seals/requests/${rows[0]!.id}/reject`, { reason: '' }, admin.csrf);
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /请填写退回理由/);
    const ok = await admin.b.submit(`/staff/seals/requests/${rows[0]!.id}/approve`, {}, admin.csrf);
    assert.equal(ok.statusCode, 303);
    assert.match(String(ok.headers.location), /^\/staff\/seals\/320100\d{12}\?done=issued$/);
  });
});
