// E-licences in Chromium, through the real pages: a food-licence case decided for 王小明 →
// the bureau's seal issues the licence → on his phone it is in 我的证照, its page shows the
// data, the signed QR code and the use record → a stranger's phone opens the QR's address on
// the public verification page: 有效, holder masked → the approver 吊销 the licence on the
// staff lifecycle page → the same address now says 已吊销 → the identifier form in 长辈版 says
// so too → the holder's use record shows the verifications. Every screen is screenshotted
// (test-results/licence-NN-name.png) and audited by axe-core; serious findings fail the test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { screenRecorder, startBrowserPlatform, isElder } from './support/browser.ts';
import { licenceBed } from './support/licences.ts';
import { smsCode } from './support/people.ts';
import { DEMO_PASSWORD } from '../demo/load.ts';

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' };
const DESKTOP = { viewport: { width: 1280, height: 900 }, locale: 'zh-CN' };

test('e-licences in Chromium: issued on approval, wallet, QR verified, revoked, verification fails; axe on every screen', { timeout: 300_000 }, async (t) => {
  const started = await startBrowserPlatform(t);
  if (!started) return;
  const { base, browser, platform } = started;
  const bed = await licenceBed(platform);
  await bed.issueSeal();
  const { identifier } = await bed.issuedLicence({ shopName: '知味小馆', address: '南京市玄武区中山路1号', businessType: '餐饮服务' });

  const { problems, pageErrors, screen, watch, go } = screenRecorder('licence');
  const main = (page: Page) => page.locator('main').innerText();
  const noSidewaysScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

  // ① The holder, signed in on his phone, finds the licence in 我的证照.
  const holderContext: BrowserContext = await browser.newContext(PHONE);
  watch(holderContext);
  const holder = await holderContext.newPage();
  await holder.goto(`${base}/my/licences`);
  await go(holder, () => holder.getByRole('link', { name: '短信验证码登录' }).click(), /method=code/);
  await holder.getByLabel('手机号码', { exact: true }).fill(bed.applicant.mobile);
  await go(holder, () => holder.getByRole('button', { name: '获取验证码' }).click());
  await holder.getByLabel('短信验证码').fill(smsCode(platform, bed.applicant.mobile));
  await go(holder, () => holder.getByRole('button', { name: '登录', exact: true }).click(), /\/my\/licences$/);
  assert.match(await holder.locator('h1').innerText(), /我的证照/);
  const card = holder.locator('main a', { hasText: '食品经营许可证' }).first();
  assert.equal(await card.count(), 1, 'the licence issued on approval is in the wallet');
  assert.match(await main(holder), /有效/);
  assert.ok(await noSidewaysScroll(holder), 'the wallet fits the phone');
  await screen(holder, 'wallet');

  // ② Its page: the data (his own, unmasked), the QR code that loads, the identifier, the use record.
  await go(holder, () => card.click());
  const detail = await main(holder);
  for (const text of ['知味小馆', '王小明', bed.applicant.idNumber, identifier, '南京市市场监督管理局', '签发']) assert.ok(detail.includes(text), `the licence page shows ${text}`);
  const qr = holder.locator('main img[src$="/qr.svg"]');
  assert.ok(await qr.evaluate(async (img: HTMLImageElement) => {
    if (!img.complete) await new Promise((r) => img.addEventListener('load', r, { once: true }));
    return img.naturalWidth > 0;
  }), 'the QR code image loads');
  assert.match((await qr.getAttribute('alt')) ?? '', /核验二维码/);
  const qrLink = holder.locator('main a[href*="/licences/verify?qr="]');
  const verifyUrl = await qrLink.getAttribute('href');
  assert.ok(verifyUrl, 'the page offers the address the QR code encodes');
  assert.ok(await noSidewaysScroll(holder), 'the licence page fits the phone');
  await screen(holder, 'licence-page');

  // ③ A stranger scans the code: the public verification page says 有效, the holder masked.
  const strangerContext = await browser.newContext(PHONE);
  watch(strangerContext);
  const stranger = await strangerContext.newPage();
  await stranger.goto(new URL(verifyUrl, base).toString());
  let result = await main(stranger);
  assert.match(result, /有效/);
  assert.match(result, /食品经营许可证/);
  assert.ok(!result.includes(bed.applicant.idNumber) && !result.includes('王小明'), 'the public page shows the holder masked');
  assert.match(result, /王\*/);
  assert.ok(await noSidewaysScroll(stranger), 'the verification page fits the phone');
  await screen(stranger, 'verify-valid');

  // ④ The approver withdraws (吊销) it on the staff lifecycle page.
  const office = await browser.newContext(DESKTOP);
  watch(office);
  const approver = await office.newPage();
  await approver.goto(`${base}/staff/login`);
  await approver.locator('#loginName').fill('nj-approver');
  await approver.locator('#password').fill(DEMO_PASSWORD);
  await go(approver, () => approver.getByRole('button', { name: '登录', exact: true }).click(), /\/staff$/);
  await go(approver, () => approver.getByRole('link', { name: '电子证照库' }).click(), /\/staff\/licences$/);
  assert.ok((await main(approver)).includes(identifier), 'the library lists the licence');
  await screen(approver, 'library');
  await go(approver, () => approver.getByRole('link', { name: '食品经营许可证' }).first().click(), /\/manage$/);
  await approver.getByLabel('吊销（行政处罚）').check();
  await approver.getByLabel('原因').fill('超范围经营，依法吊销');
  await screen(approver, 'revoke-form');
  await go(approver, () => approver.getByRole('button', { name: '确认' }).click(), /done=withdrawn/);
  assert.match(await approver.locator('main [role="status"]').innerText(), /已吊销/);
  assert.match(await main(approver), /超范围经营，依法吊销/);
  await screen(approver, 'revoked');

  // ⑤ The same code now fails at once.
  await stranger.reload();
  result = await main(stranger);
  assert.match(result, /已吊销/);
  assert.doesNotMatch(result, /状态\s*有效/);
  await screen(stranger, 'verify-revoked');

  // ⑥ By identifier, in 长辈版: 已吊销 too.
  await go(stranger, () => stranger.getByRole('button', { name: '长辈版' }).click());
  assert.ok(await isElder(stranger), 'elder mode is on');
  await stranger.goto(`${base}/licences/verify`);
  await stranger.getByLabel('证照标识').fill(identifier);
  await go(stranger, () => stranger.getByRole('button', { name: /按标识核验|核验/ }).first().click());
  assert.match(await main(stranger), /已吊销/);
  await screen(stranger, 'verify-by-identifier-elder');

  // ⑦ The holder sees the licence withdrawn, and every verification in its use record.
  await holder.reload();
  const after = await main(holder);
  assert.match(after, /已吊销|已注销或吊销/);
  assert.match(after, /超范围经营，依法吊销/);
  assert.match(after, /公众查验/);
  await screen(holder, 'licence-after');

  assert.deepEqual(pageErrors, [], 'no script errors or CSP violations');
  assert.deepEqual(problems, [], 'no serious or critical axe findings');
});
