// Theme pages (主题) and flagship stores (旗舰店) on both backends: published items appear
// under their theme in the visitor's region (with what parent regions implement), in the
// region's and the department's store with contacts, and on village pages when the item
// is exercised at village level; unknown themes, regions and organisations are 404 pages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from './support/backends.ts';
import { buildTestPlatform, type TestPlatform } from './support/platform.ts';
import { CatalogService } from '../src/modules/catalog/index.ts';
import { RegionService } from '../src/modules/regions/index.ts';

const sys = { kind: 'system' as const, id: 'test' };
const law = [{ kind: 'law' as const, title: '《测试法》', article: '第一条' }];
type Level = 'province' | 'city' | 'county' | 'town' | 'village';

interface Fixture {
  name: string;
  code: string;
  departmentType: string;
  levels: Level[];
  audience: ('person' | 'company')[];
  themes: string[];
  impls: { region: string; org: string; phone: string }[];
}

const FIXTURES: Fixture[] = [
  { name: '食品经营许可', code: '01-0901-000', departmentType: 'market_regulation', levels: ['city'], audience: ['company'], themes: ['operations'], impls: [{ region: '320100', org: '南京市市场监督管理局', phone: '025-11111' }, { region: '320500', org: '苏州市市场监督管理局', phone: '0512-22222' }] },
  { name: '生育登记', code: '11-0302-000', departmentType: 'health', levels: ['province'], audience: ['person'], themes: ['birth'], impls: [{ region: '320000', org: '江苏省卫生健康委员会', phone: '025-33333' }] },
  { name: '出生医学证明', code: '11-0301-000', departmentType: 'health', levels: ['county', 'village'], audience: ['person'], themes: ['birth'], impls: [{ region: '320102', org: '玄武区卫生健康委员会', phone: '025-44444' }] },
];

