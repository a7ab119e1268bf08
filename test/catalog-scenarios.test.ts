// 一件事 (scenarios) on both backends: province administrators define and edit them (with
// lockVersion conflicts, field-level validation, audit); the public bundle resolves each
// member to the implementation nearest the region (inheriting the province's), says which
// member a region lacks, merges the form and materials; split() feeds each member; pages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from './support/backends.ts';
import { buildTestPlatform, Browser, type TestPlatform } from './support/platform.ts';
import { CatalogService, ScenarioService } from '../src/modules/catalog/index.ts';
import { RegionService } from '../src/modules/regions/index.ts';
import { StaffService } from '../src/modules/identity/index.ts';
import { DEMO_PASSWORD } from '../demo/load.ts';
import { DEMO_SCENARIOS } from '../demo/catalog/scenarios.ts';
import { DEMO_BASIC_ITEMS } from '../demo/catalog/basic-items.ts';
import { THEMES } from '../src/modules/catalog/index.ts';

const sys = { kind: 'system' as const, id: 'test' };
const law = [{ kind: 'law' as const, title: '《测试法》', article: '第一条' }];
type Level = 'province' | 'city' | 'county';
const person = (props: Record<string, unknown>, required: string[]) => ({
  type: 'object',
  properties: { applicantName: { type: 'string', title: '申请人姓名', minLength: 1, maxLength: 30 }, idNumber: { type: 'string', title: '公民身份号码', pattern: '^\\d{17}[\\dX]$' }, ...props },
  required: ['applicantName', 'idNumber', ...required],
  additionalProperties: false,
});

interface Fixture {
  key: string;
  name: string;
  code: string;
  department: string;
  levels: Level[];
  audience: ('person' | 'company')[];
  regions: string[];
  extra: Record<string, unknown>;
}

const FIXTURES: Fixture[] = [
  {
    key: 'cert', name: '出生医学证明办理', code: '11-0301-000', department: 'health', levels: ['county'], audience: ['person'], regions: ['320102'],
    extra: {
      promisedLimitDays: 5, visits: 0,
      materials: [
        { id: 'mother_id', name: '母亲居民身份证', form: 'electronic', count: 1, required: true, source: 'licence', licenceType: 'id_card' },
        { id: 'delivery', name: '住院分娩记录', form: 'electronic', count: 1, required: true, source: 'data', dataResource: '助产机构分娩信息' },
      ],
      formSchema: person({ babyName: { type: 'string', title: '新生儿姓名', maxLength: 30 }, kind: { type: 'string', title: '办理类型', enum: ['首次签发', '补发'] } }, ['babyName', 'kind']),
    },
  },
  {
    key: 'birthreg', name: '生育登记', code: '11-0302-000', department: 'health', levels: ['province'], audience: ['person'], regions: ['320000'],
    extra: {
      promisedLimitDays: 0, visits: 0,
      materials: [
        { id: 'ids', name: '夫妻双方居民身份证', form: 'electronic', count: 2, required: true, source: 'licence', licenceType: 'id_card' },
        { id: 'photo', name: '照片', form: 'copy', count: 1, required: true, source: 'upload' },
      ],
      formSchema: person({ spouseName: { type: 'string', title: '配偶姓名', maxLength: 20 } }, ['spouseName']),
    },
  },
  {
    key: 'hukou', name: '新生儿出生登记', code: '07-0104-000', department: 'public_security', levels: ['county'], audience: ['person'], regions: ['320102'],
    extra: {
      promisedLimitDays: 3, visits: 1, fees: [{ name: '工本费', amountFen: 2000, basis: '测试' }],
      materials: [{ id: 'photo', name: '照 片', form: 'original', count: 2, required: true, source: 'upload' }],
      formSchema: person({ babyName: { type: 'string', title: '新生儿姓名', maxLength: 20 }, kind: { type: 'string', title: '随父或随母', enum: ['随父', '随母'] } }, ['babyName']),
    },
  },
  { key: 'close', name: '企业注销登记', code: '01-0206-000', department: 'market_regulation', levels: ['county'], audience: ['company'], regions: [], extra: {} },
];

