// Shared set-up for browser tests: Debian's chromium driven by playwright-core against the
// app listening on localhost, and the axe-core check every visited page must pass.
import type { TestContext } from 'node:test';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { availableBackends, type TestDatabase } from './backends.ts';
import { buildTestPlatform, type TestPlatform } from './platform.ts';

/** Without the background-networking flags Chromium keeps dialling out of this closed network. */
export const CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const RESULTS_DIR = path.resolve('test-results');

export interface BrowserPlatform {
  base: string;
  browser: Browser;
  platform: TestPlatform;
  db: TestDatabase;
}

/**
 * A prepared platform on PGlite listening on localhost (Secure cookies work there) and a
 * fresh Chromium; both closed after the test. Null (and the test skipped) without chromium.
 */
export async function startBrowserPlatform(t: TestContext, prepare?: (db: TestDatabase) => Promise<void>): Promise<BrowserPlatform | null> {
  const executablePath = process.env.CHROMIUM_PATH;
  if (!executablePath) {
    t.skip('CHROMIUM_PATH is not set (npm test sets it when chromium is installed)');
    return null;
  }
  mkdirSync(RESULTS_DIR, { recursive: true });
  const db = await availableBackends()[0]!.open();
  const platform = await buildTestPlatform(db);
  await prepare?.(db);
  await platform.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://localhost:${(platform.app.server.address() as AddressInfo).port}`;
  // launch() runs Chromium on a fresh temporary profile of its own.
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true });
  t.after(async () => {
    await browser.close();
    await platform.app.close();
    await db.close();
  });
  return { base, browser, platform, db };
}

export const isElder = (page: Page) => page.evaluate(() => document.documentElement.classList.contains('elder'));

/**
 * Runs axe on the page as shown. 长辈版 promises ≥ 7:1 contrast, so there WCAG AAA's
 * enhanced-contrast rule is switched on too. Returns every violation and, as text, the
 * serious and critical ones that fail a test.
 */
export async function axeAudit(page: Page, label: string) {
  const elder = await isElder(page);
  let builder = new AxeBuilder({ page });
  if (elder) builder = builder.options({ rules: { 'color-contrast-enhanced': { enabled: true } } });
  const { violations } = await builder.analyze();
  const serious = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${label} [${elder ? 'elder' : 'standard'}] ${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary ?? ''}`).join('; ')}`);
  return { elder, violations, serious };
}

/**
 * A recorded walk through screens: each screen gets a numbered screenshot
 * (test-results/{prefix}-NN-name.png) and an axe audit whose serious findings are collected;
 * script errors and CSP violations on any page of a watched context are collected too. The
 * test asserts both lists are empty at the end, so every screen is reported, not just the first.
 */
export function screenRecorder(prefix: string) {
  const problems: string[] = [];
  const pageErrors: string[] = [];
  let shots = 0;
  return {
    problems,
    pageErrors,
    async screen(page: Page, name: string): Promise<void> {
      const n = String(++shots).padStart(2, '0');
      const { serious } = await axeAudit(page, `${n}-${name}`);
      problems.push(...serious);
      await page.screenshot({ path: path.join(RESULTS_DIR, `${prefix}-${n}-${name}.png`), fullPage: true });
    },
    watch(context: BrowserContext): void {
      context.on('page', (p) => {
        p.on('pageerror', (err) => pageErrors.push(err.message));
        p.on('console', (m) => {
          if (/Content Security Policy/i.test(m.text())) pageErrors.push(m.text());
        });
      });
    },
    /** Clicks something that submits or navigates and waits for the next page to load. */
    async go(page: Page, click: () => Promise<void>, url?: RegExp): Promise<void> {
      await Promise.all([page.waitForNavigation(url ? { url, waitUntil: 'load' } : { waitUntil: 'load' }), click()]);
    },
  };
}
