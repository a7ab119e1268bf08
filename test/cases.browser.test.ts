// One case from application to pick-up in Chromium, through the real pages only: the citizen
// on a phone opens the guide, applies (one field error first, then a real PDF through the file
// input), the Nanjing window clerk asks for a correction with the one-time notice, the citizen
// replaces the material and resubmits, the clerk accepts, the approver approves the step and
// decides 准予, the clerk hands out with a pick-up code, the citizen sees 已出件, and anyone can
// look the case up by number. Every screen is screenshotted (test-results/case-NN-name.png) and
// audited by axe-core (serious or critical findings fail), one of them also in 长辈版.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import type { BrowserContext, Page } from 'playwright-core';
import { screenRecorder, isElder, startBrowserPlatform } from './support/browser.ts';
import { publishedNanjingFoodLicence } from './support/catalog-fixtures.ts';
import { seedCitizen, smsCode } from './support/people.ts';
import { DEMO_PASSWORD } from '../demo/load.ts';
import { isCaseNumber } from '../src/modules/cases/index.ts';

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' };
const DESKTOP = { viewport: { width: 1280, height: 900 }, locale: 'zh-CN' };

/** A small, real PDF (one page of text) as a citizen would scan or print to PDF. */
function pdf(text: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', info: { Title: text } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.fontSize(16).text(text).moveDown().fontSize(11).text('Applicant signature: Zhang San');
    doc.end();
  });
}

