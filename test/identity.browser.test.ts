// Identity in a real browser (Debian's chromium through playwright-core): a new person
// registers with an SMS code, verifies name + ID number to reach level 2, then signs in to
// the demo business system (/demo-rp/) through single sign-on — 登录, the consent page, and
// back to the relying party showing the claims. axe-core audits every page on the way and
// the user centre's pages; the login page also in 长辈版 (with the 7:1 contrast rule).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { chromium, type Page } from 'playwright-core';
import { availableBackends } from './support/backends.ts';
import { buildTestPlatform } from './support/platform.ts';
import { axeAudit, CHROMIUM_ARGS } from './support/browser.ts';
import { ensureDemoSsoClient } from '../src/modules/sso/index.ts';
import { DEMO_PEOPLE } from '../simulators/index.ts';

/** The demo RP's redirect URI is built from PUBLIC_URL, so the port is chosen before start-up. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

test('identity in Chromium: register → level 2 → SSO into the demo business system, axe on every page', { timeout: 240_000 }, async (t) => {
  const executablePath = process.env.CHROMIUM_PATH;
  if (!executablePath) {
    t.skip('CHROMIUM_PATH is not set (npm test sets it when chromium is installed)');
    return;
  }
  const db = await availableBackends()[0]!.open();
  const port = await freePort();
  const base = `http://localhost:${port}`;
  const platform = await buildTestPlatform(db, { PUBLIC_URL: base });
  await ensureDemoSsoClient(db.db, platform.config.secrets.dataKey, base);
  await platform.app.listen({ port, host: '127.0.0.1' });
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
  t.after(async () => {
    await browser.close();
    await platform.app.close();
    await db.close();
  });

  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  const audit = async (p: Page, label: string) => {
    const { serious } = await axeAudit(p, label);
    problems.push(...serious);
  };

  const person = DEMO_PEOPLE[5]!;
  const password = 'Browser-2026';

  await page.goto(`${base}/account/register`);
  await audit(page, 'register');
  await page.getByLabel('手机号码', { exact: true }).fill(person.mobile);
  await page.getByRole('button', { name: '获取验证码' }).click();
  await page.waitForLoadState();
  assert.match(await page.locator('main').innerText(), /验证码已发送/);
  await audit(page, 'register (code sent)');
  const sms = platform.externals.simulators!.smsMessages(person.mobile);
  const code = /验证码为(\d{6})/.exec(sms[0]?.content ?? '')?.[1];
  assert.ok(code, `an SMS code was sent: ${JSON.stringify(sms)}`);
  await page.getByLabel('短信验证码').fill(code);
  await page.getByLabel('设置密码', { exact: true }).fill(password);
  await page.getByLabel('再次输入密码', { exact: true }).fill(password);
  await page.getByRole('button', { name: '注册', exact: true }).click();
  await page.waitForURL(/\/account\/realname\?welcome=1/);
  await audit(page, 'realname (welcome)');

  await page.getByLabel('姓名', { exact: true }).fill(person.name);
  await page.getByLabel('身份证号码', { exact: true }).fill(person.idNumber);
  await page.getByRole('button', { name: '提交核验' }).click();
  await page.waitForLoadState();
  await page.goto(`${base}/account`);
  assert.match(await page.locator('main').innerText(), /本次登录\s*L2/);
  await audit(page, 'account');

  for (const path of ['/account/realname', '/account/security', '/account/step-up?level=3', '/account/security/totp', '/account/security/passkey']) {
    await page.goto(base + path);
    await audit(page, path);
  }

  // Single sign-on into the demo business system.
  await page.goto(`${base}/demo-rp/`);
  await audit(page, 'demo RP');
  await page.getByRole('link', { name: '登录', exact: true }).click();
  await page.getByRole('button', { name: '同意并登录' }).waitFor();
  await audit(page, 'consent');
  await page.getByRole('button', { name: '同意并登录' }).click();
  await page.waitForURL(/\/demo-rp\/callback/);
  const claims = await page.locator('#userinfo-claims').innerText();
  assert.match(claims, new RegExp(person.name));
  assert.match(claims, /real_name_level\s*2/);
  assert.match(await page.locator('#id-token-claims').innerText(), /urn:yiwang:acr:level2/);
  await audit(page, 'demo RP (signed in)');

  // 长辈版 login page, as a fresh visitor.
  const elder = await browser.newContext({ locale: 'zh-CN' });
  await elder.addCookies([{ name: 'yw_elder', value: '1', url: base, httpOnly: true, secure: true, sameSite: 'Lax' }]);
  const elderPage = await elder.newPage();
  await elderPage.goto(`${base}/account/login`);
  assert.equal(await elderPage.evaluate(() => document.documentElement.classList.contains('elder')), true);
  await audit(elderPage, 'login (长辈版)');
  await elder.close();

  if (problems.length) assert.fail(problems.join('\n'));
});
