// The only code that touches the historical-import tables (migrations/0030).
import { sql, type Generated, type Selectable } from 'kysely';
import type { Queryable } from '../../../platform/db/database.ts';

export type JobStatus = 'checked' | 'running' | 'paused' | 'done';
export type RowStatus = 'invalid' | 'pending' | 'issued' | 'failed';

declare module '../../../platform/db/database.ts' {
  interface Database {
    licence_import_job: {
      id: Generated<string>;
      org_id: string;
      region_code: string;
      type_code: string;
      file_name: string;
      file_sha256: string;
      status: JobStatus;
      total: number;
      valid: number;
      issued: Generated<number>;
      failed: Generated<number>;
      created_by: string;
      actor: unknown;
      created_at: Generated<Date>;
      updated_at: Generated<Date>;
      finished_at: Date | null;
    };
    licence_import_row: {
      job_id: string;
      row_no: number;
      type_code: string;
      original_number: string;
      data: unknown;
      holder: unknown;
      valid_from: string | null;
      valid_until: string | null;
      errors: unknown;
      status: RowStatus;
      licence_id: string | null;
      message: string | null;
    };
  }
}

export type JobRow = Selectable<import('../../../platform/db/database.ts').Database['licence_import_job']>;
export type ImportRow = Selectable<import('../../../platform/db/database.ts').Database['licence_import_row']>;

export async function insertJob(db: Queryable, j: { orgId: string; regionCode: string; typeCode: string; fileName: string; fileSha256: string; total: number; valid: number; createdBy: string; actor: unknown }): Promise<string> {
  const row = await db.insertInto('licence_import_job').values({
    org_id: j.orgId, region_code: j.regionCode, type_code: j.typeCode, file_name: j.fileName, file_sha256: j.fileSha256, status: j.valid ? 'checked' : 'done',
    total: j.total, valid: j.valid, created_by: j.createdBy, actor: JSON.stringify(j.actor), finished_at: j.valid ? null : new Date(),
  }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function insertRows(db: Queryable, rows: Omit<ImportRow, 'licence_id' | 'message'>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    await db.insertInto('licence_import_row').values(rows.slice(i, i + 500).map((r) => ({ ...r, data: r.data === null ? null : JSON.stringify(r.data), holder: r.holder === null ? null : JSON.stringify(r.holder), errors: JSON.stringify(r.errors), licence_id: null, message: null }))).execute();
  }
}

/** Original numbers already imported (pending or issued) for a type, among `numbers`. */
export async function takenNumbers(db: Queryable, typeCode: string, numbers: string[]): Promise<Set<string>> {
  if (!numbers.length) return new Set();
  const rows = await db.selectFrom('licence_import_row').select('original_number').where('type_code', '=', typeCode).where('original_number', 'in', numbers).where('status', 'in', ['pending', 'issued']).execute();
  return new Set(rows.map((r) => r.original_number));
}

export async function job(db: Queryable, id: string, lock = false): Promise<JobRow | null> {
  let q = db.selectFrom('licence_import_job').selectAll().where('id', '=', id);
  if (lock) q = q.forUpdate();
  return (await q.executeTakeFirst()) ?? null;
}

export async function jobs(db: Queryable, regionPrefix: string): Promise<JobRow[]> {
  return db.selectFrom('licence_import_job').selectAll().where('region_code', 'like', `${regionPrefix}%`).orderBy('created_at', 'desc').limit(50).execute();
}

export async function setJobStatus(db: Queryable, id: string, status: JobStatus): Promise<void> {
  await db.updateTable('licence_import_job').set({ status, updated_at: sql<Date>`now()`, ...(status === 'done' ? { finished_at: sql<Date>`now()` } : {}) }).where('id', '=', id).execute();
}

export async function pendingRows(db: Queryable, jobId: string, limit: number): Promise<ImportRow[]> {
  return db.selectFrom('licence_import_row').selectAll().where('job_id', '=', jobId).where('status', '=', 'pending').orderBy('row_no').limit(limit).execute();
}

export async function markRow(db: Queryable, jobId: string, rowNo: number, status: 'issued' | 'failed', licenceId: string | null, message: string | null): Promise<void> {
  await db.updateTable('licence_import_row').set({ status, licence_id: licenceId, message }).where('job_id', '=', jobId).where('row_no', '=', rowNo).execute();
}

export async function addCounts(db: Queryable, jobId: string, issued: number, failed: number): Promise<void> {
  await db.updateTable('licence_import_job').set({ issued: sql<number>`issued + ${issued}`, failed: sql<number>`failed + ${failed}`, updated_at: sql<Date>`now()` }).where('id', '=', jobId).execute();
}

/** Rows with problems (invalid at check, or failed when issuing), in file order. */
export async function problemRows(db: Queryable, jobId: string, limit: number): Promise<Pick<ImportRow, 'row_no' | 'original_number' | 'errors' | 'status' | 'message'>[]> {
  return db.selectFrom('licence_import_row').select(['row_no', 'original_number', 'errors', 'status', 'message']).where('job_id', '=', jobId).where('status', 'in', ['invalid', 'failed']).orderBy('row_no').limit(limit).execute();
}
