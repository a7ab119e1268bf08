// Supervision of case handling (效能监督): the verification of 告知承诺 after approval, the
// figures per case and per organisation for the evaluation capability, and post tracking.
import { inTransaction, type Db } from '../../platform/db/database.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { assertInRegion, actorRegion, type Actor } from '../../platform/http/access.ts';
import { AppError } from '../../platform/http/errors.ts';
import { emitEvent } from '../../platform/jobs/outbox.ts';
import { CourierUnavailableError, SHIPMENT_STATUS_LABELS, type CourierService } from '../../platform/external/courier.ts';
import { light, type WorkingDays } from './deadlines.ts';
import { SPECIAL_PROCEDURES, type SpecialProcedure } from './state-machine.ts';
import * as store from './store.ts';
import * as sv from './supervision-store.ts';

export interface SupervisionDeps {
  db: Db;
  calendar: { current(): Promise<WorkingDays> };
  today: () => string;
  courier: () => CourierService;
  organisation: (id: string) => Promise<{ id: string; regionCode: string; name: string } | null>;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export class SupervisionService {
  private readonly deps: SupervisionDeps;
  constructor(deps: SupervisionDeps) {
    this.deps = deps;
  }

  /** A case for staff of its region, and of its organisation unless they administer the region. */
  private async staffCase(actor: Actor, caseId: string, orgBound: boolean): Promise<store.CaseRow> {
    const row = await store.findCase(this.deps.db, caseId);
    if (!row) throw new AppError('CASE_NOT_FOUND');
    assertInRegion(actor, row.region_code);
    if (orgBound && actor.kind === 'staff' && actor.orgId && actor.orgId !== row.org_id && !actor.roles.includes('region_admin')) {
      throw new AppError('FORBIDDEN', { detail: '该办件不属于您所在的机构' });
    }
    return row;
  }

  /** Open 告知承诺 verification tasks due by `dueBy` (default today), for the workbench. */
  async dueVerifications(actor: Actor, dueBy?: string) {
    const today = this.deps.today();
    const region = actorRegion(actor) ?? '';
    const rows = await sv.listOpenVerifications(this.deps.db, { regionPrefix: region, orgId: actor.kind === 'staff' && !actor.roles.includes('region_admin') ? actor.orgId : null, dueBy: dueBy ?? today, limit: 200 });
    return rows.map((r) => ({ caseId: r.case_id, caseNumber: r.case_number, itemName: r.item_name, orgId: r.org_id, dueOn: r.due_on, overdue: r.due_on < today, commitmentText: r.commitment_text }));
  }

  /**
   * The verification's result. A breach is recorded on the case, audited and announced as
   * `case.commitment_breached`; revoking the approval is a later capability that listens to it.
   */
  async recordVerification(actor: Actor, caseId: string, input: { result: 'fulfilled' | 'breached'; note?: string }, meta: { requestId?: string }) {
    if (actor.kind !== 'staff') throw new AppError('FORBIDDEN');
    const note = input.note?.trim() || null;
    if (input.result === 'breached' && !note) throw new AppError('VALIDATION_FAILED', { errors: [{ field: 'note', message: '请写明核查发现的不符之处' }] });
    const row = await this.staffCase(actor, caseId, true);
    return inTransaction(this.deps.db, async (tx) => {
      const task = await sv.findVerification(tx, row.id, true);
      if (!task) throw new AppError('CASE_VERIFICATION_NOT_FOUND');
      if (task.result || !(await sv.recordVerification(tx, task.id, { result: input.result, verifiedBy: actor.accountId, note }))) throw new AppError('CASE_VERIFICATION_DONE');
      const action = input.result === 'breached' ? 'commitment_breached' : 'commitment_fulfilled';
      await store.insertEvent(tx, { caseId: row.id, action, fromState: row.state, toState: row.state, actorKind: 'staff', actorId: actor.accountId, note, data: { result: input.result, dueOn: task.due_on }, regionCode: row.region_code });
      await recordAudit(tx, { actor, action: `case.${action}`, targetType: 'service_case', targetId: row.id, regionCode: row.region_code, change: { result: input.result, note }, requestId: meta.requestId });
      if (input.result === 'breached') {
        await emitEvent(tx, { topic: 'case.commitment_breached', payload: { caseId: row.id, caseNumber: row.case_number, implementationId: row.implementation_id, applicantKind: row.applicant_kind, applicantId: row.applicant_id }, idempotencyKey: `case.commitment_breached:${row.id}`, regionCode: row.region_code });
      }
      return { caseId: row.id, result: input.result, dueOn: task.due_on, note };
    });
  }

  /** One case's timeline figures: received, accepted, decided, working days used and suspended, on time. */
  async caseFigures(actor: Actor, caseId: string) {
    const row = await this.staffCase(actor, caseId, false);
    const cal = await this.deps.calendar.current();
    const today = this.deps.today();
    const suspendedNow = row.suspended_since ? Math.max(0, await cal.countWorkingDays(row.suspended_since, today, row.region_code)) : 0;
    let used: number | null = row.working_days_used;
    if (used === null && row.clock_started_on && !row.decided_on) {
      used = Math.max(0, (await cal.countWorkingDays(row.clock_started_on, today, row.region_code)) - row.suspended_working_days - suspendedNow);
    }
    const events = await store.listEvents(this.deps.db, row.id, false);
    const escalations = await sv.listEscalations(this.deps.db, row.id);
    const running = row.clock_started_on !== null && row.decided_on === null && (row.state === 'in_review' || row.state === 'suspended');
    return {
      caseId: row.id,
      caseNumber: row.case_number,
      orgId: row.org_id,
      state: row.state,
      receivedAt: row.submitted_at,
      acceptedAt: row.accepted_at,
      decidedAt: row.decided_at,
      decidedOn: row.decided_on,
      dueOn: row.due_on,
      legalDueOn: row.legal_due_on,
      workingDaysUsed: used,
      suspendedWorkingDays: row.suspended_working_days + suspendedNow,
      onTime: row.decided_on && row.due_on ? row.decided_on <= row.due_on : running && row.due_on ? today <= row.due_on : null,
      light: row.state === 'in_review' ? await light(cal, row.due_on, today, row.region_code) : 'none',
      procedures: events
        .filter((e) => e.action === 'suspend')
        .map((e) => {
          const p = (e.data as { procedure?: SpecialProcedure }).procedure;
          return { procedure: p ?? null, name: p ? SPECIAL_PROCEDURES[p] : null, startedAt: e.created_at };
        }),
      escalations: escalations.map((e) => ({ level: e.level, dueOn: e.due_on, escalatedOn: e.escalated_on })),
    };
  }

  /** Per organisation figures for cases received from `from` to `to` (inclusive days, Asia/Shanghai). */
  async organisationFigures(actor: Actor, q: { region?: string; from: string; to: string }) {
    if (!DAY.test(q.from) || !DAY.test(q.to) || q.from > q.to) throw new AppError('VALIDATION_FAILED', { errors: [{ field: 'to', message: '请填写有效的起止日期（起始不晚于截止）' }] });
    const region = q.region ?? actorRegion(actor) ?? '';
    if (!/^\d{2,12}$/.test(region)) throw new AppError('VALIDATION_FAILED', { errors: [{ field: 'region', message: '请填写区划代码' }] });
    assertInRegion(actor, region);
    // A code like 320100 covers its counties: match on the significant prefix.
    const prefix = region.replace(/(00)+$/, '') || region;
    const from = new Date(`${q.from}T00:00:00+08:00`);
    const to = new Date(new Date(`${q.to}T00:00:00+08:00`).getTime() + 86_400_000);
    const figures = await sv.organisationFigures(this.deps.db, { regionPrefix: prefix, from, to, today: this.deps.today() });
    const names = await Promise.all(figures.map((f) => this.deps.organisation(f.orgId)));
    return { region, from: q.from, to: q.to, organisations: figures.map((f, i) => ({ ...f, orgName: names[i]?.name ?? null })) };
  }

  /** Where the posted result is, for the applicant and staff who may see the case. */
  async tracking(row: store.CaseRow) {
    if (row.delivery_method !== 'post' || !row.tracking_number) throw new AppError('NOT_FOUND', { detail: '该办件不是邮寄送达' });
    try {
      const t = await this.deps.courier().track(row.tracking_number);
      return { trackingNumber: row.tracking_number, status: t.status, statusName: SHIPMENT_STATUS_LABELS[t.status], events: t.events };
    } catch (err) {
      if (err instanceof CourierUnavailableError) throw new AppError('COURIER_UNAVAILABLE', { detail: '暂时查不到物流信息，请稍后再试' });
      throw err;
    }
  }
}
