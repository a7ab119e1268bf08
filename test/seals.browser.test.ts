// Electronic seals in Chromium, through the real pages only: a department admin of the Nanjing
// market-regulation bureau requests a 业务专用章 by the form, the province region admin
// approves it and sees the seal picture on the seal page and in the registry, a window clerk
// of the bureau signs a PDF on /seals/sign (the download captured), an anonymous visitor on a
// phone verifies it on /seals/verify (有效, with seal and organisation) and then a copy with
// one byte changed (无效, with the reason), the admin suspends (挂失) the seal, and the trust
// list renders. Every screen is screenshotted (test-results/seal-NN-name.png) and audited by
// axe-core; serious or critical findings fail the test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { screenRecorder, startBrowserPlatform } from './support/browser.ts';
import { DEMO_PASSWORD } from '../demo/load.ts';
import { StaffService } from '../src/modules/identity/index.ts';
import { RegionService } from '../src/modules/regions/index.ts';
// eslint-disable-next-line no-restricted-imports -- a test fixture, not part of the module's public face
import { samplePdf } from '../src/modules/seals/pdf/test-fixtures.ts';

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' };
const DESKTOP = { viewport: { width: 1280, height: 900 }, locale: 'zh-CN', acceptDownloads: true };
const ORG = '南京市市场监督管理局';
const SEAL_NAME = `${ORG}业务专用章`;
const PASSWORD = 'Seal-Browser-Password-2026';

/** Where the signed bytes end: the signature object's /ByteRange [0 L] (src/modules/seals/pdf/embed.ts). */
function signedLength(pdf: Buffer): number {
  const m = /\/ByteRange \[0 (\d+)\]/.exec(pdf.toString('latin1'));
  assert.ok(m, 'the signed PDF has a /ByteRange');
  return Number(m[1]);
}

