// One app process's outbox worker, for the test that runs two of them against one
// PostgreSQL server (src/platform/jobs/multi-process.test.ts). Its handler records
// (event id, worker id) in the test's table and is sometimes slower than the lease, so the
// two workers' leases overlap.
// Environment: DATABASE_URL, WORKER_ID, TOPIC, TABLE, LEASE_MS, SLOW_EVERY, SLOW_MS.
// Protocol on stdin/stdout: prints `ready`, starts on `go`, prints `stopped` after `stop`.
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { openDatabase } from '../../src/platform/db/database.ts';
import { OutboxWorker } from '../../src/platform/jobs/worker.ts';

function setting(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const workerId = setting('WORKER_ID');
const topic = setting('TOPIC');
const table = setting('TABLE');
if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`bad table name ${table}`);
const leaseMs = Number(setting('LEASE_MS'));
const slowEvery = Number(setting('SLOW_EVERY'));
const slowMs = Number(setting('SLOW_MS'));

const handle = await openDatabase({ databaseUrl: setting('DATABASE_URL'), dataDir: 'unused', poolSize: 3 });
const worker = new OutboxWorker(handle.db, {
  id: workerId,
  leaseMs,
  pollMs: 10,
  batchSize: 10,
  // Lost leases count as attempts; with leases this short they are frequent by design.
  maxAttempts: 100,
  log: {
    warn: (obj, msg) => console.error(`${workerId} warn: ${msg} ${JSON.stringify(obj)}`),
    error: (obj, msg) => console.error(`${workerId} error: ${msg} ${JSON.stringify(obj)}`),
  },
});
worker.register({
  name: 'record',
  topic,
  async handle(event, tx) {
    await sql`insert into ${sql.table(table)} (event_id, worker_id) values (${event.id}, ${workerId})`.execute(tx);
    // Every SLOW_EVERY-th event outlasts the lease: the rest of this worker's batch expires
    // while it waits, and the other worker may claim those events.
    await sleep(event.id % slowEvery === 0 ? slowMs : Math.random() * 5);
  },
});
console.log('ready');

for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'go') worker.start();
  if (line === 'stop') break;
}
// `stop`, or stdin closed because the test process ended.
await worker.stop();
await handle.close();
console.log('stopped');
