// Delivers outbox events to handlers. Workers in several processes share the table: a
// claim takes a time-limited lease with SKIP LOCKED, and each handler's completion is a
// row committed in the handler's own transaction, so no handler commits an event twice.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db, Tx } from '../db/database.ts';
import type { OutboxEvent } from './outbox.ts';

export interface EventHandler {
  /** Stable name: recorded per event, so renaming a handler re-delivers old events to it. */
  name: string;
  topic: string;
  /** Runs inside a transaction that also records completion; throw to retry later. */
  handle(event: OutboxEvent, tx: Tx): Promise<void>;
}

export interface WorkerOptions {
  id?: string;
  batchSize?: number;
  leaseMs?: number;
  pollMs?: number;
  maxAttempts?: number;
  /** Delay before retry number `attempt` (1-based). */
  backoffMs?: (attempt: number) => number;
  log?: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  onDelivered?: (event: OutboxEvent) => void;
}

export function exponentialBackoff(attempt: number, baseMs = 1000, capMs = 3600_000): number {
  const raw = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(raw * (0.8 + Math.random() * 0.4));
}

export class OutboxWorker {
  readonly id: string;
  private readonly handlers = new Map<string, EventHandler[]>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = true;
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
    const claimed = await sql<{ id: number; topic: string; payload: unknown; idempotency_key: string; region_code: string | null; attempts: number; created_at: Date }>`
      update outbox_event set locked_by = ${this.id},
        locked_until = now() + make_interval(secs => ${this.opts.leaseMs / 1000}),
        attempts = attempts + 1
      where id in (
        select id from outbox_event
        where status = 'pending' and next_attempt_at <= now()
          and (locked_until is null or locked_until < now())
          and topic = any(${topics})
        order by id
        for update skip locked
        limit ${this.opts.batchSize})
      returning id, topic, payload, idempotency_key, region_code, attempts, created_at`.execute(this.db);
    for (const row of claimed.rows) {
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
    return claimed.rows.length;
  }

  private async deliver(event: OutboxEvent): Promise<void> {
    try {
      for (const handler of this.handlers.get(event.topic) ?? []) {
        await this.db.transaction().execute(async (tx) => {
          const fresh = await tx
            .insertInto('outbox_handled')
            .values({ event_id: event.id, handler: handler.name })
            .onConflict((oc) => oc.doNothing())
            .executeTakeFirst();
          if (Number(fresh.numInsertedOrUpdatedRows ?? 0) === 0) return; // done on an earlier try
          await handler.handle(event, tx);
        });
      }
      await this.db
        .updateTable('outbox_event')
        .set({ status: 'delivered', delivered_at: new Date(), locked_by: null, locked_until: null, last_error: null })
        .where('id', '=', event.id)
        .execute();
      this.opts.onDelivered?.(event);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const dead = event.attempts >= this.opts.maxAttempts;
      await this.db
        .updateTable('outbox_event')
        .set({
          status: dead ? 'dead' : 'pending',
          last_error: message.slice(0, 2000),
          next_attempt_at: new Date(Date.now() + this.opts.backoffMs(event.attempts)),
          locked_by: null,
          locked_until: null,
        })
        .where('id', '=', event.id)
        .execute();
      const log = dead ? this.opts.log?.error : this.opts.log?.warn;
      log?.call(this.opts.log, { eventId: event.id, topic: event.topic, attempts: event.attempts, err: message }, dead ? 'outbox event moved to dead letter' : 'outbox event failed; will retry');
    }
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    const tick = async () => {
      if (this.stopped) return;
      let claimed = 0;
      try {
        this.running = this.runOnce();
        claimed = (await this.running) as number;
      } catch (err) {
        this.opts.log?.warn({ err: err instanceof Error ? err.message : String(err) }, 'outbox poll failed');
      } finally {
        this.running = null;
      }
      // A full batch means more is waiting: go again at once.
      if (!this.stopped) this.timer = setTimeout(tick, claimed >= this.opts.batchSize ? 0 : this.opts.pollMs);
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
    .set({ status: 'pending', attempts: 0, next_attempt_at: new Date(), last_error: null })
    .where('id', '=', id)
    .where('status', '=', 'dead')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}
