// The rules of a case's life: who may submit what, which action may follow which (the table
// in state-machine.ts), the working-day clock, and the record every step leaves behind
// (case_event for the timeline, the audit chain, outbox events for other capabilities).
import { randomInt } from 'node:crypto';
import { inTransaction, type Db, type Queryable } from '../../platform/db/database.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { assertInRegion, type Actor, type RealNameLevel } from '../../platform/http/access.ts';
import { AppError, type FieldError } from '../../platform/http/errors.ts';
import { emitEvent } from '../../platform/jobs/outbox.ts';
import type { PersonalDataCipher } from '../../platform/crypto/personal-data.ts';
import { maskName } from '../../platform/crypto/personal-data.ts';
import type { CatalogService, ImplementationContent } from '../catalog/index.ts';
import { shanghaiDay, type Channel } from './case-number.ts';
import { dueDates, extendBySuspension, light, type Light, type WorkingDays } from './deadlines.ts';
import { eventLabel, TRANSITIONS, CASE_STATES, FINAL_STATES, actionsFrom, canTake, type CaseAction, type CaseState } from './state-machine.ts';
import * as store from './store.ts';
import { validateAnswers } from './forms/validate.ts';
import { stepsOf } from './steps.ts';
import { actorIdOf, writeSubmission, type PreparedSubmission } from './submission.ts';
import { closeBundleIfDone, OPEN_CASE_STATES } from './bundles.ts';
import { supplyMaterials } from './commitments.ts';
import { resolveLicenceMaterials } from './licence-materials.ts';
import { NEEDS_PREPARATION, prepare, resumeData, type Prepared, type RuleDeps } from './rules.ts';

export { stepsOf };

export interface MaterialInput {
  materialId: string;
  source: 'upload' | 'licence' | 'data' | 'promised';
  fileHash?: string;
  fileName?: string;
  mime?: string;
  sizeBytes?: number;
  reference?: string;
}

export interface SubmitInput {
  implementationId: string;
  answers: Record<string, unknown>;
  materials: MaterialInput[];
  channel: Channel;
  idempotencyKey?: string;
  /** Window intake: the person at the desk, identity checked by the clerk. */
  applicant?: { kind: 'citizen' | 'company'; accountId: string; name: string; phoneTail: string };
}

/** Tells the applicant, in the transition's transaction (in-site message, SMS through the outbox). */
export type CaseNotifier = (tx: Queryable, row: store.CaseRow, action: CaseAction, extra: { note: string | null; pickupCode?: string }) => Promise<void>;

export interface ActInput {
  /** The version the caller saw: a stale one gets 409 with the current state. */
  version: number;
  note?: string;
  data?: Record<string, unknown>;
  /** The caller's own writes in the transition's transaction, after the checks (补正: new answers and materials); its changes join the transition's. */
  alongside?: (tx: Queryable, row: store.CaseRow) => Promise<store.CaseChanges>;
}

export interface CaseView {
  id: string;
  caseNumber: string;
  itemName: string;
  implementationCode: string;
  state: CaseState;
  stateName: string;
  version: number;
  step: number;
  steps: store.CaseStep[];
  applicantName: string;
  channel: number;
  dueOn: string | null;
  legalDueOn: string | null;
  light: Light;
  decision: string | null;
  deliveryMethod: string | null;
  /** The special procedure running while suspended (expert_review, public_notice, …). */
  specialProcedure: string | null;
  trackingNumber: string | null;
  submittedAt: Date | null;
  allowedActions: CaseAction[];
}

/** Who a case belongs to, as the actor sees it (the proxy acts for the principal). */
function applicantOf(actor: Actor): { kind: 'citizen' | 'company'; id: string } | null {
  if (actor.kind === 'citizen') return { kind: 'citizen', id: actor.onBehalfOf?.accountId ?? actor.accountId };
  if (actor.kind === 'company') return { kind: 'company', id: actor.accountId };
  return null;
}

