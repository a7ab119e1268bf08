// 一件事 pages in Chromium on a phone: /themes → 一件事一次办 → 出生一件事 in 玄武区, in the
// standard display and in 长辈版; axe-core audits each (serious or critical findings fail),
// and the page must work without JavaScript-built content (it is server-rendered).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { axeAudit, RESULTS_DIR, startBrowserPlatform } from './support/browser.ts';
import { CatalogService, ScenarioService } from '../src/modules/catalog/index.ts';
import { RegionService } from '../src/modules/regions/index.ts';

const sys = { kind: 'system' as const, id: 'test' };
const law = [{ kind: 'law' as const, title: '《测试法》', article: '第一条' }];

async function prepare(db: import('../src/platform/db/database.ts').Db): Promise<void> {
  const regions = new RegionService(db);
  const catalog = new CatalogService(db, regions);
  const members: { basicItemId: string }[] = [];
  const items = [
    { name: '出生医学证明办理', code: '11-0301-000', dept: 'health', region: '320102', material: { id: 'mother_id', name: '母亲居民身份证', form: 'electronic' as const, count: 1, required: true, source: 'licence' as const, licenceType: 'id_card' } },
    { name: '新生儿出生登记', code: '07-0104-000', dept: 'public_security', region: '320102', material: { id: 'photo', name: '照片', form: 'original' as const, count: 2, required: true, source: 'upload' as const } },
  ];
  for (const it of items) {
    const basic = await catalog.createBasicItem({ name: it.name, code: it.code, itemType: it.code.slice(0, 2), legalBasis: law, exercisingLevels: ['county'], departmentType: it.dept, audience: ['person'], themes: ['birth'], keywords: [] }, '320000', sys);
    await catalog.submit(basic.id, sys);
    await catalog.approve(basic.id, sys);
    const org = (await regions.organisations(it.region)).find((o) => o.departmentType === it.dept)!;
    const impl = await catalog.createImplementation({
      basicItemId: basic.id, name: it.name, basicCode: it.code, itemType: it.code.slice(0, 2) as '11', legalBasis: law, regionCode: it.region, orgId: org.id,
      subItems: [], acceptanceConditions: [], processSteps: [{ name: '申请', description: '提交申请' }], legalLimitDays: 20, promisedLimitDays: 5,
      materials: [it.material], intermediaryServices: [], fees: [], place: { address: '玄武区政务服务中心', hours: '工作日' }, phones: { consult: '025-12345', complaint: '12345' },
      channels: ['online'], visits: 0, onlineDepth: 4, minRealNameLevel: 2, questions: [],
      formSchema: { type: 'object', properties: { applicantName: { type: 'string', title: '申请人姓名' }, babyName: { type: 'string', title: '新生儿姓名' } }, required: ['applicantName', 'babyName'] },
    }, sys);
    await catalog.submit(impl.id, sys);
    await catalog.approve(impl.id, sys);
    members.push({ basicItemId: basic.id });
  }
  await new ScenarioService(db, catalog, regions).create({ code: 'birth', name: '出生一件事', audience: 'person', theme: 'birth', description: '宝宝出生后的事一次办。', status: 'published', members }, sys, '320000');
}

test('一件事 pages in Chromium, standard and 长辈版, pass axe', { timeout: 240_000 }, async (t) => {
  const started = await startBrowserPlatform(t, (db) => prepare(db.db));
  if (!started) return;
  const { base, browser } = started;
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  const problems: string[] = [];
  const main = page.locator('main');

  assert.equal((await page.goto(base + '/themes'))!.status(), 200);
  await Promise.all([page.waitForURL(`${base}/scenarios`), main.locator('a[href="/scenarios"]').first().click()]);
  problems.push(...(await axeAudit(page, 'scenarios list')).serious);
  await Promise.all([page.waitForURL(`${base}/scenarios/birth`), main.locator('a[href="/scenarios/birth"]').click()]);
  assert.equal((await page.goto(base + '/scenarios/birth?region=320102'))!.status(), 200);
  const body = await main.innerText();
  assert.match(body, /出生医学证明办理/);
  assert.match(body, /免提交/);
  assert.match(body, /新生儿姓名/);
  problems.push(...(await axeAudit(page, 'scenario birth')).serious);
  await page.screenshot({ path: path.join(RESULTS_DIR, 'scenario-birth.png'), fullPage: true });

  // 长辈版: the utility bar's POST form, then the same page again.
  await Promise.all([page.waitForLoadState('load'), page.locator('form[action="/preferences/elder"] button').click()]);
  await page.goto(base + '/scenarios/birth?region=320102');
  assert.equal(await page.evaluate(() => document.documentElement.classList.contains('elder')), true);
  problems.push(...(await axeAudit(page, 'scenario birth')).serious);
  problems.push(...(await axeAudit(await page.goto(base + '/scenarios').then(() => page), 'scenarios list')).serious);

  assert.deepEqual(errors, []);
  assert.deepEqual(problems, [], problems.join('\n'));
});
