// 一件事 applications on both backends: one merged form and one upload per de-duplicated
// material become linked cases at each member's department, written together or not at all;
// a retried submission creates nothing new; each department works its own case, and the
// application completes when the last case closes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { describeEachBackend } from './support/backends.ts';
import { Browser, buildTestPlatform, type TestPlatform } from './support/platform.ts';
import { signedInCitizen } from './support/people.ts';
import { CatalogService, createScenarioService } from '../src/modules/catalog/index.ts';
import { RegionService } from '../src/modules/regions/index.ts';
import { StaffService } from '../src/modules/identity/index.ts';
import { DEMO_PASSWORD } from '../demo/load.ts';

const sys = { kind: 'system' as const, id: 'test' };
const law = [{ kind: 'law' as const, title: '《测试法》', article: '第一条' }];
const person = (props: Record<string, unknown>, required: string[]) => ({
  type: 'object',
  properties: { applicantName: { type: 'string', title: '申请人姓名', minLength: 1, maxLength: 30 }, ...props },
  required: ['applicantName', ...required],
  additionalProperties: false,
});
const MEMBERS = [
  {
    key: 'birthreg', name: '生育登记', code: '11-0302-000', department: 'health', region: '320102',
    materials: [{ id: 'photo', name: '照片', form: 'electronic', count: 1, required: true, source: 'upload' }],
    formSchema: person({ spouseName: { type: 'string', title: '配偶姓名', maxLength: 20 } }, ['spouseName']),
  },
  {
    key: 'hukou', name: '新生儿出生登记', code: '07-0104-000', department: 'public_security', region: '320102',
    materials: [
      { id: 'photo', name: '照 片', form: 'electronic', count: 1, required: true, source: 'upload' },
      { id: 'cert', name: '出生医学证明', form: 'electronic', count: 1, required: true, source: 'upload' },
    ],
    formSchema: person({ babyName: { type: 'string', title: '新生儿姓名', maxLength: 20 } }, ['babyName']),
  },
];
const PDF = (n: number) => Buffer.from(`%PDF-1.4\n% ${n}\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n`);