function implementation(f: Fixture, basicItemId: string, regionCode: string, orgId: string, phone: string) {
  return {
    basicItemId, name: f.name, basicCode: f.code, itemType: f.code.slice(0, 2) as '01', legalBasis: law, regionCode, orgId,
    subItems: [], acceptanceConditions: [], processSteps: [{ name: '申请', description: '提交申请' }], legalLimitDays: 10, promisedLimitDays: 5,
    materials: [], intermediaryServices: [], fees: [], place: { address: `${regionCode}政务服务中心`, hours: '工作日' }, phones: { consult: phone, complaint: '12345' },
    channels: ['online' as const], visits: 0, onlineDepth: 4, minRealNameLevel: 2, formSchema: { type: 'object' }, questions: [],
  };
}

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describeEachBackend('theme pages and flagship stores', (getDb) => {
  let p: TestPlatform;
  let regions: RegionService;
  const ids = new Map<string, string>(); // `${name}@${region}` → implementation id
  const orgs = new Map<string, string>(); // organisation name → id
  const page = (url: string, cookie?: string) => p.app.inject({ url, headers: { accept: 'text/html', ...(cookie ? { cookie } : {}) } });
  /** The names of the guides a page links to, as `name@region`. */
  const guides = (html: string) => [...ids].filter(([, id]) => html.includes(`href="/guides/${id}"`)).map(([k]) => k).sort();

  before(async () => {
    const db = getDb();
    p = await buildTestPlatform(db);
    regions = new RegionService(db.db);
    const catalog = new CatalogService(db.db, regions);
    for (const f of FIXTURES) {
      const basic = await catalog.createBasicItem({ name: f.name, code: f.code, itemType: f.code.slice(0, 2), legalBasis: law, exercisingLevels: f.levels, departmentType: f.departmentType, audience: f.audience, themes: f.themes, keywords: [] }, '320000', sys);
      await catalog.submit(basic.id, sys);
      await catalog.approve(basic.id, sys);
      for (const i of f.impls) {
        const org = (await regions.organisations(i.region)).find((o) => o.name === i.org);
        assert.ok(org, i.org);
        orgs.set(org.name, org.id);
        const impl = await catalog.createImplementation(implementation(f, basic.id, i.region, org.id, i.phone), sys);
        await catalog.submit(impl.id, sys);
        await catalog.approve(impl.id, sys);
        ids.set(`${f.name}@${i.region}`, impl.id);
      }
    }
  });
  after(async () => {
    await p?.app.close();
  });

  test('the themes page lists every theme for people and companies', async () => {
    const r = await page('/themes');
    assert.equal(r.statusCode, 200);
    assert.match(r.body, /<h2 id="themes-person">个人服务<\/h2>/);
    assert.match(r.body, /href="\/themes\/birth"><span class="card__title">生育<\/span>/);
    assert.match(r.body, /href="\/themes\/company_start"><span class="card__title">开办企业<\/span>/);
    assert.doesNotMatch(r.body, /style=/);
  });

  test('a theme lists its items in the visitor region, with the parents\' items', async () => {
    // 玄武区 sees its own 出生医学证明 and the province's 生育登记.
    const xuanwu = await page('/themes/birth?region=320102');
    assert.equal(xuanwu.statusCode, 200);
    assert.deepEqual(guides(xuanwu.body), ['出生医学证明@320102', '生育登记@320000']);
    assert.match(text(xuanwu.body), /南京市玄武区可以办理的“生育”事项共 2 项/);
    assert.deepEqual(guides((await page('/themes/birth?region=320500')).body), ['生育登记@320000']);
    // Without ?region= the switcher's cookie decides, else the node's region (the province).
    assert.deepEqual(guides((await page('/themes/birth', 'yw_region=320102')).body), ['出生医学证明@320102', '生育登记@320000']);
    assert.deepEqual(guides((await page('/themes/birth', 'yw_region=garbage')).body), ['生育登记@320000']);
    assert.deepEqual(guides((await page('/themes/operations', 'yw_region=320500')).body), ['食品经营许可@320500']);
    const none = await page('/themes/retirement?region=320102');
    assert.match(text(none.body), /本地区暂未发布“退休”主题的事项/);
    assert.equal((await page('/themes/nonsense')).statusCode, 404);
    assert.equal((await page('/themes/birth?region=999999')).statusCode, 404);
    assert.equal((await page('/themes/birth?region=abc')).statusCode, 404);
  });

  test('a city store lists its items by department, hot items and contacts', async () => {
    const nj = await page('/stores/320100');
    assert.equal(nj.statusCode, 200, nj.body);
    assert.match(nj.body, /<h1>南京市旗舰店<\/h1>/);
    const depts = /<h2 id="store-depts">[\s\S]*?<\/section>/.exec(nj.body)![0];
    assert.deepEqual(guides(depts), ['食品经营许可@320100'], 'only the city\'s own items by department');
    assert.match(depts, new RegExp(`href="/stores/org/${orgs.get('南京市市场监督管理局')}">南京市市场监督管理局</a>`));
    assert.match(depts, /市场监管/);
    const hot = /<h2 id="store-hot">[\s\S]*?<\/section>/.exec(nj.body)![0];
    assert.deepEqual(guides(hot), ['生育登记@320000', '食品经营许可@320100'], 'hot items include what the province does here');
    assert.match(text(nj.body), /南京市市场监督管理局 025-11111 320100政务服务中心/);
    assert.doesNotMatch(nj.body, /0512-22222/);
    // A county's store: its own item; the store of a region without items says so.
    assert.deepEqual(guides(/<h2 id="store-depts">[\s\S]*?<\/section>/.exec((await page('/stores/320102')).body)![0]), ['出生医学证明@320102']);
    assert.match(text((await page('/stores/320104')).body), /秦淮区本级暂未发布事项/);
    // The portal's region page links to the store.
    assert.match((await page('/regions/320100')).body, /href="\/stores\/320100">进入旗舰店/);
    for (const bad of ['/stores/320000', '/stores/999999', '/stores/abc']) assert.equal((await page(bad)).statusCode, 404, bad);
  });

  test('a department store lists its published items with contacts', async () => {
    const r = await page(`/stores/org/${orgs.get('苏州市市场监督管理局')}`);
    assert.equal(r.statusCode, 200);
    assert.deepEqual(guides(r.body), ['食品经营许可@320500']);
    assert.match(text(r.body), /咨询电话 0512-22222/);
    assert.match(r.body, /href="\/stores\/320500">返回苏州市旗舰店/);
    assert.equal((await page('/stores/org/00000000-0000-4000-8000-000000000000')).statusCode, 404);
    assert.equal((await page('/stores/org/not-an-id')).statusCode, 404);
  });

  test('village pages show the county and town items exercised at village level', async () => {
    const village = (await regions.children('320102002'))[0]!;
    const r = await page(`/stores/${village.code}`);
    assert.equal(r.statusCode, 200);
    assert.deepEqual(guides(r.body), ['出生医学证明@320102'], 'village-level items only');
    assert.match(r.body, /href="\/stores\/320102">进入玄武区旗舰店/);
    // A Suzhou village: Suzhou's city item is not exercised at village level.
    const town = (await regions.children('320583'))[0]!;
    const szVillage = (await regions.children(town.code))[0]!;
    const empty = await page(`/stores/${szVillage.code}`);
    assert.equal(empty.statusCode, 200);
    assert.deepEqual(guides(empty.body), []);
    assert.match(text(empty.body), /本村（社区）暂无可就近办理的事项/);
    assert.match(empty.body, /href="\/stores\/320583">/);
  });
});
