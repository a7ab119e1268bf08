// The portal in a real browser (Debian's chromium through playwright-core): a person goes
// home → city → county → town by clicking, switches to 长辈版 and back, uses the region
// switcher and the search box; axe-core audits every page in standard and 长辈版 display
// (长辈版 also against the 7:1 enhanced-contrast rule). Without JavaScript the same
// forms still work. Screenshots land in test-results/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { axeAudit, isElder, RESULTS_DIR as RESULTS, startBrowserPlatform } from '../support/browser.ts';

const MOBILE = { width: 390, height: 844 };

interface AuditRecord {
  page: string;
  mode: 'standard' | 'elder';
  violations: { id: string; impact: string | null | undefined; nodes: number }[];
}

test('portal in Chromium: region navigation, 长辈版, region switcher, axe on every page', { timeout: 240_000 }, async (t) => {
  const started = await startBrowserPlatform(t);
  if (!started) return;
  const { base, browser } = started;
  const desktop = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });

  const audits: AuditRecord[] = [];
  const pageErrors: string[] = [];

  async function elderCookie(context: BrowserContext, on: boolean): Promise<void> {
    if (on) await context.addCookies([{ name: 'yw_elder', value: '1', url: base, httpOnly: true, secure: true, sameSite: 'Lax' }]);
    else await context.clearCookies({ name: 'yw_elder' });
  }

  /** Runs axe on the page as shown; returns a description of serious problems, if any. */
  async function audit(page: Page, label: string): Promise<string | null> {
    const { elder, violations, serious } = await axeAudit(page, label);
    audits.push({ page: label, mode: elder ? 'elder' : 'standard', violations: violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length })) });
    return serious.length ? `axe found serious problems:\n${serious.join('\n')}` : null;
  }

  /** Audits the page as shown and in the other display mode, restores the mode, then judges. */
  async function auditBoth(page: Page, label: string): Promise<void> {
    const elder = await isElder(page);
    const problems = [await audit(page, label)];
    await elderCookie(page.context(), !elder);
    try {
      await page.reload();
      assert.equal(await isElder(page), !elder);
      problems.push(await audit(page, label));
    } finally {
      await elderCookie(page.context(), elder);
      await page.reload();
    }
    const found = problems.filter((p) => p !== null);
    if (found.length) {
      console.log(found.join('\n'));
      assert.fail(found.join('\n'));
    }
  }

  const page = await desktop.newPage();
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (msg) => {
    // The 404 page's own status is expected; anything else (a missing asset, a script error) is not.
    if (msg.type() === 'error' && !msg.location().url.endsWith('/regions/329900')) pageErrors.push(`${msg.text()} ${msg.location().url}`);
  });
  const main = page.locator('main');

  await t.test('home page in standard display', async () => {
    assert.equal((await page.goto(base + '/'))!.status(), 200);
    assert.equal(await page.title(), '首页 - 江苏省一网通办');
    assert.equal(await isElder(page), false);
    const speech = await page.evaluate(() => 'speechSynthesis' in window);
    assert.equal(await page.getByRole('button', { name: '朗读' }).isVisible(), speech, '朗读 shows exactly when speech synthesis exists');
    await auditBoth(page, 'home');
  });

  let standardFont = 0;
  await t.test('长辈版 by its form: larger text, wide spacing, tasks first, persisted', async () => {
    standardFont = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
    await Promise.all([page.waitForURL(base + '/'), page.getByRole('button', { name: '长辈版', exact: true }).click()]);
    assert.equal(await isElder(page), true);
    const style = await page.evaluate(() => {
      const s = getComputedStyle(document.body);
      const button = document.querySelector('.utility-button')!.getBoundingClientRect();
      return { font: parseFloat(s.fontSize), line: parseFloat(s.lineHeight), target: button.height };
    });
    assert.ok(style.font >= 18 && style.font / standardFont >= 1.25, `elder text ${style.font}px vs ${standardFont}px`);
    assert.ok(style.line / style.font >= 1.6, `line spacing ${style.line / style.font}`);
    assert.ok(style.target >= 60, `click targets ${style.target}px high`);
    const tasksTop = (await page.locator('#tasks-title').boundingBox())!.y;
    const regionsTop = (await page.locator('#regions-title').boundingBox())!.y;
    assert.ok(tasksTop < regionsTop, 'common tasks come first in 长辈版');
    const cookie = (await desktop.cookies(base)).find((c) => c.name === 'yw_elder');
    assert.equal(cookie?.value, '1');
    assert.ok(cookie!.expires > Date.now() / 1000 + 30 * 24 * 3600, 'the preference outlives the session');
    const readAloud = page.getByRole('button', { name: '朗读' });
    if (await readAloud.isVisible()) await readAloud.click(); // must not throw, whatever voices exist
    await page.screenshot({ path: path.join(RESULTS, 'portal-home-elder.png'), fullPage: true });
  });

  await t.test('city → county → town by clicking links, 长辈版 kept on every page', async () => {
    await Promise.all([page.waitForURL(base + '/regions/320100'), main.getByRole('link', { name: '南京市', exact: true }).click()]);
    assert.equal(await isElder(page), true);
    assert.match(await page.locator('h1').innerText(), /南京市/);
    await auditBoth(page, 'city 320100');

    await Promise.all([page.waitForURL(base + '/regions/320102'), main.getByRole('link', { name: '玄武区', exact: true }).click()]);
    assert.equal(await isElder(page), true);
    const crumbs = await page.getByRole('navigation', { name: '面包屑导航' }).innerText();
    assert.match(crumbs.replace(/\s+/g, ' '), /首页 ?江苏省 ?南京市 ?玄武区/);
    await page.screenshot({ path: path.join(RESULTS, 'portal-county-elder.png'), fullPage: true });
    await auditBoth(page, 'county 320102');

    await Promise.all([page.waitForURL(base + '/regions/320102002'), main.getByRole('link', { name: '梅园新村街道', exact: true }).click()]);
    assert.match(await page.locator('h1').innerText(), /梅园新村街道/);
    assert.ok((await main.locator('#children a').count()) > 0, 'villages and communities are listed');
    await page.screenshot({ path: path.join(RESULTS, 'portal-town-elder.png'), fullPage: true });
    await auditBoth(page, 'town 320102002');
  });

  await t.test('back to standard display, breadcrumbs and the region switcher', async () => {
    await Promise.all([page.waitForURL(base + '/regions/320102002'), page.getByRole('button', { name: '退出长辈版' }).click()]);
    assert.equal(await isElder(page), false);
    // The URL changes before the new page's stylesheet applies: read the font once it has.
    await page.waitForLoadState('load');
    const font = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
    assert.equal(font, standardFont);

    await Promise.all([page.waitForURL(base + '/regions/320100'), page.getByRole('navigation', { name: '面包屑导航' }).getByRole('link', { name: '南京市' }).click()]);
    await page.getByLabel('所在地区').selectOption('320500');
    await Promise.all([page.waitForURL(base + '/regions/320500'), page.getByRole('button', { name: '切换' }).click()]);
    assert.equal((await desktop.cookies(base)).find((c) => c.name === 'yw_region')?.value, '320500');
    assert.equal(await page.getByLabel('所在地区').inputValue(), '320500');
    const zone = main.locator('li', { hasText: '苏州工业园区' });
    assert.equal(await zone.locator('.tag--zone').innerText(), '功能区');
    await page.screenshot({ path: path.join(RESULTS, 'portal-city-zones.png'), fullPage: true });
    await auditBoth(page, 'city 320500');
  });

  await t.test('search box, a long paginated list and the 404 page', async () => {
    await page.getByLabel('搜索服务事项').fill('换社保卡');
    await Promise.all([page.waitForURL(/\/search\?q=/), page.getByLabel('搜索服务事项').press('Enter')]);
    assert.match(await main.innerText(), /您搜索的是：“换社保卡”/);
    await auditBoth(page, 'search');

    await page.goto(base + '/regions/320583100');
    await Promise.all([page.waitForURL(/page=2/), page.getByRole('link', { name: '下一页' }).click()]);
    assert.match(await page.locator('.pagination__summary').innerText(), /第 41–80 项，共 94 项/);
    await auditBoth(page, 'paginated town 320583100 page 2');

    const res = await page.goto(base + '/regions/329900');
    assert.equal(res!.status(), 404);
    assert.equal(await page.locator('h1').innerText(), '没有这个行政区划');
    await auditBoth(page, '404');
  });

  await t.test('phone screen: home page screenshots (standard and 长辈版)', async () => {
    const phone = await browser.newContext({ viewport: MOBILE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
    try {
      const mobile = await phone.newPage();
      await mobile.goto(base + '/');
      await auditBoth(mobile, 'home (phone)');
      const shot = path.join(RESULTS, 'home-mobile.png');
      await mobile.screenshot({ path: shot });
      // docs/screenshot.png (README) is refreshed on request, not by every run.
      if (process.env.YIWANG_UPDATE_SCREENSHOT === '1') copyFileSync(shot, path.resolve('docs/screenshot.png'));
      await elderCookie(phone, true);
      await mobile.reload();
      await mobile.screenshot({ path: path.join(RESULTS, 'home-mobile-elder.png') });
    } finally {
      await phone.close();
    }
  });

  await t.test('without JavaScript: 长辈版 form and region switcher still work, 朗读 stays hidden', async () => {
    const nojs = await browser.newContext({ javaScriptEnabled: false, viewport: MOBILE, locale: 'zh-CN' });
    try {
      const p = await nojs.newPage();
      await p.goto(base + '/regions/320100');
      assert.equal(await p.locator('[data-read-aloud]').isVisible(), false);
      await Promise.all([p.waitForURL(base + '/regions/320100'), p.getByRole('button', { name: '长辈版', exact: true }).click()]);
      assert.equal(await p.locator('html.elder').count(), 1);
      await p.getByLabel('所在地区').selectOption('320200');
      await Promise.all([p.waitForURL(base + '/regions/320200'), p.getByRole('button', { name: '切换' }).click()]);
      assert.equal(await p.locator('html.elder').count(), 1);
      assert.match(await p.locator('h1').innerText(), /无锡市/);
    } finally {
      await nojs.close();
    }
  });

  t.diagnostic(`axe: ${audits.length} audits, ${audits.filter((a) => a.violations.length === 0).length} without any violation`);
  for (const a of audits.filter((x) => x.violations.length)) {
    t.diagnostic(`axe minor on ${a.page} [${a.mode}]: ${a.violations.map((v) => `${v.id}/${v.impact}×${v.nodes}`).join(', ')}`);
  }
  assert.deepEqual(pageErrors, [], 'no JavaScript errors on any page');
});
