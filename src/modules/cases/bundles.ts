// 一件事 applications: the applicant answers one merged form and supplies each de-duplicated
// material once; the application is split into one case per member item, each going to its
// own department's intake and approval (联办). The linked cases are written in one
// transaction — all of them or none — and the bundle completes when the last one closes.
import { inTransaction, type Db, type Queryable } from '../../platform/db/database.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { Actor } from '../../platform/http/access.ts';
import { regionContains } from '../../platform/region-code.ts';
import { AppError, type FieldError } from '../../platform/http/errors.ts';
import { emitEvent } from '../../platform/jobs/outbox.ts';
import type { ScenarioBundle, ScenarioService } from '../catalog/index.ts';
import type { CaseService, CaseView, MaterialInput } from './service.ts';
import type { PreparedSubmission } from './submission.ts';
import type { CaseState } from './state-machine.ts';
import * as store from './bundle-store.ts';

/** A file the applicant gave for a merged material (keyed by MergedMaterial.key). */
export interface BundleFile {
  key: string;
  fileHash: string;
  fileName?: string;
  mime?: string;
  sizeBytes?: number;
}

export interface BundleInput {
  scenarioCode: string;
  regionCode: string;
  answers: Record<string, unknown>;
  materials: BundleFile[];
  idempotencyKey?: string;
}

export interface BundleView {
  id: string;
  scenarioCode: string;
  scenarioName: string;
  regionCode: string;
  state: 'open' | 'completed';
  createdAt: Date;
  completedAt: Date | null;
  cases: (CaseView & { orgId: string })[];
}

/** Cases still being worked on: the bundle is complete when none is left in these. */
export const OPEN_CASE_STATES: readonly CaseState[] = ['submitted', 'correction_requested', 'in_review', 'suspended'];

function applicantOf(actor: Actor): { kind: 'citizen' | 'company'; id: string } | null {
  if (actor.kind === 'citizen') return { kind: 'citizen', id: actor.onBehalfOf?.accountId ?? actor.accountId };
  if (actor.kind === 'company') return { kind: 'company', id: actor.accountId };
  return null;
}

/** Each member's share of the uploaded materials, by the member's own material ids. */
export function memberMaterials(bundle: ScenarioBundle, files: readonly BundleFile[], memberKey: string): MaterialInput[] {
  const out: MaterialInput[] = [];
  for (const merged of bundle.materials) {
    const file = files.find((f) => f.key === merged.key);
    if (!file) continue;
    for (const need of merged.neededBy) {
      if (need.memberKey !== memberKey || need.source !== 'upload') continue;
      out.push({ materialId: need.materialId, source: 'upload', fileHash: file.fileHash, ...(file.fileName ? { fileName: file.fileName } : {}), ...(file.mime ? { mime: file.mime } : {}), ...(file.sizeBytes !== undefined ? { sizeBytes: file.sizeBytes } : {}) });
    }
  }
  return out;
}

/** A member's material error, said against the merged material the applicant sees. */
function mergedField(bundle: ScenarioBundle, memberKey: string, field: string): string {
  const id = /^materials\.(.+)$/.exec(field)?.[1];
  if (!id) return field;
  const merged = bundle.materials.find((m) => m.neededBy.some((n) => n.memberKey === memberKey && n.materialId === id));
  return merged ? `materials.${merged.key}` : field;
}

export class BundleService {
  private readonly db: Db;
  private readonly cases: CaseService;
  private readonly scenarios: ScenarioService;
  constructor(db: Db, cases: CaseService, scenarios: ScenarioService) {
    this.db = db;
    this.cases = cases;
    this.scenarios = scenarios;
  }

