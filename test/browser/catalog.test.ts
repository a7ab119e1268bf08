// The catalogue in Chromium as a citizen uses it: home page → header search "开饭店" →
// 食品经营许可 (through the seeded synonym) → its guide → switch region to 苏州市 with the
// header switcher → the same search now shows Suzhou's implementation only; then the
// theme and flagship-store pages. axe-core audits every page visited (serious or critical
// findings fail). Screenshots in test-results/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { axeAudit, RESULTS_DIR as RESULTS, startBrowserPlatform } from '../support/browser.ts';
import { CatalogService } from '../../src/modules/catalog/index.ts';
import { RegionService } from '../../src/modules/regions/index.ts';

const sys = { kind: 'system' as const, id: 'test' };
const legalBasis = [{ kind: 'law' as const, title: '《中华人民共和国食品安全法》', article: '第三十五条 国家对食品生产经营实行许可制度。' }];
const basic = { name: '食品经营许可', code: '01-0901-000', itemType: '01', legalBasis, exercisingLevels: ['city'], departmentType: 'market_regulation', audience: ['person', 'company'], themes: ['operations'], keywords: ['开饭店'] };

/** Publishes 食品经营许可 and its implementations in 南京市 and 苏州市; returns their ids by region. */
async function publish(regions: RegionService, catalog: CatalogService): Promise<Record<string, string>> {
  const basicId = (await catalog.createBasicItem(basic, '320000', sys)).id;
  await catalog.submit(basicId, sys);
  await catalog.approve(basicId, sys);
  const ids: Record<string, string> = {};
  for (const [region, orgName] of [['320100', '南京市市场监督管理局'], ['320500', '苏州市市场监督管理局']] as const) {
    const org = (await regions.organisations(region)).find((o) => o.name === orgName)!;
    const impl = {
      basicItemId: basicId, name: basic.name, basicCode: basic.code, itemType: '01' as const, legalBasis, regionCode: region, orgId: org.id,
      subItems: [], acceptanceConditions: [{ text: '已取得营业执照' }], processSteps: [{ name: '申请', description: '网上提交' }],
      legalLimitDays: 20, promisedLimitDays: 5, materials: [{ id: 'application', name: '食品经营许可申请书', form: 'electronic' as const, count: 1, required: true, source: 'upload' as const }],
      intermediaryServices: [], fees: [], place: { address: `${org.name}办事大厅`, hours: '工作日 9:00-17:00' }, phones: { consult: '12345', complaint: '12345' },
      channels: ['online' as const, 'window' as const], visits: 0, onlineDepth: 4, minRealNameLevel: 2, formSchema: { type: 'object', properties: {} }, questions: [],
    };
    const id = (await catalog.createImplementation(impl, sys)).id;
    await catalog.submit(id, sys);
    await catalog.approve(id, sys);
    ids[region] = id;
  }
  return ids;
}

async function audit(page: Page, label: string): Promise<string[]> {
  return (await axeAudit(page, label)).serious;
}

test('catalogue in Chromium: search 开饭店, open the guide, switch region, themes and stores; axe on every page', { timeout: 240_000 }, async (t) => {
  let ids: Record<string, string> = {};
  const started = await startBrowserPlatform(t, async (db) => {
    const regions = new RegionService(db.db);
    ids = await publish(regions, new CatalogService(db.db, regions));
  });
  if (!started) return;
  const { base, browser } = started;
  const regions = new RegionService(started.db.db);
  const problems: string[] = [];
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  const main = page.locator('main');
  const resultLinks = () => main.locator('.search-results a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  const searchFromHeader = async (q: string) => {
    await page.locator('#header-q').fill(q);
    await Promise.all([page.waitForURL(/\/search\?q=/), page.locator('#header-q').press('Enter')]);
  };

  assert.equal((await page.goto(base + '/'))!.status(), 200);
  problems.push(...(await audit(page, 'home')));

  // No region chosen yet: the whole province's implementations.
  await searchFromHeader('开饭店');
  assert.match(await main.innerText(), /食品经营许可/);
  assert.deepEqual((await resultLinks()).sort(), [`/guides/${ids['320100']}`, `/guides/${ids['320500']}`].sort());
  problems.push(...(await audit(page, 'search 开饭店')));
  await page.screenshot({ path: path.join(RESULTS, 'catalog-search.png'), fullPage: true });

  await Promise.all([page.waitForURL(`${base}/guides/${ids['320100']}`), main.locator(`a[href="/guides/${ids['320100']}"]`).click()]);
  assert.match(await page.locator('h1').innerText(), /食品经营许可/);
  problems.push(...(await audit(page, 'guide')));

  // The header's region switcher: 苏州市, then the same search sees Suzhou only.
  await page.getByLabel('所在地区').selectOption('320500');
  await Promise.all([page.waitForURL(base + '/regions/320500'), page.getByRole('button', { name: '切换' }).click()]);
  problems.push(...(await audit(page, 'region 320500')));
  await searchFromHeader('开饭店');
  assert.deepEqual(await resultLinks(), [`/guides/${ids['320500']}`]);
  assert.match(await main.innerText(), /苏州市/);
  problems.push(...(await audit(page, 'search 开饭店 in 苏州市')));
  await page.screenshot({ path: path.join(RESULTS, 'catalog-search-suzhou.png'), fullPage: true });

  // Themes follow the chosen region too.
  await page.goto(base + '/themes');
  problems.push(...(await audit(page, 'themes')));
  await Promise.all([page.waitForURL(base + '/themes/operations'), main.getByRole('link', { name: '经营许可' }).click()]);
  assert.deepEqual(await main.locator(`a[href^="/guides/"]`).evaluateAll((as) => as.map((a) => a.getAttribute('href'))), [`/guides/${ids['320500']}`]);
  problems.push(...(await audit(page, 'theme operations')));

  // The flagship store from the region page, then a department's store.
  await page.goto(base + '/regions/320500');
  await Promise.all([page.waitForURL(base + '/stores/320500'), main.getByRole('link', { name: /进入旗舰店/ }).click()]);
  assert.match(await page.locator('h1').innerText(), /苏州市旗舰店/);
  problems.push(...(await audit(page, 'store 320500')));
  await page.screenshot({ path: path.join(RESULTS, 'catalog-store.png'), fullPage: true });
  await Promise.all([page.waitForURL(/\/stores\/org\//), main.getByRole('link', { name: '苏州市市场监督管理局', exact: true }).click()]);
  assert.equal(await main.locator(`a[href="/guides/${ids['320500']}"]`).count(), 1);
  problems.push(...(await audit(page, 'department store')));

  // A village page (nothing village-level here: the honest empty message).
  const village = (await regions.children((await regions.children('320583'))[0]!.code))[0]!;
  await page.goto(`${base}/stores/${village.code}`);
  assert.match(await main.innerText(), /本村（社区）暂无可就近办理的事项/);
  problems.push(...(await audit(page, 'village')));
  await context.close();

  assert.deepEqual(errors, []);
  if (problems.length) assert.fail(problems.join('\n'));
});
