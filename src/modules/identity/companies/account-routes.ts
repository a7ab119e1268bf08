// The person's side of authorisations, in the user centre: companies they may act for
// (/account/companies) and 代办 given and received (/account/proxies).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { access } from '../../../platform/http/access.ts';
import { setSessionCookie } from '../../../platform/http/auth.ts';
import { AppError, type FieldError } from '../../../platform/http/errors.ts';
import type { AppContext } from '../../../platform/module.ts';
import { formErrors, requestMeta } from '../people/routes.ts';
import type { CompanyService } from './service.ts';
import type { ProxyService } from './proxy.ts';
import { describeItems, describeScopes } from './scope.ts';

const pages = 'modules/identity/companies/pages';
const GrantId = Type.Object({ grantId: Type.String({ pattern: '^[0-9a-f-]{36}$' }) });
const crumbs = [{ href: '/account', label: '用户中心' }];

export function authorisationRoutes(app: FastifyInstance, ctx: AppContext, companies: CompanyService, proxies: ProxyService): void {
  const { render, config } = ctx;

  app.get('/account/companies', {
    config: { access: access.citizen(1) },
    schema: { hide: true },
    handler: async (req, reply) => {
      if (req.actor.kind !== 'citizen') throw new AppError('FORBIDDEN');
      const actor = req.actor;
      const [grants, represented] = actor.onBehalfOf ? [[], []] : await Promise.all([companies.liveGrantsOf(actor.accountId), companies.companiesRepresentedBy(actor.accountId)]);
      return render.page(
        req,
        reply,
        `${pages}/account-companies.eta`,
        { grants: grants.map((g) => ({ ...g, scopeText: describeScopes(g.scopes) })), represented, onBehalf: Boolean(actor.onBehalfOf), canAct: actor.realNameLevel >= 2 },
        { title: '我的企业授权', breadcrumbs: crumbs },
      );
    },
  });

  app.post('/account/companies/:grantId/act', {
    config: { access: access.citizen(2) },
    schema: { hide: true, params: GrantId },
    handler: async (req, reply) => {
      const token = await companies.actAsAgent(req.actor, req.session, (req.params as { grantId: string }).grantId, requestMeta(req));
      setSessionCookie(reply, config.cookieSecure, token);
      return reply.redirect('/company', 303);
    },
  });

  const proxyPage = async (req: FastifyRequest, reply: FastifyReply, view: { errors?: FieldError[]; form?: Record<string, string>; message?: string } = {}, status = 200) => {
    if (req.actor.kind !== 'citizen') throw new AppError('FORBIDDEN');
    const actor = req.actor;
    const lists = actor.onBehalfOf ? { given: [], received: [] } : await proxies.list(actor.accountId);
    const describe = <T extends { items: 'all' | string[] }>(g: T) => ({ ...g, itemsText: describeItems(g.items) });
    return render.page(
      req,
      reply,
      `${pages}/account-proxies.eta`,
      {
        onBehalf: actor.onBehalfOf ?? null, displayName: actor.displayName, canGrant: actor.accountLevel >= 2, canAct: actor.realNameLevel >= 2,
        given: lists.given.map(describe), received: lists.received.map(describe),
        errors: view.errors ?? [], form: { who: '', items: '', validUntil: '', ...view.form }, message: view.message ?? '',
      },
      { title: '代办授权', breadcrumbs: crumbs, status },
    );
  };

  app.get('/account/proxies', {
    config: { access: access.citizen(1) },
    schema: { hide: true, querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) }) },
    handler: async (req, reply) => {
      const done = (req.query as { done?: string }).done;
      const messages: Record<string, string> = { granted: '已授权代办人。', revoked: '已撤销代办授权。', stopped: '已结束代办，现在以您本人身份办事。' };
      return proxyPage(req, reply, { message: (done && messages[done]) || '' });
    },
  });

  app.post('/account/proxies', {
    config: { access: access.citizen(2) },
    schema: { hide: true, body: Type.Object({ who: Type.String({ maxLength: 40 }), items: Type.String({ maxLength: 4000 }), validUntil: Type.String({ maxLength: 20 }) }) },
    handler: async (req, reply) => {
      const body = req.body as { who: string; items: string; validUntil: string };
      try {
        await proxies.grant(req.actor, body, requestMeta(req));
      } catch (err) {
        const errors = err instanceof AppError && err.code !== 'FORBIDDEN' ? formErrors(err, 'who') : null;
        if (!errors) throw err;
        return proxyPage(req, reply, { errors, form: body }, (err as AppError).status);
      }
      return reply.redirect('/account/proxies?done=granted', 303);
    },
  });

  app.post('/account/proxies/:grantId/revoke', {
    config: { access: access.citizen(1) },
    schema: { hide: true, params: GrantId },
    handler: async (req, reply) => {
      await proxies.revoke(req.actor, (req.params as { grantId: string }).grantId, requestMeta(req));
      return reply.redirect('/account/proxies?done=revoked', 303);
    },
  });

  app.post('/account/proxies/:grantId/act', {
    config: { access: access.citizen(2) },
    schema: { hide: true, params: GrantId },
    handler: async (req, reply) => {
      const { token } = await proxies.actFor(req.actor, req.session, (req.params as { grantId: string }).grantId, requestMeta(req));
      setSessionCookie(reply, config.cookieSecure, token);
      return reply.redirect('/account', 303);
    },
  });

  app.post('/account/proxies/stop', {
    config: { access: access.citizen(1) },
    schema: { hide: true },
    handler: async (req, reply) => {
      const next = await proxies.stopActing(req.actor, req.session, requestMeta(req));
      if (next) setSessionCookie(reply, config.cookieSecure, next.token);
      return reply.redirect('/account/proxies?done=stopped', 303);
    },
  });
}
