// Start-up and shutdown in-process: two nodes preparing one fresh database together,
// demo data that completes after a partial load, and a shutdown that always releases the
// database and stops the background work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { availableBackends, describeEachBackend } from './support/backends.ts';
import { testConfig } from './support/platform.ts';
import { openDatabase, ping } from '../src/platform/db/database.ts';
import { createSession } from '../src/platform/http/session.ts';
import { verifyAuditChain } from '../src/platform/audit/audit.ts';
import { createLogger } from '../src/platform/logger.ts';
import { preparePlatform, startPlatform } from '../src/server.ts';
import { StaffService } from '../src/modules/identity/index.ts';
import { DEMO_STAFF, loadDemoData } from '../demo/load.ts';

const silent = createLogger('silent');

const postgres = availableBackends().find((b) => b.name === 'postgres');
test('two nodes preparing one fresh PostgreSQL database together do not collide', { skip: postgres ? false : 'needs a PostgreSQL server' }, async () => {
  const first = await postgres!.open();
  const second = await openDatabase({ databaseUrl: first.url!, dataDir: 'unused', poolSize: 4 });
  try {
    const config = testConfig();
    const results = await Promise.allSettled([preparePlatform(config, first, silent), preparePlatform(config, second, silent)]);
    assert.deepEqual(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok')), ['ok', 'ok']);
    const db = first.db;
    const admins = await db.selectFrom('staff_account').select('id').where('login_name', '=', 'admin').execute();
    assert.equal(admins.length, 1);
    const demo = await db.selectFrom('staff_account').select('login_name').where('login_name', 'in', DEMO_STAFF.map((s) => s.loginName)).execute();
    assert.equal(demo.length, DEMO_STAFF.length);
    const halls = await db.selectFrom('organisation').select('id').where('region_code', '=', '320000').where('kind', '=', 'hall').execute();
    assert.equal(halls.length, 1, 'demo organisations were created once');
    // Without a start-up mutex both nodes see an empty database and both load everything.
    const loads = await db.selectFrom('audit_log').select('action').where('action', 'in', ['region.dataset.load', 'staff.bootstrap']).execute();
    assert.deepEqual(loads.map((r) => r.action).sort(), ['region.dataset.load', 'staff.bootstrap'], 'reference data and the administrator were created once');
    assert.equal((await verifyAuditChain(db)).ok, true);
  } finally {
    await second.close();
    await first.close();
  }
});

describeEachBackend('demo data', (getDb) => {
  test('a partially loaded demo completes on the next start', async () => {
    const db = getDb().db;
    const config = testConfig();
    // A previous start created one demo account, then stopped.
    const partial = DEMO_STAFF[1]!;
    await new StaffService(db).createStaff(
      { loginName: partial.loginName, displayName: partial.displayName, password: 'Yiwang-Demo-2026', orgId: null, regionCode: partial.region, roles: partial.roles, mustChangePassword: false },
      { kind: 'system', id: 'test' },
    );
    await preparePlatform(config, getDb(), silent);
    const names = async () => (await db.selectFrom('staff_account').select('login_name').where('login_name', 'in', DEMO_STAFF.map((s) => s.loginName)).execute()).map((r) => r.login_name).sort();
    assert.deepEqual(await names(), DEMO_STAFF.map((s) => s.loginName).sort());

    // Organisations exist but an account is missing: the next start adds just that account.
    const missing = DEMO_STAFF[3]!.loginName;
    await sql`delete from staff_account where login_name = ${missing}`.execute(db);
    const again = await loadDemoData(db, config);
    assert.deepEqual([again.loaded, again.staff], [true, 1]);
    assert.deepEqual(await names(), DEMO_STAFF.map((s) => s.loginName).sort());
    assert.equal((await loadDemoData(db, config)).loaded, false, 'nothing left to load');
  });
});

test('platform lifecycle: expired sessions are purged, close() releases everything even when the HTTP close fails, a failed listen leaves nothing running', async () => {
  const config = testConfig({ PORT: '0' });
  // The first start prepares the embedded database; later starts reuse it.
  const platform = await startPlatform(config, silent, { listen: false, purgeSessionsEveryMs: 50 });
  const db = platform.database.db;
  const stale = await createSession(db, { accountKind: 'staff', accountId: 'x' });
  await sql`update web_session set expires_at = now() - interval '1 second' where id = ${stale.id}`.execute(db);
  let gone = false;
  for (let i = 0; i < 100 && !gone; i++) {
    await new Promise((r) => setTimeout(r, 20));
    gone = !(await db.selectFrom('web_session').select('id').where('id', '=', stale.id).executeTakeFirst());
  }
  assert.ok(gone, 'the periodic purge removed the expired session');

  const realClose = platform.app.close.bind(platform.app);
  (platform.app as { close: () => Promise<void> }).close = () => Promise.reject(new Error('HTTP close failed'));
  await assert.rejects(platform.close(), /HTTP close failed/);
  await assert.rejects(ping(db), 'the database was closed anyway');
  await realClose();

  // A port already taken: start-up fails, and the worker was never started.
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  try {
    const taken = testConfig({ DATA_DIR: config.dataDir, PORT: String((blocker.address() as AddressInfo).port) });
    await assert.rejects(startPlatform(taken, silent), /EADDRINUSE/);
    // The embedded database was released: it opens again at once.
    const reopened = await startPlatform(config, silent, { listen: false });
    assert.equal(reopened.worker !== null, true);
    await reopened.close();
  } finally {
    blocker.close();
  }
});
