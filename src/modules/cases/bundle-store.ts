// The 一件事 application table (case_bundle) and its links to cases.
import type { Generated, Selectable } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';
import type { CaseRow } from './store.ts';
import type { CaseState } from './state-machine.ts';

declare module '../../platform/db/database.ts' {
  interface Database {
    case_bundle: {
      id: Generated<string>;
      scenario_code: string;
      scenario_name: string;
      region_code: string;
      applicant_kind: 'citizen' | 'company';
      applicant_id: string;
      answers: unknown;
      state: Generated<'open' | 'completed'>;
      idempotency_key: string | null;
      created_at: Generated<Date>;
      completed_at: Date | null;
    };
  }
}

export type BundleRow = Selectable<import('../../platform/db/database.ts').Database['case_bundle']>;

export async function insertBundle(db: Queryable, row: { scenario_code: string; scenario_name: string; region_code: string; applicant_kind: 'citizen' | 'company'; applicant_id: string; answers: unknown; idempotency_key: string | null }): Promise<BundleRow> {
  return db.insertInto('case_bundle').values({ ...row, answers: JSON.stringify(row.answers), completed_at: null }).returningAll().executeTakeFirstOrThrow();
}

export async function findBundle(db: Queryable, id: string): Promise<BundleRow | null> {
  return (await db.selectFrom('case_bundle').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
}

export async function findBundleByKey(db: Queryable, applicantId: string, key: string): Promise<BundleRow | null> {
  return (await db.selectFrom('case_bundle').selectAll().where('applicant_id', '=', applicantId).where('idempotency_key', '=', key).executeTakeFirst()) ?? null;
}

export async function bundleCases(db: Queryable, bundleId: string): Promise<CaseRow[]> {
  return db.selectFrom('service_case').selectAll().where('bundle_id', '=', bundleId).orderBy('case_number').execute();
}

/** Marks the bundle completed when none of its cases is still open; true the first time. */
export async function completeIfDone(db: Queryable, bundleId: string, openStates: readonly CaseState[]): Promise<boolean> {
  const open = await db.selectFrom('service_case').select('id').where('bundle_id', '=', bundleId).where('state', 'in', openStates).limit(1).executeTakeFirst();
  if (open) return false;
  const done = await db.updateTable('case_bundle').set({ state: 'completed', completed_at: new Date() }).where('id', '=', bundleId).where('state', '=', 'open').executeTakeFirst();
  return Number(done.numUpdatedRows) > 0;
}
