// Staff pages under /admin/sso/clients: register a client system (its secret shown once),
// list the ones in the staff member's region, revoke one.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { access, assertInRegion, type RealNameLevel, type StaffRole } from '../../platform/http/access.ts';
import { AppError, isAppError, type FieldError } from '../../platform/http/errors.ts';
import type { AppContext } from '../../platform/module.ts';
import { LEVEL_NAMES } from '../identity/index.ts';
import { createClient, revokeSsoClient } from './service.ts';
import { findClient, listClients } from './store.ts';
import { OIDC_PREFIX } from './provider.ts';

const PAGES = 'modules/sso/pages';
const MANAGERS: StaffRole[] = ['platform_admin', 'region_admin'];
const CRUMBS = [{ label: '首页', href: '/' }, { label: '单点登录业务系统', href: '/admin/sso/clients' }];
const ClientForm = Type.Object({
  name: Type.String({ maxLength: 200 }),
  redirectUris: Type.String({ maxLength: 4000 }),
  postLogoutRedirectUris: Type.Optional(Type.String({ maxLength: 4000 })),
  backchannelLogoutUri: Type.Optional(Type.String({ maxLength: 500 })),
  minLevel: Type.String({ pattern: '^[1-5]$' }),
  clientType: Type.Union([Type.Literal('confidential'), Type.Literal('public')]),
});
type ClientFormBody = { name: string; redirectUris: string; postLogoutRedirectUris?: string; backchannelLogoutUri?: string; minLevel: string; clientType: 'confidential' | 'public' };

function staffOf(req: FastifyRequest) {
  if (req.actor.kind !== 'staff') throw new AppError('FORBIDDEN');
  return req.actor;
}
const lines = (s: string | undefined) => (s ?? '').split(/\r?\n/).map((l) => l.trim()).filter(Boolean);

export function adminRoutes(app: FastifyInstance, ctx: AppContext): void {
  const levels = Object.entries(LEVEL_NAMES).map(([value, label]) => ({ value, label }));
  const showList = async (req: FastifyRequest, reply: FastifyReply, extra: { errors?: FieldError[]; form?: Partial<ClientFormBody>; created?: { clientId: string; secret: string | null; name: string } }, status = 200) => {
    const staff = staffOf(req);
    const clients = await listClients(ctx.db, staff.regionCode.replace(/0+$/, ''));
    return ctx.render.page(
      req,
      reply,
      `${PAGES}/clients.eta`,
      { clients, levels, levelNames: LEVEL_NAMES, csrf: req.csrfToken(reply), errors: extra.errors ?? [], form: extra.form ?? { minLevel: '2', clientType: 'confidential' }, created: extra.created ?? null, discovery: `${ctx.config.publicUrl}${OIDC_PREFIX}/.well-known/openid-configuration` },
      { title: '单点登录业务系统', breadcrumbs: CRUMBS, status },
    );
  };

  app.get('/admin/sso/clients', { config: { access: access.staff(MANAGERS) }, schema: { hide: true }, handler: (req, reply) => showList(req, reply, {}) });

  app.post('/admin/sso/clients', {
    config: { access: access.staff(MANAGERS) },
    schema: { hide: true, body: ClientForm },
    handler: async (req, reply) => {
      const staff = staffOf(req);
      const body = req.body as ClientFormBody;
      try {
        const created = await createClient(
          ctx.db,
          ctx.config.secrets.dataKey,
          staff,
          {
            name: body.name,
            redirectUris: lines(body.redirectUris),
            postLogoutRedirectUris: lines(body.postLogoutRedirectUris),
            backchannelLogoutUri: body.backchannelLogoutUri ?? null,
            minLevel: Number(body.minLevel) as RealNameLevel,
            regionCode: staff.regionCode,
            confidential: body.clientType === 'confidential',
          },
          req.id,
        );
        // The secret is shown on this response only: it is never displayed again.
        return showList(req, reply, { created: { ...created, name: body.name.trim() } }, 201);
      } catch (err) {
        if (isAppError(err) && err.code === 'SSO_CLIENT_INVALID') return showList(req, reply, { errors: err.errors ?? [], form: body }, 400);
        throw err;
      }
    },
  });

  app.post('/admin/sso/clients/:clientId/revoke', {
    config: { access: access.staff(MANAGERS) },
    schema: { hide: true, params: Type.Object({ clientId: Type.String({ maxLength: 64 }) }), body: Type.Object({}) },
    handler: async (req, reply) => {
      const staff = staffOf(req);
      const { clientId } = req.params as { clientId: string };
      const client = await findClient(ctx.db, clientId);
      if (!client) throw new AppError('SSO_CLIENT_NOT_FOUND');
      assertInRegion(staff, client.regionCode);
      await revokeSsoClient(ctx.db, staff, clientId, req.id);
      return reply.redirect('/admin/sso/clients', 303);
    },
  });
}
