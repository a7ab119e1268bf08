// Issue 8 items 3–4, the wallet: a licence issued on case completion appears in 我的证照 (masked
// in the list, in full on its page for its holder, with QR code, versions and every use), is
// absent for anyone else, and every read is a recorded use: the holder's view, the PDF
// download, staff reading on a legal basis (refused without one). The licence material source
// offers the applicant's valid licences for a material of their type, and nothing else.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from './support/backends.ts';
import { buildTestPlatform, type TestPlatform } from './support/platform.ts';
import { licenceBed, type LicenceBed } from './support/licences.ts';
import { maskIdNumber } from '../src/platform/crypto/personal-data.ts';
import { materialSources, type MaterialSource } from '../src/modules/cases/index.ts';
import type { Material } from '../src/modules/catalog/index.ts';

describeEachBackend('licences: the e-licence wallet', (getDb) => {
  let p: TestPlatform;
  let bed: LicenceBed;
  let identifier: string;
  let enc: string;
  const uses = (kind: string) => p.ctx.db.selectFrom('licence_use').selectAll().where('identifier', '=', identifier).where('kind', '=', kind as never).execute();

  before(async () => {
    p = await buildTestPlatform(getDb());
    bed = await licenceBed(p);
    await bed.issueSeal();
    ({ identifier } = await bed.issuedLicence({ shopName: '知味小馆' }));
    enc = encodeURIComponent(identifier);
  });
  after(async () => {
    await p?.app.close();
  });

  test('the wallet lists the licence, masked; the user centre links to it', async () => {
    const list = await bed.applicant.browser.get('/my/licences');
    assert.equal(list.statusCode, 200, list.body.slice(0, 500));
    assert.match(list.body, /食品经营许可证/);
    assert.ok(list.body.includes(`href="/my/licences/${enc}"`));
    assert.ok(list.body.includes(maskIdNumber(bed.applicant.idNumber)), 'the number is masked in the list');
    assert.ok(!list.body.includes(bed.applicant.idNumber), 'never in full in the list');
    assert.match(list.body, /南京市市场监督管理局/);
    assert.match(list.body, /有效/);
    const centre = await bed.applicant.browser.get('/account');
    assert.ok(centre.body.includes('/my/licences'), 'the user centre links to the wallet');
    const other = await bed.otherCitizen('陈静');
    const empty = await other.browser.get('/my/licences');
    assert.equal(empty.statusCode, 200);
    assert.ok(!empty.body.includes(enc));
    assert.equal((await p.app.inject({ method: 'GET', url: '/my/licences', headers: { accept: 'text/html' } })).statusCode, 303, 'anonymous visitors are sent to log in');
  });

  test('the detail page: data in full for the holder, QR code, versions, and the view itself is a use; 404 for anyone else', async () => {
    const before = (await uses('holder_view')).length;
    const page = await bed.applicant.browser.get(`/my/licences/${enc}`);
    assert.equal(page.statusCode, 200, page.body.slice(0, 500));
    for (const text of ['知味小馆', bed.applicant.idNumber, '王小明', '使用记录', '签发', `/my/licences/${enc}/qr.svg`, `/api/v1/licences/${enc}/pdf`, '申请纸质证照']) assert.ok(page.body.includes(text), text);
    assert.equal((await uses('holder_view')).length, before + 1);
    assert.match(page.body, /持证人查看/, 'the view is listed among the uses');

    const qr = await bed.applicant.browser.get(`/my/licences/${enc}/qr.svg`);
    assert.equal(qr.statusCode, 200);
    assert.match(String(qr.headers['content-type']), /image\/svg\+xml/);
    assert.match(qr.body, /^<svg/);

    const other = await bed.otherCitizen('刘洋');
    for (const url of [`/my/licences/${enc}`, `/my/licences/${enc}/qr.svg`]) assert.equal((await other.browser.get(url)).statusCode, 404, url);
    assert.equal((await bed.call(other, 'GET', `/api/v1/licences/${identifier}`)).json().code, 'LICENCE_NOT_FOUND');
    assert.equal((await uses('holder_view')).length, before + 1, 'a refused read is not a use');
  });

  test('downloading the PDF and asking for a paper copy are recorded', async () => {
    const pdf = await bed.call(bed.applicant, 'GET', `/api/v1/licences/${identifier}/pdf`);
    assert.equal(pdf.statusCode, 200);
    assert.equal((await uses('download')).length, 1);
    const page = await bed.applicant.browser.get(`/my/licences/${enc}`);
    assert.match(page.body, /下载证照文件/);
    const res = await bed.applicant.browser.submit(`/my/licences/${enc}/paper-copy`, {}, bed.applicant.csrf);
    assert.equal(res.statusCode, 303, res.body.slice(0, 500));
    assert.equal(res.headers.location, `/my/licences/${enc}?done=paper`);
    assert.equal((await bed.applicant.browser.submit(`/my/licences/${enc}/paper-copy`, {}, 'forged')).statusCode, 403, 'CSRF is checked');
    const after = await bed.applicant.browser.get(`/my/licences/${enc}?done=paper`);
    assert.match(after.body, /已提交纸质证照申请/);
    assert.match(after.body, /申请纸质证照/);
    const row = await p.ctx.db.selectFrom('licence').select('paper_requested_at').where('identifier', '=', identifier).executeTakeFirstOrThrow();
    assert.ok(row.paper_requested_at);
  });

  test('staff read without consent only with a legal basis, which the holder then sees', async () => {
    const approver = bed.staff['nj-approver'];
    const refused = await bed.call(approver, 'GET', `/api/v1/licences/${identifier}`);
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json().code, 'LICENCE_CONSENT_REQUIRED');
    assert.ok(!refused.body.includes('知味小馆'));
    assert.equal((await bed.call(approver, 'GET', `/api/v1/licences/${identifier}?basis=abc`)).statusCode, 400, 'too short a basis');
    const basis = '行政检查依据《食品安全法》第一百一十条，任务 JC-2026-001';
    const ok = await bed.call(approver, 'GET', `/api/v1/licences/${identifier}?basis=${encodeURIComponent(basis)}`);
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().fields.find((f: { key: string }) => f.key === 'shopName').value, '知味小馆');
    const logged = await uses('legal_basis_view');
    assert.equal(logged.length, 1);
    assert.equal(logged[0]!.purpose, basis);
    assert.equal(logged[0]!.actor_kind, 'staff');
    assert.equal((await bed.call(bed.staff['sz-clerk'], 'GET', `/api/v1/licences/${identifier}?basis=${encodeURIComponent(basis)}`)).json().code, 'OUT_OF_REGION');
    const page = await bed.applicant.browser.get(`/my/licences/${enc}`);
    assert.match(page.body, /依法查阅/);
    assert.ok(page.body.includes(basis));
  });

  test('the licence material source offers valid licences of the material\'s type only', async () => {
    const source = materialSources().find((s) => s.id === 'licence') as MaterialSource;
    assert.ok(source, 'the licences module registered its source');
    assert.equal(source.kind, 'licence');
    const mat = (licenceType?: string): Material => ({ id: 'm', name: '材料', form: 'electronic', count: 1, required: true, source: 'licence', ...(licenceType ? { licenceType } : {}) }) as Material;
    const me = { kind: 'citizen' as const, id: bed.applicant.accountId };
    const offered = await source.candidates(me, mat('food_business'), p.ctx);
    assert.ok(offered.some((c) => c.reference === identifier), JSON.stringify(offered));
    assert.match(offered[0]!.title, /食品经营许可证/);
    assert.deepEqual(await source.candidates(me, mat('marriage'), p.ctx), [], 'another type');
    assert.deepEqual(await source.candidates(me, mat(), p.ctx), [], 'a material with no licence type');
    const stranger = await bed.otherCitizen('周敏');
    const strangerId = (await p.ctx.db.selectFrom('citizen_account').select('id').orderBy('created_at', 'desc').executeTakeFirstOrThrow()).id;
    assert.ok(stranger);
    assert.deepEqual(await source.candidates({ kind: 'citizen', id: strangerId }, mat('food_business'), p.ctx), [], "not someone else's");

    const second = await bed.issuedLicence({ shopName: '秦淮小吃' });
    assert.ok((await source.candidates(me, mat('food_business'), p.ctx)).some((c) => c.reference === second.identifier));
    const res = await bed.call(bed.staff['nj-approver'], 'POST', `/api/v1/licences/${second.identifier}/revoke`, { kind: 'withdrawn', reason: '依法吊销' });
    assert.equal(res.statusCode, 200, res.body);
    const after = await source.candidates(me, mat('food_business'), p.ctx);
    assert.ok(!after.some((c) => c.reference === second.identifier), 'a revoked licence is not offered');
    assert.ok(after.some((c) => c.reference === identifier));
  });
});
