// Company pages: e-business-licence login and its callback, the company home, and the legal
// representative's agent grants (authorise / withdraw).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { access } from '../../../platform/http/access.ts';
import { authCookieOptions, setSessionCookie } from '../../../platform/http/auth.ts';
import { destroySession } from '../../../platform/http/session.ts';
import { AppError, type FieldError } from '../../../platform/http/errors.ts';
import type { AppContext } from '../../../platform/module.ts';
import { formErrors, requestMeta } from '../people/routes.ts';
import { CompanyLoginRejected, ROLE_NAMES, type CompanyService } from './service.ts';
import { describeScopes } from './scope.ts';

const pages = 'modules/identity/companies/pages';
const GrantId = Type.Object({ grantId: Type.String({ pattern: '^[0-9a-f-]{36}$' }) });

/** The login attempt's nonce, bound to this browser for five minutes. */
export function nonceCookieName(secure: boolean): string {
  return secure ? '__Host-yw_ebl' : 'yw_ebl';
}

export function companyRoutes(app: FastifyInstance, ctx: AppContext, companies: CompanyService): void {
  const { render, config } = ctx;
  const nonceCookie = nonceCookieName(config.cookieSecure);

  const loginPage = (req: FastifyRequest, reply: FastifyReply) =>
    render.page(req, reply, `${pages}/login.eta`, {}, { title: '法人登录', breadcrumbs: [{ href: '/account/login', label: '登录' }] });

  const refusal = (req: FastifyRequest, reply: FastifyReply, status: number, heading: string, message: string) =>
    render.page(req, reply, `${pages}/login-error.eta`, { heading, message }, { title: heading, status });

  app.get('/company/login', {
    config: { access: access.public() },
    schema: { hide: true },
    handler: loginPage,
  });

  app.post('/company/login', {
    config: { access: access.public(), rateLimit: { max: 30, timeWindow: '1 minute' } },
    schema: { hide: true },
    handler: async (_req, reply) => {
      const { nonce, url } = await companies.startLogin();
      reply.setCookie(nonceCookie, nonce, { ...authCookieOptions(config.cookieSecure), maxAge: 300 });
      return reply.redirect(url, 303);
    },
  });

  // The wallet sends the browser back here. The nonce comes from this browser's cookie, so an
  // assertion carried to another browser is worthless; it is used up on the first try.
  app.get('/company/login/callback', {
    config: { access: access.public(), rateLimit: { max: 30, timeWindow: '1 minute' } },
    schema: { hide: true, querystring: Type.Object({ assertion: Type.Optional(Type.String({ maxLength: 16384 })), error: Type.Optional(Type.String({ maxLength: 64 })) }) },
    handler: async (req, reply) => {
      const q = req.query as { assertion?: string; error?: string };
      const nonce = req.cookies[nonceCookie];
      reply.clearCookie(nonceCookie, authCookieOptions(config.cookieSecure));
      try {
        const { token } = await companies.completeLogin({ ...q, nonce }, requestMeta(req));
        if (req.session) await destroySession(ctx.db, req.session.id);
        setSessionCookie(reply, config.cookieSecure, token);
        return reply.redirect('/company', 303);
      } catch (err) {
        if (err instanceof CompanyLoginRejected) return refusal(req, reply, err.status, '电子营业执照登录未通过', err.detail ?? err.message);
        if (err instanceof AppError && err.code === 'COMPANY_LICENCE_UNAVAILABLE') {
          return refusal(req, reply, 503, '暂时无法核验电子营业执照', '市场监管部门的电子营业执照核验服务暂时没有响应，为了安全，未核验的执照不能登录。请稍后再试。');
        }
        throw err;
      }
    },
  });

  const home = async (req: FastifyRequest, reply: FastifyReply, view: { errors?: FieldError[]; form?: Record<string, unknown>; message?: string } = {}, status = 200) => {
    const actor = req.actor;
    if (actor.kind !== 'company') throw new AppError('FORBIDDEN');
    const isRep = actor.role === 'legal_representative';
    const agents = isRep ? await companies.listAgents(actor.accountId) : [];
    const session = (req.session?.data ?? {}) as { holderName?: string; via?: string };
    return render.page(
      req,
      reply,
      `${pages}/home.eta`,
      {
        company: actor, roleName: ROLE_NAMES[actor.role], holderName: session.holderName ?? '', via: session.via ?? 'licence', isRep,
        scopeText: describeScopes(actor.scopes), agents: agents.map((a) => ({ ...a, scopeText: describeScopes(a.scopes) })),
        errors: view.errors ?? [], form: { who: '', items: '', validUntil: '', actions: ['apply', 'view'], ...view.form }, message: view.message ?? '',
      },
      { title: '法人办事', status },
    );
  };

  app.get('/company', {
    config: { access: access.company() },
    schema: { hide: true, querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) }) },
    handler: async (req, reply) => {
      const done = (req.query as { done?: string }).done;
      return home(req, reply, { message: done === 'granted' ? '已授权经办人。' : done === 'withdrawn' ? '已撤回授权，经办人正在进行的企业会话已结束。' : '' });
    },
  });

  app.post('/company/agents', {
    config: { access: access.company() },
    schema: {
      hide: true,
      body: Type.Object({
        who: Type.String({ maxLength: 40 }),
        items: Type.String({ maxLength: 4000 }),
        actions: Type.Optional(Type.Union([Type.String({ maxLength: 10 }), Type.Array(Type.String({ maxLength: 10 }), { maxItems: 4 })])),
        validUntil: Type.String({ maxLength: 20 }),
      }),
    },
    handler: async (req, reply) => {
      const body = req.body as { who: string; items: string; actions?: string | string[]; validUntil: string };
      try {
        await companies.grantAgent(req.actor, body, requestMeta(req));
      } catch (err) {
        const errors = err instanceof AppError && err.code !== 'FORBIDDEN' ? formErrors(err, 'who') : null;
        if (!errors) throw err;
        const actions = Array.isArray(body.actions) ? body.actions : body.actions ? [body.actions] : [];
        return home(req, reply, { errors, form: { ...body, actions } }, (err as AppError).status);
      }
      return reply.redirect('/company?done=granted', 303);
    },
  });

  app.post('/company/agents/:grantId/withdraw', {
    config: { access: access.company() },
    schema: { hide: true, params: GrantId },
    handler: async (req, reply) => {
      await companies.withdrawAgent(req.actor, (req.params as { grantId: string }).grantId, requestMeta(req));
      return reply.redirect('/company?done=withdrawn', 303);
    },
  });
}
