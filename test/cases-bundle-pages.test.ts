// 一件事 pages on both backends, driven as a browser without JavaScript: the one-page merged
// application (form pre-filled from identity, each shared material asked once), field errors
// that keep the answers, a real PDF upload becoming linked cases, a double click making one
// application, 我的办件 and the staff case page naming the bundle, other people's 404.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { multipart as multipartBody } from './support/multipart.ts';
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
    key: 'birthreg', name: '生育登记', code: '11-0302-000', department: 'health', promised: 5,
    materials: [{ id: 'photo', name: '照片', form: 'electronic', count: 1, required: true, source: 'upload' }],
    formSchema: person({ spouseName: { type: 'string', title: '配偶姓名', maxLength: 20 } }, ['spouseName']),
  },
  {
    key: 'hukou', name: '新生儿出生登记', code: '07-0104-000', department: 'public_security', promised: 3,
    materials: [
      { id: 'photo', name: '照 片', form: 'electronic', count: 1, required: true, source: 'upload' },
      { id: 'cert', name: '出生医学证明', form: 'electronic', count: 1, required: true, source: 'upload' },
      { id: 'hukoubook', name: '户口簿', form: 'electronic', count: 1, required: true, source: 'data', dataResource: '公安人口户籍信息' },
    ],
    formSchema: person({ babyName: { type: 'string', title: '新生儿姓名', maxLength: 20 } }, ['babyName']),
  },
];
const PDF = (n: number) => Buffer.from(`%PDF-1.4\n% ${n}\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n`);
const FAKE_PDF = Buffer.from('MZ\x90\x00 this is a program, not a pdf');
const count = (html: string, needle: string) => html.split(needle).length - 1;

interface Person {
  browser: Browser;
  csrf: string;
}

