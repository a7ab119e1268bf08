// Application forms rendered by the case forms block, on a phone in Chromium with the real
// design-system stylesheet and the platform's Content-Security-Policy: a few demo forms
// (lists of people, checkboxes, yes/no, date-time, a long select), one pre-filled with
// provenance tags and read-only identity fields, one showing errors. axe-core audits the page
// in the standard display and in 长辈版; serious or critical findings, or a CSP violation, fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { Eta } from 'eta';
import { chromium } from 'playwright-core';
import { axeAudit, CHROMIUM_ARGS, RESULTS_DIR } from './support/browser.ts';
import { DEMO_IMPLEMENTATIONS } from '../demo/catalog/implementations.ts';
import { ASSETS_DIR, VIEWS_ROOT } from '../src/platform/web/render.ts';
import { CONTENT_SECURITY_POLICY } from '../src/platform/http/security-headers.ts';
import { parseForm, renderForm, validateAnswers } from '../src/modules/cases/index.ts';

type Schema = Record<string, unknown>;
const CSP = CONTENT_SECURITY_POLICY;

function schemaOf(field: string): Schema {
  const spec = DEMO_IMPLEMENTATIONS.find((i) => JSON.stringify(i.details.formSchema).includes(`"${field}"`));
  assert.ok(spec, `no demo form with ${field}`);
  return spec.details.formSchema as Schema;
}

function page(elder: boolean): string {
  const eta = new Eta({ views: VIEWS_ROOT, autoEscape: true, useWith: false });
  const hukou = schemaOf('members');
  const food = schemaOf('projects');
  const marriage = schemaOf('ceremony');
  const injury = schemaOf('accidentTime');
  const sections: { title: string; html: string; errors?: { field: string; message: string }[] }[] = [
    {
      title: String(hukou.title),
      html: renderForm({
        schema: hukou,
        values: { applicantName: '张三', idNumber: '32010219900307001X', phone: '13800000000', members: [{ name: '李四', idNumber: '320102199503070022', relation: '配偶' }] },
        provenance: { applicantName: { source: 'identity' }, idNumber: { source: 'identity' }, phone: { source: 'profile' }, members: { source: 'previous' } },
        readOnly: ['applicantName', 'idNumber'],
      }),
    },
    { title: String(food.title), html: renderForm({ schema: food }) },
    { title: String(marriage.title), html: renderForm({ schema: marriage }) },
  ];
  const posted = parseForm(injury, { applicantName: '', phone: '12', accidentTime: 'junk' });
  const errors = validateAnswers(injury, posted);
  assert.ok(errors.length >= 3);
  sections.push({ title: String(injury.title), html: renderForm({ schema: injury, values: posted, errors }), errors });
  const body = sections
    .map((s, i) => {
      const summary = s.errors ? eta.render('/platform/web/views/partials/error-summary.eta', { errors: s.errors }) : '';
      return `<section aria-labelledby="form-${i}"><h2 id="form-${i}">${eta.renderString('<%= it.t %>', { t: s.title })}</h2>${summary}<form method="post" action="/submit" novalidate>${s.html}<button class="button" type="submit">提交</button></form></section>`;
    })
    .join('\n');
  return `<!doctype html><html lang="zh-CN"${elder ? ' class="elder"' : ''}><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>申请表 - 测试</title><link rel="stylesheet" href="/assets/site.css"></head><body><main id="main" class="container narrow"><h1>在线申请</h1>${body}</main></body></html>`;
}

test('demo application forms pass axe in Chromium with the real stylesheet and CSP', { timeout: 180_000 }, async (t) => {
  const executablePath = process.env.CHROMIUM_PATH;
  if (!executablePath) return t.skip('CHROMIUM_PATH is not set (npm test sets it when chromium is installed)');
  const app = Fastify();
  const css = await readFile(path.join(ASSETS_DIR, 'site.css'));
  app.get('/assets/site.css', (_req, reply) => reply.type('text/css').send(css));
  app.get('/forms', (req, reply) => reply.type('text/html; charset=utf-8').header('content-security-policy', CSP).send(page((req.query as { elder?: string }).elder === '1')));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://localhost:${(app.server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
  t.after(async () => {
    await browser.close();
    await app.close();
  });
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const tab = await context.newPage();
  const cspViolations: string[] = [];
  tab.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  const problems: string[] = [];
  for (const elder of [false, true]) {
    assert.equal((await tab.goto(`${base}/forms${elder ? '?elder=1' : ''}`))!.status(), 200);
    // The stylesheet really applied: inputs get the design system's 44 px minimum height.
    const height = await tab.locator('#phone').first().evaluate((el) => el.getBoundingClientRect().height);
    assert.ok(height >= 44, `input height ${height}`);
    assert.match(await tab.locator('main').innerText(), /来自实名信息/);
    assert.equal(await tab.locator('#idNumber').first().getAttribute('readonly'), '');
    const audit = await axeAudit(tab, 'case forms');
    assert.equal(audit.elder, elder);
    problems.push(...audit.serious);
    await tab.screenshot({ path: path.join(RESULTS_DIR, `case-forms${elder ? '-elder' : ''}.png`), fullPage: true });
  }
  assert.deepEqual(cspViolations, []);
  assert.deepEqual(problems, []);
});
