// Background import of implementations, for large files and uploads. The job row and its
// first outbox event are written together; the outbox worker then runs the handlers below:
// - `catalog.import.check` checks CHUNK rows in the worker's transaction, appends bad rows
//   and plans, advances rows_processed (so the progress page moves) and emits the event for
//   the next chunk — each chunk is its own small transaction;
// - `catalog.import.commit` writes every row in ONE transaction, or none.
// Each handler locks the job row first and acts only when the job is exactly where the
// event expects it (status and offset), so a redelivered or duplicated event does nothing.
import { randomUUID } from 'node:crypto';
import { sql, type Generated } from 'kysely';
import type { Db, Queryable, Tx } from '../../../platform/db/database.ts';
import { inTransaction } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/http/access.ts';
import { AppError, isAppError } from '../../../platform/http/errors.ts';
import { emitEvent, type OutboxEvent } from '../../../platform/jobs/outbox.ts';
import type { EventHandler } from '../../../platform/jobs/worker.ts';
import { RegionService } from '../../regions/index.ts';
import { checkRows, commitFailure, commitPlans, NO_ROWS, type ImportResult, type ParsedRow, type Plan, type RowError } from './transfer.ts';

export type JobStatus = 'queued' | 'validating' | 'committing' | 'done' | 'failed';
export type JobFormat = 'csv' | 'xlsx' | 'pasted';

declare module '../../../platform/db/database.ts' {
  interface Database {
    catalog_import_job: {
      id: string;
      region_code: string;
      created_by: string;
      actor: unknown;
      file_name: string | null;
      format: JobFormat;
      status: Generated<JobStatus>;
      total_rows: number;
      rows_processed: Generated<number>;
      rows: unknown;
      plans: Generated<unknown>;
      report: Generated<unknown>;
      result: unknown;
      created_at: Generated<Date>;
      updated_at: Generated<Date>;
      finished_at: Date | null;
    };
  }
}

export const CHECK_TOPIC = 'catalog.import.check';
export const COMMIT_TOPIC = 'catalog.import.commit';
/** Rows checked per transaction: the progress page's step. */
export const CHUNK = 50;
/** Pasted imports up to this many rows run in the request; larger ones and uploads run as a job. */
export const SYNC_LIMIT = 200;

export interface ImportJob {
  id: string;
  regionCode: string;
  createdBy: string;
  fileName: string | null;
  format: JobFormat;
  status: JobStatus;
  totalRows: number;
  rowsProcessed: number;
  report: RowError[];
  result: ImportResult | null;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

const asJson = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
const jsonb = (v: unknown) => sql`${JSON.stringify(v)}::jsonb`;

type JobRow = { id: string; region_code: string; created_by: string; file_name: string | null; format: JobFormat; status: JobStatus; total_rows: number; rows_processed: number; report: unknown; result: unknown; created_at: Date; updated_at: Date; finished_at: Date | null };

function toJob(r: JobRow): ImportJob {
  return {
    id: r.id,
    regionCode: r.region_code,
    createdBy: r.created_by,
    fileName: r.file_name,
    format: r.format,
    status: r.status,
    totalRows: Number(r.total_rows),
    rowsProcessed: Number(r.rows_processed),
    report: (asJson(r.report) as RowError[]) ?? [],
    result: (asJson(r.result) as ImportResult | null) ?? null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    finishedAt: r.finished_at,
  };
}

const PUBLIC_COLUMNS = ['id', 'region_code', 'created_by', 'file_name', 'format', 'status', 'total_rows', 'rows_processed', 'report', 'result', 'created_at', 'updated_at', 'finished_at'] as const;

/** Creates the job and the event that starts it, in one transaction. */
export async function createImportJob(db: Db, actor: Actor, input: { rows: ParsedRow[]; fileName: string | null; format: JobFormat }): Promise<string> {
  if (actor.kind !== 'staff') throw new AppError('FORBIDDEN');
  const id = randomUUID();
  await inTransaction(db, async (tx) => {
    await tx
      .insertInto('catalog_import_job')
      .values({ id, region_code: actor.regionCode, created_by: actor.accountId, actor: jsonb(actor), file_name: input.fileName, format: input.format, total_rows: input.rows.length, rows: jsonb(input.rows), result: null, finished_at: null })
      .execute();
    await emitEvent(tx, { topic: CHECK_TOPIC, payload: { jobId: id, offset: 0 }, idempotencyKey: `${CHECK_TOPIC}:${id}:0`, regionCode: actor.regionCode });
  });
  return id;
}

export async function findImportJob(db: Queryable, id: string): Promise<ImportJob | null> {
  const r = await db.selectFrom('catalog_import_job').select(PUBLIC_COLUMNS).where('id', '=', id).executeTakeFirst();
  return r ? toJob(r as JobRow) : null;
}

/** The job row under a row lock, with what the handlers need; null when it does not exist. */
async function lockJob(tx: Tx, id: string) {
  const r = await tx.selectFrom('catalog_import_job').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!r) return null;
  return { ...r, total_rows: Number(r.total_rows), rows_processed: Number(r.rows_processed), actor: asJson(r.actor) as Actor, rows: (asJson(r.rows) as ParsedRow[] | null) ?? [], plans: (asJson(r.plans) as Plan[]) ?? [], report: (asJson(r.report) as RowError[]) ?? [] };
}

