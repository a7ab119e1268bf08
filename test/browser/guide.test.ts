// A guide (办事指南) in Chromium on a phone: open it, answer the 好办 question, get the
// personal guide; axe-core audits each page in standard and 长辈版 display (serious or
// critical findings fail). Also answers without JavaScript. Screenshots in test-results/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { axeAudit, RESULTS_DIR as RESULTS, startBrowserPlatform } from '../support/browser.ts';
import { CatalogService } from '../../src/modules/catalog/index.ts';
import { RegionService } from '../../src/modules/regions/index.ts';

const sys = { kind: 'system' as const, id: 'test' };
const legalBasis = [{ kind: 'law', title: '《中华人民共和国食品安全法》', article: '第三十五条 国家对食品生产经营实行许可制度。' }];

async function publishedGuide(regions: RegionService, catalog: CatalogService): Promise<string> {
  const basic = { name: '食品经营许可', code: '01-0901-000', itemType: '01', legalBasis, exercisingLevels: ['city'], departmentType: 'market_regulation', audience: ['company'], themes: [], keywords: [] };
  const basicId = (await catalog.createBasicItem(basic, '320000', sys)).id;
  await catalog.submit(basicId, sys);
  await catalog.approve(basicId, sys);
  const org = (await regions.organisations('320100')).find((o) => o.name === '南京市市场监督管理局')!;
  const impl = {
    basicItemId: basicId, name: basic.name, basicCode: basic.code, itemType: '01', legalBasis, regionCode: '320100', orgId: org.id,
    subItems: [], acceptanceConditions: [{ text: '已取得营业执照' }],
    processSteps: [{ name: '申请', description: '网上提交' }, { name: '决定', description: '作出许可决定' }],
    legalLimitDays: 20, promisedLimitDays: 5,
    materials: [
      { id: 'application', name: '食品经营许可申请书', form: 'electronic', count: 1, required: true, source: 'upload' },
      { id: 'licence', name: '营业执照', form: 'electronic', count: 1, required: true, source: 'licence', licenceType: '营业执照' },
      { id: 'old_permit', name: '原食品经营许可证', form: 'original', count: 1, required: true, source: 'upload', when: { first: 'no' } },
      { id: 'layout', name: '经营场所平面图', form: 'copy', count: 1, required: true, source: 'upload', when: { first: 'yes' } },
    ],
    intermediaryServices: [], fees: [{ name: '工本费', amountFen: 1200, basis: '苏价费〔2020〕1号' }],
    place: { address: '南京市市民中心', hours: '工作日 9:00-17:00' }, phones: { consult: '025-12345', complaint: '12345' },
    channels: ['online', 'window'], visits: 0, onlineDepth: 4, minRealNameLevel: 2, formSchema: { type: 'object', properties: {} },
    questions: [{ id: 'first', text: '是否首次申请？', options: [{ value: 'yes', label: '是，首次申请' }, { value: 'no', label: '否，办理延续' }] }],
  };
  const id = (await catalog.createImplementation(impl as never, sys)).id;
  await catalog.submit(id, sys);
  await catalog.approve(id, sys);
  return id;
}

async function audit(page: Page, label: string): Promise<string[]> {
  return (await axeAudit(page, label)).serious;
}

test('guide in Chromium: 好办 questions, personal guide, axe in both displays', { timeout: 180_000 }, async (t) => {
  let id = '';
  const started = await startBrowserPlatform(t, async (db) => {
    const regions = new RegionService(db.db);
    id = await publishedGuide(regions, new CatalogService(db.db, regions));
  });
  if (!started) return;
  const { base, browser } = started;
  const problems: string[] = [];

  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
  const page = await phone.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  assert.equal((await page.goto(`${base}/guides/${id}`))!.status(), 200);
  assert.match(await page.locator('h1').innerText(), /食品经营许可/);
  assert.ok(await page.locator('.guide-qr img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), 'the QR code loads');
  const materials = page.locator('#guide-materials-caption + thead + tbody tr');
  assert.equal(await materials.count(), 4);
  problems.push(...(await audit(page, 'guide')));
  await page.screenshot({ path: path.join(RESULTS, 'guide-mobile.png'), fullPage: true });

  await page.getByRole('group', { name: '是否首次申请？' }).getByLabel('否，办理延续').check();
  await Promise.all([page.waitForURL(`${base}/guides/${id}?first=no`), page.getByRole('button', { name: '生成我的办事指南' }).click()]);
  const rows = await materials.allInnerTexts();
  assert.equal(rows.length, 3);
  assert.ok(rows.some((r) => r.includes('原食品经营许可证')));
  assert.ok(!rows.some((r) => r.includes('经营场所平面图')));
  problems.push(...(await audit(page, 'personal guide')));

  await phone.addCookies([{ name: 'yw_elder', value: '1', url: base, httpOnly: true, secure: true, sameSite: 'Lax' }]);
  await page.reload();
  const radioHeight = (await page.locator('.guide-radio').first().boundingBox())!.height;
  assert.ok(radioHeight >= 44, `radio target ${radioHeight}px`);
  problems.push(...(await audit(page, 'personal guide')));
  await page.goto(`${base}/guides/${id}?first=maybe`);
  problems.push(...(await audit(page, 'invalid answer')));
  await page.screenshot({ path: path.join(RESULTS, 'guide-mobile-elder-error.png'), fullPage: true });
  await phone.close();

  // Without JavaScript the form is a plain GET and works the same.
  const noJs = await browser.newContext({ javaScriptEnabled: false, locale: 'zh-CN' });
  const plain = await noJs.newPage();
  await plain.goto(`${base}/guides/${id}`);
  await plain.getByLabel('是，首次申请').check();
  await Promise.all([plain.waitForURL(`${base}/guides/${id}?first=yes`), plain.getByRole('button', { name: '生成我的办事指南' }).click()]);
  assert.match(await plain.locator('main').innerText(), /经营场所平面图/);
  await noJs.close();

  assert.deepEqual(errors, []);
  if (problems.length) assert.fail(problems.join('\n'));
});
