// Writing a checked submission: the case number from the region's daily serial, the case and
// its materials, the first timeline event, the audit record and the outbox event — all in the
// caller's transaction, so a 一件事 can write its linked cases together or not at all.
import type { Queryable } from '../../platform/db/database.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import type { Actor } from '../../platform/http/access.ts';
import { emitEvent } from '../../platform/jobs/outbox.ts';
import type { ImplementationContent } from '../catalog/index.ts';
import { CHANNELS, formatCaseNumber, shanghaiDay } from './case-number.ts';
import * as store from './store.ts';
import type { SubmitInput } from './service.ts';

export interface PreparedSubmission {
  actor: Actor;
  input: SubmitInput;
  entry: { id: string; version: number; code: string };
  impl: ImplementationContent;
  applicant: { kind: 'citizen' | 'company'; id: string };
  /** The name and phone tail recorded on the case (verified account, or checked at the window). */
  who: { name: string; phoneTail: string };
  steps: store.CaseStep[];
}

export function actorIdOf(actor: Actor): string | null {
  if (actor.kind === 'anonymous') return null;
  if (actor.kind === 'client') return actor.clientId;
  return actor.accountId;
}

/** The person who acted: the agent or proxy for a company or principal, the clerk at a window. */
function submitterOf(actor: Actor): string | null {
  if (actor.kind === 'citizen' || actor.kind === 'staff') return actor.accountId;
  if (actor.kind === 'company') return actor.agentAccountId ?? actor.accountId;
  return null;
}

export async function writeSubmission(
  tx: Queryable,
  p: PreparedSubmission,
  crypto: { sealName(name: string): string; tailHash(caseNumber: string, tail: string): string },
  meta: { requestId?: string },
  bundleId: string | null,
): Promise<store.CaseRow> {
  const { impl, input, actor } = p;
  const channel = CHANNELS[input.channel];
  const day = shanghaiDay();
  const serial = await store.nextSerial(tx, impl.regionCode.slice(0, 6), day, channel);
  const caseNumber = formatCaseNumber(impl.regionCode.slice(0, 6), day, channel, serial);
  const row = await store.insertCase(tx, {
    case_number: caseNumber,
    implementation_id: p.entry.id,
    implementation_version: p.entry.version,
    implementation_code: p.entry.code,
    item_name: impl.name,
    org_id: impl.orgId,
    region_code: impl.regionCode,
    channel,
    applicant_kind: p.applicant.kind,
    applicant_id: p.applicant.id,
    applicant_name_sealed: crypto.sealName(p.who.name),
    phone_tail_hash: crypto.tailHash(caseNumber, p.who.phoneTail),
    submitted_by: submitterOf(actor),
    answers: input.answers,
    state: 'submitted',
    steps: p.steps,
    promised_days: impl.promisedLimitDays,
    legal_days: impl.legalLimitDays,
    clock_started_on: null,
    due_on: null,
    legal_due_on: null,
    suspended_since: null,
    commitment_due_on: null,
    decision: null,
    delivery_method: null,
    pickup_code_hash: null,
    idempotency_key: input.idempotencyKey ?? null,
    submitted_at: new Date(),
    accepted_at: null,
    decided_at: null,
    closed_at: null,
    bundle_id: bundleId,
  });
  await store.insertMaterials(tx, row.id, input.materials.map((m) => ({
    material_id: m.materialId,
    name: impl.materials.find((x) => x.id === m.materialId)!.name,
    source: m.source,
    file_hash: m.fileHash ?? null,
    file_name: m.fileName ?? null,
    mime: m.mime ?? null,
    size_bytes: m.sizeBytes ?? null,
    reference: m.reference ?? null,
  })));
  await store.insertEvent(tx, { caseId: row.id, action: 'submit', fromState: null, toState: 'submitted', actorKind: actor.kind, actorId: actorIdOf(actor), regionCode: row.region_code, data: { channel, ...(bundleId ? { bundleId } : {}) } });
  await recordAudit(tx, { actor, action: 'case.submit', targetType: 'service_case', targetId: row.id, regionCode: row.region_code, change: { caseNumber, implementation: p.entry.code, materials: input.materials.length, ...(bundleId ? { bundleId } : {}) }, requestId: meta.requestId });
  await emitEvent(tx, { topic: 'case.submitted', payload: { caseId: row.id, caseNumber }, idempotencyKey: `case.submitted:${row.id}`, regionCode: row.region_code });
  return row;
}