describeEachBackend('一件事 applications → linked cases', (getDb) => {
  let p: TestPlatform;
  let citizen: { browser: Browser; csrf: string };
  let other: { browser: Browser; csrf: string };
  const orgs = new Map<string, string>();

  const signedIn = () => signedInCitizen(p, { level: 2, name: '王芳' });
  const call = (who: { browser: Browser; csrf: string }, method: 'GET' | 'POST', url: string, body?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> =>
    p.app.inject({ method, url, ...(body !== undefined ? { payload: JSON.stringify(body) } : {}), headers: { accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}), 'x-csrf-token': who.csrf, cookie: who.browser.cookieHeader, ...headers } });
  async function upload(n: number): Promise<{ fileHash: string; mime: string; sizeBytes: number; fileName: string }> {
    const boundary = '----yiwang-bundle';
    const body = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="f${n}.pdf"\r\nContent-Type: application/pdf\r\n\r\n`), PDF(n), Buffer.from(`\r\n--${boundary}--\r\n`)]);
    const res = await p.app.inject({ method: 'POST', url: '/api/v1/cases/uploads', payload: body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, accept: 'application/json', 'x-csrf-token': citizen.csrf, cookie: citizen.browser.cookieHeader } });
    assert.equal(res.statusCode, 201, res.body);
    return res.json();
  }

  before(async () => {
    p = await buildTestPlatform(getDb());
    const regions = new RegionService(p.ctx.db);
    const catalog = new CatalogService(p.ctx.db, regions);
    const ids: string[] = [];
    for (const m of MEMBERS) {
      const basic = await catalog.createBasicItem({ name: m.name, code: m.code, itemType: m.code.slice(0, 2), legalBasis: law, exercisingLevels: ['county'], departmentType: m.department, audience: ['person'], themes: ['birth'], keywords: [] }, '320000', sys);
      await catalog.submit(basic.id, sys);
      await catalog.approve(basic.id, sys);
      ids.push(basic.id);
      const org = (await regions.organisations(m.region)).find((o) => o.departmentType === m.department)!;
      orgs.set(m.key, org.id);
      const impl = await catalog.createImplementation({
        basicItemId: basic.id, name: m.name, basicCode: m.code, itemType: m.code.slice(0, 2) as '01', legalBasis: law, regionCode: m.region, orgId: org.id, sequence: 1,
        subItems: [], acceptanceConditions: [], processSteps: [{ name: '审查', description: '审查' }, { name: '决定', description: '决定' }], legalLimitDays: 20, promisedLimitDays: 5,
        materials: m.materials, intermediaryServices: [], fees: [], place: { address: '玄武区政务服务中心', hours: '工作日' }, phones: { consult: '12345', complaint: '12345' },
        channels: ['online', 'window'], visits: 0, onlineDepth: 4, minRealNameLevel: 2, formSchema: m.formSchema, questions: [],
      } as never, sys);
      await catalog.submit(impl.id, sys);
      await catalog.approve(impl.id, sys);
    }
    await createScenarioService(p.ctx.db).create({ code: 'birth', name: '出生一件事', audience: 'person', theme: 'birth', description: '出生后的事一次办。', status: 'published', members: ids.map((basicItemId) => ({ basicItemId })) } as never, sys, '320000');
    citizen = await signedIn();
    other = await signedIn();
  });
  after(async () => {
    await p?.app.close();
  });

  test('one application, two linked cases, idempotent; each department works its own; completes with the last', async () => {
    const bundle = (await call(citizen, 'GET', '/api/v1/catalog/scenarios/birth?region=320102')).json();
    assert.equal(bundle.complete, true);
    const photo = bundle.materials.find((m: { name: string }) => m.name === '照片');
    const cert = bundle.materials.find((m: { name: string }) => m.name === '出生医学证明');
    assert.equal(photo.neededBy.length, 2, 'the photo both departments ask for is asked once');
    const answers = { applicantName: '王芳', spouseName: '李强', babyName: '李小宝' };

    // Field errors for the merged form and the merged materials; nothing is written.
    const bad = await call(citizen, 'POST', '/api/v1/bundles', { scenarioCode: 'birth', regionCode: '320102', answers: { applicantName: '王芳' }, materials: [] });
    assert.equal(bad.statusCode, 400, bad.body);
    const fields = (bad.json().errors as { field: string }[]).map((e) => e.field);
    for (const f of ['spouseName', 'babyName', `materials.${photo.key}`, `materials.${cert.key}`]) assert.ok(fields.includes(f), `${f} in ${fields.join(',')}`);
    const noCases = await p.ctx.db.selectFrom('service_case').select('id').execute();
    assert.equal(noCases.length, 0);

    const files = [{ key: photo.key, ...(await upload(1)) }, { key: cert.key, ...(await upload(2)) }];
    const body = { scenarioCode: 'birth', regionCode: '320102', answers, materials: files };
    const created = await call(citizen, 'POST', '/api/v1/bundles', body, { 'idempotency-key': 'bundle-key-0001' });
    assert.equal(created.statusCode, 201, created.body);
    const view = created.json();
    assert.equal(view.cases.length, 2);
    assert.deepEqual(new Set(view.cases.map((c: { orgId: string }) => c.orgId)), new Set(orgs.values()), 'one case per department');
    const again = await call(citizen, 'POST', '/api/v1/bundles', body, { 'idempotency-key': 'bundle-key-0001' });
    assert.equal(again.statusCode, 200);
    assert.equal(again.json().id, view.id);
    assert.equal((await p.ctx.db.selectFrom('service_case').select('id').execute()).length, 2, 'a retry creates nothing');

    // Each case carries its own member's answers and its share of the materials.
    const hukou = view.cases.find((c: { orgId: string }) => c.orgId === orgs.get('hukou'));
    const row = await p.ctx.db.selectFrom('service_case').selectAll().where('id', '=', hukou.id).executeTakeFirstOrThrow();
    assert.deepEqual(row.answers, { applicantName: '王芳', babyName: '李小宝' });
    const mats = await p.ctx.db.selectFrom('case_material').select(['material_id', 'file_hash']).where('case_id', '=', hukou.id).orderBy('material_id').execute();
    assert.deepEqual(mats, [{ material_id: 'cert', file_hash: files[1]!.fileHash }, { material_id: 'photo', file_hash: files[0]!.fileHash }]);

    // Another person cannot see it.
    assert.equal((await call(other, 'GET', `/api/v1/bundles/${view.id}`)).statusCode, 404);

    // The departments decide; the bundle completes once, with the last.
    await new StaffService(p.ctx.db).createStaff({ loginName: 'xw-window', displayName: '玄武区综合窗口', password: DEMO_PASSWORD, orgId: null, regionCode: '320102', roles: ['window_clerk', 'approver'], mustChangePassword: false }, sys);
    const clerk = new Browser(p.app);
    await clerk.login('xw-window', DEMO_PASSWORD);
    const staff = { browser: clerk, csrf: Browser.csrfFrom((await clerk.get('/staff')).body) };
    const act = async (id: string, action: string, version: number, extra: Record<string, unknown> = {}) => {
      const res = await call(staff, 'POST', `/api/v1/cases/${id}/actions/${action}`, { version, ...extra });
      assert.equal(res.statusCode, 200, `${action}: ${res.body}`);
      return res.json().view as { version: number };
    };
    const [first, second] = view.cases as { id: string; version: number }[];
    let v = await act(first!.id, 'accept', first!.version);
    v = await act(first!.id, 'approve_step', v.version);
    await act(first!.id, 'decide_approve', v.version);
    assert.equal((await call(citizen, 'GET', `/api/v1/bundles/${view.id}`)).json().state, 'open', 'one case is still open');
    await act(second!.id, 'refuse', second!.version, { note: '不符合受理条件：《测试法》第一条' });
    const done = (await call(citizen, 'GET', `/api/v1/bundles/${view.id}`)).json();
    assert.equal(done.state, 'completed');
    const events = await p.ctx.db.selectFrom('outbox_event').select('topic').where('topic', 'like', 'bundle.%').execute();
    assert.deepEqual(events.map((e) => e.topic).sort(), ['bundle.completed', 'bundle.submitted']);
  });

  test('a region without every member cannot apply', async () => {
    const res = await call(citizen, 'POST', '/api/v1/bundles', { scenarioCode: 'birth', regionCode: '320508', answers: {}, materials: [] });
    assert.equal(res.statusCode, 422, res.body);
    assert.equal(res.json().code, 'CASE_BUNDLE_INCOMPLETE');
  });
});
