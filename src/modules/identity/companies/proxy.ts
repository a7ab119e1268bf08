// 代办: a person authorises another registered person to act for them on chosen items for a
// period. The proxy switches into a session whose actor carries `onBehalfOf`; its level is
// capped at what both the proxy's session and the principal's account have proven, and the
// audit trail records every act in it as done on the principal's behalf (audit.ts).
import type { Db } from '../../../platform/db/database.ts';
import { inTransaction } from '../../../platform/db/database.ts';
import { recordAudit } from '../../../platform/audit/audit.ts';
import { maskName, type PersonalDataCipher } from '../../../platform/crypto/personal-data.ts';
import { createSession, destroySession, type SessionRecord } from '../../../platform/http/session.ts';
import type { Actor, RealNameLevel } from '../../../platform/http/access.ts';
import { AppError } from '../../../platform/http/errors.ts';
import * as people from '../people/store.ts';
import type { RequestMeta } from '../people/service.ts';
import { findGrantee } from './grantee.ts';
import { parseItems, parseValidUntil } from './scope.ts';
import * as store from './store.ts';

/** What a proxy session keeps besides the citizen session's own factors. */
export interface ProxySessionData {
  onBehalfOf?: { accountId: string; grantId: string };
}

type Citizen = Extract<Actor, { kind: 'citizen' }>;

export class ProxyService {
  readonly db: Db;
  readonly cipher: PersonalDataCipher;
  constructor(db: Db, cipher: PersonalDataCipher) {
    this.db = db;
    this.cipher = cipher;
  }

  /** Only the person themself, in their own session, may give or change grants. */
  private self(actor: Actor): Citizen {
    if (actor.kind !== 'citizen' || actor.onBehalfOf) throw new AppError('FORBIDDEN', { detail: '代办期间不能管理授权，请先结束代办' });
    return actor;
  }

  async grant(actor: Actor, input: { who: string; items: string; validUntil: string }, meta: RequestMeta): Promise<string> {
    const principal = this.self(actor);
    if (principal.accountLevel < 2) throw new AppError('REAL_NAME_PREREQUISITE', { detail: '授权他人代办前，请先完成实名认证' });
    const items = parseItems(input.items);
    const validUntil = parseValidUntil(input.validUntil);
    const proxy = await findGrantee(this.db, this.cipher, input.who);
    if (proxy.id === principal.accountId) throw new AppError('GRANT_INVALID', { errors: [{ field: 'who', message: '不能授权给自己' }] });
    const account = await people.findCitizenById(this.db, principal.accountId);
    if (!account) throw new AppError('UNAUTHENTICATED');
    return inTransaction(this.db, async (tx) => {
      const id = await store.insertProxyGrant(tx, { principalAccountId: principal.accountId, proxyAccountId: proxy.id, items, validFrom: new Date(), validUntil, regionCode: account.regionCode });
      await recordAudit(tx, { actor: principal, action: 'proxy.grant', targetType: 'proxy_grant', targetId: id, regionCode: account.regionCode, change: { proxyAccountId: proxy.id, items, validUntil: validUntil.toISOString() }, requestId: meta.requestId });
      return id;
    });
  }

  /** The principal withdraws a grant (or the proxy declines it); its sessions end at once. */
  async revoke(actor: Actor, grantId: string, meta: RequestMeta): Promise<void> {
    const me = this.self(actor);
    const grant = await store.findProxyGrant(this.db, grantId);
    if (!grant || (grant.principalAccountId !== me.accountId && grant.proxyAccountId !== me.accountId)) throw new AppError('GRANT_NOT_FOUND');
    await inTransaction(this.db, async (tx) => {
      if (!(await store.revokeProxyGrant(tx, grant.id, me.accountId))) return;
      const endedSessions = await store.endGrantSessions(tx, 'citizen', grant.id);
      await recordAudit(tx, { actor: me, action: 'proxy.revoke', targetType: 'proxy_grant', targetId: grant.id, regionCode: grant.regionCode, change: { by: grant.principalAccountId === me.accountId ? 'principal' : 'proxy', endedSessions }, requestId: meta.requestId });
    });
  }

