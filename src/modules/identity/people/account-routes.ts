// The user centre and its security page: profile, what other modules hold for the person,
// sign-in history and active sessions (each can be ended).
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { access } from '../../../platform/http/access.ts';
import { recordAudit } from '../../../platform/audit/audit.ts';
import { inTransaction } from '../../../platform/db/database.ts';
import { destroyOwnSession, listSessions } from '../../../platform/http/session.ts';
import { AppError } from '../../../platform/http/errors.ts';
import type { AppContext } from '../../../platform/module.ts';
import { emitEvent } from '../../../platform/jobs/outbox.ts';
import type { CitizenService } from './service.ts';
import { LEVEL_NAMES } from './levels.ts';
import * as store from './store.ts';
import { userCentreSections } from './user-centre.ts';

const pages = 'modules/identity/people/pages';

const METHOD_NAMES: Record<string, string> = {
  password: '密码',
  sms: '短信验证码',
  'sms+password': '注册',
  federation: '跨区域单点登录',
};

export function accountRoutes(app: FastifyInstance, ctx: AppContext, people: CitizenService): void {
  const { render } = ctx;

  app.get('/account', {
    config: { access: access.citizen(1) },
    schema: { hide: true },
    handler: async (req, reply) => {
      if (req.actor.kind !== 'citizen') throw new AppError('FORBIDDEN');
      const actor = req.actor;
      const claims = await people.claims(actor.accountId);
      if (!claims) throw new AppError('UNAUTHENTICATED');
      // One failing section must not take the whole page down.
      const sections = await Promise.all(
        userCentreSections(ctx).map(async (s) => {
          try {
            return { id: s.id, title: s.title, ...(await s.load(actor)), failed: false };
          } catch (err) {
            req.log.warn({ err, section: s.id }, 'user-centre section failed');
            return { id: s.id, title: s.title, items: [], empty: '暂时无法加载，请稍后刷新', failed: true };
          }
        }),
      );
      await recordAudit(ctx.db, { actor, action: 'citizen.profile.view', targetType: 'citizen_account', targetId: actor.accountId, regionCode: claims.regionCode, change: {}, requestId: String(req.id) });
      return render.page(req, reply, `${pages}/account.eta`, { claims, actor, sections, levelNames: LEVEL_NAMES }, { title: '用户中心' });
    },
  });

  app.get('/account/security', {
    config: { access: access.citizen(1) },
    schema: { hide: true },
    handler: async (req, reply) => {
      if (req.actor.kind !== 'citizen') throw new AppError('FORBIDDEN');
      const [sessions, events, factors] = await Promise.all([
        listSessions(ctx.db, 'citizen', req.actor.accountId),
        store.listLoginEvents(ctx.db, 'citizen', req.actor.accountId),
        store.listFactors(ctx.db, req.actor.accountId),
      ]);
      return render.page(
        req,
        reply,
        `${pages}/security.eta`,
        { sessions, events, factors, currentSessionId: req.actor.sessionId, methodNames: METHOD_NAMES },
        { title: '账户安全', breadcrumbs: [{ href: '/account', label: '用户中心' }] },
      );
    },
  });

  app.post('/account/sessions/:sessionId/end', {
    config: { access: access.citizen(1) },
    schema: { hide: true, params: Type.Object({ sessionId: Type.String({ pattern: '^[0-9a-f]{64}$' }) }) },
    handler: async (req, reply) => {
      if (req.actor.kind !== 'citizen') throw new AppError('FORBIDDEN');
      const actor = req.actor;
      const { sessionId } = req.params as { sessionId: string };
      const ended = await inTransaction(ctx.db, async (tx) => {
        const ok = await destroyOwnSession(tx, 'citizen', actor.accountId, sessionId);
        if (ok) {
          await recordAudit(tx, { actor, action: 'session.end', targetType: 'web_session', targetId: sessionId.slice(0, 16), change: {}, requestId: String(req.id) });
          await emitEvent(tx, { topic: 'identity.session.ended', payload: { sessionId, accountId: actor.accountId, accountKind: 'citizen' }, idempotencyKey: `identity.session.ended:${sessionId}` });
        }
        return ok;
      });
      if (!ended) throw new AppError('NOT_FOUND');
      return reply.redirect(sessionId === actor.sessionId ? '/' : '/account/security', 303);
    },
  });
}