test('seals in Chromium: request, approve, sign, verify on a phone, tamper, suspend, trust list; axe on every screen', { timeout: 300_000 }, async (t) => {
  const started = await startBrowserPlatform(t, async (db) => {
    const org = (await new RegionService(db.db).organisations('320100')).find((o) => o.name === ORG);
    assert.ok(org, `${ORG} is seeded`);
    const staff = new StaffService(db.db);
    const sys = { kind: 'system', id: 'test' } as const;
    await staff.createStaff({ loginName: 'nj-seal-dept', displayName: '南京市场监管部门管理员', password: PASSWORD, orgId: org.id, regionCode: '320100', roles: ['dept_admin'], mustChangePassword: false }, sys);
    await staff.createStaff({ loginName: 'nj-seal-clerk', displayName: '南京市场监管窗口', password: PASSWORD, orgId: org.id, regionCode: '320100', roles: ['window_clerk'], mustChangePassword: false }, sys);
  });
  if (!started) return;
  const { base, browser } = started;

  const files = mkdtempSync(path.join(os.tmpdir(), 'yiwang-seal-browser-'));
  t.after(() => rmSync(files, { recursive: true, force: true }));
  const original = path.join(files, '准予许可决定书.pdf');
  writeFileSync(original, await samplePdf(1, 'Decision of administrative licensing'));

  const { problems, pageErrors, screen, watch, go } = screenRecorder('seal');
  async function staffSignIn(context: BrowserContext, loginName: string, password: string): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${base}/staff/login`);
    await page.locator('#loginName').fill(loginName);
    await page.locator('#password').fill(password);
    await go(page, () => page.getByRole('button', { name: '登录', exact: true }).click(), /\/staff$/);
    return page;
  }
  const main = (page: Page) => page.locator('main').innerText();
  /** The image really arrived and decoded (a broken src has naturalWidth 0). */
  /** Nothing scrolls sideways (WCAG 1.4.10 reflow), the phone being the case that matters. */
  const noSidewaysScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
  const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');
  const imageLoaded = (page: Page, selector: string) =>
    page.locator(selector).first().evaluate(async (img: HTMLImageElement) => {
      if (!img.complete) await new Promise((r) => img.addEventListener('load', r, { once: true }));
      return img.naturalWidth > 0;
    });

  // ① The department admin requests a 业务专用章 for the bureau by the form.
  const deptContext = await browser.newContext(DESKTOP);
  watch(deptContext);
  const dept = await staffSignIn(deptContext, 'nj-seal-dept', PASSWORD);
  await dept.goto(`${base}/staff/seals`);
  assert.match(await dept.locator('h1').innerText(), /电子印章/);
  const requestForm = dept.getByRole('form', { name: '申请印章' });
  assert.equal(await requestForm.getByLabel('机构').locator('option:checked').innerText(), ORG, 'a department admin requests for their own organisation');
  await requestForm.getByLabel('业务专用章', { exact: true }).check();
  await screen(dept, 'request-form');
  await go(dept, () => requestForm.getByRole('button', { name: '提交申请' }).click(), /done=requested/);
  assert.match(await dept.locator('main [role="status"]').innerText(), /印章申请已提交/);
  const pending = dept.locator('tbody tr', { hasText: SEAL_NAME });
  assert.match(await pending.innerText(), /待审批/);
  assert.equal(await pending.getByRole('button').count(), 0, 'a department admin cannot approve');
  await screen(dept, 'request-sent');

  // ② The province region admin approves on the registry page and lands on the seal's page.
  const office = await browser.newContext(DESKTOP);
  watch(office);
  const admin = await staffSignIn(office, 'js-admin', DEMO_PASSWORD);
  await admin.goto(`${base}/staff/seals`);
  const row = admin.locator('tbody tr', { hasText: SEAL_NAME });
  assert.equal(await row.count(), 1, 'the request is waiting for the region admin');
  await screen(admin, 'approvals');
  await go(admin, () => row.getByRole('button', { name: /批准制发/ }).click(), /\/staff\/seals\/\d{18}\?done=issued$/);
  const esId = /\/staff\/seals\/(\d{18})/.exec(admin.url())![1]!;
  assert.match(esId, /^320100\d{12}$/, 'the esID carries the organisation region');
  assert.equal(await admin.locator('h1').innerText(), SEAL_NAME);
  assert.match(await admin.locator('main [role="status"]').innerText(), /印章已制发并备案/);
  assert.ok(await imageLoaded(admin, `main img[alt="${SEAL_NAME}的印章图像"]`), 'the seal picture shows on the seal page');
  const detail = await main(admin);
  for (const text of [esId, '业务专用章', '有效', '制发备案']) assert.ok(detail.includes(text), `seal page shows ${text}`);
  await screen(admin, 'seal-issued');
  const sealUrl = `${base}/staff/seals/${esId}`;

  await go(admin, () => admin.getByRole('link', { name: '电子印章', exact: true }).click(), /\/staff\/seals$/);
  const card = admin.locator('.card-grid a', { hasText: esId });
  assert.equal(await card.count(), 1, 'the registry lists the seal');
  assert.ok(await imageLoaded(admin, `.card-grid a[href="/staff/seals/${esId}"] img`), 'the seal picture shows in the registry');
  assert.match(await card.innerText(), new RegExp(SEAL_NAME));
  await screen(admin, 'registry');

  // ③ A window clerk of the bureau signs a PDF: upload, seal, page and position, download.
  const clerkContext = await browser.newContext(DESKTOP);
  watch(clerkContext);
  const clerk = await staffSignIn(clerkContext, 'nj-seal-clerk', PASSWORD);
  await clerk.goto(`${base}/seals/sign`);
  assert.match(await clerk.locator('h1').innerText(), /文档签章/);
  assert.equal(await clerk.locator('.breadcrumbs [aria-current="page"]').innerText(), '文档签章');
  assert.equal(await clerk.locator('.breadcrumbs a').getAttribute('href'), '/staff', 'the way back to the workbench is a link');
  const placeSeal = async (x: string, y: string) => {
    await clerk.getByLabel('待签章的 PDF 文档').setInputFiles(original);
    await clerk.getByLabel('印章').selectOption(esId);
    await clerk.getByLabel('页码').fill('1');
    await clerk.getByLabel('距左边（毫米）').fill(x);
    await clerk.getByLabel('距上边（毫米）').fill(y);
  };
  // First a position off the page: the summary names it and leads to the position fields.
  await placeSeal('1', '1');
  await go(clerk, () => clerk.getByRole('button', { name: '签章并下载' }).click());
  const signSummary = clerk.locator('.error-summary');
  assert.match(await signSummary.innerText(), /印章位置超出页面范围/);
  await clerk.waitForFunction(() => document.activeElement?.classList.contains('error-summary'));
  assert.match(await clerk.getByRole('group', { name: '盖章位置' }).innerText(), /印章位置超出页面范围/, 'the error is also shown at the fields');
  await signSummary.getByRole('link').click();
  assert.equal(await focusedId(clerk), 'placement', 'the summary link moves focus to the position fields');
  assert.equal(await clerk.getByLabel('距左边（毫米）').inputValue(), '1', 'what was typed stays');
  await screen(clerk, 'sign-error');
  await placeSeal('150', '230');
  await screen(clerk, 'sign-form');
  const [download] = await Promise.all([clerk.waitForEvent('download'), clerk.getByRole('button', { name: '签章并下载' }).click()]);
  assert.match(download.suggestedFilename(), /^signed-.+\.pdf$/);
  const signedPath = path.join(files, 'signed.pdf');
  await download.saveAs(signedPath);
  const signed = readFileSync(signedPath);
  assert.equal(signed.subarray(0, 5).toString('latin1'), '%PDF-');
  assert.ok(signed.length > readFileSync(original).length, 'the signed PDF carries the seal and signature');
  const signedEnd = signedLength(signed);

  // ④ An anonymous visitor on a phone verifies it: 有效, with the seal and organisation.
  const phone = await browser.newContext(PHONE);
  watch(phone);
  const visitor = await phone.newPage();
  assert.equal((await visitor.goto(`${base}/seals/verify`))!.status(), 200);
  await screen(visitor, 'verify-form');
  await visitor.getByLabel('已签章的 PDF 文档').setInputFiles(signedPath);
  await go(visitor, () => visitor.getByRole('button', { name: '开始验证' }).click());
  const result = visitor.locator('main section.notice');
  assert.match(await result.locator('h2').innerText(), /签章有效/);
  await visitor.waitForFunction(() => document.activeElement?.matches('main section.notice'));
  assert.ok(await noSidewaysScroll(visitor), 'long certificate names wrap on a phone');
  const valid = await result.innerText();
  for (const text of [SEAL_NAME, esId, ORG, '可信时间戳']) assert.ok(valid.includes(text), `the valid result shows ${text}`);
  assert.match(await visitor.title(), /验证结果：有效/);
  await screen(visitor, 'verify-valid');

  // One byte inside the signed range changed: 无效, and the reason in plain words.
  const altered = Buffer.from(signed);
  altered[Math.floor(signedEnd / 2)]! ^= 0x20;
  const alteredPath = path.join(files, 'altered.pdf');
  writeFileSync(alteredPath, altered);
  await visitor.getByLabel('已签章的 PDF 文档').setInputFiles(alteredPath);
  await go(visitor, () => visitor.getByRole('button', { name: '开始验证' }).click());
  assert.match(await result.locator('h2').innerText(), /签章无效/);
  assert.match(await result.innerText(), /原因：文档在签章后被修改/);
  assert.ok(await noSidewaysScroll(visitor));
  assert.doesNotMatch(await result.innerText(), new RegExp(esId), 'an invalid result names no seal');
  assert.match(await visitor.title(), /验证结果：无效/);
  await screen(visitor, 'verify-altered');

  // ⑤ The region admin suspends (挂失) the seal on its page.
  await admin.goto(sealUrl);
  await admin.getByLabel('挂失说明').fill('UKey 遗失');
  await go(admin, () => admin.getByRole('button', { name: '挂失（暂停使用）' }).click(), /done=suspend$/);
  assert.match(await admin.locator('main [role="status"]').innerText(), /印章已挂失/);
  const suspended = await main(admin);
  const statusText = await admin.locator('main .status').innerText();
  assert.match(statusText, /已挂失（暂停使用）/);
  assert.doesNotMatch(statusText, /（挂失）/, 'the status says 挂失 once');
  assert.match(suspended, /UKey 遗失/);
  assert.equal(await admin.getByRole('button', { name: '解除挂失' }).count(), 1, 'a suspended seal can be resumed');
  assert.equal(await admin.getByRole('button', { name: '挂失（暂停使用）' }).count(), 0);
  await screen(admin, 'seal-suspended');

  // ⑥ The trust list page.
  await admin.goto(`${base}/staff/trust`);
  assert.match(await admin.locator('h1').innerText(), /跨区域信任列表/);
  assert.match(await main(admin), /本节点根CA[\s\S]*SM3 指纹/);
  await screen(admin, 'trust-list');

  assert.deepEqual(pageErrors, [], 'no script errors or CSP violations');
  assert.deepEqual(problems, [], `axe found serious problems:\n${problems.join('\n')}`);
});
