// Builds a fully prepared platform (migrations, regions, bootstrap admin, demo data) on a
// test database, and helpers to act as a browser user through Fastify's inject.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { loadConfig, type Config } from '../../src/config.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { preparePlatform } from '../../src/server.ts';
import { buildApp, type App } from '../../src/app.ts';
import { openExternalServices, type ExternalHandle } from '../../src/external.ts';
import type { TestDatabase } from './backends.ts';

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'yiwang-test-')),
    LOG_LEVEL: 'silent',
    SESSION_SECRET: '11'.repeat(32),
    DATA_ENCRYPTION_KEY: '22'.repeat(16),
    BLIND_INDEX_KEY: '33'.repeat(32),
    RATE_LIMIT_PER_MINUTE: '100000',
    // The demo catalogue takes ~20 s to load; suites that need it build their own entries.
    DEMO_CATALOG: 'false',
    // Short enough that a test of a slow upstream does not wait long.
    VERIFIER_TIMEOUT_MS: '1500',
    ...overrides,
  });
}

export interface TestPlatform extends App {
  config: Config;
  /** The embedded simulators (failure switches, the SMS outbox); stopped by closeExternals. */
  externals: ExternalHandle;
  /** The bootstrap administrator's one-time password, captured from start-up. */
  adminPassword: string | null;
}

export async function buildTestPlatform(database: TestDatabase, overrides: Record<string, string> = {}): Promise<TestPlatform> {
  const config = testConfig(overrides);
  let adminPassword: string | null = null;
  const log = createLogger('silent');
  const capture = Object.create(log) as typeof log;
  capture.warn = ((obj: unknown) => {
    const o = obj as { oneTimePassword?: string };
    if (o && typeof o === 'object' && o.oneTimePassword) adminPassword = o.oneTimePassword;
  }) as typeof log.warn;
  await preparePlatform(config, database, capture);
  const externals = await openExternalServices(config);
  // Closing the app stops the simulators too, so suites need no extra teardown.
  const built = await buildApp({ config, db: database.db, logger: log, external: externals.external, onClose: () => externals.close() });
  return { ...built, config, adminPassword, externals };
}

/** A cookie jar over inject: keeps cookies between requests like a browser. */
export class Browser {
  private readonly jar = new Map<string, string>();
  private readonly app: FastifyInstance;
  constructor(app: FastifyInstance) {
    this.app = app;
  }

  get cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** Plants a cookie, e.g. the session of an account seeded straight into the database. */
  setCookie(name: string, value: string): void {
    this.jar.set(name, value);
  }

  /** Takes the cookies of a response made outside get/submit (e.g. a multipart inject). */
  setCookiesFrom(res: LightMyRequestResponse): LightMyRequestResponse {
    return this.keep(res);
  }

  private keep(res: LightMyRequestResponse): LightMyRequestResponse {
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.jar.delete(c.name);
      else this.jar.set(c.name, c.value);
    }
    return res;
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.keep(await this.app.inject({ method: 'GET', url, headers: { accept: 'text/html', cookie: this.cookieHeader, ...headers } }));
  }

  /** Submits a form the way a browser without JavaScript does, with the page's CSRF token. */
  async submit(url: string, fields: Record<string, string>, csrf?: string): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams({ ...(csrf !== undefined ? { _csrf: csrf } : {}), ...fields }).toString();
    return this.keep(
      await this.app.inject({ method: 'POST', url, payload: body, headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', cookie: this.cookieHeader } }),
    );
  }

  /** The CSRF token embedded in a page's forms. */
  static csrfFrom(html: string): string {
    const m = /name="_csrf" value="([^"]+)"/.exec(html);
    if (!m) throw new Error('page has no CSRF token');
    return m[1]!;
  }

  async login(loginName: string, password: string): Promise<LightMyRequestResponse> {
    const page = await this.get('/staff/login');
    return this.submit('/staff/login', { loginName, password }, Browser.csrfFrom(page.body));
  }
}
