// 存量证照 import: upload → every row checked (nothing issued yet; the member sees the
// problems) → start → batches issued through the outbox (`licence.import_batch`), each batch
// one transaction on the event: identifiers, QR payloads and PDFs signed with one seal
// preparation (produceLicenceFiles), the library rows through the one issuing path, the rows
// marked and the counts advanced, then the next batch's event. A crash rolls the batch back
// and its event is delivered again, so the job resumes where it stood and never issues a row
// twice; pause stops after the current batch.
import { createHash } from 'node:crypto';
import { recordAudit } from '../../../platform/audit/audit.ts';
import { inTransaction, type Db, type Queryable } from '../../../platform/db/database.ts';
import { assertInRegion, type Actor } from '../../../platform/http/access.ts';
import { AppError } from '../../../platform/http/errors.ts';
import { emitEvent } from '../../../platform/jobs/outbox.ts';
import type { EventHandler } from '../../../platform/jobs/worker.ts';
import { regionPrefix } from '../../../platform/region-code.ts';
import { chinaDate } from '../../../platform/calendar/dates.ts';
import { findCitizenByIdNumber } from '../../identity/index.ts';
import { RegionService } from '../../regions/index.ts';
import type { LicenceType } from '../catalogue.ts';
import { sealLicenceData, openLicenceData, type Holder, type LicenceData } from '../data.ts';
import { NoValidSeal, produceLicenceFiles, type FaceInput } from '../document.ts';
import { nextIdentifier, recordIssued, type NewLicence } from '../issue.ts';
import { isLicenceManager, type LicenceService, type LicenceServiceDeps } from '../service.ts';
import { recordUse } from '../usage.ts';
import { checkRow, requiredColumns } from './check.ts';
import { parseTable } from './parse.ts';
import * as store from './store.ts';

export const BATCH_SIZE = 10;
export const IMPORT_TOPIC = 'licence.import_batch';

export type ImportDeps = LicenceServiceDeps & { db: Db; licences: LicenceService };

type Staff = Extract<Actor, { kind: 'staff' }>;

function importer(actor: Actor): Staff {
  if (actor.kind !== 'staff' || !isLicenceManager(actor)) throw new AppError('FORBIDDEN');
  if (!actor.orgId) throw new AppError('FORBIDDEN', { detail: '导入存量证照须以发证机关工作人员的身份进行（账户没有所属机构）' });
  return actor;
}


export class LicenceImportService {
  readonly d: ImportDeps;
  constructor(deps: ImportDeps) {
    this.d = deps;
  }

  /** Parses and checks every row; stores the job and its rows. Nothing is issued yet. */
  async upload(actor: Actor, input: { typeCode: string; fileName: string; bytes: Buffer }): Promise<string> {
    const staff = importer(actor);
    const type = (await this.d.licences.types()).find((t) => t.code === input.typeCode);
    if (!type) throw new AppError('VALIDATION_FAILED', { errors: [{ field: 'typeCode', message: '请选择证照类型' }] });
    const org = await new RegionService(this.d.db).organisation(staff.orgId!);
    if (!org.creditCode) throw new AppError('VALIDATION_FAILED', { errors: [{ field: 'typeCode', message: `“${org.name}”没有统一社会信用代码，不能作为发证机关` }] });
    const parsed = await parseTable(input.fileName, input.bytes);
    if (!parsed.ok) throw new AppError('VALIDATION_FAILED', { errors: [{ field: 'file', message: parsed.message }] });
    const have = new Set(parsed.table.header);
    const labelOrKey = new Map(type.fields.map((f) => [f.label, f.key]));
    const missing = requiredColumns(type).filter((c) => !have.has(c) && !have.has(labelOrKey.get(c) ?? '\u0000'));
    if (missing.length) throw new AppError('VALIDATION_FAILED', { errors: [{ field: 'file', message: `缺少这些列：${missing.join('、')}（可下载模板）` }] });
    if (!parsed.table.rows.length) throw new AppError('VALIDATION_FAILED', { errors: [{ field: 'file', message: '文件只有表头，没有数据行' }] });

    const today = (this.d.today ?? chinaDate)();
    const checked = parsed.table.rows.map((r) => ({ line: r.line, result: checkRow(type, org.name, r.cells, today) }));
    const numbers = checked.map((c) => c.result.originalNumber).filter(Boolean);
    const taken = await store.takenNumbers(this.d.db, type.code, numbers);
    const seen = new Set<string>();
    const rows = checked.map(({ line, result }) => {
      const errors = result.ok ? [] : [...result.errors];
      if (result.originalNumber && taken.has(result.originalNumber)) errors.push({ field: '原证号', message: '该证已经导入过' });
      else if (result.originalNumber && seen.has(result.originalNumber)) errors.push({ field: '原证号', message: '文件中有重复的原证号' });
      if (result.originalNumber) seen.add(result.originalNumber);
      const ok = result.ok && errors.length === 0;
      return {
        job_id: '', row_no: line, type_code: type.code, original_number: (result.originalNumber || `#${line}`).slice(0, 60), errors,
        status: (ok ? 'pending' : 'invalid') as store.RowStatus,
        data: ok && result.ok ? sealLicenceData(this.d.cipher, type, result.data) : null,
        holder: ok && result.ok ? { kind: result.holder.kind, name: this.d.cipher.seal('name', result.holder.name), code: this.d.cipher.seal('id_number', result.holder.code) } : null,
        valid_from: ok && result.ok ? result.validFrom : null, valid_until: ok && result.ok ? result.validUntil : null,
      };
    });
    const valid = rows.filter((r) => r.status === 'pending').length;
    return this.saveJob(staff, org, type, input, rows, valid).catch((err: unknown) => {
      // Another upload took one of these 原证号 between the check and the insert.
      if ((err as { code?: unknown }).code === '23505') throw new AppError('VALIDATION_FAILED', { errors: [{ field: 'file', message: '文件中的部分证照刚被另一次导入登记，请重新上传以查看哪些行重复' }] });
      throw err;
    });
  }