  /** The proxy starts acting for the principal: a new session token carrying the grant. */
  async actFor(actor: Actor, session: SessionRecord | null, grantId: string, meta: RequestMeta): Promise<{ token: string }> {
    const me = this.self(actor);
    if (!session) throw new AppError('UNAUTHENTICATED');
    const grant = await store.findProxyGrant(this.db, grantId);
    if (!grant || grant.proxyAccountId !== me.accountId) throw new AppError('GRANT_NOT_FOUND');
    const principal = await people.findCitizenById(this.db, grant.principalAccountId);
    if (!store.isLive(grant) || !principal || principal.status !== 'active') throw new AppError('GRANT_NOT_USABLE');
    return inTransaction(this.db, async (tx) => {
      const data = { ...session.data, onBehalfOf: { accountId: principal.id, grantId: grant.id } };
      await destroySession(tx, session.id);
      const next = await createSession(tx, { accountKind: 'citizen', accountId: me.accountId, data, ip: meta.ip, userAgent: meta.userAgent });
      const acting = this.onBehalf(me, next.id, grant, principal);
      await recordAudit(tx, { actor: acting, action: 'proxy.act', targetType: 'proxy_grant', targetId: grant.id, regionCode: grant.regionCode, change: { level: acting.realNameLevel }, requestId: meta.requestId });
      return { token: next.token };
    });
  }

  /** Back to acting for oneself, keeping the factors the session proved. */
  async stopActing(actor: Actor, session: SessionRecord | null, meta: RequestMeta): Promise<{ token: string } | null> {
    if (actor.kind !== 'citizen' || !actor.onBehalfOf || !session) return null;
    const rest = { ...session.data };
    delete rest.onBehalfOf;
    return inTransaction(this.db, async (tx) => {
      await recordAudit(tx, { actor, action: 'proxy.stop', targetType: 'proxy_grant', targetId: actor.onBehalfOf!.grantId, change: {}, requestId: meta.requestId });
      await destroySession(tx, session.id);
      const next = await createSession(tx, { accountKind: 'citizen', accountId: actor.accountId, data: rest, ip: meta.ip, userAgent: meta.userAgent });
      return { token: next.token };
    });
  }

  /**
   * Turns the proxy's own actor into the on-behalf actor of a session that carries a grant;
   * null (signed out) once the grant has lapsed or the principal's account is gone.
   */
  async resolve(base: Actor | null, session: SessionRecord): Promise<Actor | null> {
    const ref = (session.data as ProxySessionData).onBehalfOf;
    if (!base || base.kind !== 'citizen' || !ref) return base;
    const grant = await store.findProxyGrant(this.db, ref.grantId);
    if (!grant || grant.proxyAccountId !== base.accountId || grant.principalAccountId !== ref.accountId || !store.isLive(grant)) return null;
    const principal = await people.findCitizenById(this.db, grant.principalAccountId);
    if (!principal || principal.status !== 'active') return null;
    return this.onBehalf(base, base.sessionId, grant, principal);
  }

  private onBehalf(me: Citizen, sessionId: string, grant: store.ProxyGrantRow, principal: people.CitizenRow): Citizen {
    const cap = (l: RealNameLevel) => Math.min(l, principal.realNameLevel) as RealNameLevel;
    const principalName = principal.nameSealed ? maskName(this.cipher.open('name', principal.nameSealed)) : '他人';
    const ownName = me.displayName.replace(/（代.*）$/, '');
    return {
      ...me,
      sessionId,
      displayName: `${ownName}（代${principalName}）`,
      realNameLevel: cap(me.realNameLevel),
      accountLevel: cap(me.accountLevel),
      onBehalfOf: { accountId: principal.id, grantId: grant.id, proxyAccountId: me.accountId, items: grant.items },
    };
  }

  async list(accountId: string): Promise<{ given: (store.ProxyGrantRow & { name: string; live: boolean })[]; received: (store.ProxyGrantRow & { name: string; live: boolean })[] }> {
    const name = async (id: string) => {
      const a = await people.findCitizenById(this.db, id);
      return a?.nameSealed ? maskName(this.cipher.open('name', a.nameSealed)) : '（未实名）';
    };
    const [given, received] = await Promise.all([store.listProxyGrants(this.db, 'principal', accountId), store.listProxyGrants(this.db, 'proxy', accountId)]);
    return {
      given: await Promise.all(given.map(async (g) => ({ ...g, name: await name(g.proxyAccountId), live: store.isLive(g) }))),
      received: await Promise.all(received.map(async (g) => ({ ...g, name: await name(g.principalAccountId), live: store.isLive(g) }))),
    };
  }
}
