// Scale-out: two app processes, each with its own outbox worker, share one PostgreSQL
// server. Every event must be handled exactly once and both must take part.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { availableBackends } from '../../../test/support/backends.ts';
import { emitEvent } from './outbox.ts';

const WORKER_SCRIPT = fileURLToPath(new URL('../../../test/support/outbox-worker-process.ts', import.meta.url));
const EVENTS = 300;

interface Child {
  proc: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
  /** Resolves once the process has printed `line`. */
  said(line: string): Promise<void>;
}

function startWorker(env: Record<string, string>): Child {
  const proc = spawn(process.execPath, [WORKER_SCRIPT], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  const waiters: { line: string; resolve: () => void }[] = [];
  const check = () => {
    const lines = out.split('\n');
    for (const w of [...waiters]) {
      if (!lines.includes(w.line)) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  };
  proc.stdout!.on('data', (d) => ((out += d), check()));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return {
    proc,
    output: () => out,
    exited,
    said: (line) =>
      Promise.race([
        new Promise<void>((resolve) => (waiters.push({ line, resolve }), check())),
        exited.then((code) => Promise.reject(new Error(`worker exited (${code}) before saying ${line}:\n${out}`))),
      ]),
  };
}

for (const backend of availableBackends()) {
  test(
    `Two app processes on one PostgreSQL server must not deliver an event twice [${backend.name}]`,
    { skip: backend.name === 'pglite' && 'embedded PGlite belongs to one process' },
    async (t) => {
      const database = await backend.open();
      const { db } = database;
      const children: Child[] = [];
      try {
        await sql`create table handled_by (event_id bigint not null, worker_id text not null)`.execute(db);
        await db.transaction().execute(async (tx) => {
          for (let i = 0; i < EVENTS; i++) await emitEvent(tx, { topic: 'scale.test', payload: { i } });
        });
        const env = { DATABASE_URL: database.url!, TOPIC: 'scale.test', TABLE: 'handled_by', LEASE_MS: '100', SLOW_EVERY: '15', SLOW_MS: '250', NODE_ENV: 'test' };
        children.push(startWorker({ ...env, WORKER_ID: 'process-1' }), startWorker({ ...env, WORKER_ID: 'process-2' }));
        await Promise.all(children.map((c) => c.said('ready')));
        // Both start together, so neither can finish the queue before the other has begun.
        for (const c of children) c.proc.stdin!.write('go\n');

        let delivered = 0;
        for (let i = 0; i < 1200 && delivered < EVENTS; i++) {
          await sleep(100);
          const r = await sql<{ n: number }>`select count(*)::int as n from outbox_event where topic = 'scale.test' and status = 'delivered'`.execute(db);
          delivered = r.rows[0]!.n;
          if (children.some((c) => c.proc.exitCode !== null)) break;
        }
        for (const c of children) c.proc.stdin!.end('stop\n');
        const codes = await Promise.all(children.map((c) => c.exited));
        const outputs = children.map((c) => c.output()).join('\n');
        assert.deepEqual(codes, [0, 0], outputs);
        assert.equal(delivered, EVENTS, `all events delivered\n${outputs}`);

        const twice = await sql<{ event_id: number; n: number }>`select event_id, count(*)::int as n from handled_by group by event_id having count(*) > 1`.execute(db);
        assert.deepEqual(twice.rows, [], 'no event handled twice');
        const totals = await sql<{ n: number; events: number }>`select count(*)::int as n, count(distinct event_id)::int as events from handled_by`.execute(db);
        assert.deepEqual(totals.rows[0], { n: EVENTS, events: EVENTS });
        const missing = await sql<{ n: number }>`
          select count(*)::int as n from outbox_event o where o.topic = 'scale.test'
            and not exists (select 1 from handled_by h where h.event_id = o.id)`.execute(db);
        assert.equal(missing.rows[0]!.n, 0, 'every emitted event was handled');
        const perWorker = await sql<{ worker_id: string; n: number }>`select worker_id, count(*)::int as n from handled_by group by worker_id order by worker_id`.execute(db);
        assert.deepEqual(perWorker.rows.map((r) => r.worker_id), ['process-1', 'process-2'], 'both processes did some of the work');
        const takeovers = await sql<{ n: number }>`select count(*)::int as n from outbox_event where topic = 'scale.test' and attempts > 1`.execute(db);
        t.diagnostic(`handled per process: ${perWorker.rows.map((r) => `${r.worker_id}=${r.n}`).join(', ')}; events claimed again after a lease ran out: ${takeovers.rows[0]!.n}`);
      } finally {
        for (const c of children) if (c.proc.exitCode === null) c.proc.kill('SIGKILL');
        await Promise.all(children.map((c) => c.exited));
        await database.close();
      }
    },
  );
}
