// Company accounts (法人): login with the electronic business licence, the company session
// and its actor, and the legal representative's grants to agents (经办人授权).
import { randomBytes } from 'node:crypto';
import type { Db, Queryable } from '../../../platform/db/database.ts';
import { inTransaction } from '../../../platform/db/database.ts';
import { recordAudit } from '../../../platform/audit/audit.ts';
import { maskName, type PersonalDataCipher } from '../../../platform/crypto/personal-data.ts';
import { sm3Hex } from '../../../platform/crypto/sm3.ts';
import { createSession, destroySession, type SessionRecord } from '../../../platform/http/session.ts';
import type { Actor, CompanyRole, CompanyScopes } from '../../../platform/http/access.ts';
import { AppError } from '../../../platform/http/errors.ts';
import * as people from '../people/store.ts';
import type { RequestMeta } from '../people/service.ts';
import { BusinessLicenceRejectedError, VerifierUnavailableError, type BusinessLicenceAssertion, type BusinessLicenceVerifier } from '../verifiers/types.ts';
import { FULL_SCOPES, parseActions, parseItems, parseValidUntil } from './scope.ts';
import { findGrantee } from './grantee.ts';
import * as store from './store.ts';

export const NONCE_TTL_MS = 5 * 60_000;

export type LoginRejectReason = BusinessLicenceRejectedError['reason'] | 'cancelled';

/** What people read on the refusal page: the specific reason, in Chinese. */
export const REJECT_MESSAGES: Record<LoginRejectReason, string> = {
  signature: '电子营业执照的签名验证未通过：凭证不是由市场监管部门签发，或已被篡改。',
  audience: '这份授权凭证是为其他网站签发的，不能用于登录本平台。',
  nonce: '这次登录请求已失效或已被使用过（每次登录只能使用一次，5 分钟内有效），请重新发起登录。',
  stale: '授权凭证已超过有效时间（5 分钟），请重新发起登录并在电子营业执照中确认。',
  expired: '该营业执照已过有效期（营业期限已届满），不能用于登录。',
  not_yet_valid: '该营业执照尚未生效，不能用于登录。',
  revoked: '该营业执照已被吊销或注销，不能用于登录。',
  credit_code: '执照上的统一社会信用代码校验不通过。',
  malformed: '收到的授权凭证格式不正确，请重新发起登录。',
  cancelled: '您已在电子营业执照中取消了授权，未登录。',
};

export class CompanyLoginRejected extends AppError {
  readonly reason: LoginRejectReason;
  constructor(reason: LoginRejectReason) {
    super('COMPANY_LOGIN_REJECTED', { detail: REJECT_MESSAGES[reason] });
    this.reason = reason;
  }
}

export interface CompanySessionData {
  role: CompanyRole;
  scopes: CompanyScopes;
  grantId: string | null;
  agentAccountId: string | null;
  /** The person in the session: masked name and ID-number blind index (when known). */
  holderName: string;
  holderIdIndex: string | null;
  via: 'licence' | 'grant';
  authTime: number;
}

export const ROLE_NAMES: Record<CompanyRole, string> = { legal_representative: '法定代表人', agent: '经办人' };

export class CompanyService {
  readonly db: Db;
  readonly cipher: PersonalDataCipher;
  private readonly licence: BusinessLicenceVerifier;
  private readonly callbackUrl: string;
  private readonly nodeRegionCode: string;
  constructor(db: Db, cipher: PersonalDataCipher, licence: BusinessLicenceVerifier, options: { publicUrl: string; nodeRegionCode: string }) {
    this.db = db;
    this.cipher = cipher;
    this.licence = licence;
    this.callbackUrl = `${options.publicUrl.replace(/\/+$/, '')}/company/login/callback`;
    this.nodeRegionCode = options.nodeRegionCode;
  }

  /** A fresh nonce (kept hashed, single use, 5 minutes) and the wallet address to go to. */
  async startLogin(): Promise<{ nonce: string; url: string }> {
    const nonce = randomBytes(24).toString('base64url');
    await store.insertNonce(this.db, sm3Hex(nonce), new Date(Date.now() + NONCE_TTL_MS));
    return { nonce, url: this.licence.authorizeUrl({ nonce, callbackUrl: this.callbackUrl }) };
  }