  async submit(actor: Actor, input: BundleInput, meta: { requestId?: string }): Promise<{ view: BundleView; created: boolean }> {
    const applicant = applicantOf(actor);
    if (!applicant) throw new AppError('FORBIDDEN');
    const bundle = await this.scenarios.bundle(input.scenarioCode, input.regionCode);
    if (!bundle.complete) throw new AppError('CASE_BUNDLE_INCOMPLETE', { detail: bundle.missing.map((m) => m.reason).join('；') });
    const split = await this.scenarios.split(bundle, input.answers);
    const errors: FieldError[] = [...split.errors];
    for (const f of input.materials) if (!bundle.materials.some((m) => m.key === f.key)) errors.push({ field: `materials.${f.key}`, message: '这件事没有这项材料' });
    const prepared: PreparedSubmission[] = [];
    for (const part of split.parts) {
      try {
        prepared.push(await this.cases.prepareSubmission(actor, { implementationId: part.implementationId, answers: part.answers, materials: memberMaterials(bundle, input.materials, part.memberKey), channel: 'web' }));
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== 'VALIDATION_FAILED') throw err;
        // Answer problems are already reported by the split under the merged field names.
        for (const e of err.errors ?? []) if (e.field.startsWith('materials.')) errors.push({ field: mergedField(bundle, part.memberKey, e.field), message: e.message });
      }
    }
    const unique = errors.filter((e, i) => errors.findIndex((x) => x.field === e.field && x.message === e.message) === i);
    if (unique.length) throw new AppError('VALIDATION_FAILED', { errors: unique });

    if (input.idempotencyKey) {
      const existing = await store.findBundleByKey(this.db, applicant.id, input.idempotencyKey);
      if (existing) return { view: await this.view(existing), created: false };
    }
    try {
      const row = await inTransaction(this.db, async (tx) => {
        const row = await store.insertBundle(tx, { scenario_code: bundle.scenario.code, scenario_name: bundle.scenario.name, region_code: input.regionCode, applicant_kind: applicant.kind, applicant_id: applicant.id, answers: input.answers, idempotency_key: input.idempotencyKey ?? null });
        const numbers: string[] = [];
        for (const p of prepared) numbers.push((await this.cases.writeSubmission(tx, p, meta, row.id)).case_number);
        await recordAudit(tx, { actor, action: 'bundle.submit', targetType: 'case_bundle', targetId: row.id, regionCode: input.regionCode, change: { scenario: bundle.scenario.code, cases: numbers }, requestId: meta.requestId });
        await emitEvent(tx, { topic: 'bundle.submitted', payload: { bundleId: row.id, scenario: bundle.scenario.code, cases: numbers }, idempotencyKey: `bundle.submitted:${row.id}`, regionCode: input.regionCode });
        return row;
      });
      return { view: await this.view(row), created: true };
    } catch (err) {
      if ((err as { code?: unknown }).code === '23505' && input.idempotencyKey) {
        const existing = await store.findBundleByKey(this.db, applicant.id, input.idempotencyKey);
        if (existing) return { view: await this.view(existing), created: false };
      }
      throw err;
    }
  }

  /** The applicant's own bundle, or one a staff member may see because a linked case is in their region. */
  async get(actor: Actor, id: string): Promise<BundleView> {
    const row = await store.findBundle(this.db, id);
    if (!row) throw new AppError('CASE_BUNDLE_NOT_FOUND');
    const mine = applicantOf(actor);
    if (mine) {
      if (mine.kind !== row.applicant_kind || mine.id !== row.applicant_id) throw new AppError('CASE_BUNDLE_NOT_FOUND');
    } else if (actor.kind === 'staff') {
      const cases = await store.bundleCases(this.db, row.id);
      if (!cases.some((c) => regionContains(actor.regionCode, c.region_code))) throw new AppError('CASE_BUNDLE_NOT_FOUND');
    } else throw new AppError('FORBIDDEN');
    return this.view(row);
  }

  async view(row: store.BundleRow): Promise<BundleView> {
    const cases = await store.bundleCases(this.db, row.id);
    return {
      id: row.id,
      scenarioCode: row.scenario_code,
      scenarioName: row.scenario_name,
      regionCode: row.region_code,
      state: row.state,
      createdAt: row.created_at,
      completedAt: row.completed_at,
      cases: await Promise.all(cases.map(async (c) => ({ ...(await this.cases.view(c)), orgId: c.org_id }))),
    };
  }
}

/**
 * Called in a case transition's transaction: when the case's bundle has no open case left,
 * the bundle completes once (`bundle.completed` for evaluation and the applicant).
 */
export async function closeBundleIfDone(tx: Queryable, bundleId: string, regionCode: string): Promise<void> {
  if (await store.completeIfDone(tx, bundleId, OPEN_CASE_STATES)) {
    await emitEvent(tx, { topic: 'bundle.completed', payload: { bundleId }, idempotencyKey: `bundle.completed:${bundleId}`, regionCode });
  }
}
