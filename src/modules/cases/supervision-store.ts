// The only code that touches case_verification and case_escalation, and the supervision
// figures over service_case (plain SQL that runs on PGlite and PostgreSQL 15 alike).
import { sql, type Generated, type Selectable } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';

declare module '../../platform/db/database.ts' {
  interface Database {
    case_verification: {
      id: Generated<string>;
      case_id: string;
      region_code: string;
      org_id: string;
      commitment_text: string;
      due_on: string;
      result: Generated<'fulfilled' | 'breached' | null>;
      verified_by: Generated<string | null>;
      verified_at: Generated<Date | null>;
      note: Generated<string | null>;
      created_at: Generated<Date>;
    };
    case_escalation: {
      id: Generated<string>;
      case_id: string;
      level: 1 | 2;
      region_code: string;
      org_id: string;
      due_on: string;
      escalated_on: string;
      created_at: Generated<Date>;
    };
  }
}

export type VerificationRow = Selectable<import('../../platform/db/database.ts').Database['case_verification']>;
export type EscalationRow = Selectable<import('../../platform/db/database.ts').Database['case_escalation']>;

export async function insertVerification(db: Queryable, v: { case_id: string; region_code: string; org_id: string; commitment_text: string; due_on: string }): Promise<void> {
  await db.insertInto('case_verification').values(v).execute();
}

export async function findVerification(db: Queryable, caseId: string, forUpdate = false): Promise<VerificationRow | null> {
  let q = db.selectFrom('case_verification').selectAll().where('case_id', '=', caseId);
  if (forUpdate) q = q.forUpdate();
  return (await q.executeTakeFirst()) ?? null;
}

export async function recordVerification(db: Queryable, id: string, r: { result: 'fulfilled' | 'breached'; verifiedBy: string; note: string | null }): Promise<boolean> {
  const res = await db
    .updateTable('case_verification')
    .set({ result: r.result, verified_by: r.verifiedBy, verified_at: new Date(), note: r.note })
    .where('id', '=', id)
    .where('result', 'is', null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** Open verification tasks in a region (and organisation), due by `dueBy`, earliest first. */
export async function listOpenVerifications(db: Queryable, f: { regionPrefix: string; orgId?: string | null; dueBy: string; limit: number }) {
  let q = db
    .selectFrom('case_verification as v')
    .innerJoin('service_case as c', 'c.id', 'v.case_id')
    .select(['v.case_id', 'v.due_on', 'v.commitment_text', 'v.org_id', 'c.case_number', 'c.item_name', 'c.state'])
    .where('v.result', 'is', null)
    .where('v.region_code', 'like', `${f.regionPrefix}%`)
    .where('v.due_on', '<=', f.dueBy);
  if (f.orgId) q = q.where('v.org_id', '=', f.orgId);
  return q.orderBy('v.due_on').orderBy('c.case_number').limit(f.limit).execute();
}

/** Cases running their clock past the promised date: the candidates for 督办. */
export async function overdueInReview(db: Queryable, today: string, limit: number) {
  return db
    .selectFrom('service_case')
    .select(['id', 'case_number', 'item_name', 'region_code', 'org_id', 'due_on', 'legal_due_on'])
    .where('state', '=', 'in_review')
    .where('due_on', '<', today)
    .orderBy('due_on')
    .limit(limit)
    .execute();
}

/** Records one escalation; false when the case already has this level (a rerun, another node). */
export async function insertEscalation(db: Queryable, e: { case_id: string; level: 1 | 2; region_code: string; org_id: string; due_on: string; escalated_on: string }): Promise<boolean> {
  const row = await db.insertInto('case_escalation').values(e).onConflict((oc) => oc.columns(['case_id', 'level']).doNothing()).returning('id').executeTakeFirst();
  return !!row;
}

export async function listEscalations(db: Queryable, caseId: string): Promise<EscalationRow[]> {
  return db.selectFrom('case_escalation').selectAll().where('case_id', '=', caseId).orderBy('level').execute();
}

/** The staff who have acted on a case while it was with an organisation: whom a 督办 notice reaches. */
export async function staffWhoActed(db: Queryable, caseId: string): Promise<string[]> {
  const rows = await db.selectFrom('case_event').select('actor_id').distinct().where('case_id', '=', caseId).where('actor_kind', '=', 'staff').where('actor_id', 'is not', null).execute();
  return rows.map((r) => r.actor_id!).filter((id) => /^[0-9a-f-]{36}$/i.test(id));
}

export interface OrgFigures {
  orgId: string;
  received: number;
  accepted: number;
  refused: number;
  decided: number;
  onTime: number;
  overdue: number;
  averageWorkingDays: number | null;
}

/**
 * Per organisation, over the cases received in [from, to): received, accepted, refused, decided,
 * decided on time, overdue (decided late, or still running past the promised date), and the
 * average working days from acceptance to decision (suspensions excluded).
 */
export async function organisationFigures(db: Queryable, f: { regionPrefix: string; from: Date; to: Date; today: string }): Promise<OrgFigures[]> {
  const rows = await sql<{ org_id: string; received: number; accepted: number; refused: number; decided: number; on_time: number; overdue: number; avg_days: number | null }>`
    select org_id,
      count(*)::int as received,
      count(accepted_at)::int as accepted,
      count(*) filter (where state = 'refused')::int as refused,
      count(decided_on)::int as decided,
      count(*) filter (where decided_on is not null and decided_on <= due_on)::int as on_time,
      count(*) filter (where (decided_on is not null and decided_on > due_on)
                          or (decided_on is null and state = 'in_review' and due_on < ${f.today}::date))::int as overdue,
      round(avg(working_days_used), 2)::float8 as avg_days
    from service_case
    where region_code like ${`${f.regionPrefix}%`} and submitted_at >= ${f.from} and submitted_at < ${f.to}
    group by org_id
    order by org_id`.execute(db);
  return rows.rows.map((r) => ({ orgId: r.org_id, received: r.received, accepted: r.accepted, refused: r.refused, decided: r.decided, onTime: r.on_time, overdue: r.overdue, averageWorkingDays: r.avg_days === null ? null : Number(r.avg_days) }));
}