  private saveJob(staff: Staff, org: { id: string; regionCode: string }, type: LicenceType, input: { fileName: string; bytes: Buffer }, rows: Omit<store.ImportRow, 'licence_id' | 'message'>[], valid: number): Promise<string> {
    return inTransaction(this.d.db, async (tx) => {
      const jobId = await store.insertJob(tx, {
        orgId: org.id, regionCode: org.regionCode, typeCode: type.code, fileName: input.fileName.slice(0, 200), fileSha256: createHash('sha256').update(input.bytes).digest('hex'),
        total: rows.length, valid, createdBy: staff.accountId, actor: staff,
      });
      await store.insertRows(tx, rows.map((r) => ({ ...r, job_id: jobId })));
      await recordAudit(tx, { actor: staff, action: 'licence.import.upload', targetType: 'licence_import_job', targetId: jobId, regionCode: org.regionCode, change: { type: type.code, file: input.fileName, rows: rows.length, valid } });
      return jobId;
    });
  }

  /** The job if it exists and is in the actor's region (locked for update when asked). */
  private async jobInRegion(db: Queryable, actor: Actor, id: string, lock = false): Promise<store.JobRow> {
    const job = /^[0-9a-f-]{36}$/.test(id) ? await store.job(db, id, lock) : null;
    if (!job) throw new AppError('LICENCE_IMPORT_NOT_FOUND');
    assertInRegion(actor, job.region_code);
    return job;
  }

  async job(actor: Actor, id: string) {
    const job = await this.jobInRegion(this.d.db, actor, id);
    const type = (await this.d.licences.types()).find((t) => t.code === job.type_code)!;
    return { job, type, problems: await store.problemRows(this.d.db, id, 1000) };
  }

  list(actor: Actor) {
    if (actor.kind !== 'staff') throw new AppError('FORBIDDEN');
    return store.jobs(this.d.db, regionPrefix(actor.regionCode));
  }

  /** checked → running, paused → running: the next batch's event, in the same transaction. */
  async start(actor: Actor, id: string): Promise<void> {
    importer(actor);
    await inTransaction(this.d.db, async (tx) => {
      const job = await this.jobInRegion(tx, actor, id, true);
      if (job.status !== 'checked' && job.status !== 'paused') throw new AppError('LICENCE_IMPORT_STATE_CONFLICT', { detail: job.status === 'running' ? '正在签发' : '该导入已完成' });
      await store.setJobStatus(tx, id, 'running');
      await emitEvent(tx, { topic: IMPORT_TOPIC, payload: { jobId: id }, idempotencyKey: `${IMPORT_TOPIC}:${id}:${job.issued + job.failed}:${Date.now()}`, regionCode: job.region_code });
      await recordAudit(tx, { actor, action: job.status === 'paused' ? 'licence.import.resume' : 'licence.import.start', targetType: 'licence_import_job', targetId: id, regionCode: job.region_code, change: { issued: job.issued, failed: job.failed } });
    });
  }

