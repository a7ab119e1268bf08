// One Kysely instance over either embedded PGlite or a PostgreSQL server: the same SQL and
// the same code path for both (docs/architecture.md, "Database notes").
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import pg from 'pg';

/** Tables, declared by each module through `declare module` augmentation of this interface. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Database {}

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Either the database or a transaction: store functions accept both. */
export type Queryable = Db | Tx;

export interface DatabaseHandle {
  db: Db;
  backend: 'pglite' | 'postgres';
  /** Where the data lives, for logs: a directory or a server URL without its password. */
  location: string;
  /**
   * Runs `work` while holding the PostgreSQL session advisory lock `key`, so processes sharing
   * one server take turns. The lock lives on a connection of its own, outside the pool, so
   * `work` may use the whole pool (even a pool of one). Embedded PGlite belongs to a single
   * process, so there it simply runs `work`.
   */
  exclusive<T>(key: number, work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

// Through pg, int8 and count(*) arrive as strings and dates as local-midnight Date objects.
// Parse both once, here: ids and counts stay below 2^53, and a calendar date stays a string.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

export interface OpenOptions {
  databaseUrl?: string | undefined;
  /** Directory for the embedded database files, or 'memory://' for a throwaway one. */
  dataDir: string;
  poolSize?: number;
  /** Called on idle-client errors (a server restart) so they are logged, not thrown. */
  onPoolError?: (err: Error) => void;
}

export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 5_000,
      application_name: 'yiwang',
    });
    pool.on('error', (err) => options.onPoolError?.(err));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const redacted = new URL(options.databaseUrl);
    if (redacted.password) redacted.password = '***';
    const connectionString = options.databaseUrl;
    return {
      db,
      backend: 'postgres',
      location: redacted.toString(),
      async exclusive(key, work) {
        const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5_000, application_name: 'yiwang-lock' });
        client.on('error', (err) => options.onPoolError?.(err));
        await client.connect();
        try {
          await client.query('select pg_advisory_lock($1::bigint)', [key]);
          return await work();
        } finally {
          // Ending the session releases its advisory locks.
          await client.end().catch(() => undefined);
        }
      },
      close: () => db.destroy(),
    };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
  const dir = options.dataDir === 'memory://' ? 'memory://' : path.join(options.dataDir, 'pgdata');
  if (dir !== 'memory://') mkdirSync(dir, { recursive: true });
  const pglite = await PGlite.create(dir);
  const pool = new pg.Pool(createPgConfig(pglite) as unknown as pg.PoolConfig);
  pool.on('error', (err) => options.onPoolError?.(err));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    backend: 'pglite',
    location: dir,
    exclusive: (_key, work) => work(),
    async close() {
      await db.destroy();
      await pglite.close();
    },
  };
}

/** Runs `work` in one transaction: every multi-row change goes through here. */
export function inTransaction<T>(db: Queryable, work: (tx: Tx) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db as Tx);
  return (db as Db).transaction().execute(work);
}

export async function ping(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}

export { sql };
