// Server-side browser sessions. The cookie holds a random token; the database holds only
// its SM3 hash, so a leaked table cannot be replayed as cookies.
import { randomBytes } from 'node:crypto';
import { sm3Hex } from '../crypto/sm3.ts';
import type { Db, Queryable } from '../db/database.ts';

declare module '../db/database.ts' {
  interface Database {
    web_session: {
      id: string;
      account_kind: 'citizen' | 'company' | 'staff';
      account_id: string;
      /** Extra facts fixed at login (e.g. a company session's credit code or a step-up level). */
      data: unknown;
      created_at: Date;
      last_seen_at: Date;
      expires_at: Date;
      ip: string | null;
      user_agent: string | null;
    };
  }
}

export const SESSION_IDLE_MINUTES = 30;
export const SESSION_MAX_HOURS = 12;

export interface SessionRecord {
  id: string;
  accountKind: 'citizen' | 'company' | 'staff';
  accountId: string;
  data: Record<string, unknown>;
}

export async function createSession(
  db: Queryable,
  input: { accountKind: SessionRecord['accountKind']; accountId: string; data?: Record<string, unknown>; ip?: string; userAgent?: string },
): Promise<{ token: string; id: string }> {
  const token = randomBytes(32).toString('base64url');
  const id = sm3Hex(token);
  await db
    .insertInto('web_session')
    .values({
      id,
      account_kind: input.accountKind,
      account_id: input.accountId,
      data: JSON.stringify(input.data ?? {}),
      created_at: new Date(),
      last_seen_at: new Date(),
      expires_at: new Date(Date.now() + SESSION_MAX_HOURS * 3600_000),
      ip: input.ip ?? null,
      user_agent: input.userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  return { token, id };
}

/** last_seen_at is rewritten at most this often: a page's burst of requests costs one write. */
export const SESSION_TOUCH_SECONDS = 60;

/** The live session for a cookie token, sliding its idle timeout; null if unknown or expired. */
export async function touchSession(db: Db, token: string): Promise<SessionRecord | null> {
  const id = sm3Hex(token);
  const now = Date.now();
  const row = await db
    .selectFrom('web_session')
    .select(['id', 'account_kind', 'account_id', 'data', 'last_seen_at'])
    .where('id', '=', id)
    .where('expires_at', '>', new Date(now))
    .where('last_seen_at', '>', new Date(now - SESSION_IDLE_MINUTES * 60_000))
    .executeTakeFirst();
  if (!row) return null;
  if (row.last_seen_at.getTime() < now - SESSION_TOUCH_SECONDS * 1000) {
    await db.updateTable('web_session').set({ last_seen_at: new Date(now) }).where('id', '=', id).execute();
  }
  return { id: row.id, accountKind: row.account_kind, accountId: row.account_id, data: (row.data ?? {}) as Record<string, unknown> };
}

export async function destroySession(db: Queryable, sessionId: string): Promise<void> {
  await db.deleteFrom('web_session').where('id', '=', sessionId).execute();
}

/** Ends every session of an account except `keepSessionId` (after a password change). */
export async function destroyOtherSessions(db: Queryable, accountKind: SessionRecord['accountKind'], accountId: string, keepSessionId: string): Promise<number> {
  const res = await db
    .deleteFrom('web_session')
    .where('account_kind', '=', accountKind)
    .where('account_id', '=', accountId)
    .where('id', '<>', keepSessionId)
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}

/** Deletes expired and idle sessions. Idempotent: every node may run it on its own timer. */
export async function purgeExpiredSessions(db: Queryable): Promise<number> {
  const idleCutoff = new Date(Date.now() - SESSION_IDLE_MINUTES * 60_000);
  const res = await db
    .deleteFrom('web_session')
    .where((eb) => eb.or([eb('expires_at', '<=', new Date()), eb('last_seen_at', '<=', idleCutoff)]))
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}
