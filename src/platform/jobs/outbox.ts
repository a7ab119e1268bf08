// Transactional outbox: an event is a row written in the same transaction as the change
// that causes it, so it exists exactly when the change does.
import { randomUUID } from 'node:crypto';
import type { Generated } from 'kysely';
import type { Queryable } from '../db/database.ts';

declare module '../db/database.ts' {
  interface Database {
    outbox_event: {
      id: Generated<number>;
      topic: string;
      payload: unknown;
      idempotency_key: string;
      region_code: string | null;
      status: Generated<'pending' | 'delivered' | 'dead'>;
      attempts: Generated<number>;
      next_attempt_at: Generated<Date>;
      locked_by: string | null;
      locked_until: Date | null;
      last_error: string | null;
      created_at: Generated<Date>;
      delivered_at: Date | null;
    };
    outbox_handled: { event_id: number; handler: string; handled_at: Generated<Date> };
  }
}

export interface NewEvent {
  /** Dotted name, e.g. `case.completed`. */
  topic: string;
  payload: unknown;
  /** Same key, same event: emitting twice (a retried request) stores it once. */
  idempotencyKey?: string;
  regionCode?: string | null;
}

export interface OutboxEvent {
  id: number;
  topic: string;
  payload: unknown;
  idempotencyKey: string;
  regionCode: string | null;
  attempts: number;
  createdAt: Date;
}

/** Writes the event with the caller's transaction; returns false if its key was already used. */
export async function emitEvent(tx: Queryable, event: NewEvent): Promise<boolean> {
  const res = await tx
    .insertInto('outbox_event')
    .values({
      topic: event.topic,
      payload: JSON.stringify(event.payload ?? null),
      idempotency_key: event.idempotencyKey ?? `${event.topic}:${randomUUID()}`,
      region_code: event.regionCode ?? null,
      locked_by: null,
      locked_until: null,
      last_error: null,
      delivered_at: null,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}