function implementation(f: Fixture, basicItemId: string, regionCode: string, orgId: string) {
  return {
    basicItemId, name: f.name, basicCode: f.code, itemType: f.code.slice(0, 2) as '01', legalBasis: law, regionCode, orgId,
    subItems: [], acceptanceConditions: [], processSteps: [{ name: '申请', description: '提交申请' }], legalLimitDays: 20, promisedLimitDays: 5,
    materials: [], intermediaryServices: [], fees: [], place: { address: `${regionCode}政务服务中心`, hours: '工作日' }, phones: { consult: '12345', complaint: '12345' },
    channels: ['online' as const], visits: 0, onlineDepth: 4, minRealNameLevel: 2, formSchema: { type: 'object' }, questions: [],
    ...f.extra,
  };
}

test('demo scenarios name existing basic items serving their audience, under one of its themes', () => {
  const items = new Map(DEMO_BASIC_ITEMS.map((b) => [b.code, b]));
  assert.ok(DEMO_SCENARIOS.length >= 4);
  assert.ok(['birth', 'open_restaurant'].every((c) => DEMO_SCENARIOS.some((s) => s.code === c)));
  for (const s of DEMO_SCENARIOS) {
    assert.ok(s.theme in THEMES[s.audience], `${s.code}: theme ${s.theme}`);
    assert.ok(s.members.length >= 2, s.code);
    assert.equal(new Set(s.members.map((m) => m.basicCode)).size, s.members.length, `${s.code}: duplicate member`);
    for (const m of s.members) assert.ok(items.get(m.basicCode)?.audience.includes(s.audience), `${s.code}: ${m.basicCode}`);
  }
});

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describeEachBackend('一件事 (scenarios)', (getDb) => {
  let p: TestPlatform;
  let admin: Browser;
  let cityAdmin: Browser;
  let clerk: Browser;
  let anon: Browser;
  const ids = new Map<string, string>(); // fixture key → basic item id
  const impls = new Map<string, string>(); // `${key}@${region}` → implementation id
  const api = async (b: Browser | null, method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (b) {
      // Any page's forms carry the token of the session (or, signed out, of the CSRF cookie
      // that page sets: so the cookie header is read after it).
      headers['x-csrf-token'] = Browser.csrfFrom((await b.get('/themes')).body);
      headers.cookie = b.cookieHeader;
    }
    const res = await p.app.inject({ method, url, payload: body as object, headers });
    return { status: res.statusCode, json: /json/.test(String(res.headers['content-type'])) ? res.json() : null, body: res.body, type: String(res.headers['content-type']) };
  };
  const birth = () => ({
    code: 'birth', name: '出生一件事', audience: 'person', theme: 'birth', description: '出生后的事一次办。', status: 'published',
    members: [{ basicItemId: ids.get('cert')!, note: '出院前签发' }, { basicItemId: ids.get('birthreg')! }, { basicItemId: ids.get('hukou')! }],
  });

  before(async () => {
    const db = getDb();
    p = await buildTestPlatform(db);
    const regions = new RegionService(db.db);
    const catalog = new CatalogService(db.db, regions);
    for (const f of FIXTURES) {
      const basic = await catalog.createBasicItem({ name: f.name, code: f.code, itemType: f.code.slice(0, 2), legalBasis: law, exercisingLevels: f.levels, departmentType: f.department, audience: f.audience, themes: ['birth'], keywords: [] }, '320000', sys);
      await catalog.submit(basic.id, sys);
      await catalog.approve(basic.id, sys);
      ids.set(f.key, basic.id);
      for (const region of f.regions) {
        const org = (await regions.organisations(region)).find((o) => o.departmentType === f.department)!;
        const impl = await catalog.createImplementation(implementation(f, basic.id, region, org.id), sys);
        await catalog.submit(impl.id, sys);
        await catalog.approve(impl.id, sys);
        impls.set(`${f.key}@${region}`, impl.id);
      }
    }
    const staff = new StaffService(db.db);
    await staff.createStaff({ loginName: 'nj-region', displayName: '南京区划管理员', password: DEMO_PASSWORD, orgId: null, regionCode: '320100', roles: ['region_admin'], mustChangePassword: false }, sys);
    admin = new Browser(p.app);
    cityAdmin = new Browser(p.app);
    clerk = new Browser(p.app);
    anon = new Browser(p.app);
    await admin.login('js-admin', DEMO_PASSWORD);
    await cityAdmin.login('nj-region', DEMO_PASSWORD);
    await clerk.login('nj-clerk', DEMO_PASSWORD);
  });
  after(async () => {
    await p?.app.close();
  });

  test('only province administrators define 一件事; bad input is a 400 with field messages', async () => {
    const anonymous = await api(anon, 'POST', '/api/v1/catalog/scenarios', birth());
    assert.equal(anonymous.status, 401, anonymous.body);
    assert.equal((await api(clerk, 'POST', '/api/v1/catalog/scenarios', birth())).status, 403, 'a window clerk');
    const city = await api(cityAdmin, 'POST', '/api/v1/catalog/scenarios', birth());
    assert.equal(city.status, 403, 'a city administrator');
    const shape = await api(admin, 'POST', '/api/v1/catalog/scenarios', { ...birth(), code: 'Bad Code', members: [{ basicItemId: ids.get('cert')! }] });
    assert.equal(shape.status, 400);
    assert.match(shape.type, /application\/problem\+json/);
    assert.equal(shape.json.code, 'VALIDATION_FAILED');
    const shapeFields = (shape.json.errors as { field: string }[]).map((e) => e.field);
    assert.ok(shapeFields.includes('code') && shapeFields.includes('members'), shapeFields.join(','));
    const rules = await api(admin, 'POST', '/api/v1/catalog/scenarios', {
      ...birth(),
      theme: 'company_start',
      members: [{ basicItemId: ids.get('cert')! }, { basicItemId: ids.get('cert')! }, { basicItemId: ids.get('close')! }, { basicItemId: '00000000-0000-4000-8000-000000000000' }],
    });
    assert.equal(rules.status, 400, rules.body);
    const messages = Object.fromEntries((rules.json.errors as { field: string; message: string }[]).map((e) => [e.field, e.message]));
    assert.match(messages.theme!, /没有这个个人服务主题/);
    assert.equal(messages['members/1/basicItemId'], '同一事项不能重复列入');
    assert.match(messages['members/2/basicItemId']!, /“企业注销登记”不面向个人/);
    assert.equal(messages['members/3/basicItemId'], '没有这个基本目录事项');
    assert.equal((await api(null, 'GET', '/api/v1/catalog/scenarios')).json.length, 0, 'nothing stored');

    const created = await api(admin, 'POST', '/api/v1/catalog/scenarios', birth());
    assert.equal(created.status, 201, created.body);
    assert.deepEqual([created.json.regionCode, created.json.lockVersion, created.json.themeName], ['320000', 1, '生育']);
    assert.deepEqual(created.json.members.map((m: { key: string; note: string }) => [m.key, m.note]), [['11-0301-000', '出院前签发'], ['11-0302-000', ''], ['07-0104-000', '']]);
    assert.equal((await api(admin, 'POST', '/api/v1/catalog/scenarios', birth())).json.code, 'CATALOG_SCENARIO_CODE_TAKEN');
  });

  test('the bundle resolves members in the region and its parents and merges form and materials', async () => {
    const r = await api(null, 'GET', '/api/v1/catalog/scenarios/birth?region=320102');
    assert.equal(r.status, 200, r.body);
    const b = r.json;
    assert.equal(b.complete, true);
    assert.equal(b.region.fullName, '南京市玄武区');
    assert.deepEqual(b.members.map((m: { implementation: { id: string; regionCode: string } }) => [m.implementation.id, m.implementation.regionCode]), [
      [impls.get('cert@320102'), '320102'],
      [impls.get('birthreg@320000'), '320000'],
      [impls.get('hukou@320102'), '320102'],
    ], 'the province\'s 生育登记 is inherited');
    assert.match(b.members[0].implementation.org.name, /玄武区卫生健康委员会/);
    // One form: shared fields once (the stricter length), conflicting 办理类型 kept apart.
    const fields = new Map((b.form.fields as { name: string; schema: { maxLength?: number }; feeds: { memberKey: string }[] }[]).map((f) => [f.name, f]));
    assert.deepEqual([...fields.keys()], ['applicantName', 'idNumber', 'babyName', '11-0301-000:kind', '07-0104-000:kind', 'spouseName']);
    assert.deepEqual(fields.get('applicantName')!.feeds.map((x) => x.memberKey), ['11-0301-000', '11-0302-000', '07-0104-000']);
    assert.equal(fields.get('babyName')!.schema.maxLength, 20);
    assert.deepEqual(b.form.conflicts.map((c: { field: string }) => c.field), ['kind']);
    // Materials: the id_card e-licence once (免提交, count 2); the photo once, original.
    const mats = b.materials as { name: string; aliases: string[]; exempt: boolean; count: number; form: string; neededBy: { memberKey: string }[] }[];
    assert.deepEqual(mats.map((m) => [m.name, m.exempt]), [['母亲居民身份证', true], ['住院分娩记录', true], ['照片', false]]);
    assert.deepEqual([mats[0]!.aliases, mats[0]!.count], [['夫妻双方居民身份证'], 2]);
    assert.deepEqual([mats[2]!.form, mats[2]!.count, mats[2]!.neededBy.map((n) => n.memberKey)], ['original', 2, ['11-0302-000', '07-0104-000']]);
    assert.deepEqual([b.totals.maxPromisedDays, b.totals.sumPromisedDays, b.totals.visits, b.totals.feesFen], [5, 8, 1, 2000]);
  });

  test('a member not implemented in the region is reported, not an error; bad requests are 4xx', async () => {
    const r = await api(null, 'GET', '/api/v1/catalog/scenarios/birth?region=320104');
    assert.equal(r.status, 200, r.body);
    assert.equal(r.json.complete, false);
    assert.deepEqual(r.json.missing.map((m: { name: string }) => m.name), ['出生医学证明办理', '新生儿出生登记']);
    assert.match(r.json.missing[0].reason, /南京市秦淮区及上级地区暂未发布“出生医学证明办理”的实施清单/);
    assert.deepEqual(r.json.members.map((m: { available: boolean }) => m.available), [false, true, false]);
    assert.deepEqual(r.json.form.fields.map((f: { name: string }) => f.name), ['applicantName', 'idNumber', 'spouseName'], 'only available members feed the form');
    assert.equal((await api(null, 'GET', '/api/v1/catalog/scenarios/nonexistent?region=320102')).json.code, 'CATALOG_SCENARIO_NOT_FOUND');
    assert.equal((await api(null, 'GET', '/api/v1/catalog/scenarios/birth?region=abc')).status, 400);
    assert.equal((await api(null, 'GET', '/api/v1/catalog/scenarios/birth?region=999999')).status, 404);
  });

  test('split turns merged answers into each member\'s own, validated by its own form', async () => {
    const regions = new RegionService(getDb().db);
    const service = new ScenarioService(getDb().db, new CatalogService(getDb().db, regions), regions);
    const bundle = await service.bundle('birth', '320102');
    const ok = await service.split(bundle, { applicantName: '张三', idNumber: '11010519491231002X', babyName: '张小宝', '11-0301-000:kind': '首次签发', spouseName: '李四' });
    assert.equal(ok.ok, true, JSON.stringify(ok.errors));
    assert.deepEqual(ok.parts.map((x) => [x.implementationId, x.answers]), [
      [impls.get('cert@320102'), { applicantName: '张三', idNumber: '11010519491231002X', babyName: '张小宝', kind: '首次签发' }],
      [impls.get('birthreg@320000'), { applicantName: '张三', idNumber: '11010519491231002X', spouseName: '李四' }],
      [impls.get('hukou@320102'), { applicantName: '张三', idNumber: '11010519491231002X', babyName: '张小宝' }],
    ]);
    const bad = await service.split(bundle, { applicantName: '张三', idNumber: '1', babyName: '张'.repeat(25) });
    assert.deepEqual(bad.errors.map((e) => e.field), ['idNumber', 'babyName', '11-0301-000:kind', 'spouseName']);
  });

  test('edits carry lockVersion: a stale one is 409 with the current definition; drafts stay private; every change audited', async () => {
    const def = await api(admin, 'GET', '/api/v1/catalog/scenario-definitions/birth');
    assert.equal(def.json.lockVersion, 1);
    const { code: _code, ...rest } = birth();
    const edited = await api(admin, 'PUT', '/api/v1/catalog/scenarios/birth', { ...rest, name: '新生儿出生一件事', lockVersion: 1 });
    assert.equal(edited.status, 200, edited.body);
    assert.deepEqual([edited.json.name, edited.json.lockVersion], ['新生儿出生一件事', 2]);
    const stale = await api(admin, 'PUT', '/api/v1/catalog/scenarios/birth', { ...rest, description: '覆盖', lockVersion: 1 });
    assert.equal(stale.status, 409);
    assert.equal(stale.json.code, 'CATALOG_EDIT_CONFLICT');
    assert.equal(JSON.parse(stale.json.errors[0].message).lockVersion, 2);
    assert.equal((await api(anon, 'PUT', '/api/v1/catalog/scenarios/birth', { ...rest, lockVersion: 2 })).status, 401);
    assert.equal((await api(cityAdmin, 'PUT', '/api/v1/catalog/scenarios/birth', { ...rest, lockVersion: 2 })).status, 403);
    // Back to draft: gone from the public API and pages, still there for staff.
    assert.equal((await api(admin, 'PUT', '/api/v1/catalog/scenarios/birth', { ...rest, status: 'draft', lockVersion: 2 })).json.status, 'draft');
    assert.equal((await api(null, 'GET', '/api/v1/catalog/scenarios/birth?region=320102')).status, 404);
    assert.equal((await api(null, 'GET', '/api/v1/catalog/scenarios')).json.length, 0);
    assert.equal((await p.app.inject({ url: '/scenarios/birth', headers: { accept: 'text/html' } })).statusCode, 404);
    assert.equal((await api(clerk, 'GET', '/api/v1/catalog/scenario-definitions')).json[0].status, 'draft');
    assert.equal((await api(null, 'GET', '/api/v1/catalog/scenario-definitions')).status, 401);
    assert.equal((await api(admin, 'PUT', '/api/v1/catalog/scenarios/birth', { ...rest, lockVersion: 3 })).json.status, 'published');
    const audit = await getDb().db.selectFrom('audit_log').select(['action', 'region_code']).where('target_type', '=', 'catalog_scenario').orderBy('id').execute();
    assert.deepEqual(audit.map((a) => a.action), ['catalog.scenario.create', 'catalog.scenario.update', 'catalog.scenario.update', 'catalog.scenario.update']);
    assert.ok(audit.every((a) => a.region_code === '320000'));
  });

  test('pages: the list, and a scenario in the visitor\'s region with steps, materials, form and totals', async () => {
    const page = (url: string, cookie?: string) => p.app.inject({ url, headers: { accept: 'text/html', ...(cookie ? { cookie } : {}) } });
    const list = await page('/scenarios');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /href="\/scenarios\/birth"><span class="card__title">出生一件事<\/span>/);
    assert.match((await page('/themes')).body, /href="\/scenarios"/, 'linked from the themes page');
    const r = await page('/scenarios/birth?region=320102');
    assert.equal(r.statusCode, 200, r.body);
    const t = text(r.body);
    assert.match(r.body, /<h1>出生一件事<\/h1>/);
    assert.match(t, /各部门同时办理，约 5 个工作日（以承诺时限最长的部门计）；如需依次办理，最长 8 个工作日/);
    assert.match(t, /收费合计 ¥20\.00/);
    assert.match(r.body, new RegExp(`href="/guides/${impls.get('birthreg@320000')}"`));
    assert.match(t, /母亲居民身份证 免提交/);
    assert.match(t, /照片 申请人提交 原件 2 份 生育登记、新生儿出生登记/, 'a name differing only in spacing is no alias');
    assert.match(t, /需分别填写： 办理类型（出生医学证明办理）；随父或随母（新生儿出生登记）（可选项不同）/);
    assert.match(t, /办理类型（出生医学证明办理） 必填 选项：首次签发 \/ 补发/);
    assert.doesNotMatch(r.body, /style=/);
    const partial = text((await page('/scenarios/birth', 'yw_region=320104')).body);
    assert.match(partial, /本地区暂不能全部办理/);
    assert.match(partial, /本地区暂不可办 南京市秦淮区及上级地区暂未发布“新生儿出生登记”/);
    for (const bad of ['/scenarios/nonexistent', '/scenarios/birth?region=999999', '/scenarios/birth?region=abc']) assert.equal((await page(bad)).statusCode, 404, bad);
  });
});
