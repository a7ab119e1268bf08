// Catalogue search end to end on both backends: publication indexes an implementation in its
// transaction, withdrawal removes it; citizens find items by colloquial phrases, pinyin,
// initials and with typos; region inheritance and filters; the search log and statistics.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { describeEachBackend } from './support/backends.ts';
import { buildTestPlatform, Browser, type TestPlatform } from './support/platform.ts';
import { CatalogSearch, CatalogService, reindexCatalogSearch } from '../src/modules/catalog/index.ts';
import { RegionService } from '../src/modules/regions/index.ts';
import { DEMO_PASSWORD } from '../demo/load.ts';

const sys = { kind: 'system' as const, id: 'test' };
const law = [{ kind: 'law' as const, title: '《测试法》', article: '第一条' }];

interface Fixture {
  name: string;
  code: string;
  departmentType: string;
  levels: ('province' | 'city' | 'county')[];
  audience: ('person' | 'company')[];
  themes: string[];
  keywords?: string[];
  impls: { region: string; org: string; visits: number }[];
}

const FIXTURES: Fixture[] = [
  { name: '食品经营许可', code: '01-0901-000', departmentType: 'market_regulation', levels: ['city', 'county'], audience: ['person', 'company'], themes: ['operations'], impls: [{ region: '320100', org: '南京市市场监督管理局', visits: 0 }, { region: '320500', org: '苏州市市场监督管理局', visits: 1 }] },
  { name: '出生医学证明', code: '11-0301-000', departmentType: 'health', levels: ['county'], audience: ['person'], themes: ['birth'], impls: [{ region: '320102', org: '玄武区卫生健康委员会', visits: 1 }] },
  { name: '生育登记', code: '11-0302-000', departmentType: 'health', levels: ['province'], audience: ['person'], themes: ['birth'], impls: [{ region: '320000', org: '江苏省卫生健康委员会', visits: 0 }] },
  { name: '企业设立登记', code: '01-0902-000', departmentType: 'market_regulation', levels: ['city'], audience: ['company'], themes: ['company_start'], keywords: ['办执照'], impls: [{ region: '320100', org: '南京市市场监督管理局', visits: 0 }] },
];

function implementation(f: Fixture, basicItemId: string, regionCode: string, orgId: string, visits: number) {
  return {
    basicItemId, name: f.name, basicCode: f.code, itemType: f.code.slice(0, 2) as '01', legalBasis: law, regionCode, orgId,
    subItems: [], acceptanceConditions: [], processSteps: [{ name: '申请', description: '提交申请' }], legalLimitDays: 10, promisedLimitDays: 5,
    materials: [], intermediaryServices: [], fees: [], place: { address: '政务服务中心', hours: '工作日' }, phones: { consult: '12345', complaint: '12345' },
    channels: ['online' as const], visits, onlineDepth: visits === 0 ? 4 : 3, minRealNameLevel: 2, formSchema: { type: 'object' }, questions: [],
  };
}

