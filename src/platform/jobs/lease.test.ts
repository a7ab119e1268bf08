// Leases: a worker that stalls past its lease lets another take over, without any handler
// committing twice and without the stalled worker overwriting the outcome afterwards.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { describeEachBackend } from '../../../test/support/backends.ts';
import type { Db, Tx } from '../db/database.ts';
import { emitEvent, type OutboxEvent } from './outbox.ts';
import { OutboxWorker, type EventHandler } from './worker.ts';

function recorder(name: string, topic: string, worker: string, runs: string[], gate?: (e: OutboxEvent) => Promise<void>): EventHandler {
  return {
    name,
    topic,
    async handle(event: OutboxEvent, tx: Tx) {
      runs.push(`${worker}:${name}:${event.id}`);
      await sql`insert into lease_effect (event_id, handler, worker) values (${event.id}, ${name}, ${worker})`.execute(tx);
      await gate?.(event);
    },
  };
}

async function emit(db: Db, topic: string, n: number): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    await emitEvent(db, { topic, payload: { i }, idempotencyKey: `${topic}:${i}` });
    const row = await db.selectFrom('outbox_event').select('id').where('idempotency_key', '=', `${topic}:${i}`).executeTakeFirstOrThrow();
    ids.push(Number(row.id));
  }
  return ids;
}

async function effects(db: Db, topic: string): Promise<string[]> {
  const r = await sql<{ e: string }>`
    select f.worker || ':' || f.handler || ':' || f.event_id as e
    from lease_effect f join outbox_event o on o.id = f.event_id where o.topic = ${topic} order by f.event_id, f.handler`.execute(db);
  return r.rows.map((x) => x.e);
}

/** A worker that claimed the event and then stalled, its lease expired or still running. */
async function stalledClaim(db: Db, id: number, attempts: number, until: 'expired' | 'live'): Promise<void> {
  const lockedUntil = until === 'expired' ? sql`now() - interval '1 second'` : sql`now() + interval '1 hour'`;
  await sql`update outbox_event set locked_by = 'stalled-worker', locked_until = ${lockedUntil}, attempts = ${attempts} where id = ${id}`.execute(db);
}

describeEachBackend('outbox leases', (getDb, backend) => {
  before(async () => {
    await sql`create table lease_effect (event_id bigint not null, handler text not null, worker text not null)`.execute(getDb().db);
  });

  test('an expired lease lets another worker take over; handlers the stalled one finished are not run again', async () => {
    const { db } = getDb();
    const topic = 'lease.takeover';
    const [taken, held] = await emit(db, topic, 2);
    // The stalled worker committed its first handler for `taken` (completion row and work,
    // in one transaction), then stopped before the second one; `held` is still within its lease.
    await stalledClaim(db, taken!, 1, 'expired');
    await db.transaction().execute(async (tx) => {
      await tx.insertInto('outbox_handled').values({ event_id: taken!, handler: 'licence.issue' }).execute();
      await sql`insert into lease_effect (event_id, handler, worker) values (${taken}, 'licence.issue', 'stalled-worker')`.execute(tx);
    });
    await stalledClaim(db, held!, 1, 'live');

    const runs: string[] = [];
    const worker = new OutboxWorker(db, { id: 'B' }).register(recorder('licence.issue', topic, 'B', runs)).register(recorder('national.push', topic, 'B', runs));
    assert.equal(await worker.runOnce(), 1, 'only the event whose lease ran out');
    assert.deepEqual(runs, [`B:national.push:${taken}`], 'the finished handler is skipped');
    const row = await db.selectFrom('outbox_event').selectAll().where('id', '=', taken!).executeTakeFirstOrThrow();
    assert.deepEqual([row.status, row.attempts, row.locked_by], ['delivered', 2, null]);
    assert.deepEqual(await effects(db, topic), [`stalled-worker:licence.issue:${taken}`, `B:national.push:${taken}`]);
    const other = await db.selectFrom('outbox_event').selectAll().where('id', '=', held!).executeTakeFirstOrThrow();
    assert.deepEqual([other.status, other.locked_by], ['pending', 'stalled-worker'], 'a live lease is respected');

    // The completion row is what refuses a second commit of the same handler.
    await assert.rejects(db.insertInto('outbox_handled').values({ event_id: taken!, handler: 'licence.issue' }).execute(), /duplicate key|outbox_handled_pkey/);
  });

  test('an event that keeps losing its lease (crashing its worker) goes to the dead letter unrun', async () => {
    const { db } = getDb();
    const topic = 'lease.poison';
    const [id] = await emit(db, topic, 1);
    await stalledClaim(db, id!, 3, 'expired');
    const runs: string[] = [];
    const worker = new OutboxWorker(db, { maxAttempts: 3 }).register(recorder('h', topic, 'W', runs));
    assert.equal(await worker.runOnce(), 1);
    const row = await db.selectFrom('outbox_event').selectAll().where('id', '=', id!).executeTakeFirstOrThrow();
    assert.equal(row.status, 'dead');
    assert.match(row.last_error ?? '', /lease expired.*4 times/);
    assert.deepEqual(runs, []);
  });

  test('a worker stalled past its lease neither runs the taken-over event nor overwrites its outcome', { skip: backend.name === 'pglite' && 'PGlite has one connection: two workers cannot overlap' }, async () => {
    const { db } = getDb();
    const topic = 'lease.overlap';
    const [slow, waiting] = await emit(db, topic, 2);
    const runs: string[] = [];
    const deliveredBy: string[] = [];
    let entered!: () => void;
    let release!: () => void;
    const inSlowHandler = new Promise<void>((r) => (entered = r));
    const released = new Promise<void>((r) => (release = r));
    // A claims both events with a short lease and stalls inside the first handler.
    const a = new OutboxWorker(db, { id: 'A', batchSize: 2, leaseMs: 300, onDelivered: (e) => deliveredBy.push(`A:${e.id}`) }).register(
      recorder('h', topic, 'A', runs, async (e) => {
        if (e.id !== slow) return;
        entered();
        await released;
      }),
    );
    const b = new OutboxWorker(db, { id: 'B', onDelivered: (e) => deliveredBy.push(`B:${e.id}`) }).register(recorder('h', topic, 'B', runs));

    const aRun = a.runOnce();
    await inSlowHandler;
    // Wait (bounded) until A's lease on the second event has run out.
    for (let i = 0; i < 200; i++) {
      const r = await sql<{ expired: boolean }>`select locked_until < now() as expired from outbox_event where id = ${waiting}`.execute(db);
      if (r.rows[0]!.expired) break;
      await sleep(20);
    }
    // B takes over the expired event. The one A is handling stays locked by A's open
    // transaction, so B skips it instead of waiting on it.
    const bRun = b.runOnce();
    const bClaimed = await Promise.race([bRun, sleep(10_000, 'B is blocked' as const, { ref: false })]);
    release();
    assert.equal(await aRun, 2);
    assert.equal(bClaimed, 1);

    assert.deepEqual(runs, [`A:h:${slow}`, `B:h:${waiting}`]);
    assert.deepEqual(await effects(db, topic), [`A:h:${slow}`, `B:h:${waiting}`]);
    assert.deepEqual(deliveredBy.sort(), [`A:${slow}`, `B:${waiting}`].sort(), 'each outcome recorded once, by the lease holder');
    const rows = await db.selectFrom('outbox_event').select(['id', 'status', 'locked_by']).where('topic', '=', topic).orderBy('id').execute();
    assert.deepEqual(rows.map((r) => [r.status, r.locked_by]), [['delivered', null], ['delivered', null]]);
  });
});
