// The only code that touches company_account, company_login_nonce, company_agent_grant and
// proxy_grant. Personal data arrives sealed or as blind indexes.
import { sql, type Generated } from 'kysely';
import type { Queryable } from '../../../platform/db/database.ts';
import type { CompanyScopes } from '../../../platform/http/access.ts';

declare module '../../../platform/db/database.ts' {
  interface Database {
    company_account: {
      id: Generated<string>;
      credit_code: string;
      name: string;
      legal_rep_name_sealed: string;
      legal_rep_id_index: string;
      region_code: string;
      status: Generated<'active' | 'disabled'>;
      licence_serial: string;
      first_login_at: Generated<Date>;
      last_login_at: Generated<Date>;
    };
    company_login_nonce: {
      nonce_hash: string;
      expires_at: Date;
      consumed_at: Date | null;
      created_at: Generated<Date>;
    };
    company_agent_grant: {
      id: Generated<string>;
      company_id: string;
      agent_account_id: string;
      scopes: unknown;
      valid_from: Date;
      valid_until: Date;
      created_by: string | null;
      created_by_name: string;
      created_at: Generated<Date>;
      revoked_at: Date | null;
      revoked_by: string | null;
      region_code: string;
    };
    proxy_grant: {
      id: Generated<string>;
      principal_account_id: string;
      proxy_account_id: string;
      items: unknown;
      valid_from: Date;
      valid_until: Date;
      created_at: Generated<Date>;
      revoked_at: Date | null;
      revoked_by: string | null;
      region_code: string;
    };
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (v: string): boolean => UUID.test(v);

export interface CompanyRow {
  id: string;
  creditCode: string;
  name: string;
  legalRepNameSealed: string;
  legalRepIdIndex: string;
  regionCode: string;
  status: 'active' | 'disabled';
  firstLoginAt: Date;
  lastLoginAt: Date;
}

type CompanyDbRow = {
  id: string; credit_code: string; name: string; legal_rep_name_sealed: string; legal_rep_id_index: string;
  region_code: string; status: 'active' | 'disabled'; first_login_at: Date; last_login_at: Date;
};
const companyColumns = ['id', 'credit_code', 'name', 'legal_rep_name_sealed', 'legal_rep_id_index', 'region_code', 'status', 'first_login_at', 'last_login_at'] as const;
const toCompany = (r: CompanyDbRow): CompanyRow => ({
  id: r.id, creditCode: r.credit_code, name: r.name, legalRepNameSealed: r.legal_rep_name_sealed, legalRepIdIndex: r.legal_rep_id_index,
  regionCode: r.region_code, status: r.status, firstLoginAt: r.first_login_at, lastLoginAt: r.last_login_at,
});

export async function findCompanyById(db: Queryable, id: string): Promise<CompanyRow | null> {
  if (!isUuid(id)) return null;
  const r = await db.selectFrom('company_account').select(companyColumns).where('id', '=', id).executeTakeFirst();
  return r ? toCompany(r) : null;
}

/** Creates the account at its first login, else refreshes what the licence now says. */
export async function upsertCompany(
  db: Queryable,
  input: { creditCode: string; name: string; legalRepNameSealed: string; legalRepIdIndex: string; regionCode: string; licenceSerial: string },
): Promise<CompanyRow & { created: boolean }> {
  const now = new Date();
  const r = await db
    .insertInto('company_account')
    .values({
      credit_code: input.creditCode, name: input.name, legal_rep_name_sealed: input.legalRepNameSealed, legal_rep_id_index: input.legalRepIdIndex,
      region_code: input.regionCode, licence_serial: input.licenceSerial, first_login_at: now, last_login_at: now,
    })
    .onConflict((oc) =>
      oc.column('credit_code').doUpdateSet({
        name: input.name, legal_rep_name_sealed: input.legalRepNameSealed, legal_rep_id_index: input.legalRepIdIndex,
        licence_serial: input.licenceSerial, last_login_at: now,
      }),
    )
    .returning([...companyColumns, sql<boolean>`(xmax = 0)`.as('created')])
    .executeTakeFirstOrThrow();
  return { ...toCompany(r), created: Boolean(r.created) };
}

export async function companiesOfLegalRep(db: Queryable, legalRepIdIndex: string): Promise<CompanyRow[]> {
  const rows = await db.selectFrom('company_account').select(companyColumns).where('legal_rep_id_index', '=', legalRepIdIndex).orderBy('name').execute();
  return rows.map(toCompany);
}

// --- login nonces ---

export async function insertNonce(db: Queryable, nonceHash: string, expiresAt: Date): Promise<void> {
  await db.insertInto('company_login_nonce').values({ nonce_hash: nonceHash, expires_at: expiresAt, consumed_at: null }).execute();
  // Old rows are worthless after five minutes; each login sweeps a few away.
  await db.deleteFrom('company_login_nonce').where('expires_at', '<', new Date(Date.now() - 86_400_000)).execute();
}

/** Marks the nonce used; true only for the first use of a live nonce. */
export async function consumeNonce(db: Queryable, nonceHash: string): Promise<boolean> {
  const r = await db
    .updateTable('company_login_nonce')
    .set({ consumed_at: new Date() })
    .where('nonce_hash', '=', nonceHash)
    .where('consumed_at', 'is', null)
    .where('expires_at', '>', new Date())
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// --- agent grants ---

export interface AgentGrantRow {
  id: string;
  companyId: string;
  agentAccountId: string;
  scopes: CompanyScopes;
  validFrom: Date;
  validUntil: Date;
  createdByName: string;
  createdAt: Date;
  revokedAt: Date | null;
  regionCode: string;
}

const grantColumns = ['g.id', 'g.company_id', 'g.agent_account_id', 'g.scopes', 'g.valid_from', 'g.valid_until', 'g.created_by_name', 'g.created_at', 'g.revoked_at', 'g.region_code'] as const;
type GrantDbRow = {
  id: string; company_id: string; agent_account_id: string; scopes: unknown; valid_from: Date; valid_until: Date;
  created_by_name: string; created_at: Date; revoked_at: Date | null; region_code: string;
};
const toGrant = (r: GrantDbRow): AgentGrantRow => ({
  id: r.id, companyId: r.company_id, agentAccountId: r.agent_account_id, scopes: r.scopes as CompanyScopes, validFrom: r.valid_from,
  validUntil: r.valid_until, createdByName: r.created_by_name, createdAt: r.created_at, revokedAt: r.revoked_at, regionCode: r.region_code,
});

export async function insertAgentGrant(
  db: Queryable,
  input: { companyId: string; agentAccountId: string; scopes: CompanyScopes; validFrom: Date; validUntil: Date; createdBy: string | null; createdByName: string; regionCode: string },
): Promise<string> {
  const r = await db
    .insertInto('company_agent_grant')
    .values({
      company_id: input.companyId, agent_account_id: input.agentAccountId, scopes: JSON.stringify(input.scopes), valid_from: input.validFrom,
      valid_until: input.validUntil, created_by: input.createdBy, created_by_name: input.createdByName, revoked_at: null, revoked_by: null, region_code: input.regionCode,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function findAgentGrant(db: Queryable, id: string): Promise<AgentGrantRow | null> {
  if (!isUuid(id)) return null;
  const r = await db.selectFrom('company_agent_grant as g').select(grantColumns).where('g.id', '=', id).executeTakeFirst();
  return r ? toGrant(r) : null;
}

export async function listCompanyGrants(db: Queryable, companyId: string): Promise<AgentGrantRow[]> {
  const rows = await db.selectFrom('company_agent_grant as g').select(grantColumns).where('g.company_id', '=', companyId).orderBy('g.created_at', 'desc').limit(200).execute();
  return rows.map(toGrant);
}

/** A person's live grants with the company's name and code. */
export async function liveGrantsOfAgent(db: Queryable, agentAccountId: string): Promise<(AgentGrantRow & { companyName: string; creditCode: string })[]> {
  const now = new Date();
  const rows = await db
    .selectFrom('company_agent_grant as g')
    .innerJoin('company_account as c', 'c.id', 'g.company_id')
    .select([...grantColumns, 'c.name as company_name', 'c.credit_code'])
    .where('g.agent_account_id', '=', agentAccountId)
    .where('g.revoked_at', 'is', null)
    .where('g.valid_from', '<=', now)
    .where('g.valid_until', '>', now)
    .where('c.status', '=', 'active')
    .orderBy('c.name')
    .execute();
  return rows.map((r) => ({ ...toGrant(r), companyName: r.company_name, creditCode: r.credit_code }));
}

export async function revokeAgentGrant(db: Queryable, id: string, revokedBy: string): Promise<boolean> {
  const r = await db.updateTable('company_agent_grant').set({ revoked_at: new Date(), revoked_by: revokedBy }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Ends the live web sessions opened under one grant (company agents or proxies). */
export async function endGrantSessions(db: Queryable, kind: 'company' | 'citizen', grantId: string): Promise<number> {
  const path = kind === 'company' ? sql`data->>'grantId'` : sql`data->'onBehalfOf'->>'grantId'`;
  const r = await db.deleteFrom('web_session').where('account_kind', '=', kind).where(sql<boolean>`${path} = ${grantId}`).executeTakeFirst();
  return Number(r.numDeletedRows);
}

// --- proxy grants (代办) ---

export interface ProxyGrantRow {
  id: string;
  principalAccountId: string;
  proxyAccountId: string;
  items: 'all' | string[];
  validFrom: Date;
  validUntil: Date;
  createdAt: Date;
  revokedAt: Date | null;
  regionCode: string;
}

const proxyColumns = ['id', 'principal_account_id', 'proxy_account_id', 'items', 'valid_from', 'valid_until', 'created_at', 'revoked_at', 'region_code'] as const;
const toProxy = (r: {
  id: string; principal_account_id: string; proxy_account_id: string; items: unknown; valid_from: Date; valid_until: Date;
  created_at: Date; revoked_at: Date | null; region_code: string;
}): ProxyGrantRow => ({
  id: r.id, principalAccountId: r.principal_account_id, proxyAccountId: r.proxy_account_id, items: r.items as ProxyGrantRow['items'],
  validFrom: r.valid_from, validUntil: r.valid_until, createdAt: r.created_at, revokedAt: r.revoked_at, regionCode: r.region_code,
});

export async function insertProxyGrant(
  db: Queryable,
  input: { principalAccountId: string; proxyAccountId: string; items: 'all' | string[]; validFrom: Date; validUntil: Date; regionCode: string },
): Promise<string> {
  const r = await db
    .insertInto('proxy_grant')
    .values({
      principal_account_id: input.principalAccountId, proxy_account_id: input.proxyAccountId, items: JSON.stringify(input.items),
      valid_from: input.validFrom, valid_until: input.validUntil, revoked_at: null, revoked_by: null, region_code: input.regionCode,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function findProxyGrant(db: Queryable, id: string): Promise<ProxyGrantRow | null> {
  if (!isUuid(id)) return null;
  const r = await db.selectFrom('proxy_grant').select(proxyColumns).where('id', '=', id).executeTakeFirst();
  return r ? toProxy(r) : null;
}

export async function listProxyGrants(db: Queryable, side: 'principal' | 'proxy', accountId: string): Promise<ProxyGrantRow[]> {
  const rows = await db
    .selectFrom('proxy_grant')
    .select(proxyColumns)
    .where(side === 'principal' ? 'principal_account_id' : 'proxy_account_id', '=', accountId)
    .orderBy('created_at', 'desc')
    .limit(100)
    .execute();
  return rows.map(toProxy);
}

export async function revokeProxyGrant(db: Queryable, id: string, revokedBy: string): Promise<boolean> {
  const r = await db.updateTable('proxy_grant').set({ revoked_at: new Date(), revoked_by: revokedBy }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Live: not withdrawn, and now inside its period. */
export function isLive(g: { revokedAt: Date | null; validFrom: Date; validUntil: Date }, now = new Date()): boolean {
  return g.revokedAt === null && g.validFrom <= now && g.validUntil > now;
}
