// The transactional outbox and its worker on both backends: events live and die with the
// change that caused them, are delivered once, retried with backoff, dead-lettered, requeued.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { describeEachBackend } from '../../../test/support/backends.ts';
import type { Db, Tx } from '../db/database.ts';
import { emitEvent, type OutboxEvent } from './outbox.ts';
import { OutboxWorker, exponentialBackoff, retryDeadEvent, type EventHandler } from './worker.ts';

/** A handler that records each run as a row written in the handler's transaction. */
function recorder(name: string, topic: string, fail?: (event: OutboxEvent, run: number) => string | null): EventHandler & { runs: number[] } {
  const runs: number[] = [];
  return {
    name,
    topic,
    runs,
    async handle(event: OutboxEvent, tx: Tx) {
      runs.push(event.id);
      await sql`insert into job_effect (event_id, handler) values (${event.id}, ${name})`.execute(tx);
      const message = fail?.(event, runs.length);
      if (message) throw new Error(message);
    },
  };
}

async function event(db: Db, id: number) {
  return db.selectFrom('outbox_event').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function effects(db: Db, id: number, handler?: string): Promise<number> {
  const q = handler ? sql`and handler = ${handler}` : sql``;
  const r = await sql<{ n: number }>`select count(*)::int as n from job_effect where event_id = ${id} ${q}`.execute(db);
  return r.rows[0]!.n;
}

/** Seconds from the database's now() until the event is next due. */
async function dueIn(db: Db, id: number): Promise<number> {
  const r = await sql<{ s: number }>`select extract(epoch from next_attempt_at - now())::float8 as s from outbox_event where id = ${id}`.execute(db);
  return r.rows[0]!.s;
}

/** Stands in for waiting out the backoff: the event becomes due now. */
async function makeDue(db: Db, id: number): Promise<void> {
  await sql`update outbox_event set next_attempt_at = now() where id = ${id}`.execute(db);
}

async function emitOne(db: Db, topic: string, payload: unknown = {}): Promise<number> {
  await emitEvent(db, { topic, payload, idempotencyKey: `${topic}:${JSON.stringify(payload)}` });
  const row = await db.selectFrom('outbox_event').select('id').where('idempotency_key', '=', `${topic}:${JSON.stringify(payload)}`).executeTakeFirstOrThrow();
  return Number(row.id);
}

test('exponentialBackoff doubles from its base, with bounded jitter, up to its cap', () => {
  for (let i = 0; i < 50; i++) {
    const [a, b, c] = [exponentialBackoff(1, 1000), exponentialBackoff(2, 1000), exponentialBackoff(4, 1000)];
    assert.ok(a >= 800 && a <= 1200, `first retry ${a}`);
    assert.ok(b >= 1600 && b <= 2400, `second retry ${b}`);
    assert.ok(c >= 6400 && c <= 9600, `fourth retry ${c}`);
    assert.ok(exponentialBackoff(40, 1000, 60_000) <= 60_000, 'never beyond the cap, jitter included');
  }
});

describeEachBackend('outbox and worker', (getDb) => {
  before(async () => {
    const { db } = getDb();
    await sql`create table job_effect (id bigserial primary key, event_id bigint not null, handler text not null)`.execute(db);
    await sql`create table business_change (id text primary key)`.execute(db);
  });

  test('an event exists exactly when the change that caused it commits', async () => {
    const { db } = getDb();
    await db.transaction().execute(async (tx) => {
      await sql`insert into business_change (id) values ('kept')`.execute(tx);
      assert.equal(await emitEvent(tx, { topic: 'change.made', payload: { id: 'kept', 名称: '测试' }, regionCode: '320100' }), true);
    });
    await assert.rejects(
      db.transaction().execute(async (tx) => {
        await sql`insert into business_change (id) values ('lost')`.execute(tx);
        await emitEvent(tx, { topic: 'change.made', payload: { id: 'lost' } });
        throw new Error('rule violated after the event was written');
      }),
      /rule violated/,
    );
    const rows = await db.selectFrom('outbox_event').selectAll().where('topic', '=', 'change.made').execute();
    assert.equal(rows.length, 1);
    assert.deepEqual(rows[0]!.payload, { id: 'kept', 名称: '测试' });
    assert.equal(rows[0]!.region_code, '320100');
    assert.equal(rows[0]!.status, 'pending');
    assert.match(rows[0]!.idempotency_key, /^change\.made:[0-9a-f-]{36}$/, 'a key is generated when none is given');
    const changes = await sql<{ id: string }>`select id from business_change order by id`.execute(db);
    assert.deepEqual(changes.rows.map((r) => r.id), ['kept']);
  });

  test('the same idempotency key stores one event, even when emitted concurrently', async () => {
    const { db } = getDb();
    assert.equal(await emitEvent(db, { topic: 'k.test', payload: { n: 1 }, idempotencyKey: 'request-42' }), true);
    assert.equal(await emitEvent(db, { topic: 'k.test', payload: { n: 2 }, idempotencyKey: 'request-42' }), false);
    const rows = await db.selectFrom('outbox_event').select(['payload']).where('idempotency_key', '=', 'request-42').execute();
    assert.deepEqual(rows.map((r) => r.payload), [{ n: 1 }], 'the first emission wins');

    // A key used only in a rolled-back transaction is still free.
    await assert.rejects(
      db.transaction().execute(async (tx) => {
        assert.equal(await emitEvent(tx, { topic: 'k.test', payload: {}, idempotencyKey: 'request-43' }), true);
        throw new Error('rollback');
      }),
    );
    const results = await Promise.all(Array.from({ length: 10 }, () => db.transaction().execute((tx) => emitEvent(tx, { topic: 'k.test', payload: {}, idempotencyKey: 'request-43' }))));
    assert.equal(results.filter(Boolean).length, 1);
    const count = await db.selectFrom('outbox_event').select(sql<number>`count(*)::int`.as('n')).where('idempotency_key', '=', 'request-43').executeTakeFirstOrThrow();
    assert.equal(count.n, 1);
  });

  test('a successful handler marks the event delivered, with its work committed once', async () => {
    const { db } = getDb();
    const seen: OutboxEvent[] = [];
    const delivered: number[] = [];
    const handler = recorder('record', 'ok.topic');
    const worker = new OutboxWorker(db, { onDelivered: (e) => delivered.push(e.id) }).register({
      ...handler,
      handle: async (e, tx) => {
        seen.push(e);
        await handler.handle(e, tx);
      },
    });
    await emitEvent(db, { topic: 'ok.topic', payload: { caseNo: 'A-1' }, idempotencyKey: 'ok-1', regionCode: '320100' });
    assert.equal(await worker.runOnce(), 1);
    const id = seen[0]!.id;
    assert.deepEqual({ ...seen[0]!, createdAt: null }, { id, topic: 'ok.topic', payload: { caseNo: 'A-1' }, idempotencyKey: 'ok-1', regionCode: '320100', attempts: 1, createdAt: null });
    const row = await event(db, id);
    assert.equal(row.status, 'delivered');
    assert.ok(row.delivered_at instanceof Date);
    assert.deepEqual([row.attempts, row.locked_by, row.locked_until, row.last_error], [1, null, null, null]);
    assert.equal(await effects(db, id), 1);
    assert.equal(await worker.runOnce(), 0, 'nothing left to claim');
    assert.deepEqual(delivered, [id]);
    assert.equal(await effects(db, id), 1);
  });

  test('a failing handler is retried with exponential backoff, then dead-lettered keeping its last error', async () => {
    const { db } = getDb();
    const backoffCalls: number[] = [];
    const errors: string[] = [];
    let broken = true;
    const handler = recorder('flaky', 'fail.topic', (_e, run) => (broken ? `下游系统不可用 (try ${run})` : null));
    const worker = new OutboxWorker(db, {
      maxAttempts: 3,
      backoffMs: (n) => {
        backoffCalls.push(n);
        return 60_000 * 2 ** (n - 1);
      },
      log: { warn: () => undefined, error: (_o, msg) => errors.push(msg) },
    }).register(handler);
    const id = await emitOne(db, 'fail.topic');

    assert.equal(await worker.runOnce(), 1);
    let row = await event(db, id);
    assert.deepEqual([row.status, row.attempts, row.last_error, row.locked_by], ['pending', 1, '下游系统不可用 (try 1)', null]);
    assert.equal(await effects(db, id), 0, "a failed handler's writes are rolled back");
    let wait = await dueIn(db, id);
    assert.ok(wait > 50 && wait <= 60, `first retry in about a minute (${wait} s)`);
    assert.equal(await worker.runOnce(), 0, 'not due yet');

    await makeDue(db, id);
    assert.equal(await worker.runOnce(), 1);
    row = await event(db, id);
    assert.deepEqual([row.status, row.attempts, row.last_error], ['pending', 2, '下游系统不可用 (try 2)']);
    wait = await dueIn(db, id);
    assert.ok(wait > 110 && wait <= 120, `second retry in about two minutes (${wait} s)`);
    assert.deepEqual(backoffCalls, [1, 2]);

    await makeDue(db, id);
    assert.equal(await worker.runOnce(), 1);
    row = await event(db, id);
    assert.deepEqual([row.status, row.attempts, row.last_error, row.locked_by], ['dead', 3, '下游系统不可用 (try 3)', null]);
    assert.deepEqual(errors, ['outbox event moved to dead letter']);
    await makeDue(db, id);
    assert.equal(await worker.runOnce(), 0, 'a dead event is not claimed');
    assert.equal(handler.runs.length, 3);

    // The operator fixes the cause and requeues it.
    broken = false;
    assert.equal(await retryDeadEvent(db, id), true);
    assert.equal(await retryDeadEvent(db, id), false, 'only a dead event can be requeued');
    assert.equal(await retryDeadEvent(db, 987_654_321), false);
    row = await event(db, id);
    assert.deepEqual([row.status, row.attempts], ['pending', 0]);
    assert.equal(await worker.runOnce(), 1);
    row = await event(db, id);
    assert.deepEqual([row.status, row.attempts, row.last_error], ['delivered', 1, null]);
    assert.equal(await effects(db, id), 1);
  });

  test('a handler that finished is not run again when another handler of the topic fails', async () => {
    const { db } = getDb();
    const first = recorder('licence.issue', 'multi.topic');
    const second = recorder('national.push', 'multi.topic', (_e, run) => (run === 1 ? 'timeout' : null));
    const worker = new OutboxWorker(db, { backoffMs: () => 60_000 }).register(first).register(second);
    const id = await emitOne(db, 'multi.topic');

    assert.equal(await worker.runOnce(), 1);
    assert.equal((await event(db, id)).status, 'pending');
    assert.deepEqual([first.runs.length, second.runs.length], [1, 1]);

    await makeDue(db, id);
    assert.equal(await worker.runOnce(), 1);
    assert.equal((await event(db, id)).status, 'delivered');
    assert.deepEqual([first.runs.length, second.runs.length], [1, 2], 'the first handler is skipped on the retry');
    assert.deepEqual([await effects(db, id, 'licence.issue'), await effects(db, id, 'national.push')], [1, 1]);
    const handled = await db.selectFrom('outbox_handled').select('handler').where('event_id', '=', id).orderBy('handler').execute();
    assert.deepEqual(handled.map((h) => h.handler), ['licence.issue', 'national.push']);
  });

  test('events for a topic with no handler here are left pending and untouched', async () => {
    const { db } = getDb();
    const orphan = await emitOne(db, 'nobody.listens');
    const other = await emitOne(db, 'somebody.listens');
    const worker = new OutboxWorker(db).register(recorder('listener', 'somebody.listens'));
    assert.equal(await worker.runOnce(), 1);
    assert.equal((await event(db, other)).status, 'delivered');
    const row = await event(db, orphan);
    assert.deepEqual([row.status, row.attempts, row.locked_by, row.last_error], ['pending', 0, null, null]);
    assert.equal(await new OutboxWorker(db).runOnce(), 0, 'a worker with no handlers claims nothing');
  });

  test('a started worker keeps delivering in the background and stops cleanly', async () => {
    const { db } = getDb();
    const handler = recorder('bg', 'bg.topic');
    const worker = new OutboxWorker(db, { pollMs: 10, batchSize: 2 }).register(handler);
    worker.start();
    worker.start(); // a second start is a no-op
    const ids: number[] = [];
    try {
      for (let i = 0; i < 5; i++) ids.push(await emitOne(db, 'bg.topic', { i }));
      for (let i = 0; i < 1000; i++) {
        const pending = await db.selectFrom('outbox_event').select('id').where('topic', '=', 'bg.topic').where('status', '!=', 'delivered').execute();
        if (pending.length === 0) break;
        await new Promise((r) => setTimeout(r, 10));
      }
    } finally {
      await worker.stop();
    }
    for (const id of ids) assert.equal((await event(db, id)).status, 'delivered');
    assert.deepEqual([...handler.runs].sort((a, b) => a - b), ids, 'each event handled once');
  });
});