  /**
   * Verifies the wallet's assertion against this browser's nonce (used up either way) and
   * opens a company session. Refusals are audited and thrown as CompanyLoginRejected.
   */
  async completeLogin(input: { assertion?: string; error?: string; nonce?: string }, meta: RequestMeta): Promise<{ token: string; actor: Actor }> {
    const fresh = input.nonce ? await store.consumeNonce(this.db, sm3Hex(input.nonce)) : false;
    if (input.error) return this.refuse('cancelled', meta);
    if (!fresh || !input.nonce || !input.assertion) return this.refuse('nonce', meta);
    let facts: BusinessLicenceAssertion;
    try {
      facts = await this.licence.verifyAssertion(input.assertion, input.nonce);
    } catch (err) {
      if (err instanceof BusinessLicenceRejectedError) return this.refuse(err.reason, meta);
      if (err instanceof VerifierUnavailableError) {
        await this.recordFailure('unavailable', meta);
        throw new AppError('COMPANY_LICENCE_UNAVAILABLE', { cause: err });
      }
      throw err;
    }
    const isRep = facts.holder.role === 'legal_representative' && facts.holder.idNumber.toUpperCase() === facts.legalRepresentative.idNumber.toUpperCase();
    const holderIdIndex = this.cipher.blindIndex('id_number', facts.holder.idNumber);
    return inTransaction(this.db, async (tx) => {
      const company = await store.upsertCompany(tx, {
        creditCode: facts.creditCode,
        name: facts.companyName,
        legalRepNameSealed: this.cipher.seal('name', facts.legalRepresentative.name),
        legalRepIdIndex: this.cipher.blindIndex('id_number', facts.legalRepresentative.idNumber),
        // GB 32100 characters 3–8 are the registering authority's region.
        regionCode: facts.creditCode.slice(2, 8),
        licenceSerial: facts.licenceSerial,
      });
      if (company.status !== 'active') return this.refuseIn(tx, 'revoked', meta, company.id);
      const citizen = await people.findCitizenByIdNumber(tx, holderIdIndex);
      const data: CompanySessionData = {
        role: isRep ? 'legal_representative' : 'agent',
        scopes: FULL_SCOPES,
        grantId: null,
        agentAccountId: citizen?.status === 'active' ? citizen.id : null,
        holderName: maskName(facts.holder.name),
        holderIdIndex,
        via: 'licence',
        authTime: Date.now(),
      };
      const opened = await this.open(tx, company, data, 'licence', meta);
      await recordAudit(tx, {
        actor: opened.actor,
        action: 'company.login',
        targetType: 'company_account',
        targetId: company.id,
        regionCode: company.regionCode,
        change: { method: 'licence', created: company.created, role: data.role, holder: data.holderName, licenceSerial: facts.licenceSerial, linkedAccount: data.agentAccountId },
        requestId: meta.requestId,
      });
      return opened;
    });
  }

  private async open(tx: Queryable, company: store.CompanyRow, data: CompanySessionData, method: string, meta: RequestMeta): Promise<{ token: string; actor: Actor }> {
    const session = await createSession(tx, { accountKind: 'company', accountId: company.id, data: { ...data }, ip: meta.ip, userAgent: meta.userAgent });
    await people.insertLoginEvent(tx, { accountKind: 'company', accountId: company.id, method, outcome: 'success', ip: meta.ip, userAgent: meta.userAgent, regionCode: company.regionCode });
    return { token: session.token, actor: actorFor(company, session.id, data) };
  }

  private async recordFailure(reason: string, meta: RequestMeta, companyId: string | null = null, tx: Queryable = this.db): Promise<void> {
    await inTransaction(tx, async (t) => {
      await people.insertLoginEvent(t, { accountKind: 'company', accountId: companyId, method: 'licence', outcome: 'failure', ip: meta.ip, userAgent: meta.userAgent, regionCode: this.nodeRegionCode });
      await recordAudit(t, { actor: { kind: 'anonymous' }, action: 'company.login.failed', targetType: 'company_account', targetId: companyId, regionCode: this.nodeRegionCode, change: { method: 'licence', reason }, requestId: meta.requestId });
    });
  }

  private async refuse(reason: LoginRejectReason, meta: RequestMeta): Promise<never> {
    await this.recordFailure(reason, meta);
    throw new CompanyLoginRejected(reason);
  }

  private async refuseIn(tx: Queryable, reason: LoginRejectReason, meta: RequestMeta, companyId: string): Promise<never> {
    await this.recordFailure(reason, meta, companyId, tx);
    throw new CompanyLoginRejected(reason);
  }

  /** The actor of a company session; null once the company or the agent's grant is gone. */
  async fromSession(session: SessionRecord): Promise<Actor | null> {
    const company = await store.findCompanyById(this.db, session.accountId);
    if (!company || company.status !== 'active') return null;
    const data = session.data as unknown as CompanySessionData;
    if (data.grantId) {
      const grant = await store.findAgentGrant(this.db, data.grantId);
      if (!grant || grant.companyId !== company.id || !store.isLive(grant)) return null;
      return actorFor(company, session.id, { ...data, scopes: grant.scopes });
    }
    return actorFor(company, session.id, data);
  }

  // --- agent grants (经办人授权) ---

  private requireLegalRep(actor: Actor): Extract<Actor, { kind: 'company' }> {
    if (actor.kind !== 'company' || actor.role !== 'legal_representative') {
      throw new AppError('FORBIDDEN', { detail: '只有用电子营业执照登录的法定代表人可以授权或撤回经办人' });
    }
    return actor;
  }

