// Plain SQL migrations from migrations/, applied in order under an advisory lock so that
// several app processes starting together apply each file once.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Db } from './database.ts';
import { sm3Hex } from '../crypto/sm3.ts';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations');
// Any fixed number works; this one spells "yiwa" in ASCII so it is recognisable in pg_locks.
const LOCK_KEY = 0x7969_7761;

export interface MigrationFile {
  name: string;
  checksum: string;
  sql: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((name) => {
      const text = readFileSync(path.join(dir, name), 'utf8');
      return { name, checksum: sm3Hex(text), sql: text };
    });
}

const CREATE_TABLE = sql`create table if not exists schema_migration (
  name text primary key,
  checksum text not null,
  applied_at timestamptz not null default now()
)`;

export class MigrationError extends Error {}

/** Applies pending migrations; returns the names applied. Refuses edited migrations. */
export async function migrate(db: Db, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = readMigrations(dir);
  return db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${LOCK_KEY}::bigint)`.execute(conn);
    try {
      await CREATE_TABLE.execute(conn);
      const applied = await sql<{ name: string; checksum: string }>`select name, checksum from schema_migration`.execute(conn);
      const done = new Map(applied.rows.map((r) => [r.name, r.checksum]));
      for (const file of files) {
        const previous = done.get(file.name);
        if (previous !== undefined && previous !== file.checksum) {
          throw new MigrationError(`migration ${file.name} was edited after it was applied; add a new migration instead`);
        }
      }
      const pending = files.filter((f) => !done.has(f.name));
      for (const file of pending) {
        await conn.transaction().execute(async (tx) => {
          await sql.raw(file.sql).execute(tx);
          await sql`insert into schema_migration (name, checksum) values (${file.name}, ${file.checksum})`.execute(tx);
        });
      }
      return pending.map((f) => f.name);
    } finally {
      await sql`select pg_advisory_unlock(${LOCK_KEY}::bigint)`.execute(conn);
    }
  });
}

/** Names of migration files not yet applied (empty when the schema is current). */
export async function pendingMigrations(db: Db, dir = MIGRATIONS_DIR): Promise<string[]> {
  const files = readMigrations(dir);
  const exists = await sql<{ t: string | null }>`select to_regclass('schema_migration')::text as t`.execute(db);
  if (!exists.rows[0]?.t) return files.map((f) => f.name);
  const applied = await sql<{ name: string }>`select name from schema_migration`.execute(db);
  const done = new Set(applied.rows.map((r) => r.name));
  return files.filter((f) => !done.has(f.name)).map((f) => f.name);
}
