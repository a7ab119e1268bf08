// 容缺受理: a case accepted with non-key materials missing, against the applicant's written
// promise to supply them by `commitment_due_on`. The applicant supplies them while the case is
// open (the promise is then kept and the date cleared); a promise past its date is chased
// once — the applicant is reminded in site and by SMS and the staff who handled the case are
// told — by the same periodic job as 督办.
import { inTransaction, type Db, type Queryable } from '../../platform/db/database.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { Actor } from '../../platform/http/access.ts';
import { AppError, type FieldError } from '../../platform/http/errors.ts';
import { emitEvent } from '../../platform/jobs/outbox.ts';
import type { ImplementationContent } from '../catalog/index.ts';
import type { MaterialInput } from './service.ts';
import { actorIdOf } from './submission.ts';
import * as store from './store.ts';
import { staffWhoActed } from './supervision-store.ts';

const SYSTEM = { kind: 'system' as const, id: 'case-commitments' };
const OPEN: readonly string[] = ['in_review', 'suspended'];

/** Tells the applicant (in-site message, SMS through the outbox) in the caller's transaction. */
export type ApplicantMessenger = (tx: Queryable, row: store.CaseRow, title: string, text: string) => Promise<void>;

export interface CommitmentDeps {
  db: Db;
  implementation(id: string): Promise<ImplementationContent | null>;
  fileExists(sha256: string): Promise<boolean>;
}

function isApplicant(actor: Actor, row: store.CaseRow): boolean {
  if (actor.kind === 'citizen') return row.applicant_kind === 'citizen' && (actor.onBehalfOf?.accountId ?? actor.accountId) === row.applicant_id;
  if (actor.kind === 'company') return row.applicant_kind === 'company' && actor.accountId === row.applicant_id;
  return false;
}

/** The applicant supplies the materials promised at 容缺 acceptance; the promise is then kept. */
export async function supplyMaterials(deps: CommitmentDeps, actor: Actor, caseId: string, materials: MaterialInput[], meta: { requestId?: string }): Promise<{ kept: boolean }> {
  const seen = await store.findCase(deps.db, caseId);
  if (!seen || !isApplicant(actor, seen)) throw new AppError('CASE_NOT_FOUND');
  const impl = await deps.implementation(seen.implementation_id);
  const errors: FieldError[] = [];
  if (!materials.length) errors.push({ field: 'materials', message: '请上传要补交的材料' });
  for (const m of materials) {
    if (!impl?.materials.some((x) => x.id === m.materialId)) errors.push({ field: `materials.${m.materialId}`, message: '该事项没有这项材料' });
    else if (m.source !== 'upload' || !m.fileHash) errors.push({ field: `materials.${m.materialId}`, message: '请上传文件' });
    else if (!(await deps.fileExists(m.fileHash))) errors.push({ field: `materials.${m.materialId}`, message: '文件没有上传成功，请重新上传' });
  }
  if (errors.length) throw new AppError('VALIDATION_FAILED', { errors });
  return inTransaction(deps.db, async (tx) => {
    const row = await store.findCase(tx, caseId, true);
    if (!row || !isApplicant(actor, row)) throw new AppError('CASE_NOT_FOUND');
    if (!row.commitment_due_on || !OPEN.includes(row.state)) throw new AppError('CASE_ACTION_NOT_ALLOWED', { detail: '该办件没有待补交的容缺材料' });
    await store.replaceMaterials(tx, row.id, materials.map((m) => ({
      material_id: m.materialId,
      name: impl!.materials.find((x) => x.id === m.materialId)!.name,
      source: 'upload' as const,
      file_hash: m.fileHash!,
      file_name: m.fileName ?? null,
      mime: m.mime ?? null,
      size_bytes: m.sizeBytes ?? null,
      reference: null,
    })));
    // The promise is kept once nothing is left marked as promised.
    const kept = !(await store.hasPromisedMaterials(tx, row.id));
    if (!(await store.updateCase(tx, row.id, row.version, kept ? { commitment_due_on: null } : {}))) throw new AppError('CASE_CONFLICT');
    await store.insertEvent(tx, { caseId: row.id, action: 'supply_materials', fromState: row.state, toState: row.state, actorKind: actor.kind, actorId: actorIdOf(actor), note: kept ? '容缺材料已补齐' : null, data: { materials: materials.map((m) => m.materialId), commitmentDueOn: row.commitment_due_on, kept }, regionCode: row.region_code });
    await recordAudit(tx, { actor, action: 'case.supply_materials', targetType: 'service_case', targetId: row.id, regionCode: row.region_code, change: { materials: materials.map((m) => ({ materialId: m.materialId, fileHash: m.fileHash })), kept }, requestId: meta.requestId });
    if (kept) await emitEvent(tx, { topic: 'case.commitment_kept', payload: { caseId: row.id, caseNumber: row.case_number }, idempotencyKey: `case.commitment_kept:${row.id}:${row.commitment_due_on}`, regionCode: row.region_code });
    return { kept };
  });
}

/** One run: reminds each open case whose 容缺 promise is past its date, once per promised date. */
export async function chaseCommitments(db: Db, options: { today: string; tellApplicant?: ApplicantMessenger; tellStaff?: (tx: Queryable, staffId: string, row: store.CaseRow) => Promise<void> }): Promise<string[]> {
  const chased: string[] = [];
  for (const c of await store.overdueCommitments(db, options.today, 1000)) {
    const done = await inTransaction(db, async (tx) => {
      const row = await store.findCase(tx, c.id, true);
      if (!row || !row.commitment_due_on || row.commitment_due_on >= options.today || !OPEN.includes(row.state)) return false;
      if (await store.hasEvent(tx, row.id, 'commitment_chase', { commitmentDueOn: row.commitment_due_on })) return false;
      await store.insertEvent(tx, { caseId: row.id, action: 'commitment_chase', fromState: row.state, toState: row.state, actorKind: 'system', actorId: SYSTEM.id, note: `容缺材料承诺期限（${row.commitment_due_on}）已过，已提醒申请人补交`, data: { commitmentDueOn: row.commitment_due_on }, regionCode: row.region_code });
      await recordAudit(tx, { actor: SYSTEM, action: 'case.commitment_chase', targetType: 'service_case', targetId: row.id, regionCode: row.region_code, change: { commitmentDueOn: row.commitment_due_on } });
      await emitEvent(tx, { topic: 'case.commitment_overdue', payload: { caseId: row.id, caseNumber: row.case_number, commitmentDueOn: row.commitment_due_on }, idempotencyKey: `case.commitment_overdue:${row.id}:${row.commitment_due_on}`, regionCode: row.region_code });
      await options.tellApplicant?.(tx, row, `${row.item_name}：请补交容缺材料`, `您申请的“${row.item_name}”为容缺受理，承诺补交材料的期限 ${row.commitment_due_on} 已过，请尽快在“我的办件”中补交。`);
      if (options.tellStaff) for (const staffId of await staffWhoActed(tx, row.id)) await options.tellStaff(tx, staffId, row);
      return true;
    });
    if (done) chased.push(c.id);
  }
  return chased;
}
