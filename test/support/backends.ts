// Runs integration tests on every available database backend: embedded PGlite always,
// and a real PostgreSQL server whenever TEST_DATABASE_URL is set (npm test sets it).
import { randomBytes } from 'node:crypto';
import { describe, before, after } from 'node:test';
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrate.ts';

export interface Backend {
  name: 'pglite' | 'postgres';
  /** A fresh, empty database with all migrations applied. */
  open(): Promise<TestDatabase>;
}

export interface TestDatabase extends DatabaseHandle {
  /** Connection string for other processes (postgres backend only). */
  url?: string;
}

/** Creates an empty database on the test server; close() drops it. */
async function freshServerDatabase(adminUrl: string): Promise<TestDatabase> {
  const name = `yw_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ databaseUrl: url.toString(), dataDir: 'unused', poolSize: 8 });
  return {
    ...handle,
    url: url.toString(),
    async close() {
      await handle.close();
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export function availableBackends(): Backend[] {
  const list: Backend[] = [
    {
      name: 'pglite',
      async open() {
        const h = await openDatabase({ dataDir: 'memory://' });
        await migrate(h.db);
        return h;
      },
    },
  ];
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    list.push({
      name: 'postgres',
      async open() {
        const h = await freshServerDatabase(url);
        await migrate(h.db);
        return h;
      },
    });
  }
  return list;
}

/**
 * `describe` once per backend with a migrated database shared by the suite's tests.
 * `get()` returns it inside tests.
 */
export function describeEachBackend(title: string, body: (get: () => TestDatabase, backend: Backend) => void): void {
  for (const backend of availableBackends()) {
    describe(`${title} [${backend.name}]`, () => {
      let handle: TestDatabase | null = null;
      before(async () => {
        handle = await backend.open();
      });
      after(async () => {
        await handle?.close();
      });
      body(() => {
        if (!handle) throw new Error('database not open yet');
        return handle;
      }, backend);
    });
  }
}