describeEachBackend('一件事 pages: merged application, linked cases, 联办件', (getDb) => {
  let p: TestPlatform;
  let me: Person;
  let other: Person;
  const orgs = new Map<string, string>();
  const APPLY = '/cases/bundles/apply/birth';
  const PHOTO = 'materials.11-0302-000:photo';
  const CERT = 'materials.07-0104-000:cert';

  const signedIn = (): Promise<Person> => signedInCitizen(p, { level: 2, name: '王芳' });

  /** A multipart form post, as a browser sends a form with file inputs. */
  async function multipart(who: Person, url: string, fields: Record<string, string>, files: Record<string, { name: string; bytes: Buffer }> = {}): Promise<LightMyRequestResponse> {
    const form = multipartBody({ _csrf: who.csrf, ...fields, ...Object.fromEntries(Object.entries(files).map(([k, f]) => [k, { file: f.bytes, name: f.name }])) });
    return who.browser.setCookiesFrom(await p.app.inject({ method: 'POST', url, payload: form.payload, headers: { ...form.headers, accept: 'text/html', cookie: who.browser.cookieHeader } }));
  }


  const nonceOf = (html: string) => /name="nonce" value="([^"]+)"/.exec(html)?.[1] ?? assert.fail('no nonce on the page');
  const countRows = async (table: 'service_case' | 'case_bundle') => (await p.ctx.db.selectFrom(table).select('id').execute()).length;

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
      const org = (await regions.organisations('320102')).find((o) => o.departmentType === m.department)!;
      orgs.set(m.key, org.name);
      const impl = await catalog.createImplementation({
        basicItemId: basic.id, name: m.name, basicCode: m.code, itemType: m.code.slice(0, 2) as '01', legalBasis: law, regionCode: '320102', orgId: org.id, sequence: 1,
        subItems: [], acceptanceConditions: [], processSteps: [{ name: '审查', description: '审查' }, { name: '决定', description: '决定' }], legalLimitDays: 20, promisedLimitDays: m.promised,
        materials: m.materials, intermediaryServices: [], fees: [], place: { address: '玄武区政务服务中心', hours: '工作日' }, phones: { consult: '12345', complaint: '12345' },
        channels: ['online', 'window'], visits: 0, onlineDepth: 4, minRealNameLevel: 2, formSchema: m.formSchema, questions: [],
      } as never, sys);
      await catalog.submit(impl.id, sys);
      await catalog.approve(impl.id, sys);
    }
    await createScenarioService(p.ctx.db).create({ code: 'birth', name: '出生一件事', audience: 'person', theme: 'birth', description: '出生后的事一次办。', status: 'published', members: ids.map((basicItemId) => ({ basicItemId })) } as never, sys, '320000');
    me = await signedIn();
    other = await signedIn();
  });
  after(async () => {
    await p?.app.close();
  });

  test('the public page offers 在线联办 only where the bundle is complete', async () => {
    const here = await new Browser(p.app).get('/scenarios/birth?region=320102');
    assert.equal(here.statusCode, 200);
    assert.match(here.body, /href="\/cases\/bundles\/apply\/birth\?region=320102">在线联办/);
    const there = await new Browser(p.app).get('/scenarios/birth?region=320508');
    assert.equal(there.statusCode, 200);
    assert.doesNotMatch(there.body, /在线联办/);
  });

  test('an incomplete region says what is missing and offers no form', async () => {
    const res = await me.browser.get(`${APPLY}?region=320508`);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /暂不能在线联办这件事/);
    assert.match(res.body, /暂未发布“生育登记”的实施清单/);
    assert.doesNotMatch(res.body, /提交联办申请/);
  });

  test('one page: merged form pre-filled from identity, each material once, exempt ones explained, departments with their days', async () => {
    const res = await me.browser.get(`${APPLY}?region=320102`);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(count(res.body, 'name="applicantName"'), 1, 'the shared field is asked once');
    assert.match(res.body, /来自实名信息/);
    assert.match(res.body, /value="王芳"[^>]*readonly|readonly[^>]*value="王芳"/);
    for (const f of ['spouseName', 'babyName']) assert.equal(count(res.body, `name="${f}"`), 1, f);
    assert.equal(count(res.body, `name="${PHOTO}"`), 1, 'the photo both departments want is asked once');
    assert.equal(count(res.body, `name="${CERT}"`), 1);
    assert.doesNotMatch(res.body, /name="materials\.07-0104-000:hukoubook"/, 'shared data is not uploaded');
    assert.match(res.body, /户口簿[\s\S]*免提交[\s\S]*数据共享（公安人口户籍信息）/);
    assert.match(res.body, new RegExp(`生育登记</td><td>${orgs.get('birthreg')}[\\s\\S]*5 个工作日`));
    assert.match(res.body, new RegExp(`新生儿出生登记</td><td>${orgs.get('hukou')}[\\s\\S]*3 个工作日`));
    assert.match(res.body, /enctype="multipart\/form-data"/);
  });

  test('errors: 400 with a summary, answers kept, files to be chosen again; a forged name is ignored; a fake PDF is refused; nothing is written', async () => {
    const page = await me.browser.get(`${APPLY}?region=320102`);
    const nonce = nonceOf(page.body);
    const res = await multipart(me, APPLY, { region: '320102', nonce, applicantName: '冒名', babyName: '李小宝' }, { [PHOTO]: { name: 'photo.pdf', bytes: PDF(1) } });
    assert.equal(res.statusCode, 400, res.body);
    assert.match(res.body, /请修改以下问题/);
    assert.match(res.body, /href="#spouseName"/);
    assert.match(res.body, new RegExp(`href="#${CERT.replace(/[.:]/g, '\\$&')}"`));
    assert.match(res.body, /value="李小宝"/, 'answers are kept');
    assert.match(res.body, /value="王芳"/, 'identity comes from the account, not the body');
    assert.doesNotMatch(res.body, /冒名/);
    assert.match(res.body, /重新选择要上传的文件/);
    assert.equal(nonceOf(res.body), nonce, 'the same form keeps its nonce');

    const fake = await multipart(me, APPLY, { region: '320102', nonce, spouseName: '李强', babyName: '李小宝' }, { [PHOTO]: { name: 'photo.pdf', bytes: FAKE_PDF }, [CERT]: { name: 'cert.pdf', bytes: PDF(2) } });
    assert.equal(fake.statusCode, 400, fake.body);
    assert.match(fake.body, /“照片”/);
    assert.match(fake.body, /value="李强"/);
    assert.equal(await countRows('service_case'), 0);
    assert.equal(await countRows('case_bundle'), 0);
  });

  test('a real PDF upload submits one application of two linked cases; a double click makes no second one', async () => {
    const page = await me.browser.get(`${APPLY}?region=320102`);
    const nonce = nonceOf(page.body);
    const fields = { region: '320102', nonce, spouseName: '李强', babyName: '李小宝' };
    const files = { [PHOTO]: { name: '照片.pdf', bytes: PDF(3) }, [CERT]: { name: '出生证明.pdf', bytes: PDF(4) } };
    const [first, second] = await Promise.all([multipart(me, APPLY, fields, files), multipart(me, APPLY, fields, files)]);
    assert.equal(first.statusCode, 303, first.body);
    assert.equal(second.statusCode, 303, second.body);
    assert.equal(first.headers.location, second.headers.location, 'both clicks lead to the same application');
    assert.equal(await countRows('case_bundle'), 1);
    assert.equal(await countRows('service_case'), 2);

    const result = await me.browser.get(String(first.headers.location));
    assert.equal(result.statusCode, 200);
    assert.match(result.body, /申请已提交/);
    assert.match(result.body, /办理中/);
    const cases = await p.ctx.db.selectFrom('service_case').select(['id', 'case_number', 'item_name']).orderBy('case_number').execute();
    for (const c of cases) {
      assert.match(result.body, new RegExp(c.case_number));
      assert.match(result.body, new RegExp(`href="/cases/${c.id}"`));
    }
    for (const name of orgs.values()) assert.match(result.body, new RegExp(name));
    const mats = await p.ctx.db.selectFrom('case_material').select(['material_id', 'file_name']).orderBy('material_id').execute();
    assert.deepEqual(mats.filter((m) => m.material_id === 'photo').map((m) => m.file_name), ['照片.pdf', '照片.pdf'], 'one upload serves both departments');

    // 我的办件 names the 一件事 of each case and links to it.
    const bundleId = /\/cases\/bundles\/([0-9a-f-]{36})/.exec(String(first.headers.location))![1]!;
    const mine = await me.browser.get('/cases/mine');
    assert.equal(count(mine.body, `href="/cases/bundles/${bundleId}"`), 2);
    assert.match(mine.body, /一件事：/);

    // Someone else: not found, on the page as on the API.
    assert.equal((await other.browser.get(`/cases/bundles/${bundleId}`)).statusCode, 404);
    assert.doesNotMatch((await other.browser.get('/cases/mine')).body, /一件事：/);

    // The staff case page shows the other department's case (联办件).
    await new StaffService(p.ctx.db).createStaff({ loginName: 'xw-window', displayName: '玄武区综合窗口', password: DEMO_PASSWORD, orgId: null, regionCode: '320102', roles: ['window_clerk', 'approver'], mustChangePassword: false }, sys);
    const clerk = new Browser(p.app);
    await clerk.login('xw-window', DEMO_PASSWORD);
    const staffPage = await clerk.get(`/staff/cases/${cases[0]!.id}`);
    assert.equal(staffPage.statusCode, 200, staffPage.body);
    const panel = /<section[^>]*linked-title[\s\S]*?<\/section>/.exec(staffPage.body)?.[0] ?? assert.fail('no 联办件 panel');
    assert.match(panel, /联办件（一件事：出生一件事）/);
    assert.match(panel, new RegExp(cases[1]!.case_number));
    assert.match(panel, new RegExp(`href="/staff/cases/${cases[1]!.id}"`));
    assert.doesNotMatch(panel, new RegExp(cases[0]!.case_number), 'the case itself is not listed as linked');
    assert.match(panel, /已提交，待受理/);
  });
});
