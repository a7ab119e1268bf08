// Proves that no route lacks an access rule, and that the rules hold for anonymous callers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { availableBackends, type TestDatabase } from './support/backends.ts';
import { buildTestPlatform, testConfig, type TestPlatform } from './support/platform.ts';
import { buildApp } from '../src/app.ts';
import { createLogger } from '../src/platform/logger.ts';

let db: TestDatabase;
let p: TestPlatform;
before(async () => {
  db = await availableBackends()[0]!.open();
  p = await buildTestPlatform(db);
});
after(async () => {
  await p?.app.close();
  await db?.close();
});

test('every registered route declares who may call it', () => {
  assert.ok(p.routes.length > 10, 'routes were collected');
  const missing = p.routes.filter((r) => !r.access);
  assert.deepEqual(missing, []);
});

test('the app refuses to start with a route that declares no access rule', async () => {
  const rogue = { name: 'rogue', routes: (app: import('fastify').FastifyInstance) => void app.get('/rogue', async () => 'open') };
  await assert.rejects(buildApp({ config: testConfig(), db: db.db, logger: createLogger('silent'), modules: [rogue] }), /routes without an access rule: GET \/rogue/);
});

test('no URL prefix grants access: a module route under /docs… or /assets… still needs a rule', async () => {
  for (const url of ['/docsign/x', '/assetsregister']) {
    const rogue = { name: 'rogue', routes: (app: import('fastify').FastifyInstance) => void app.get(url, async () => 'open') };
    await assert.rejects(
      buildApp({ config: testConfig(), db: db.db, logger: createLogger('silent'), modules: [rogue] }),
      new RegExp(`routes without an access rule: GET ${url.replace(/\//g, '\\/')}`),
    );
  }
});

test('the API reference and the static assets are public', async () => {
  const docs = p.routes.filter((r) => r.url.startsWith('/docs') || r.url.startsWith('/assets'));
  assert.ok(docs.length >= 4, docs.map((r) => r.url).join(', '));
  assert.ok(docs.every((r) => r.access?.grants.some((g) => g.kind === 'public')));
  assert.equal((await p.app.inject('/assets/site.css')).statusCode, 200);
});

test('anonymous callers are turned away from every non-public route', async () => {
  const guarded = p.routes.filter((r) => r.access && !r.access.grants.some((g) => g.kind === 'public'));
  assert.ok(guarded.length > 0);
  for (const r of guarded) {
    const url = r.url.replace(/:(\w+)/g, (_m, name: string) => (name === 'code' ? '320100' : name === 'date' ? '2026-10-08' : '00000000-0000-0000-0000-000000000000'));
    const res = await p.app.inject({ method: r.method as 'GET', url, headers: { accept: 'application/json' } });
    if (r.method === 'GET' || r.method === 'HEAD') {
      assert.equal(res.statusCode, 401, `${r.method} ${r.url} answered ${res.statusCode}`);
    } else {
      // State-changing calls without a CSRF token stop even earlier.
      assert.ok([401, 403].includes(res.statusCode), `${r.method} ${r.url} answered ${res.statusCode}`);
    }
  }
});
