// The only code that touches citizen_account, real_name_evidence, verification_code,
// citizen_factor, login_event and login_throttle. Values arrive sealed; this file never
// sees personal data in clear.
import { sql, type Generated } from 'kysely';
import type { Queryable } from '../../../platform/db/database.ts';
import type { RealNameLevel } from '../../../platform/http/access.ts';

declare module '../../../platform/db/database.ts' {
  interface Database {
    citizen_account: {
      id: Generated<string>;
      mobile_sealed: string;
      mobile_index: string;
      password_hash: string | null;
      legacy_hash: string | null;
      legacy_hash_kind: 'md5' | 'sha1' | 'bcrypt' | null;
      name_sealed: string | null;
      id_number_sealed: string | null;
      id_number_index: string | null;
      real_name_level: Generated<number>;
      region_code: string;
      status: Generated<'active' | 'disabled'>;
      created_at: Generated<Date>;
      updated_at: Generated<Date>;
      password_changed_at: Date | null;
    };
    real_name_evidence: {
      id: Generated<string>;
      account_id: string;
      level: number;
      method: string;
      reference: string;
      details: unknown;
      region_code: string;
      verified_at: Generated<Date>;
    };
    verification_code: {
      id: Generated<string>;
      purpose: CodePurpose;
      mobile_index: string;
      code_hash: string;
      attempts: Generated<number>;
      expires_at: Date;
      consumed_at: Date | null;
      created_at: Generated<Date>;
    };
    citizen_factor: {
      id: Generated<string>;
      account_id: string;
      kind: 'totp' | 'passkey';
      label: string;
      secret_sealed: string | null;
      credential_id: string | null;
      public_key: string | null;
      sign_count: Generated<string>;
      created_at: Generated<Date>;
      last_used_at: Date | null;
    };
    login_event: {
      id: Generated<string>;
      account_kind: 'citizen' | 'company' | 'staff';
      account_id: string | null;
      method: string;
      outcome: 'success' | 'failure' | 'locked';
      level: number | null;
      ip: string | null;
      user_agent: string | null;
      region_code: string;
      created_at: Generated<Date>;
    };
    login_throttle: {
      key: string;
      failures: number;
      blocked_until: Date | null;
      updated_at: Date;
    };
  }
}

export type CodePurpose = 'register' | 'login' | 'step_up' | 'reset';

export interface CitizenRow {
  id: string;
  mobileSealed: string;
  mobileIndex: string;
  passwordHash: string | null;
  legacyHash: string | null;
  legacyHashKind: 'md5' | 'sha1' | 'bcrypt' | null;
  nameSealed: string | null;
  idNumberSealed: string | null;
  realNameLevel: RealNameLevel;
  regionCode: string;
  status: 'active' | 'disabled';
  createdAt: Date;
}

const citizenColumns = [
  'id', 'mobile_sealed', 'mobile_index', 'password_hash', 'legacy_hash', 'legacy_hash_kind', 'name_sealed',
  'id_number_sealed', 'real_name_level', 'region_code', 'status', 'created_at',
] as const;

function toCitizen(r: {
  id: string; mobile_sealed: string; mobile_index: string; password_hash: string | null; legacy_hash: string | null;
  legacy_hash_kind: CitizenRow['legacyHashKind']; name_sealed: string | null; id_number_sealed: string | null;
  real_name_level: number; region_code: string; status: 'active' | 'disabled'; created_at: Date;
}): CitizenRow {
  return {
    id: r.id,
    mobileSealed: r.mobile_sealed,
    mobileIndex: r.mobile_index,
    passwordHash: r.password_hash,
    legacyHash: r.legacy_hash,
    legacyHashKind: r.legacy_hash_kind,
    nameSealed: r.name_sealed,
    idNumberSealed: r.id_number_sealed,
    realNameLevel: r.real_name_level as RealNameLevel,
    regionCode: r.region_code,
    status: r.status,
    createdAt: r.created_at,
  };
}

export async function findCitizenById(db: Queryable, id: string): Promise<CitizenRow | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const r = await db.selectFrom('citizen_account').select(citizenColumns).where('id', '=', id).executeTakeFirst();
  return r ? toCitizen(r) : null;
}

