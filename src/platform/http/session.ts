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

/** Called inside the rotating transaction, so what hangs off a session (SSO links) follows it. */
export type SessionRotationListener = (tx: Queryable, fromSessionId: string, toSessionId: string) => Promise<void>;
const rotationListeners = new Set<SessionRotationListener>();

export function onSessionRotated(listener: SessionRotationListener): void {
  rotationListeners.add(listener);
}

/**
 * Replaces a session by a new one carrying `data` (a raised level, new factors): a new token
 * at every privilege change, so a token captured before it is worth nothing after. The new
 * session keeps the old one's absolute expiry: stepping up does not extend a sign-in.
 */
export async function rotateSession(
  db: Queryable,
  old: SessionRecord,
  data: Record<string, unknown>,
  meta: { ip?: string; userAgent?: string },
): Promise<{ token: string; id: string }> {
  const before = await db.selectFrom('web_session').select('expires_at').where('id', '=', old.id).executeTakeFirst();
  await destroySession(db, old.id);
  const next = await createSession(db, { accountKind: old.accountKind, accountId: old.accountId, data, ip: meta.ip, userAgent: meta.userAgent });
  if (before) await db.updateTable('web_session').set({ expires_at: before.expires_at }).where('id', '=', next.id).execute();
  for (const listener of rotationListeners) await listener(db, old.id, next.id);
  return next;
}

export interface SessionListing {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  ip: string | null;
  userAgent: string | null;
}

/** An account's live sessions, newest first (the user centre's "active sessions"). */
export async function listSessions(db: Queryable, accountKind: SessionRecord['accountKind'], accountId: string): Promise<SessionListing[]> {
  const rows = await db
    .selectFrom('web_session')
    .select(['id', 'created_at', 'last_seen_at', 'ip', 'user_agent'])
    .where('account_kind', '=', accountKind)
    .where('account_id', '=', accountId)
    .where('expires_at', '>', new Date())
    .orderBy('last_seen_at', 'desc')
    .execute();
  return rows.map((r) => ({ id: r.id, createdAt: r.created_at, lastSeenAt: r.last_seen_at, ip: r.ip, userAgent: r.user_agent }));
}

/** Ends one of an account's own sessions; false when it is not theirs or already gone. */
export async function destroyOwnSession(db: Queryable, accountKind: SessionRecord['accountKind'], accountId: string, sessionId: string): Promise<boolean> {
  const res = await db
    .deleteFrom('web_session')
    .where('id', '=', sessionId)
    .where('account_kind', '=', accountKind)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}