test('a case from application to pick-up in Chromium: real pages, a screenshot and axe on every screen', { timeout: 300_000 }, async (t) => {
  let implId = '';
  const started = await startBrowserPlatform(t, async (db) => {
    implId = (await publishedNanjingFoodLicence(db.db, {
        processSteps: [
          { name: '申请', description: '网上提交申请' },
          { name: '受理', description: '窗口受理' },
          { name: '审查', description: '材料审查' },
          { name: '决定', description: '作出许可决定' },
        ],
        formSchema: {
          type: 'object',
          properties: {
            applicantName: { type: 'string', title: '申请人姓名', maxLength: 50 },
            idNumber: { type: 'string', title: '公民身份号码', pattern: '^\\d{17}[\\dX]$' },
            phone: { type: 'string', title: '手机号码', pattern: '^1\\d{10}$' },
            shopName: { type: 'string', title: '店铺名称', maxLength: 50 },
            seats: { type: 'integer', title: '座位数', minimum: 0, maximum: 500 },
          },
          required: ['applicantName', 'idNumber', 'phone', 'shopName', 'seats'],
        },
      })).implId;
  });
  if (!started) return;
  const { base, browser, platform } = started;

  // The citizen's verified account is seeded; signing in goes through the login page.
  const citizen = await seedCitizen(platform.ctx, { level: 2, name: '张三', factors: { password: Date.now(), sms: Date.now() } });
  const files = mkdtempSync(path.join(os.tmpdir(), 'yiwang-case-browser-'));
  t.after(() => rmSync(files, { recursive: true, force: true }));
  const firstPdf = path.join(files, '申请书.pdf');
  const signedPdf = path.join(files, '申请书（已签名）.pdf');
  writeFileSync(firstPdf, await pdf('Food business licence application'));
  writeFileSync(signedPdf, await pdf('Food business licence application (signed)'));

  const { problems, pageErrors, screen, watch, go } = screenRecorder('case');
  async function staffSignIn(context: BrowserContext, loginName: string): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${base}/staff/login`);
    await page.locator('#loginName').fill(loginName);
    await page.locator('#password').fill(DEMO_PASSWORD);
    await go(page, () => page.getByRole('button', { name: '登录', exact: true }).click(), /\/staff$/);
    assert.match(await page.locator('h1').innerText(), /工作台/);
    return page;
  }
  const main = (page: Page) => page.locator('main').innerText();
  const action = (page: Page, label: string) => page.getByRole('form', { name: label });

  const phone = await browser.newContext(PHONE);
  watch(phone);
  const me = await phone.newPage();

  // ① The guide, then 在线办理: sign in with an SMS code and come back to the application.
  assert.equal((await me.goto(`${base}/guides/${implId}`))!.status(), 200);
  await screen(me, 'guide');
  await go(me, () => me.getByRole('link', { name: '在线办理', exact: true }).click(), /\/account\/login/);
  await go(me, () => me.getByRole('link', { name: '短信验证码登录' }).click(), /method=code/);
  await me.getByLabel('手机号码', { exact: true }).fill(citizen.mobile);
  await go(me, () => me.getByRole('button', { name: '获取验证码' }).click());
  await me.getByLabel('短信验证码').fill(smsCode(platform, citizen.mobile));
  await screen(me, 'login');
  await go(me, () => me.getByRole('button', { name: '登录', exact: true }).click(), /\/cases\/apply\//);
  assert.match(await me.locator('.page-heading .caption').innerText(), /步骤 1\/3/);
  assert.equal(await me.locator('#idNumber').getAttribute('readonly'), '', 'the verified ID number is read-only');
  assert.equal(await me.locator('#phone').inputValue(), citizen.mobile, 'the mobile comes from the profile');
  await me.locator('#shopName').fill('知味小馆');
  await me.locator('#seats').fill('600');
  await screen(me, 'apply-form');

  // One field error first: the summary takes focus and links to the field; what was typed stays.
  await go(me, () => me.getByRole('button', { name: '保存并继续' }).click());
  const summary = me.locator('.error-summary');
  await summary.waitFor();
  assert.match(await summary.innerText(), /座位数/);
  await me.waitForFunction(() => document.activeElement?.classList.contains('error-summary'));
  assert.equal(await me.locator('#seats').getAttribute('aria-invalid'), 'true');
  assert.equal(await me.locator('#seats').inputValue(), '600');
  assert.equal(await me.locator('#shopName').inputValue(), '知味小馆');
  await screen(me, 'apply-form-error');
  await me.locator('#seats').fill('20');
  await go(me, () => me.getByRole('button', { name: '保存并继续' }).click(), /step=2/);

  // ② The material, a real PDF through the file input.
  assert.match(await me.locator('.page-heading .caption').innerText(), /步骤 2\/3/);
  await me.locator('input[type="file"][name="materials.application"]').setInputFiles(firstPdf);
  await screen(me, 'apply-materials');
  await go(me, () => me.getByRole('button', { name: '保存并继续' }).click(), /step=3/);

  // ③ Review and submit: the case number at once.
  const review = await main(me);
  for (const text of ['知味小馆', '20', '张三', '申请书.pdf']) assert.ok(review.includes(text), `review shows ${text}`);
  await screen(me, 'apply-review');
  await go(me, () => me.getByRole('button', { name: '提交申请' }).click(), /\/submitted$/);
  const caseNumber = (await me.locator('.notice strong').innerText()).trim();
  assert.ok(isCaseNumber(caseNumber), `a case number: ${caseNumber}`);
  const caseId = /\/cases\/([0-9a-f-]{36})\/submitted$/.exec(me.url())![1]!;
  await screen(me, 'submitted');

  // The Nanjing window clerk: workbench → 综合受理 → the case.
  const office = await browser.newContext(DESKTOP);
  watch(office);
  const clerk = await staffSignIn(office, 'nj-clerk');
  await screen(clerk, 'staff-home');
  await go(clerk, () => clerk.getByRole('link', { name: /综合受理/ }).click(), /\/staff\/cases$/);
  const row = clerk.locator('tbody tr', { hasText: caseNumber });
  assert.equal(await row.count(), 1, 'the case is in the intake queue');
  await screen(clerk, 'staff-queue');
  await go(clerk, () => row.getByRole('link').click(), new RegExp(`/staff/cases/${caseId}$`));
  assert.match(await main(clerk), /知味小馆/);
  await screen(clerk, 'staff-case');
  const caseUrl = clerk.url();

  // Material preview: the PDF the citizen uploaded, as uploaded.
  const [preview] = await Promise.all([
    clerk.waitForResponse((r) => r.url().includes(`/staff/cases/${caseId}/materials/`)),
    clerk.waitForURL(/\/materials\//, { waitUntil: 'commit' }),
    clerk.getByRole('link', { name: /查看 PDF 文件：申请书\.pdf/ }).click(),
  ]);
  assert.equal(preview.status(), 200);
  assert.equal(preview.headers()['content-type'], 'application/pdf');
  // Chromium opens it in its PDF viewer; the bytes behind it are exactly what was uploaded.
  const bytes = await (await office.request.get(clerk.url())).body();
  assert.deepEqual(bytes, readFileSync(firstPdf));
  await clerk.goto(caseUrl);

  // 一次性告知: the material and its reason, then the printable notice.
  const correction = action(clerk, '一次性告知补正');
  await correction.getByLabel('食品经营许可申请书', { exact: true }).check();
  await correction.getByLabel('“食品经营许可申请书”需要补正的原因').fill('申请书缺少申请人签名，请签名后重新上传');
  await correction.getByLabel('其他需要说明的事项').fill('座位数请与平面图一致');
  await go(clerk, () => correction.getByRole('button', { name: '一次性告知补正' }).click(), /done=request_correction/);
  assert.match(await clerk.locator('main [role="status"]').innerText(), /已完成：一次性告知补正/);
  await go(clerk, () => clerk.getByRole('link', { name: '打印一次性告知书' }).click(), /\/notice\//);
  const notice = await main(clerk);
  for (const text of [caseNumber, '缺少申请人签名', '座位数请与平面图一致', '南京市市场监督管理局']) assert.ok(notice.includes(text), `notice shows ${text}`);
  await screen(clerk, 'staff-correction-notice');

  // The citizen sees 待补正 in 我的办件 and the notice on the case page, then replaces the material.
  await me.goto(`${base}/cases/mine`);
  assert.match(await me.locator('tr', { hasText: caseNumber }).innerText(), /待补正/);
  await screen(me, 'mine-correction');
  await go(me, () => me.locator('tr', { hasText: caseNumber }).getByRole('link').first().click(), new RegExp(`/cases/${caseId}$`));
  const told = me.getByRole('region', { name: '需要补正（一次性告知）' });
  assert.match(await told.innerText(), /缺少申请人签名/);
  await screen(me, 'case-correction-notice');
  await go(me, () => told.getByRole('link', { name: '补正材料并重新提交' }).click(), /\/correction$/);
  await me.getByLabel('上传新文件').check();
  await me.locator('input[type="file"][name="materials.application"]').setInputFiles(signedPdf);
  await screen(me, 'correction-form');
  await go(me, () => me.getByRole('button', { name: '提交补正' }).click(), /done=resubmit/);
  assert.match(await main(me), /补正材料已提交/);
  assert.match(await main(me), /申请书（已签名）\.pdf/);

  // 长辈版 on this page: larger, higher-contrast, still passing axe (with the 7:1 rule).
  await go(me, () => me.getByRole('button', { name: '长辈版', exact: true }).click());
  assert.equal(await isElder(me), true);
  await screen(me, 'case-resubmitted-elder');
  await go(me, () => me.getByRole('button', { name: '退出长辈版' }).click());
  assert.equal(await isElder(me), false);

  // The clerk accepts the resubmitted case.
  await clerk.goto(caseUrl);
  assert.match(await main(clerk), /申请书（已签名）\.pdf/);
  await go(clerk, () => action(clerk, '受理').getByRole('button', { name: '受理', exact: true }).click(), /done=accept/);
  assert.match(await main(clerk), /审批中|审查/);

  // The approver: 我的待办 → the case → approve 审查 → decide 准予许可.
  const approverDesk = await browser.newContext(DESKTOP);
  watch(approverDesk);
  const approver = await staffSignIn(approverDesk, 'nj-approver');
  await go(approver, () => approver.getByRole('link', { name: /我的待办/ }).click(), /\/staff\/cases\/tasks$/);
  const task = approver.locator('tbody tr', { hasText: caseNumber });
  assert.match(await task.innerText(), /审查/);
  await screen(approver, 'staff-tasks');
  await go(approver, () => task.getByRole('link').click(), new RegExp(`/staff/cases/${caseId}$`));
  await screen(approver, 'staff-review');
  await go(approver, () => action(approver, '审批通过本环节').getByRole('button', { name: '审批通过本环节' }).click(), /done=approve_step/);
  assert.equal(await approver.locator('[aria-current="step"]').innerText().then((s) => s.trim().startsWith('决定')), true, 'now at the decision step');
  await screen(approver, 'staff-decision');
  await go(approver, () => action(approver, '准予许可').getByRole('button', { name: '准予许可' }).click(), /done=decide_approve/);
  assert.match(await main(approver), /准予许可/);

  // The clerk hands out at the window: the pick-up code is shown once.
  await clerk.goto(caseUrl);
  const deliver = action(clerk, '出件');
  await deliver.getByLabel('窗口领取').check();
  await go(clerk, () => deliver.getByRole('button', { name: '出件' }).click());
  const code = (await clerk.locator('#pickup-code').innerText()).trim();
  assert.match(code, /^\d{6}$/);
  assert.match(await main(clerk), /已完成：出件/);
  await screen(clerk, 'staff-delivered-pickup-code');

  // The citizen: 已出件 with the whole timeline, and the code in the in-site message.
  await me.goto(`${base}/cases/${caseId}`);
  assert.match(await me.locator('dl.summary-list').first().innerText(), /已出件/);
  const timeline = await me.getByRole('region', { name: '办理过程' }).innerText();
  let at = -1;
  for (const step of ['提交申请', '一次性告知补正', '补正后重新提交', '受理', '准予许可', '出件']) {
    const next = timeline.indexOf(step, at + 1);
    assert.ok(next > at, `timeline has ${step} in order: ${timeline}`);
    at = next;
  }
  await screen(me, 'case-delivered');
  await me.goto(`${base}/account/messages`);
  await go(me, () => me.getByRole('link', { name: /出件/ }).first().click(), /\/account\/messages\//);
  assert.ok((await main(me)).includes(`取件码 ${code}`), 'the applicant got the same pick-up code');
  await screen(me, 'message-pickup-code');

  // Anyone: the public progress lookup by case number and phone tail.
  const anonymous = await browser.newContext(PHONE);
  watch(anonymous);
  const visitor = await anonymous.newPage();
  await visitor.goto(`${base}/cases/progress`);
  await visitor.locator('#caseNumber').fill(caseNumber);
  await visitor.locator('#phoneTail').fill(citizen.mobile.slice(-4));
  await go(visitor, () => visitor.getByRole('button', { name: '查询' }).click());
  // The answer sits below the form, so it takes focus (and scrolls into view on a phone).
  await visitor.waitForFunction(() => document.activeElement?.getAttribute('aria-labelledby') === 'result-title');
  const result = await visitor.getByRole('region', { name: '食品经营许可' }).innerText();
  assert.match(result, /已出件/);
  assert.ok(result.includes(caseNumber));
  await screen(visitor, 'progress');

  await Promise.all([phone.close(), office.close(), approverDesk.close(), anonymous.close()]);
  assert.deepEqual(pageErrors, []);
  if (problems.length) assert.fail(`axe found serious problems:\n${problems.join('\n')}`);
});