  async pause(actor: Actor, id: string): Promise<void> {
    importer(actor);
    await inTransaction(this.d.db, async (tx) => {
      const job = await this.jobInRegion(tx, actor, id, true);
      if (job.status !== 'running') throw new AppError('LICENCE_IMPORT_STATE_CONFLICT', { detail: '只有正在签发的导入可以暂停' });
      await store.setJobStatus(tx, id, 'paused');
      await recordAudit(tx, { actor, action: 'licence.import.pause', targetType: 'licence_import_job', targetId: id, regionCode: job.region_code, change: { issued: job.issued, failed: job.failed } });
    });
  }

  /** One batch, on the event's transaction; emits the next batch's event until none is left. */
  async runBatch(tx: Queryable, jobId: string): Promise<void> {
    const job = await store.job(tx, jobId, true);
    if (!job || job.status !== 'running') return;
    const rows = await store.pendingRows(tx, jobId, BATCH_SIZE);
    if (!rows.length) {
      await store.setJobStatus(tx, jobId, 'done');
      await recordAudit(tx, { actor: job.actor as Staff, action: 'licence.import.done', targetType: 'licence_import_job', targetId: jobId, regionCode: job.region_code, change: { issued: job.issued, failed: job.failed } });
      return;
    }
    const type = await this.d.licences.typeByCode(tx, job.type_code);
    const org = await new RegionService(tx as unknown as Db).organisation(job.org_id);
    const issuer = { id: org.id, name: org.name, creditCode: org.creditCode!, regionCode: org.regionCode };
    const prepared: { row: store.ImportRow; input: NewLicence; face: FaceInput; serial: string }[] = [];
    for (const row of rows) {
      const input = await this.newLicence(tx, type, job, issuer, row);
      const { identifier, serial } = await nextIdentifier(tx, type, issuer.creditCode, input.validFrom);
      prepared.push({ row, input, serial, face: { type, data: input.data, identifier, issuerName: issuer.name, validFrom: input.validFrom, validUntil: input.validUntil ?? null } });
    }
    let issued = 0;
    let failed = 0;
    try {
      const files = await produceLicenceFiles({ db: tx, config: this.d.config, files: this.d.files }, { id: issuer.id, regionCode: issuer.regionCode }, prepared.map((p) => p.face));
      for (const [i, p] of prepared.entries()) {
        const file = files[i]!;
        if (!file.ok) {
          await store.markRow(tx, jobId, p.row.row_no, 'failed', null, `签章失败：${file.error}`.slice(0, 500));
          failed++;
          continue;
        }
        const licence = await recordIssued(tx, this.d, p.input, { identifier: p.face.identifier, serial: p.serial, validUntil: p.face.validUntil, pdfSha256: file.sha256, esId: file.esId });
        await recordUse(tx, { licenceId: licence.id, identifier: licence.identifier, kind: 'import', actor: p.input.actor, regionCode: licence.region_code, purpose: `存量证照导入（原证号 ${p.row.original_number}）` });
        await store.markRow(tx, jobId, p.row.row_no, 'issued', licence.id, null);
        issued++;
      }
    } catch (err) {
      if (!(err instanceof NoValidSeal)) throw err;
      for (const p of prepared) await store.markRow(tx, jobId, p.row.row_no, 'failed', null, `发证机关“${issuer.name}”没有有效的电子印章`);
      failed = prepared.length;
    }
    await store.addCounts(tx, jobId, issued, failed);
    await emitEvent(tx, { topic: IMPORT_TOPIC, payload: { jobId }, idempotencyKey: `${IMPORT_TOPIC}:${jobId}:${job.issued + job.failed + issued + failed}`, regionCode: job.region_code });
  }

  private async newLicence(tx: Queryable, type: LicenceType, job: store.JobRow, issuer: NewLicence['issuer'], row: store.ImportRow): Promise<NewLicence> {
    const sealed = row.holder as { kind: Holder['kind']; name: string; code: string };
    const holder: Holder = { kind: sealed.kind, name: this.d.cipher.open('name', sealed.name), code: this.d.cipher.open('id_number', sealed.code) };
    const account = holder.kind === 'person' ? await findCitizenByIdNumber(tx, this.d.cipher.blindIndex('id_number', holder.code)) : null;
    return {
      type, holder, holderAccountId: account?.id ?? null, data: openLicenceData(this.d.cipher, type, row.data as LicenceData), issuer, regionCode: job.region_code,
      validFrom: row.valid_from!, validUntil: row.valid_until, caseId: null,
      origin: { importJob: job.id, row: row.row_no, originalNumber: row.original_number }, actor: job.actor as Staff,
    };
  }
}

export function importHandler(service: LicenceImportService): EventHandler {
  return {
    name: 'licences.import-batch',
    topic: IMPORT_TOPIC,
    async handle(event, tx) {
      await service.runBatch(tx, (event.payload as { jobId: string }).jobId);
    },
  };
}
