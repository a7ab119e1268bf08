// Login throttling with exponential backoff, kept in PostgreSQL so every node sees the same
// counters. Keys are per account (blind index) and per client address: guessing one account
// from many addresses and many accounts from one address are both slowed down.
import { sql } from 'kysely';
import type { Queryable } from '../../../platform/db/database.ts';

export interface ThrottlePolicy {
  /** Failures allowed before any wait. */
  free: number;
  /** First wait, doubled with each further failure, up to maxSeconds. */
  baseSeconds: number;
  maxSeconds: number;
}

export const ACCOUNT_POLICY: ThrottlePolicy = { free: 5, baseSeconds: 30, maxSeconds: 3600 };
export const ADDRESS_POLICY: ThrottlePolicy = { free: 30, baseSeconds: 10, maxSeconds: 900 };

/** The latest time any of `keys` is blocked until, or null when none is blocked now. */
export async function blockedUntil(db: Queryable, keys: string[]): Promise<Date | null> {
  if (!keys.length) return null;
  const row = await db
    .selectFrom('login_throttle')
    .select(sql<Date | null>`max(blocked_until)`.as('until'))
    .where('key', 'in', keys)
    .where('blocked_until', '>', new Date())
    .executeTakeFirst();
  return row?.until ? new Date(row.until) : null;
}

/** Counts a failure against `key`; returns the new block end, if the policy now blocks. */
export async function recordFailure(db: Queryable, key: string, policy: ThrottlePolicy): Promise<Date | null> {
  const row = await db
    .insertInto('login_throttle')
    .values({ key, failures: 1, blocked_until: null, updated_at: new Date() })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        // A counter idle for a day starts over: old mistakes should not follow a person forever.
        failures: sql<number>`case when login_throttle.updated_at < now() - interval '1 day' then 1 else login_throttle.failures + 1 end`,
        updated_at: new Date(),
      }),
    )
    .returning(['failures'])
    .executeTakeFirstOrThrow();
  const failures = Number(row.failures);
  if (failures <= policy.free) return null;
  const seconds = Math.min(policy.maxSeconds, policy.baseSeconds * 2 ** (failures - policy.free - 1));
  const until = new Date(Date.now() + seconds * 1000);
  await db.updateTable('login_throttle').set({ blocked_until: until }).where('key', '=', key).execute();
  return until;
}

export async function clearFailures(db: Queryable, key: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', key).execute();
}

export function waitMessage(until: Date): string {
  const seconds = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000));
  return seconds < 120 ? `请 ${seconds} 秒后再试` : `请 ${Math.ceil(seconds / 60)} 分钟后再试`;
}