async function finish(tx: Tx, id: string, status: 'done' | 'failed', result: ImportResult): Promise<void> {
  await tx
    .updateTable('catalog_import_job')
    .set({ status, result: jsonb({ ...result, errors: undefined }), report: jsonb(result.errors), rows: null, plans: jsonb([]), finished_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

const payloadOf = (e: OutboxEvent) => e.payload as { jobId: string; offset?: number };

/** Checks the next chunk of rows. */
export async function checkChunk(tx: Tx, event: OutboxEvent, chunk = CHUNK): Promise<void> {
  const { jobId, offset = 0 } = payloadOf(event);
  const job = await lockJob(tx, jobId);
  // Anything else is a duplicate or a late redelivery: that chunk was already checked.
  if (!job || (job.status !== 'queued' && job.status !== 'validating') || job.rows_processed !== offset) return;
  const txDb = tx as unknown as Db;
  const end = Math.min(job.total_rows, offset + chunk);
  const { plans, errors } = await checkRows(txDb, new RegionService(txDb), job.actor, job.rows, offset, end);
  const report = [...job.report, ...errors];
  if (end < job.total_rows) {
    await tx
      .updateTable('catalog_import_job')
      .set({ status: 'validating', rows_processed: end, report: jsonb(report), plans: sql`plans || ${jsonb(plans)}`, updated_at: sql<Date>`now()` })
      .where('id', '=', jobId)
      .execute();
    await emitEvent(tx, { topic: CHECK_TOPIC, payload: { jobId, offset: end }, idempotencyKey: `${CHECK_TOPIC}:${jobId}:${end}`, regionCode: job.region_code });
    return;
  }
  if (job.total_rows === 0) report.push(NO_ROWS);
  if (report.length) {
    await tx.updateTable('catalog_import_job').set({ rows_processed: end }).where('id', '=', jobId).execute();
    await finish(tx, jobId, 'failed', { committed: false, rows: job.total_rows, created: 0, updated: 0, unchanged: 0, errors: report });
    return;
  }
  await tx
    .updateTable('catalog_import_job')
    .set({ status: 'committing', rows_processed: end, plans: sql`plans || ${jsonb(plans)}`, updated_at: sql<Date>`now()` })
    .where('id', '=', jobId)
    .execute();
  await emitEvent(tx, { topic: COMMIT_TOPIC, payload: { jobId }, idempotencyKey: `${COMMIT_TOPIC}:${jobId}`, regionCode: job.region_code });
}

/** Writes every checked row in the handler's one transaction; nothing on a conflict. */
export async function commitJob(tx: Tx, event: OutboxEvent): Promise<void> {
  const { jobId } = payloadOf(event);
  const job = await lockJob(tx, jobId);
  if (!job || job.status !== 'committing') return; // already done (or failed): never import twice
  // A savepoint, so a refused row undoes the rows before it but not the job's own update.
  await sql`savepoint catalog_import`.execute(tx);
  try {
    const counts = await commitPlans(tx, job.actor, job.plans, job.total_rows);
    await sql`release savepoint catalog_import`.execute(tx);
    await finish(tx, jobId, 'done', { committed: true, rows: job.total_rows, ...counts, errors: [] });
  } catch (e) {
    if (!isAppError(e)) throw e;
    await sql`rollback to savepoint catalog_import`.execute(tx);
    await finish(tx, jobId, 'failed', { committed: false, rows: job.total_rows, created: 0, updated: 0, unchanged: 0, errors: [commitFailure(e)] });
  }
}

export function importJobHandlers(chunk = CHUNK): EventHandler[] {
  return [
    { name: 'catalog.import.check', topic: CHECK_TOPIC, handle: (event, tx) => checkChunk(tx, event, chunk) },
    { name: 'catalog.import.commit', topic: COMMIT_TOPIC, handle: (event, tx) => commitJob(tx, event) },
  ];
}
