// In-site messages: written by notify() inside the caller's transaction (so a message exists
// exactly when the change it announces does), read and marked read by their recipient only.
import { sql, type Generated } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';
import { emitEvent } from '../../platform/jobs/outbox.ts';
import { AppError } from '../../platform/http/errors.ts';
import { PersonalDataCipher } from '../../platform/crypto/personal-data.ts';
import type { Config } from '../../config.ts';

export type RecipientKind = 'citizen' | 'company' | 'staff';
export type SmsStatus = 'none' | 'queued' | 'sent' | 'failed';

declare module '../../platform/db/database.ts' {
  interface Database {
    notification: {
      id: Generated<string>;
      recipient_kind: RecipientKind;
      recipient_id: string;
      region_code: string;
      topic: string;
      title: string;
      body: string;
      link: string | null;
      created_at: Generated<Date>;
      read_at: Date | null;
      sms_status: Generated<SmsStatus>;
      sms_reference: string | null;
      sms_sent_at: Date | null;
    };
  }
}

export const SMS_TOPIC = 'notification.sms';

export interface Recipient {
  kind: RecipientKind;
  accountId: string;
}

export interface NotifyInput {
  recipient: Recipient;
  regionCode: string;
  /** Dotted, e.g. `case.accepted`. */
  topic: string;
  title: string;
  body: string;
  /** Where "查看详情" goes: a path on this site (`/account/cases/…`), never another host. */
  link?: string;
  /** Also text the person; the mobile is sealed before it reaches the outbox. */
  sms?: { mobile: string; text: string };
}

/** What the outbox carries for an SMS: never a clear mobile. */
export interface SmsPayload {
  notificationId: string;
  mobileSealed: string;
  text: string;
}

export interface Message {
  id: string;
  topic: string;
  title: string;
  body: string;
  link: string | null;
  createdAt: Date;
  readAt: Date | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TOPIC = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;
const MOBILE = /^1[3-9]\d{9}$/;

export function isSameSitePath(link: string): boolean {
  return link === '/' || (/^\/[^/\\]/.test(link) && !/[\s\\]/.test(link));
}

function invalid(field: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', { errors: [{ field, message }] });
}

/**
 * Writes an in-site message with `tx` and, when `sms` is given, an outbox event that texts
 * the person after commit. Roll `tx` back and neither exists. Returns the message id.
 */
export async function notify(ctx: { config: Pick<Config, 'secrets'> }, tx: Queryable, input: NotifyInput): Promise<string> {
  if (!['citizen', 'company', 'staff'].includes(input.recipient.kind) || !UUID.test(input.recipient.accountId)) throw invalid('recipient', '收件人无效');
  if (!/^\d{6}$/.test(input.regionCode)) throw invalid('regionCode', '区划代码无效');
  if (!TOPIC.test(input.topic)) throw invalid('topic', '消息类别应形如 case.accepted');
  if (!input.title.trim() || input.title.length > 200) throw invalid('title', '标题应为 1–200 字');
  if (input.body.length > 4000) throw invalid('body', '正文不能超过 4000 字');
  if (input.link !== undefined && !isSameSitePath(input.link)) throw invalid('link', '链接只能是本站路径');
  const mobile = input.sms?.mobile.replace(/[\s-]/g, '');
  if (input.sms && (!mobile || !MOBILE.test(mobile))) throw invalid('mobile', '手机号无效');
  if (input.sms && (!input.sms.text.trim() || input.sms.text.length > 300)) throw invalid('text', '短信内容应为 1–300 字');

  const row = await tx
    .insertInto('notification')
    .values({
      recipient_kind: input.recipient.kind,
      recipient_id: input.recipient.accountId,
      region_code: input.regionCode,
      topic: input.topic,
      title: input.title.trim(),
      body: input.body,
      link: input.link ?? null,
      read_at: null,
      sms_status: input.sms ? 'queued' : 'none',
      sms_reference: null,
      sms_sent_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (input.sms) {
    const payload: SmsPayload = { notificationId: row.id, mobileSealed: new PersonalDataCipher(ctx.config.secrets).seal('mobile', mobile!), text: input.sms.text };
    await emitEvent(tx, { topic: SMS_TOPIC, payload, idempotencyKey: `${SMS_TOPIC}:${row.id}`, regionCode: input.regionCode });
  }
  return row.id;
}

const COLUMNS = ['id', 'topic', 'title', 'body', 'link', 'created_at', 'read_at'] as const;
type Row = { id: string; topic: string; title: string; body: string; link: string | null; created_at: Date; read_at: Date | null };
const toMessage = (r: Row): Message => ({ id: r.id, topic: r.topic, title: r.title, body: r.body, link: r.link, createdAt: new Date(r.created_at), readAt: r.read_at ? new Date(r.read_at) : null });

export async function listMessages(db: Queryable, who: Recipient, options: { limit: number; offset?: number; unreadOnly?: boolean }): Promise<Message[]> {
  let q = db.selectFrom('notification').select(COLUMNS).where('recipient_kind', '=', who.kind).where('recipient_id', '=', who.accountId);
  if (options.unreadOnly) q = q.where('read_at', 'is', null);
  const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit).offset(options.offset ?? 0).execute();
  return rows.map(toMessage);
}

export async function countMessages(db: Queryable, who: Recipient): Promise<{ total: number; unread: number }> {
  const r = await db
    .selectFrom('notification')
    .select([sql<string>`count(*)`.as('total'), sql<string>`count(*) filter (where read_at is null)`.as('unread')])
    .where('recipient_kind', '=', who.kind)
    .where('recipient_id', '=', who.accountId)
    .executeTakeFirstOrThrow();
  return { total: Number(r.total), unread: Number(r.unread) };
}

/** The recipient's own message, marked read; someone else's is NOT_FOUND, never FORBIDDEN. */
export async function openMessage(db: Queryable, who: Recipient, id: string): Promise<Message> {
  if (!UUID.test(id)) throw new AppError('NOT_FOUND');
  const row = await db
    .updateTable('notification')
    .set({ read_at: sql<Date>`coalesce(read_at, now())` })
    .where('id', '=', id)
    .where('recipient_kind', '=', who.kind)
    .where('recipient_id', '=', who.accountId)
    .returning(COLUMNS)
    .executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND');
  return toMessage(row);
}

export async function markAllRead(db: Queryable, who: Recipient): Promise<number> {
  const res = await db
    .updateTable('notification')
    .set({ read_at: sql<Date>`now()` })
    .where('recipient_kind', '=', who.kind)
    .where('recipient_id', '=', who.accountId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows ?? 0);
}
