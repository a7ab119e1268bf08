// Delivers outbox events to handlers. Workers in several processes share the table:
// - a claim takes a time-limited lease (`locked_by`, `locked_until`) with SKIP LOCKED, so
//   two workers never claim the same pending event at once;
// - each handler runs in its own transaction that first re-checks and renews the lease
//   with a row lock on the event: a worker whose lease was taken over stops there, and
//   while the handler's transaction is open no other worker can claim the event;
// - that transaction also inserts the (event, handler) row in `outbox_handled`, whose
//   primary key makes a second commit of the same handler impossible even if the above
//   were bypassed, and lets a retry skip the handlers that already finished;
// - the final status change applies only while this worker still holds the lease, so a
//   worker that stalled past its lease cannot overwrite the outcome of the one that took over.
// All times are the database's clock (`now()`), never the app's: app nodes' clocks differ.
import { randomUUID } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import type { Db, Tx } from '../db/database.ts';
import type { OutboxEvent } from './outbox.ts';

export interface EventHandler {
  /** Stable name: recorded per event, so renaming a handler re-delivers old events to it. */
  name: string;
  topic: string;
  /**
   * Runs inside a transaction that also records completion; throw to retry later. Work
   * outside the database (an HTTP push) must be idempotent and bounded in time: the
   * transaction, and the lock on the event, stay open until it returns.
   */
  handle(event: OutboxEvent, tx: Tx): Promise<void>;
}

export interface WorkerOptions {
  id?: string;
  batchSize?: number;
  leaseMs?: number;
  pollMs?: number;
  /** Claims per event before it is dead-lettered (failures and lost leases both count). */
  maxAttempts?: number;
  /** Delay before retry number `attempt` (1-based). */
  backoffMs?: (attempt: number) => number;
  log?: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  onDelivered?: (event: OutboxEvent) => void;
}

/** 1 s, 2 s, 4 s, … capped at an hour, with ±20 % jitter so failed events do not retry in step. */
export function exponentialBackoff(attempt: number, baseMs = 1000, capMs = 3600_000): number {
  const raw = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.min(capMs, Math.round(raw * (0.8 + Math.random() * 0.4)));
}

/** `now() + ms` on the database's clock. */
function fromNow(ms: number): RawBuilder<Date> {
  return sql<Date>`now() + make_interval(secs => ${Math.max(0, ms) / 1000})`;
}

interface ClaimedRow {
  id: number;
  topic: string;
  payload: unknown;
  idempotency_key: string;
  region_code: string | null;
  attempts: number;
  created_at: Date;
}

export class OutboxWorker {
  readonly id: string;
  private readonly handlers = new Map<string, EventHandler[]>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = true;
  // Bumped by start(): a loop from before a stop()/start() pair sees it changed and ends,
  // so a quick restart never leaves two loops polling.
  private generation = 0;
  private readonly opts: Required<Omit<WorkerOptions, 'log' | 'onDelivered' | 'id'>> & Pick<WorkerOptions, 'log' | 'onDelivered'>;

  private readonly db: Db;

  constructor(db: Db, options: WorkerOptions = {}) {
    this.db = db;
    this.id = options.id ?? `worker-${process.pid}-${randomUUID().slice(0, 8)}`;
    this.opts = {
      batchSize: options.batchSize ?? 20,
      leaseMs: options.leaseMs ?? 60_000,
      pollMs: options.pollMs ?? 500,
      maxAttempts: options.maxAttempts ?? 8,
      backoffMs: options.backoffMs ?? ((n) => exponentialBackoff(n)),
      log: options.log,
      onDelivered: options.onDelivered,
    };
  }

  register(handler: EventHandler): this {
    const list = this.handlers.get(handler.topic) ?? [];
    if (list.some((h) => h.name === handler.name)) throw new Error(`handler ${handler.name} registered twice for ${handler.topic}`);
    list.push(handler);
    this.handlers.set(handler.topic, list);
    return this;
  }