describeEachBackend('catalogue search', (getDb) => {
  let p: TestPlatform;
  let catalog: CatalogService;
  let search: CatalogSearch;
  const ids = new Map<string, string>(); // `${name}@${region}` → implementation id
  const names = async (params: Parameters<CatalogSearch['search']>[0]) => (await search.search(params)).results.map((r) => `${r.name}@${r.regionCode}`).sort();

  before(async () => {
    const db = getDb();
    p = await buildTestPlatform(db);
    const regions = new RegionService(db.db);
    catalog = new CatalogService(db.db, regions);
    search = new CatalogSearch(db.db, regions);
    for (const f of FIXTURES) {
      const basic = await catalog.createBasicItem({ name: f.name, code: f.code, itemType: f.code.slice(0, 2), legalBasis: law, exercisingLevels: f.levels, departmentType: f.departmentType, audience: f.audience, themes: f.themes, keywords: f.keywords ?? [] }, '320000', sys);
      await catalog.submit(basic.id, sys);
      await catalog.approve(basic.id, sys);
      for (const i of f.impls) {
        const org = (await regions.organisations(i.region)).find((o) => o.name === i.org);
        assert.ok(org, i.org);
        const impl = await catalog.createImplementation(implementation(f, basic.id, i.region, org.id, i.visits), sys);
        await catalog.submit(impl.id, sys);
        await catalog.approve(impl.id, sys);
        ids.set(`${f.name}@${i.region}`, impl.id);
      }
    }
  });
  after(async () => {
    await p?.app.close();
  });

  test('colloquial phrases find the canonical items', async () => {
    assert.deepEqual(await names({ q: '开饭店' }), ['食品经营许可@320100', '食品经营许可@320500']);
    assert.deepEqual(await names({ q: '我想开个小吃店，开小吃店要办什么' }), ['食品经营许可@320100', '食品经营许可@320500']);
    assert.deepEqual(await names({ q: '生孩子' }), ['出生医学证明@320102', '生育登记@320000']);
    assert.deepEqual(await names({ q: '办执照' }), ['企业设立登记@320100'], 'basic-item keywords are searchable');
  });

  test('pinyin, initials, full-width input and typos', async () => {
    assert.deepEqual(await names({ q: 'shipin' }), ['食品经营许可@320100', '食品经营许可@320500']);
    assert.deepEqual(await names({ q: 'ＳＰＪＹ' }), ['食品经营许可@320100', '食品经营许可@320500']);
    assert.deepEqual(await names({ q: '食品经营许kě' }), ['食品经营许可@320100', '食品经营许可@320500']);
    const homophone = await search.search({ q: '食品经营许克' });
    assert.equal(homophone.total, 2);
    assert.deepEqual(homophone.corrections, [{ from: '许克', to: '许可' }]);
    assert.deepEqual(await names({ q: 'chusheng' }), ['出生医学证明@320102']);
  });

  test('ranking: the better match first, then popularity', async () => {
    const r = await search.search({ q: '登记 生育' });
    assert.equal(r.results[0]!.name, '生育登记');
    const before = await search.search({ q: '食品经营许可' });
    const second = before.results[1]!;
    for (let i = 0; i < 3; i++) await search.recordHit(second.implementationId);
    const afterHits = await search.search({ q: '食品经营许可' });
    assert.equal(afterHits.results[0]!.implementationId, second.implementationId, 'equal relevance: the more popular first');
  });

  test('region inheritance and filters', async () => {
    // 玄武区 sees its own items, Nanjing's and the province's, not Suzhou's.
    assert.deepEqual(await names({ q: '食品经营许可', region: '320102' }), ['食品经营许可@320100']);
    assert.deepEqual(await names({ q: '生孩子', region: '320102' }), ['出生医学证明@320102', '生育登记@320000']);
    assert.deepEqual(await names({ q: '生孩子', region: '320500' }), ['生育登记@320000']);
    assert.deepEqual(await names({ q: '登记', audience: 'company' }), ['企业设立登记@320100']);
    assert.deepEqual(await names({ q: '登记', department: 'health' }), ['生育登记@320000']);
    assert.deepEqual(await names({ q: '生孩子', noVisit: true }), ['生育登记@320000']);
    assert.deepEqual(await names({ theme: 'birth', region: '320102' }), ['出生医学证明@320102', '生育登记@320000'], 'filters alone browse');
    const r = await search.search({ q: '开饭店', region: '320102' });
    assert.match(r.results[0]!.snippet, /<mark>/);
    assert.equal(r.results[0]!.orgName, '南京市市场监督管理局');
  });

  test('the API: schema, snippets, problem+json for bad filters', async () => {
    const res = await p.app.inject(`/api/v1/catalog/search?q=${encodeURIComponent('spjy')}&region=320102&noVisit=true`);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.total, 1);
    assert.equal(body.results[0].implementationId, ids.get('食品经营许可@320100'));
    assert.equal(body.results[0].snippet, '<mark>食品经营</mark>许可');
    for (const bad of ['department=nonsense', 'audience=alien', 'theme=rocket', 'region=999999', 'region=12']) {
      const r = await p.app.inject({ url: `/api/v1/catalog/search?q=x&${bad}`, headers: { accept: 'application/json' } });
      assert.equal(r.statusCode, 400, bad);
      assert.match(String(r.headers['content-type']), /problem\+json/, bad);
    }
  });

  test('the portal search page renders results, filters and guide links', async () => {
    const html = { accept: 'text/html' };
    const res = await p.app.inject({ url: `/search?q=${encodeURIComponent('开饭店')}&scope=all&noVisit=1`, headers: html });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, new RegExp(`href="/guides/${ids.get('食品经营许可@320100')}"`));
    assert.doesNotMatch(res.body, new RegExp(ids.get('食品经营许可@320500')!), 'noVisit leaves out the Suzhou item');
    assert.match(res.body, /<mark>食品经营许可<\/mark>/);
    assert.match(res.body, /name="noVisit" value="1" checked/);
    const none = await p.app.inject({ url: `/search?q=${encodeURIComponent('<火箭>')}`, headers: html });
    assert.match(none.body, /没有找到相关的服务事项/);
    assert.doesNotMatch(none.body, /<火箭>/);
  });

  test('withdrawn items disappear; reindexAll rebuilds the same index', async () => {
    await catalog.withdraw(ids.get('食品经营许可@320500')!, sys, '测试取消');
    assert.deepEqual(await names({ q: '开饭店' }), ['食品经营许可@320100']);
    assert.equal(await reindexCatalogSearch(getDb().db), 4);
    assert.deepEqual(await names({ q: '开饭店' }), ['食品经营许可@320100']);
    assert.deepEqual(await names({ q: 'shipin' }), ['食品经营许可@320100']);
  });

  test('the GIN index serves the search query', async () => {
    const plan = await search.explain('食品经营许可');
    assert.match(plan, /catalog_search_doc_tokens/, plan);
  });

  test('synonyms are edited by administrators, with audit', async () => {
    const admin = new Browser(p.app);
    await admin.login('js-admin', DEMO_PASSWORD);
    const csrf = Browser.csrfFrom((await admin.get('/staff')).body);
    const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
      p.app.inject({ method, url, payload, headers: { cookie: admin.cookieHeader, 'x-csrf-token': csrf, accept: 'application/json' } });
    assert.equal((await search.search({ q: '办餐饮' })).total, 0);
    const added = await call('POST', '/api/v1/catalog/search/synonyms', { phrase: '办餐饮', terms: ['食品经营许可'] });
    assert.equal(added.statusCode, 201, added.body);
    assert.equal((await call('POST', '/api/v1/catalog/search/synonyms', { phrase: '办餐饮', terms: ['食品经营许可'] })).json().code, 'CATALOG_SYNONYM_EXISTS');
    assert.equal((await search.search({ q: '办餐饮' })).total, 1);
    const list = (await call('GET', '/api/v1/catalog/search/synonyms')).json() as { phrase: string }[];
    assert.ok(list.some((s) => s.phrase === '开饭店') && list.some((s) => s.phrase === '办餐饮'));
    assert.equal((await call('DELETE', `/api/v1/catalog/search/synonyms/${added.json().id}`)).statusCode, 204);
    assert.equal((await search.search({ q: '办餐饮' })).total, 0);
    const audit = await sql<{ action: string }>`select action from audit_log where action like 'catalog.search.synonym.%' order by id`.execute(getDb().db);
    assert.deepEqual(audit.rows.map((r) => r.action), ['catalog.search.synonym.add', 'catalog.search.synonym.remove']);
    const anonymous = await p.app.inject({ method: 'POST', url: '/api/v1/catalog/search/synonyms', payload: { phrase: '测试', terms: ['测试'] }, headers: { accept: 'application/json' } });
    assert.ok([401, 403].includes(anonymous.statusCode));
  });

  test('every search is logged; zero-result queries are counted and published', async () => {
    await search.search({ q: '火箭发射许可' });
    await search.search({ q: '火箭发射许可' });
    const stats = await search.stats(30);
    assert.ok(stats.searches >= 20, String(stats.searches));
    assert.ok(stats.zero.some((z) => z.query === '火箭发射许可' && z.count === 2));
    assert.ok(stats.hot.some((h) => h.query === '开饭店'));
    const log = await sql<{ n: number }>`select count(*)::int as n from catalog_search_log where normalised = '火箭发射许可' and result_count = 0`.execute(getDb().db);
    assert.equal(log.rows[0]!.n, 2);
    const pub = await p.app.inject({ url: '/statistics/search', headers: { accept: 'text/html' } });
    assert.equal(pub.statusCode, 200);
    assert.match(pub.body, /<svg role="img"/);
    assert.match(pub.body, new RegExp(`<td class="numeric">${stats.zeroCount}</td>`));
    assert.doesNotMatch(pub.body, /火箭发射许可/, 'the public page shows rates, not queries');
    const staffPage = async (login: string | null) => {
      const b = new Browser(p.app);
      if (login) await b.login(login, DEMO_PASSWORD);
      return b.get('/admin/catalog/search-stats');
    };
    const auditor = await staffPage('js-auditor');
    assert.equal(auditor.statusCode, 200);
    assert.match(auditor.body, /火箭发射许可/);
    assert.notEqual((await staffPage('nj-clerk')).statusCode, 200);
    assert.notEqual((await staffPage(null)).statusCode, 200);
  });
});
