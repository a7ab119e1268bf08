// The only code that touches staff_account and system_client.
import { sql, type Generated, type Selectable } from 'kysely';
import type { Database, Queryable } from '../../platform/db/database.ts';
import type { StaffRole } from '../../platform/http/access.ts';

declare module '../../platform/db/database.ts' {
  interface Database {
    staff_account: {
      id: Generated<string>;
      login_name: string;
      display_name: string;
      password_hash: string;
      must_change_password: boolean;
      org_id: string | null;
      region_code: string;
      roles: StaffRole[];
      disabled: Generated<boolean>;
      failed_logins: Generated<number>;
      locked_until: Date | null;
      created_at: Generated<Date>;
      password_changed_at: Date | null;
    };
    system_client: {
      id: Generated<string>;
      name: string;
      token_hash: string;
      scopes: string[];
      region_code: string;
      created_at: Generated<Date>;
      revoked_at: Date | null;
    };
  }
}

export interface StaffAccountRow {
  id: string;
  loginName: string;
  displayName: string;
  passwordHash: string;
  mustChangePassword: boolean;
  orgId: string | null;
  regionCode: string;
  roles: StaffRole[];
  disabled: boolean;
  failedLogins: number;
  lockedUntil: Date | null;
}

const staffColumns = ['id', 'login_name', 'display_name', 'password_hash', 'must_change_password', 'org_id', 'region_code', 'roles', 'disabled', 'failed_logins', 'locked_until'] as const;

type StaffSelect = Pick<Selectable<Database['staff_account']>, (typeof staffColumns)[number]>;

function toStaff(r: StaffSelect): StaffAccountRow {
  return {
    id: r.id,
    loginName: r.login_name,
    displayName: r.display_name,
    passwordHash: r.password_hash,
    mustChangePassword: r.must_change_password,
    orgId: r.org_id,
    regionCode: r.region_code,
    roles: r.roles,
    disabled: r.disabled,
    failedLogins: r.failed_logins,
    lockedUntil: r.locked_until,
  };
}

export async function findStaffById(db: Queryable, id: string): Promise<StaffAccountRow | null> {
  const r = await db.selectFrom('staff_account').select(staffColumns).where('id', '=', id).executeTakeFirst();
  return r ? toStaff(r) : null;
}

export async function findStaffByLogin(db: Queryable, loginName: string): Promise<StaffAccountRow | null> {
  const r = await db.selectFrom('staff_account').select(staffColumns).where('login_name', '=', loginName).executeTakeFirst();
  return r ? toStaff(r) : null;
}

export async function anyPlatformAdmin(db: Queryable): Promise<boolean> {
  const r = await db.selectFrom('staff_account').select('id').where(sql<boolean>`'platform_admin' = any(roles)`).where('disabled', '=', false).executeTakeFirst();
  return Boolean(r);
}

export async function insertStaff(
  db: Queryable,
  s: { loginName: string; displayName: string; passwordHash: string; mustChangePassword: boolean; orgId: string | null; regionCode: string; roles: StaffRole[] },
): Promise<string> {
  const r = await db
    .insertInto('staff_account')
    .values({
      login_name: s.loginName,
      display_name: s.displayName,
      password_hash: s.passwordHash,
      must_change_password: s.mustChangePassword,
      org_id: s.orgId,
      region_code: s.regionCode,
      roles: s.roles,
      locked_until: null,
      password_changed_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

/**
 * Counts a failed login and locks the account at the `lockAfter`-th failure in a row. A lock
 * that has run out starts the count again, so one slip after it does not lock at once.
 * Returns the account's state after the update.
 */
export async function recordLoginFailure(db: Queryable, id: string, lockAfter: number, lockMinutes: number): Promise<{ failedLogins: number; lockedUntil: Date | null }> {
  const now = new Date();
  const lockExpired = sql<boolean>`(locked_until is not null and locked_until <= ${now})`;
  const previous = sql<number>`(case when ${lockExpired} then 0 else failed_logins end)`;
  const r = await db
    .updateTable('staff_account')
    .set({
      failed_logins: sql<number>`${previous} + 1`,
      locked_until: sql<Date | null>`case when ${previous} >= ${lockAfter - 1} then ${new Date(now.getTime() + lockMinutes * 60_000)}::timestamptz when ${lockExpired} then null else locked_until end`,
    })
    .where('id', '=', id)
    .returning(['failed_logins', 'locked_until'])
    .executeTakeFirstOrThrow();
  return { failedLogins: r.failed_logins, lockedUntil: r.locked_until };
}

export async function recordLoginSuccess(db: Queryable, id: string): Promise<void> {
  await db.updateTable('staff_account').set({ failed_logins: 0, locked_until: null }).where('id', '=', id).execute();
}

export async function updatePassword(db: Queryable, id: string, passwordHash: string): Promise<void> {
  await db.updateTable('staff_account').set({ password_hash: passwordHash, must_change_password: false, password_changed_at: new Date() }).where('id', '=', id).execute();
}

export interface SystemClientRow {
  id: string;
  name: string;
  scopes: string[];
  regionCode: string;
}

export async function findClientByTokenHash(db: Queryable, tokenHash: string): Promise<SystemClientRow | null> {
  const r = await db
    .selectFrom('system_client')
    .select(['id', 'name', 'scopes', 'region_code'])
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return r ? { id: r.id, name: r.name, scopes: r.scopes, regionCode: r.region_code } : null;
}

export async function insertClient(db: Queryable, c: { name: string; tokenHash: string; scopes: string[]; regionCode: string }): Promise<string> {
  const r = await db
    .insertInto('system_client')
    .values({ name: c.name, token_hash: c.tokenHash, scopes: c.scopes, region_code: c.regionCode, revoked_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export interface SystemClientListing extends SystemClientRow {
  createdAt: Date;
  revokedAt: Date | null;
}

export async function listClients(db: Queryable): Promise<SystemClientListing[]> {
  const rows = await db.selectFrom('system_client').select(['id', 'name', 'scopes', 'region_code', 'created_at', 'revoked_at']).orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, scopes: r.scopes, regionCode: r.region_code, createdAt: r.created_at, revokedAt: r.revoked_at }));
}

export async function revokeClient(db: Queryable, id: string): Promise<boolean> {
  const r = await db.updateTable('system_client').set({ revoked_at: new Date() }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