export async function findCitizenByMobile(db: Queryable, mobileIndex: string): Promise<CitizenRow | null> {
  const r = await db.selectFrom('citizen_account').select(citizenColumns).where('mobile_index', '=', mobileIndex).executeTakeFirst();
  return r ? toCitizen(r) : null;
}

export async function findCitizenByIdNumber(db: Queryable, idNumberIndex: string): Promise<CitizenRow | null> {
  const r = await db.selectFrom('citizen_account').select(citizenColumns).where('id_number_index', '=', idNumberIndex).executeTakeFirst();
  return r ? toCitizen(r) : null;
}

export async function insertCitizen(
  db: Queryable,
  input: { mobileSealed: string; mobileIndex: string; passwordHash: string | null; regionCode: string; legacyHash?: string | null; legacyHashKind?: CitizenRow['legacyHashKind'] },
): Promise<string> {
  const row = await db
    .insertInto('citizen_account')
    .values({
      mobile_sealed: input.mobileSealed,
      mobile_index: input.mobileIndex,
      password_hash: input.passwordHash,
      legacy_hash: input.legacyHash ?? null,
      legacy_hash_kind: input.legacyHashKind ?? null,
      name_sealed: null,
      id_number_sealed: null,
      id_number_index: null,
      region_code: input.regionCode,
      password_changed_at: input.passwordHash ? new Date() : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function setPassword(db: Queryable, id: string, passwordHash: string): Promise<void> {
  await db
    .updateTable('citizen_account')
    .set({ password_hash: passwordHash, legacy_hash: null, legacy_hash_kind: null, password_changed_at: new Date(), updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** Records the verified identity and raises (never lowers) the level, in the caller's transaction. */
export async function raiseLevel(
  db: Queryable,
  id: string,
  input: { level: RealNameLevel; identity?: { nameSealed: string; idNumberSealed: string; idNumberIndex: string; regionCode: string } },
): Promise<boolean> {
  const res = await db
    .updateTable('citizen_account')
    .set({
      real_name_level: sql<number>`greatest(real_name_level, ${input.level})`,
      updated_at: new Date(),
      ...(input.identity
        ? {
            name_sealed: input.identity.nameSealed,
            id_number_sealed: input.identity.idNumberSealed,
            id_number_index: input.identity.idNumberIndex,
            region_code: input.identity.regionCode,
          }
        : {}),
    })
    .where('id', '=', id)
    // An identity is set once: a second, concurrent verification cannot overwrite it.
    .$if(input.identity !== undefined, (qb) => qb.where('id_number_index', 'is', null))
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

export async function insertEvidence(
  db: Queryable,
  input: { accountId: string; level: RealNameLevel; method: string; reference: string; details: Record<string, unknown>; regionCode: string },
): Promise<void> {
  await db
    .insertInto('real_name_evidence')
    .values({ account_id: input.accountId, level: input.level, method: input.method, reference: input.reference, details: JSON.stringify(input.details), region_code: input.regionCode })
    .execute();
}

export interface EvidenceRow {
  level: number;
  method: string;
  reference: string;
  details: Record<string, unknown>;
  verifiedAt: Date;
}

export async function listEvidence(db: Queryable, accountId: string): Promise<EvidenceRow[]> {
  const rows = await db
    .selectFrom('real_name_evidence')
    .select(['level', 'method', 'reference', 'details', 'verified_at'])
    .where('account_id', '=', accountId)
    .orderBy('verified_at', 'desc')
    .execute();
  return rows.map((r) => ({ level: r.level, method: r.method, reference: r.reference, details: (r.details ?? {}) as Record<string, unknown>, verifiedAt: r.verified_at }));
}

// --- one-time codes ---

export async function insertCode(db: Queryable, input: { purpose: CodePurpose; mobileIndex: string; codeHash: string; expiresAt: Date }): Promise<string> {
  const row = await db
    .insertInto('verification_code')
    .values({ purpose: input.purpose, mobile_index: input.mobileIndex, code_hash: input.codeHash, expires_at: input.expiresAt, consumed_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Codes sent to a mobile since `since` (all purposes), and when the last one for `purpose` went. */
export async function countRecentCodes(db: Queryable, mobileIndex: string, purpose: CodePurpose, since: Date): Promise<{ count: number; latest: Date | null }> {
  const r = await db
    .selectFrom('verification_code')
    .select([sql<number>`count(*)::int`.as('n'), sql<Date | null>`max(created_at) filter (where purpose = ${purpose})`.as('latest')])
    .where('mobile_index', '=', mobileIndex)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow();
  return { count: Number(r.n), latest: r.latest ? new Date(r.latest) : null };
}

/** The newest live code for a mobile and purpose, locked for the attempt being made. */
export async function latestLiveCode(db: Queryable, mobileIndex: string, purpose: CodePurpose) {
  return db
    .selectFrom('verification_code')
    .select(['id', 'code_hash', 'attempts', 'expires_at'])
    .where('mobile_index', '=', mobileIndex)
    .where('purpose', '=', purpose)
    .where('consumed_at', 'is', null)
    .where('expires_at', '>', new Date())
    .orderBy('created_at', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
}

export async function markCodeAttempt(db: Queryable, id: string, consumed: boolean): Promise<void> {
  await db
    .updateTable('verification_code')
    .set((eb) => ({ attempts: eb('attempts', '+', 1), ...(consumed ? { consumed_at: new Date() } : {}) }))
    .where('id', '=', id)
    .execute();
}

// --- second factors ---

export interface FactorRow {
  id: string;
  kind: 'totp' | 'passkey';
  label: string;
  secretSealed: string | null;
  credentialId: string | null;
  publicKey: string | null;
  signCount: number;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export async function listFactors(db: Queryable, accountId: string): Promise<FactorRow[]> {
  const rows = await db.selectFrom('citizen_factor').selectAll().where('account_id', '=', accountId).orderBy('created_at').execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    label: r.label,
    secretSealed: r.secret_sealed,
    credentialId: r.credential_id,
    publicKey: r.public_key,
    signCount: Number(r.sign_count),
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
  }));
}

export async function insertFactor(
  db: Queryable,
  input: { accountId: string; kind: 'totp' | 'passkey'; label: string; secretSealed?: string; credentialId?: string; publicKey?: string },
): Promise<string> {
  const row = await db
    .insertInto('citizen_factor')
    .values({
      account_id: input.accountId,
      kind: input.kind,
      label: input.label,
      secret_sealed: input.secretSealed ?? null,
      credential_id: input.credentialId ?? null,
      public_key: input.publicKey ?? null,
      last_used_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function touchFactor(db: Queryable, id: string, signCount?: number): Promise<void> {
  await db
    .updateTable('citizen_factor')
    .set({ last_used_at: new Date(), ...(signCount !== undefined ? { sign_count: String(signCount) } : {}) })
    .where('id', '=', id)
    .execute();
}

export async function deleteFactor(db: Queryable, accountId: string, id: string): Promise<boolean> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return false;
  const r = await db.deleteFrom('citizen_factor').where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

// --- login history ---

export async function insertLoginEvent(
  db: Queryable,
  input: { accountKind: 'citizen' | 'company' | 'staff'; accountId: string | null; method: string; outcome: 'success' | 'failure' | 'locked'; level?: number; ip?: string; userAgent?: string; regionCode: string },
): Promise<void> {
  await db
    .insertInto('login_event')
    .values({
      account_kind: input.accountKind,
      account_id: input.accountId,
      method: input.method,
      outcome: input.outcome,
      level: input.level ?? null,
      ip: input.ip ?? null,
      user_agent: input.userAgent?.slice(0, 300) ?? null,
      region_code: input.regionCode,
    })
    .execute();
}

export async function listLoginEvents(db: Queryable, accountKind: 'citizen' | 'company' | 'staff', accountId: string, limit = 20) {
  return db
    .selectFrom('login_event')
    .select(['method', 'outcome', 'level', 'ip', 'user_agent', 'created_at'])
    .where('account_kind', '=', accountKind)
    .where('account_id', '=', accountId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
}