  async grantAgent(actor: Actor, input: { who: string; items: string; actions?: string | string[]; validUntil: string }, meta: RequestMeta): Promise<string> {
    const rep = this.requireLegalRep(actor);
    const items = parseItems(input.items);
    const actions = parseActions(input.actions);
    const validUntil = parseValidUntil(input.validUntil);
    const agent = await findGrantee(this.db, this.cipher, input.who);
    const company = await store.findCompanyById(this.db, rep.accountId);
    if (!company) throw new AppError('NOT_FOUND');
    const session = await this.db.selectFrom('web_session').select('data').where('id', '=', rep.sessionId).executeTakeFirst();
    const holderName = ((session?.data ?? {}) as Partial<CompanySessionData>).holderName ?? '';
    return inTransaction(this.db, async (tx) => {
      const scopes: CompanyScopes = { items, actions };
      const id = await store.insertAgentGrant(tx, {
        companyId: company.id, agentAccountId: agent.id, scopes, validFrom: new Date(), validUntil,
        createdBy: rep.agentAccountId, createdByName: holderName, regionCode: company.regionCode,
      });
      await recordAudit(tx, { actor: rep, action: 'company.agent.grant', targetType: 'company_agent_grant', targetId: id, regionCode: company.regionCode, change: { agentAccountId: agent.id, scopes, validUntil: validUntil.toISOString() }, requestId: meta.requestId });
      return id;
    });
  }

  /** Withdraws a grant and ends the sessions opened under it, at once. */
  async withdrawAgent(actor: Actor, grantId: string, meta: RequestMeta): Promise<void> {
    const rep = this.requireLegalRep(actor);
    const grant = await store.findAgentGrant(this.db, grantId);
    if (!grant || grant.companyId !== rep.accountId) throw new AppError('GRANT_NOT_FOUND');
    await inTransaction(this.db, async (tx) => {
      if (!(await store.revokeAgentGrant(tx, grant.id, `company:${rep.sessionId.slice(0, 16)}:${rep.agentAccountId ?? ''}`))) return;
      const endedSessions = await store.endGrantSessions(tx, 'company', grant.id);
      await recordAudit(tx, { actor: rep, action: 'company.agent.withdraw', targetType: 'company_agent_grant', targetId: grant.id, regionCode: grant.regionCode, change: { agentAccountId: grant.agentAccountId, endedSessions }, requestId: meta.requestId });
    });
  }

  /** The company's grants with each agent's masked name, newest first. */
  async listAgents(companyId: string): Promise<(store.AgentGrantRow & { agentName: string; live: boolean })[]> {
    const grants = await store.listCompanyGrants(this.db, companyId);
    return Promise.all(grants.map(async (g) => ({ ...g, agentName: await this.personName(g.agentAccountId), live: store.isLive(g) })));
  }

  async personName(accountId: string): Promise<string> {
    const a = await people.findCitizenById(this.db, accountId);
    return a?.nameSealed ? maskName(this.cipher.open('name', a.nameSealed)) : '（未实名）';
  }

  liveGrantsOf(agentAccountId: string) {
    return store.liveGrantsOfAgent(this.db, agentAccountId);
  }

  /** Companies whose legal representative is this person (they log in with the licence). */
  async companiesRepresentedBy(citizenAccountId: string): Promise<store.CompanyRow[]> {
    const a = await people.findCitizenById(this.db, citizenAccountId);
    if (!a?.idNumberSealed) return [];
    return store.companiesOfLegalRep(this.db, this.cipher.blindIndex('id_number', this.cipher.open('id_number', a.idNumberSealed)));
  }

  /** A person with a live grant switches into acting for the company (a new session). */
  async actAsAgent(actor: Actor, session: SessionRecord | null, grantId: string, meta: RequestMeta): Promise<string> {
    if (actor.kind !== 'citizen' || actor.onBehalfOf || !session) throw new AppError('FORBIDDEN');
    const grant = await store.findAgentGrant(this.db, grantId);
    if (!grant || grant.agentAccountId !== actor.accountId) throw new AppError('GRANT_NOT_FOUND');
    const company = await store.findCompanyById(this.db, grant.companyId);
    if (!store.isLive(grant) || !company || company.status !== 'active') throw new AppError('GRANT_NOT_USABLE');
    return inTransaction(this.db, async (tx) => {
      await destroySession(tx, session.id);
      const data: CompanySessionData = {
        role: 'agent', scopes: grant.scopes, grantId: grant.id, agentAccountId: actor.accountId,
        holderName: actor.displayName, holderIdIndex: null, via: 'grant', authTime: Date.now(),
      };
      const opened = await this.open(tx, company, data, 'agent_grant', meta);
      await recordAudit(tx, { actor: opened.actor, action: 'company.agent.act', targetType: 'company_agent_grant', targetId: grant.id, regionCode: company.regionCode, change: { citizenAccountId: actor.accountId, scopes: grant.scopes }, requestId: meta.requestId });
      return opened.token;
    });
  }
}

export function actorFor(company: store.CompanyRow, sessionId: string, data: CompanySessionData): Actor {
  return {
    kind: 'company',
    accountId: company.id,
    displayName: company.name,
    creditCode: company.creditCode,
    agentAccountId: data.agentAccountId ?? null,
    sessionId,
    role: data.role === 'legal_representative' ? 'legal_representative' : 'agent',
    scopes: data.scopes ?? { items: [], actions: [] },
    grantId: data.grantId ?? null,
  };
}