  /** Claims and delivers one batch; returns how many events it claimed. */
  async runOnce(): Promise<number> {
    const topics = [...this.handlers.keys()];
    if (topics.length === 0) return 0;
    // Only topics this worker handles: an event nobody here can handle stays pending for a
    // worker (perhaps a newer version) that can, instead of failing toward the dead letter.
    const claimed = await sql<ClaimedRow>`
      update outbox_event set locked_by = ${this.id}, locked_until = ${fromNow(this.opts.leaseMs)}, attempts = attempts + 1
      where id in (
        select id from outbox_event
        where status = 'pending' and next_attempt_at <= now()
          and (locked_until is null or locked_until < now())
          and topic = any(${topics}::text[])
        order by id
        for update skip locked
        limit ${this.opts.batchSize})
      returning id, topic, payload, idempotency_key, region_code, attempts, created_at`.execute(this.db);
    // The update returns rows in no particular order; deliver oldest first.
    const rows = [...claimed.rows].sort((a, b) => Number(a.id) - Number(b.id));
    for (const row of rows) {
      const event: OutboxEvent = {
        id: Number(row.id),
        topic: row.topic,
        payload: row.payload,
        idempotencyKey: row.idempotency_key,
        regionCode: row.region_code,
        attempts: row.attempts,
        createdAt: row.created_at,
      };
      await this.deliver(event);
    }
    return rows.length;
  }

  private async deliver(event: OutboxEvent): Promise<void> {
    if (event.attempts > this.opts.maxAttempts) {
      // Claimed more times than allowed without a recorded outcome: earlier holders lost
      // their lease, typically because the event crashes or hangs the worker. Running it
      // again would only repeat that, so it goes to the dead letter for an operator.
      await this.settle(event, 'dead', `lease expired without a result; claimed ${event.attempts} times (worker crash or hang?)`);
      return;
    }
    try {
      for (const handler of this.handlers.get(event.topic) ?? []) {
        const held = await this.db.transaction().execute(async (tx) => {
          const lease = await tx
            .updateTable('outbox_event')
            .set({ locked_until: fromNow(this.opts.leaseMs) })
            .where('id', '=', event.id)
            .where('locked_by', '=', this.id)
            .where('status', '=', 'pending')
            .executeTakeFirst();
          if (Number(lease.numUpdatedRows) === 0) return false; // another worker took over
          const fresh = await tx
            .insertInto('outbox_handled')
            .values({ event_id: event.id, handler: handler.name })
            .onConflict((oc) => oc.doNothing())
            .executeTakeFirst();
          if (Number(fresh.numInsertedOrUpdatedRows ?? 0) === 0) return true; // done on an earlier try
          await handler.handle(event, tx);
          return true;
        });
        if (!held) return;
      }
      if (await this.settle(event, 'delivered', null)) this.opts.onDelivered?.(event);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const dead = event.attempts >= this.opts.maxAttempts;
      const settled = await this.settle(event, dead ? 'dead' : 'pending', message);
      if (!settled) return;
      const log = dead ? this.opts.log?.error : this.opts.log?.warn;
      log?.call(this.opts.log, { eventId: event.id, topic: event.topic, attempts: event.attempts, err: message }, dead ? 'outbox event moved to dead letter' : 'outbox event failed; will retry');
    }
  }

  /** Records the outcome and releases the lease, if this worker still holds it. */
  private async settle(event: OutboxEvent, status: 'delivered' | 'pending' | 'dead', error: string | null): Promise<boolean> {
    const res = await this.db
      .updateTable('outbox_event')
      .set(
        status === 'delivered'
          ? { status, delivered_at: sql<Date>`now()`, locked_by: null, locked_until: null, last_error: null }
          : { status, last_error: (error ?? '').slice(0, 2000), next_attempt_at: fromNow(this.opts.backoffMs(event.attempts)), locked_by: null, locked_until: null },
      )
      .where('id', '=', event.id)
      .where('locked_by', '=', this.id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const generation = ++this.generation;
    const live = () => !this.stopped && generation === this.generation;
    const tick = async () => {
      if (!live()) return;
      let claimed = 0;
      const run = this.runOnce();
      this.running = run;
      try {
        claimed = await run;
      } catch (err) {
        this.opts.log?.warn({ err: err instanceof Error ? err.message : String(err) }, 'outbox poll failed');
      } finally {
        if (this.running === run) this.running = null;
      }
      // A full batch means more is waiting: go again at once.
      if (live()) this.timer = setTimeout(tick, claimed >= this.opts.batchSize ? 0 : this.opts.pollMs);
    };
    this.timer = setTimeout(tick, 0);
  }

  /** Stops polling and waits for the batch in hand to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }
}

/** Moves a dead-lettered event back to pending (operator action after fixing the cause). */
export async function retryDeadEvent(db: Db, id: number): Promise<boolean> {
  const res = await db
    .updateTable('outbox_event')
    .set({ status: 'pending', attempts: 0, next_attempt_at: sql<Date>`now()`, locked_by: null, locked_until: null, last_error: null })
    .where('id', '=', id)
    .where('status', '=', 'dead')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}
