// Append-only audit trail (全过程留痕). Each record carries the SM3 hash of its predecessor,
// so an edited or deleted record breaks the chain at a point `audit:verify` can name.
import { sql, type Generated } from 'kysely';
import type { Db, Queryable, Tx } from '../db/database.ts';
import { inTransaction } from '../db/database.ts';
import { sm3Hex } from '../crypto/sm3.ts';
import type { Actor } from '../http/access.ts';

declare module '../db/database.ts' {
  interface Database {
    audit_log: Omit<LinkFields, 'id'> & { id: Generated<number>; hash: string };
    audit_head: { chain: string; last_id: number; last_hash: string };
  }
}

export const GENESIS_HASH = '0'.repeat(64);
const CHAIN = 'main';

/** Who did it: a request's actor, or the platform itself (jobs, start-up, CLI). */
export type AuditActor = Actor | { kind: 'system'; id: string };

export interface AuditEntry {
  actor: AuditActor;
  /** Dotted verb, e.g. `region.dataset.load`, `staff.login`, `calendar.override.add`. */
  action: string;
  targetType: string;
  targetId?: string | null;
  regionCode?: string | null;
  /** What changed; only its digest is chained, so personal data need not be copied here. */
  change: unknown;
  requestId?: string | null;
}

/**
 * JSON with object keys sorted at every depth, so equal values always digest alike.
 * Follows JSON.stringify otherwise (toJSON, undefined/functions dropped from objects and
 * null in arrays), so the digest describes exactly what a JSON copy of the value holds.
 */
export function canonicalJson(value: unknown): string {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return canonicalJson((value as { toJSON(): unknown }).toJSON());
  }
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined && typeof v !== 'function' && typeof v !== 'symbol')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function actorId(actor: AuditActor): string | null {
  switch (actor.kind) {
    case 'anonymous':
      return null;
    case 'system':
      return actor.id;
    case 'client':
      return actor.clientId;
    default:
      return actor.accountId;
  }
}

export interface LinkFields {
  id: number;
  occurred_at: Date;
  actor_kind: string;
  actor_id: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  region_code: string | null;
  change_digest: string;
  request_id: string | null;
  prev_hash: string;
}

/**
 * The link's hash: SM3 over the fields as a JSON array. JSON keeps field boundaries and
 * null apart from '' (a newline-joined string would let text move between two fields, or
 * a null become '', without changing the hash).
 */
export function linkHash(r: LinkFields): string {
  return sm3Hex(
    JSON.stringify([r.prev_hash, Number(r.id), r.occurred_at.toISOString(), r.actor_kind, r.actor_id, r.action, r.target_type, r.target_id, r.region_code, r.change_digest, r.request_id]),
  );
}

/**
 * What the digest covers. An act done for someone else (代办) names the principal, grant and
 * proxy in it, whatever module recorded it; the chain's fields stay as they are.
 */
export function chainedChange(entry: Pick<AuditEntry, 'actor' | 'change'>): unknown {
  const a = entry.actor;
  if (a.kind !== 'citizen' || !a.onBehalfOf) return entry.change;
  const onBehalfOf = { accountId: a.onBehalfOf.accountId, grantId: a.onBehalfOf.grantId, proxyAccountId: a.onBehalfOf.proxyAccountId };
  const c = entry.change;
  return c !== null && typeof c === 'object' && !Array.isArray(c) ? { ...(c as Record<string, unknown>), onBehalfOf } : { value: c, onBehalfOf };
}

/** Appends one record inside the caller's transaction (or a new one). */
export async function recordAudit(db: Queryable, entry: AuditEntry): Promise<void> {
  await inTransaction(db, async (tx: Tx) => {
    // The head row lock serialises appends until this transaction commits.
    const head = await tx.selectFrom('audit_head').select(['last_hash']).where('chain', '=', CHAIN).forUpdate().executeTakeFirstOrThrow();
    const { id } = await sql<{ id: number }>`select nextval('audit_log_id_seq')::bigint as id`.execute(tx).then((r) => r.rows[0]!);
    const link: LinkFields = {
      id,
      occurred_at: new Date(),
      actor_kind: entry.actor.kind,
      actor_id: actorId(entry.actor),
      action: entry.action,
      target_type: entry.targetType,
      target_id: entry.targetId ?? null,
      region_code: entry.regionCode ?? null,
      change_digest: sm3Hex(canonicalJson(chainedChange(entry))),
      request_id: entry.requestId ?? null,
      prev_hash: head.last_hash,
    };
    const hash = linkHash(link);
    await tx.insertInto('audit_log').values({ ...link, hash }).execute();
    await tx.updateTable('audit_head').set({ last_id: id, last_hash: hash }).where('chain', '=', CHAIN).execute();
  });
}

export type ChainReport =
  | { ok: true; records: number; lastHash: string }
  | { ok: false; records: number; brokenAt: number | null; reason: string };

/**
 * Walks the whole chain in id order and reports the first broken link. It reads one
 * snapshot (a read-only repeatable-read transaction), so records appended while it runs
 * neither hide a broken tail nor show up as a false "head mismatch".
 */
export async function verifyAuditChain(db: Db, batchSize = 5000): Promise<ChainReport> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute((tx) => walkChain(tx, batchSize));
}

async function walkChain(tx: Tx, batchSize: number): Promise<ChainReport> {
  let prev = GENESIS_HASH;
  let lastId = 0;
  let records = 0;
  // Head and records come from the same snapshot, so they agree unless someone tampered.
  const head = await tx.selectFrom('audit_head').selectAll().where('chain', '=', CHAIN).executeTakeFirst();
  for (;;) {
    const rows = await tx.selectFrom('audit_log').selectAll().where('id', '>', lastId).orderBy('id').limit(batchSize).execute();
    for (const row of rows) {
      const id = Number(row.id);
      if (row.prev_hash !== prev) {
        return { ok: false, records, brokenAt: id, reason: `记录 ${id} 的前序哈希与上一条记录${lastId ? ` ${lastId} ` : ''}不符（其前有记录被删除或篡改）` };
      }
      if (linkHash(row) !== row.hash) {
        return { ok: false, records, brokenAt: id, reason: `记录 ${id} 的内容与其哈希不符（记录被篡改）` };
      }
      prev = row.hash;
      lastId = id;
      records += 1;
    }
    if (rows.length < batchSize) break;
  }
  if (!head || head.last_hash !== prev || Number(head.last_id) !== lastId) {
    return {
      ok: false,
      records,
      brokenAt: head ? Number(head.last_id) : null,
      reason: `链头指向记录 ${head?.last_id ?? '无'}，但最后一条可验证记录是 ${lastId || '无'}（末尾记录被删除，或链头被改动）`,
    };
  }
  return { ok: true, records, lastHash: prev };
}
