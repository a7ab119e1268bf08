// 容缺受理 on both backends: accepted with a material promised by a date; a promise past its
// date is chased once however often the job runs (the applicant told in site, the staff who
// handled it too); the applicant supplies the material and the promise is kept.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { describeEachBackend } from './support/backends.ts';
import { Browser, buildTestPlatform, type TestPlatform } from './support/platform.ts';
import { publishedNanjingFoodLicence } from './support/catalog-fixtures.ts';
import { signedInCitizen, type SignedInCitizen } from './support/people.ts';
import { multipart } from './support/multipart.ts';
import { DEMO_PASSWORD } from '../demo/load.ts';
import { startCaseSchedules } from '../src/modules/cases/index.ts';

describeEachBackend('cases: 容缺受理, chasing and supplying the promised material', (getDb) => {
  let p: TestPlatform;
  let implId: string;
  let applicant: SignedInCitizen;
  let other: SignedInCitizen;
  let clerk: { browser: Browser; csrf: string };

  const call = (who: { browser: Browser; csrf: string }, url: string, body: unknown): Promise<LightMyRequestResponse> =>
    p.app.inject({ method: 'POST', url, payload: JSON.stringify(body), headers: { accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': who.csrf, cookie: who.browser.cookieHeader } });
  async function upload(n: number): Promise<{ fileHash: string; mime: string; sizeBytes: number; fileName: string }> {
    const form = multipart({ file: { file: Buffer.from(`%PDF-1.4\n% ${n}\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n`), name: `m${n}.pdf` } });
    const res = await p.app.inject({ method: 'POST', url: '/api/v1/cases/uploads', payload: form.payload, headers: { ...form.headers, accept: 'application/json', 'x-csrf-token': applicant.csrf, cookie: applicant.browser.cookieHeader } });
    assert.equal(res.statusCode, 201, res.body);
    return res.json();
  }

  before(async () => {
    p = await buildTestPlatform(getDb());
    implId = (await publishedNanjingFoodLicence(p.ctx.db, {
      materials: [
        { id: 'application', name: '食品经营许可申请书', form: 'electronic', count: 1, required: true, source: 'upload' },
        { id: 'layout', name: '经营场所平面图', form: 'electronic', count: 1, required: true, source: 'upload' },
      ],
    })).implId;
    applicant = await signedInCitizen(p, { level: 2 });
    other = await signedInCitizen(p, { level: 2 });
    const b = new Browser(p.app);
    await b.login('nj-clerk', DEMO_PASSWORD);
    clerk = { browser: b, csrf: Browser.csrfFrom((await b.get('/staff')).body) };
  });
  after(async () => {
    await p?.app.close();
  });

  test('accepted with a promise, chased once when the date passes, kept when the applicant supplies it', async () => {
    const application = await upload(1);
    const submitted = await call(applicant, '/api/v1/cases', { implementationId: implId, answers: { shopName: '知味小馆' }, materials: [{ materialId: 'application', source: 'upload', ...application }, { materialId: 'layout', source: 'promised' }] });
    assert.equal(submitted.statusCode, 201, submitted.body);
    const c = submitted.json() as { id: string; version: number };

    // Supplying before any promise exists is refused.
    assert.equal((await call(applicant, `/api/v1/cases/${c.id}/materials`, { materials: [{ materialId: 'layout', source: 'upload', ...(await upload(2)) }] })).statusCode, 409);
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const badIds = await call(clerk, `/api/v1/cases/${c.id}/actions/accept_with_commitment`, { version: c.version, note: '经营场所平面图容缺，申请人承诺补交', data: { commitmentDueOn: tomorrow, promisedMaterials: ['nonsense'] } });
    assert.equal(badIds.statusCode, 400, badIds.body);
    const accepted = await call(clerk, `/api/v1/cases/${c.id}/actions/accept_with_commitment`, { version: c.version, note: '经营场所平面图容缺，申请人承诺补交', data: { commitmentDueOn: tomorrow, promisedMaterials: ['layout'] } });
    assert.equal(accepted.statusCode, 200, accepted.body);

    // The date passes (moved back in the database): the job chases once, however often it runs.
    await p.ctx.db.updateTable('service_case').set({ commitment_due_on: '2026-03-02' }).where('id', '=', c.id).execute();
    const schedules = startCaseSchedules(p.ctx, { everyMs: 3_600_000 });
    await schedules.runOnce();
    await schedules.runOnce();
    await schedules.stop();
    const chases = await p.ctx.db.selectFrom('case_event').select(['action', 'public']).where('case_id', '=', c.id).where('action', '=', 'commitment_chase').execute();
    assert.equal(chases.length, 1);
    const told = await p.ctx.db.selectFrom('notification').select(['recipient_kind', 'topic']).where('topic', '=', 'case.commitment_overdue').execute();
    assert.deepEqual(told.map((n) => n.recipient_kind).sort(), ['citizen']);
    const staffTold = await p.ctx.db.selectFrom('notification').select('recipient_kind').where('recipient_kind', '=', 'staff').where('title', 'like', '容缺材料逾期%').execute();
    assert.equal(staffTold.length, 1, 'the clerk who accepted it is told');

    // Someone else cannot supply it; the applicant can, and the promise is kept.
    const layout = await upload(3);
    assert.equal((await call(other, `/api/v1/cases/${c.id}/materials`, { materials: [{ materialId: 'layout', source: 'upload', ...layout }] })).statusCode, 404);
    const notUpload = await call(applicant, `/api/v1/cases/${c.id}/materials`, { materials: [{ materialId: 'layout', source: 'promised' }] });
    assert.equal(notUpload.statusCode, 400, notUpload.body);
    // On the case page: what is owed and by when, and a form to upload it (no JavaScript).
    const page = await applicant.browser.get(`/cases/${c.id}`);
    assert.match(page.body, /请在 2026-03-02 前补交容缺材料/);
    assert.match(page.body, /上传“经营场所平面图”/);
    const form = multipart({ _csrf: applicant.csrf, 'materials.layout': { file: Buffer.from(`%PDF-1.4\n% 3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n`), name: '平面图.pdf' } });
    const supplied = await p.app.inject({ method: 'POST', url: `/cases/${c.id}/supply`, payload: form.payload, headers: { ...form.headers, accept: 'text/html', cookie: applicant.browser.cookieHeader } });
    assert.equal(supplied.statusCode, 303, supplied.body);
    assert.equal(supplied.headers.location, `/cases/${c.id}?done=supplied`);
    assert.doesNotMatch((await applicant.browser.get(`/cases/${c.id}`)).body, /前补交容缺材料/);
    const row = await p.ctx.db.selectFrom('service_case').select(['commitment_due_on', 'state']).where('id', '=', c.id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { commitment_due_on: null, state: 'in_review' });
    const mats = await p.ctx.db.selectFrom('case_material').select(['material_id', 'source', 'file_hash']).where('case_id', '=', c.id).orderBy('material_id').execute();
    assert.deepEqual(mats, [
      { material_id: 'application', source: 'upload', file_hash: application.fileHash },
      { material_id: 'layout', source: 'upload', file_hash: layout.fileHash },
    ]);
    const timeline = (await p.app.inject({ url: `/api/v1/cases/${c.id}/timeline`, headers: { accept: 'application/json', cookie: applicant.browser.cookieHeader } })).json() as { events: { action: string }[] };
    assert.deepEqual(timeline.events.map((e) => e.action).slice(-3), ['accept_with_commitment', 'commitment_chase', 'supply_materials']);
    // Nothing left to supply now.
    assert.equal((await call(applicant, `/api/v1/cases/${c.id}/materials`, { materials: [{ materialId: 'layout', source: 'upload', ...layout }] })).statusCode, 409);
  });
});