export class CaseService {
  private readonly db: Db;
  private readonly catalog: CatalogService;
  private readonly calendars: { current(): Promise<WorkingDays> };
  private readonly cipher: PersonalDataCipher;
  private readonly identity: (actor: Actor) => Promise<{ name: string; phoneTail: string }>;
  private readonly today: () => string;
  private readonly fileExists: (sha256: string) => Promise<boolean>;
  private readonly notifier: CaseNotifier | null;
  private readonly rules: RuleDeps;
  constructor(deps: {
    fileExists: (sha256: string) => Promise<boolean>;
    /** Transfer checks the target organisation; post delivery names the sender. */
    organisation?: RuleDeps['organisation'];
    /** Delivery by post (read at each use, so the adapter can be swapped). */
    courier?: RuleDeps['courier'];
    notifier?: CaseNotifier; db: Db; catalog: CatalogService; calendar: { current(): Promise<WorkingDays> }; cipher: PersonalDataCipher; identity: (actor: Actor) => Promise<{ name: string; phoneTail: string }>; today?: () => string }) {
    this.db = deps.db;
    this.catalog = deps.catalog;
    this.calendars = deps.calendar;
    this.cipher = deps.cipher;
    this.identity = deps.identity;
    this.fileExists = deps.fileExists;
    this.notifier = deps.notifier ?? null;
    this.rules = {
      implementation: async (id) => (await deps.catalog.published<ImplementationContent>(id))?.content ?? null,
      ...(deps.organisation ? { organisation: deps.organisation } : {}),
      ...(deps.courier ? { courier: deps.courier } : {}),
    };
    this.today = deps.today ?? (() => { const d = shanghaiDay(); return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}`; });
  }

  phoneTailHash(caseNumber: string, tail: string): string {
    return this.cipher.blindIndex('mobile', `case-tail|${caseNumber}|${tail}`);
  }

  /**
   * Everything a submission needs checked before its transaction: the implementation is
   * published and online, the applicant may apply, the form and materials are valid.
   */
  async prepareSubmission(actor: Actor, input: SubmitInput): Promise<PreparedSubmission> {
    const published = await this.catalog.published<ImplementationContent>(input.implementationId);
    if (!published || published.entry.kind !== 'implementation') throw new AppError('CATALOG_ENTRY_NOT_FOUND');
    const impl = published.content;
    const window = input.channel === 'window';
    if (window) {
      if (actor.kind !== 'staff' || !input.applicant) throw new AppError('FORBIDDEN');
      assertInRegion(actor, impl.regionCode);
    } else {
      if (!impl.channels.includes(input.channel === 'mobile' ? 'mobile' : 'online') && !impl.channels.includes('online')) throw new AppError('CASE_NOT_ONLINE');
      if (impl.onlineDepth < 3) throw new AppError('CASE_NOT_ONLINE');
      if (actor.kind === 'citizen' && actor.realNameLevel < impl.minRealNameLevel) {
        throw new AppError('STEP_UP_REQUIRED', { detail: `该事项网上申请需要实名认证等级 L${impl.minRealNameLevel}`, location: `/account/step-up?level=${impl.minRealNameLevel as RealNameLevel}` });
      }
    }
    const applicant = window ? { kind: input.applicant!.kind, id: input.applicant!.accountId } : applicantOf(actor);
    if (!applicant) throw new AppError('FORBIDDEN');

    const errors: FieldError[] = [...validateAnswers(impl.formSchema, input.answers), ...this.checkMaterials(impl, input.materials)];
    for (const m of input.materials) {
      if (m.fileHash && !(await this.fileExists(m.fileHash))) errors.push({ field: `materials.${m.materialId}`, message: '文件没有上传成功，请重新上传' });
    }
    const materials = errors.length ? input.materials : await resolveLicenceMaterials(this.db, impl, applicant, input.materials, errors);
    if (errors.length) throw new AppError('VALIDATION_FAILED', { errors });
    input = { ...input, materials };
    const who = window ? { name: input.applicant!.name, phoneTail: input.applicant!.phoneTail } : await this.identity(actor);
    return { actor, input, entry: { id: published.entry.id, version: published.entry.published_version!, code: published.entry.code }, impl, applicant, who, steps: stepsOf(impl) };
  }

  /** Writes a prepared submission in the caller's transaction (a 一件事 writes several in one). */
  writeSubmission(tx: Queryable, p: PreparedSubmission, meta: { requestId?: string }, bundleId: string | null = null): Promise<store.CaseRow> {
    return writeSubmission(tx, p, { sealName: (name) => this.cipher.seal('name', name), tailHash: (n, t) => this.phoneTailHash(n, t) }, meta, bundleId);
  }

  async submit(actor: Actor, input: SubmitInput, meta: { requestId?: string }): Promise<{ view: CaseView; created: boolean }> {
    const prepared = await this.prepareSubmission(actor, input);
    const { applicant } = prepared;
    if (input.idempotencyKey) {
      const existing = await store.findByIdempotencyKey(this.db, applicant.id, input.idempotencyKey);
      if (existing) return { view: await this.view(existing), created: false };
    }
    const calendar = await this.calendars.current();
    try {
      return await inTransaction(this.db, async (tx) => ({ view: await this.view(await this.writeSubmission(tx, prepared, meta), calendar), created: true }));
    } catch (err) {
      // The same key raced another request: that one won, answer with its case.
      if ((err as { code?: unknown }).code === '23505' && input.idempotencyKey) {
        const existing = await store.findByIdempotencyKey(this.db, applicant.id, input.idempotencyKey);
        if (existing) return { view: await this.view(existing), created: false };
      }
      throw err;
    }
  }

  private checkMaterials(impl: ImplementationContent, given: MaterialInput[]): FieldError[] {
    const errors: FieldError[] = [];
    for (const m of given) {
      if (!impl.materials.some((x) => x.id === m.materialId)) errors.push({ field: `materials.${m.materialId}`, message: '该事项没有这项材料' });
      else if (m.source === 'upload' && !m.fileHash) errors.push({ field: `materials.${m.materialId}`, message: '请上传文件' });
    }
    for (const m of impl.materials) {
      // Conditional (好办) materials and those the platform fetches itself are not demanded here.
      if (m.required && m.source === 'upload' && !m.when && !given.some((g) => g.materialId === m.id)) {
        errors.push({ field: `materials.${m.id}`, message: `请提交“${m.name}”` });
      }
    }
    return errors;
  }

  /** One action on a case, if the table allows it from the current state and the caller may take it. */
  async act(actor: Actor, caseId: string, action: CaseAction, input: ActInput, meta: { requestId?: string }): Promise<{ view: CaseView; pickupCode?: string }> {
    const t = TRANSITIONS[action];
    if (t.needsNote && !input.note?.trim()) throw new AppError('VALIDATION_FAILED', { errors: [{ field: 'note', message: '请填写理由' }] });
    // The calendar is read before the transaction: on the embedded database the transaction
    // holds the only connection, and the snapshot answers without another query.
    const calendar = await this.calendars.current();
    let prepared: Prepared = { changes: {}, data: {} };
    if (NEEDS_PREPARATION.has(action)) {
      // Checked before anything outside is asked (the courier must not ship a case we refuse).
      const seen = await store.findCase(this.db, caseId);
      if (!seen) throw new AppError('CASE_NOT_FOUND');
      this.check(actor, seen, action, input.version);
      prepared = await prepare(this.rules, action, seen, input.data ?? {});
    }
    // 容缺: the materials the applicant promised to supply, named from the implementation (read now, outside the transaction).
    const promised = action === 'accept_with_commitment' ? await this.promisedMaterials(caseId, input.data?.promisedMaterials) : [];
    return inTransaction(this.db, async (tx) => {
      const row = await store.findCase(tx, caseId, true);
      if (!row) throw new AppError('CASE_NOT_FOUND');
      this.check(actor, row, action, input.version);
      if (action === 'resume') prepared = resumeData(row);
      const steps = row.steps as store.CaseStep[];
      const today = this.today();
      const changes: store.CaseChanges = { ...(input.alongside ? await input.alongside(tx, row) : {}), state: t.to, ...prepared.changes };
      const data: Record<string, unknown> = prepared.replaceData ? { ...prepared.data } : { ...(input.data ?? {}), ...prepared.data };
      let pickupCode: string | undefined;
      if (action === 'approve_step') {
        if (row.step >= steps.length - 1) throw new AppError('CASE_ACTION_NOT_ALLOWED', { detail: '已是最后一个环节，请作出准予或不予许可的决定' });
        changes.step = row.step + 1;
      }
      if (action === 'return_step') {
        if (row.step === 0) throw new AppError('CASE_ACTION_NOT_ALLOWED', { detail: '已是第一个环节' });
        changes.step = row.step - 1;
      }
      if ((action === 'decide_approve' || action === 'decide_reject') && row.step < steps.length - 1) {
        throw new AppError('CASE_ACTION_NOT_ALLOWED', { detail: `决定须在最后一个环节（${steps[steps.length - 1]!.name}）作出` });
      }
      if (t.clock === 'start' || t.clock === 'instant') {
        Object.assign(changes, { clock_started_on: today, accepted_at: new Date(), step: 0 }, await dueDates(calendar, today, row.promised_days, row.legal_days, row.region_code).then((d) => ({ due_on: d.dueOn, legal_due_on: d.legalDueOn })));
        if (action === 'accept_with_commitment') {
          const due = typeof data.commitmentDueOn === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(data.commitmentDueOn) ? data.commitmentDueOn : null;
          if (!due || due <= today) throw new AppError('VALIDATION_FAILED', { errors: [{ field: 'commitmentDueOn', message: '请填写申请人承诺补交材料的日期（须晚于今天）' }] });
          changes.commitment_due_on = due;
          await store.replaceMaterials(tx, row.id, promised);
          if (promised.length) data.promisedMaterials = promised.map((m) => m.material_id);
        }
      }
      if (t.clock === 'stop') changes.suspended_since = today;
      if (t.clock === 'resume' && row.suspended_since && row.due_on) {
        const moved = await extendBySuspension(calendar, row.due_on, row.suspended_since, today, row.region_code);
        const legal = row.legal_due_on ? await extendBySuspension(calendar, row.legal_due_on, row.suspended_since, today, row.region_code) : null;
        Object.assign(changes, { due_on: moved.dueOn, legal_due_on: legal?.dueOn ?? null, suspended_since: null, suspended_working_days: row.suspended_working_days + moved.days });
        data.suspendedWorkingDays = moved.days;
      }
      if (t.clock === 'end') {
        const used = row.clock_started_on ? (await calendar.countWorkingDays(row.clock_started_on, today, row.region_code)) - row.suspended_working_days : null;
        Object.assign(changes, { decided_at: new Date(), decided_on: today, working_days_used: used === null ? null : Math.max(0, used), decision: action === 'decide_approve' ? 'approved' : 'rejected' });
      }
      if (t.clock === 'instant') Object.assign(changes, { decided_at: new Date(), decided_on: today });
      if (action === 'deliver') {
        const method = data.method;
        if (method !== 'electronic' && method !== 'pickup' && method !== 'post') throw new AppError('VALIDATION_FAILED', { errors: [{ field: 'method', message: '请选择出件方式' }] });
        changes.delivery_method = method;
        changes.closed_at = new Date();
        if (method === 'pickup') {
          pickupCode = String(randomInt(0, 1_000_000)).padStart(6, '0');
          changes.pickup_code_hash = this.cipher.blindIndex('mobile', `pickup|${row.case_number}|${pickupCode}`);
        }
      }
      if (FINAL_STATES.includes(t.to) && !changes.closed_at) changes.closed_at = new Date();
      if (!(await store.updateCase(tx, row.id, row.version, changes))) throw new AppError('CASE_CONFLICT');
      await prepared.inTransaction?.(tx, row, today, calendar);
      await store.insertEvent(tx, { caseId: row.id, action, fromState: row.state, toState: t.to, actorKind: actor.kind, actorId: actorIdOf(actor), note: input.note ?? null, data, regionCode: row.region_code });
      await recordAudit(tx, { actor, action: `case.${action}`, targetType: 'service_case', targetId: row.id, regionCode: row.region_code, change: { from: row.state, to: t.to, step: changes.step ?? row.step, note: input.note ?? null }, requestId: meta.requestId });
      await emitEvent(tx, { topic: `case.${action}`, payload: { caseId: row.id, caseNumber: row.case_number }, idempotencyKey: `case.${action}:${row.id}:${row.version}`, regionCode: row.region_code });
      if (action === 'decide_approve' || action === 'accept_on_commitment') {
        // The e-licence capability issues the licence from this event (issue 8).
        await emitEvent(tx, { topic: 'case.completed', payload: { caseId: row.id, caseNumber: row.case_number, implementationId: row.implementation_id, implementationCode: row.implementation_code, applicantKind: row.applicant_kind, applicantId: row.applicant_id }, idempotencyKey: `case.completed:${row.id}`, regionCode: row.region_code });
      }
      if (row.bundle_id && !OPEN_CASE_STATES.includes(t.to)) await closeBundleIfDone(tx, row.bundle_id, row.region_code);
      const updated = (await store.findCase(tx, row.id))!;
      await this.notifier?.(tx, updated, action, { note: input.note ?? null, pickupCode });
      return { view: await this.view(updated, calendar), ...(pickupCode ? { pickupCode } : {}) };
    });
  }

  /** Who may, on which version, from which state: the same checks before and inside the transaction. */
  private check(actor: Actor, row: store.CaseRow, action: CaseAction, version: number): void {
    const t = TRANSITIONS[action];
    this.authorize(actor, row, t.by);
    if (row.version !== version) throw new AppError('CASE_CONFLICT', { detail: `当前状态：${CASE_STATES[row.state]}（版本 ${row.version}）` });
    if (!canTake(action, row.state)) throw new AppError('CASE_ACTION_NOT_ALLOWED', { detail: `“${CASE_STATES[row.state]}”时不能“${t.label}”` });
  }

  private authorize(actor: Actor, row: store.CaseRow, by: (typeof TRANSITIONS)[CaseAction]['by']): void {
    if (by === 'applicant') {
      const mine = applicantOf(actor);
      if (!mine || mine.kind !== row.applicant_kind || mine.id !== row.applicant_id) throw new AppError('CASE_NOT_FOUND');
      return;
    }
    if (actor.kind !== 'staff') throw new AppError('FORBIDDEN');
    assertInRegion(actor, row.region_code);
    if (actor.orgId && actor.orgId !== row.org_id && !actor.roles.includes('region_admin')) throw new AppError('FORBIDDEN', { detail: '该办件不属于您所在的机构' });
    if (!by.some((r) => actor.roles.includes(r))) throw new AppError('FORBIDDEN');
  }

  private async promisedMaterials(caseId: string, ids: unknown): Promise<Omit<store.CaseMaterialRow, 'id' | 'case_id' | 'created_at'>[]> {
    if (ids === undefined) return [];
    const row = await store.findCase(this.db, caseId);
    const impl = row ? await this.rules.implementation(row.implementation_id) : null;
    const known = Array.isArray(ids) && ids.every((id) => typeof id === 'string' && impl?.materials.some((m) => m.id === id));
    if (!known) throw new AppError('VALIDATION_FAILED', { errors: [{ field: 'promisedMaterials', message: '请从该事项的申请材料中选择容缺的材料' }] });
    return (ids as string[]).map((id) => ({ material_id: id, name: impl!.materials.find((m) => m.id === id)!.name, source: 'promised' as const, file_hash: null, file_name: null, mime: null, size_bytes: null, reference: null }));
  }

  /** 容缺: the applicant supplies what was promised (commitments.ts). */
  supplyMaterials(actor: Actor, caseId: string, materials: MaterialInput[], meta: { requestId?: string }): Promise<{ kept: boolean }> {
    return supplyMaterials({ db: this.db, implementation: this.rules.implementation, fileExists: this.fileExists }, actor, caseId, materials, meta);
  }

  /** A case for its applicant or for staff in its region; anyone else gets 404, not 403. */
  async get(actor: Actor, caseId: string): Promise<{ view: CaseView; row: store.CaseRow }> {
    const row = await store.findCase(this.db, caseId);
    if (!row) throw new AppError('CASE_NOT_FOUND');
    if (actor.kind === 'staff') assertInRegion(actor, row.region_code);
    else {
      const mine = applicantOf(actor);
      if (!mine || mine.kind !== row.applicant_kind || mine.id !== row.applicant_id) throw new AppError('CASE_NOT_FOUND');
    }
    return { view: await this.view(row), row };
  }

  async timeline(actor: Actor, caseId: string) {
    const { row } = await this.get(actor, caseId);
    return store.listEvents(this.db, row.id, actor.kind !== 'staff');
  }

  /** Public progress lookup: the case number and the last four digits of the applicant's phone. */
  async progress(caseNumber: string, phoneTail: string): Promise<{ caseNumber: string; itemName: string; state: string; events: { action: string; at: Date }[] } | null> {
    const row = await store.findCaseByNumber(this.db, caseNumber);
    if (!row || row.phone_tail_hash !== this.phoneTailHash(caseNumber, phoneTail)) return null;
    const events = await store.listEvents(this.db, row.id, true);
    return { caseNumber, itemName: row.item_name, state: CASE_STATES[row.state], events: events.map((e) => ({ action: eventLabel(e.action), at: e.created_at })) };
  }

  async mine(actor: Actor, limit = 50): Promise<CaseView[]> {
    const mine = applicantOf(actor);
    if (!mine) throw new AppError('FORBIDDEN');
    return Promise.all((await store.listApplicantCases(this.db, mine.kind, mine.id, limit)).map((r) => this.view(r)));
  }

  async view(row: store.CaseRow, calendar?: WorkingDays): Promise<CaseView> {
    const cal = calendar ?? (await this.calendars.current());
    return {
      id: row.id,
      caseNumber: row.case_number,
      itemName: row.item_name,
      implementationCode: row.implementation_code,
      state: row.state,
      stateName: CASE_STATES[row.state],
      version: row.version,
      step: row.step,
      steps: row.steps as store.CaseStep[],
      applicantName: maskName(this.cipher.open('name', row.applicant_name_sealed)),
      channel: row.channel,
      dueOn: row.due_on,
      legalDueOn: row.legal_due_on,
      light: row.state === 'in_review' ? await light(cal, row.due_on, this.today(), row.region_code) : 'none',
      decision: row.decision,
      deliveryMethod: row.delivery_method,
      specialProcedure: row.special_procedure,
      trackingNumber: row.tracking_number,
      submittedAt: row.submitted_at,
      allowedActions: actionsFrom(row.state),
    };
  }
}

