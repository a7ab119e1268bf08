// The database an operator's `npm run cli -- …` opens, for CLI tests: the server test
// database by URL, or a file-backed PGlite that the test closes before the CLI opens it
// (embedded PGlite serves one process at a time).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type { Backend } from './backends.ts';
import { openDatabase, type Db } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import { runCli } from '../../src/cli.ts';

export interface CliTarget {
  env: Record<string, string>;
  /** Runs `work` on the database the CLI will open. */
  use<T>(work: (db: Db) => Promise<T>): Promise<T>;
  cli(...argv: string[]): Promise<{ code: number; output: string }>;
  close(): Promise<void>;
}

export async function cliTarget(backend: Backend): Promise<CliTarget> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'yiwang-cli-'));
  const env: Record<string, string> = { NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'silent', SESSION_SECRET: '11'.repeat(32), DATA_ENCRYPTION_KEY: '22'.repeat(16), BLIND_INDEX_KEY: '33'.repeat(32) };
  const server = backend.name === 'postgres' ? await backend.open() : null;
  if (server) env.DATABASE_URL = server.url!;
  return {
    env,
    async use<T>(work: (db: Db) => Promise<T>): Promise<T> {
      if (server) return work(server.db);
      const handle = await openDatabase({ dataDir });
      try {
        await migrate(handle.db);
        return await work(handle.db);
      } finally {
        await handle.close();
      }
    },
    async cli(...argv: string[]) {
      const lines: string[] = [];
      const code = await runCli(argv, env, (l) => lines.push(l));
      return { code, output: lines.join('\n') };
    },
    async close() {
      await server?.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs a statement the audit guards would refuse, as an intruder with owner rights who
 * first disables every trigger on the audit tables.
 */
export async function tamperWithAudit(db: Db, statement: ReturnType<typeof sql>): Promise<void> {
  await sql`alter table audit_log disable trigger user`.execute(db);
  await sql`alter table audit_head disable trigger user`.execute(db);
  try {
    await statement.execute(db);
  } finally {
    await sql`alter table audit_log enable trigger user`.execute(db);
    await sql`alter table audit_head enable trigger user`.execute(db);
  }
}
