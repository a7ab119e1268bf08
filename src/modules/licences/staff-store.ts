// Staff lists of the licence library: a region's licences (no holder data: the list is for
// finding a licence, the record itself is read through the service, which logs the use) and
// its open issue failures.
import { sql } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';

export interface RegionLicence {
  identifier: string;
  type_name: string;
  status: 'valid' | 'suspended' | 'revoked';
  revoke_kind: 'cancelled' | 'withdrawn' | null;
  valid_until: string | null;
  issued_at: Date;
  version: number;
}

export async function regionLicences(db: Queryable, regionPrefix: string, opts: { identifier?: string; limit: number; offset: number }): Promise<{ rows: RegionLicence[]; total: number }> {
  let q = db.selectFrom('licence').innerJoin('licence_type', 'licence_type.code', 'licence.type_code').where('licence.region_code', 'like', `${regionPrefix}%`);
  if (opts.identifier) q = q.where((eb) => eb.exists(eb.selectFrom('licence_version').select('licence_version.identifier').whereRef('licence_version.licence_id', '=', 'licence.id').where('licence_version.identifier', '=', opts.identifier!)));
  const rows = await q
    .select(['licence.identifier', 'licence_type.name as type_name', 'licence.status', 'licence.revoke_kind', 'licence.valid_until', 'licence.issued_at', 'licence.version'])
    .orderBy('licence.issued_at', 'desc').orderBy('licence.identifier').limit(opts.limit).offset(opts.offset).execute();
  const total = await q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  return { rows: rows as RegionLicence[], total: Number(total.n) };
}

export async function openFailures(db: Queryable, regionPrefix: string) {
  return db.selectFrom('licence_issue_failure').select(['case_number', 'reason_code', 'message', 'retryable', 'attempts', 'updated_at'])
    .where('region_code', 'like', `${regionPrefix}%`).where('resolved_at', 'is', null).orderBy('updated_at', 'desc').limit(100).execute();
}

/** Paper copies the holders asked for (按需提供纸质证照), newest request first, with when each was last printed. */
export async function paperRequests(db: Queryable, regionPrefix: string) {
  return db.selectFrom('licence').innerJoin('licence_type', 'licence_type.code', 'licence.type_code')
    .select((eb) => [
      'licence.identifier', 'licence_type.name as type_name', 'licence.paper_requested_at',
      eb.selectFrom('licence_use').select((u) => u.fn.max('licence_use.created_at').as('at')).whereRef('licence_use.licence_id', '=', 'licence.id').where('licence_use.kind', '=', 'download').where('licence_use.actor_kind', '=', 'staff').as('printed_at'),
    ])
    .where('licence.region_code', 'like', `${regionPrefix}%`).where('licence.paper_requested_at', 'is not', null).where('licence.status', '=', 'valid')
    .orderBy('licence.paper_requested_at', 'desc').limit(100).execute();
}
