// The message pages: /account/messages (citizens), /company/messages (companies) and
// /staff/messages (staff). Each lists only the signed-in account's own messages; opening one
// marks it read; "全部标为已读" is a CSRF-protected form post that works without JavaScript.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { access, type AccessRule } from '../../platform/http/access.ts';
import { AppError } from '../../platform/http/errors.ts';
import type { AppContext } from '../../platform/module.ts';
import { paginate } from '../../platform/web/pagination.ts';
import { countMessages, listMessages, markAllRead, openMessage, type Recipient, type RecipientKind } from './store.ts';

const PAGES = 'modules/notifications/pages';
const PAGE_SIZE = 20;

interface Audience {
  kind: RecipientKind;
  base: string;
  rule: AccessRule;
  home: { label: string; href: string };
}

export const AUDIENCES: Audience[] = [
  { kind: 'citizen', base: '/account/messages', rule: access.citizen(1), home: { label: '用户中心', href: '/account' } },
  { kind: 'company', base: '/company/messages', rule: access.company(), home: { label: '法人空间', href: '/company' } },
  { kind: 'staff', base: '/staff/messages', rule: access.staff([]), home: { label: '工作台', href: '/staff' } },
];

export function recipientOf(req: FastifyRequest, kind: RecipientKind): Recipient {
  const actor = req.actor;
  if (actor.kind !== kind) throw new AppError('FORBIDDEN');
  return { kind, accountId: actor.accountId };
}

export function messageRoutes(app: FastifyInstance, ctx: AppContext): void {
  for (const a of AUDIENCES) {
    const crumbs = [{ label: '首页', href: '/' }, a.home, { label: '我的消息', href: a.base }];

    app.get(a.base, {
      config: { access: a.rule },
      schema: { hide: true, querystring: Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })), done: Type.Optional(Type.String({ maxLength: 4 })) }) },
      handler: async (req, reply) => {
        const who = recipientOf(req, a.kind);
        const query = req.query as { page?: number; done?: string };
        const counts = await countMessages(ctx.db, who);
        const pagination = paginate(counts.total, query.page ?? 1, PAGE_SIZE, (n) => `${a.base}?page=${n}`);
        const messages = await listMessages(ctx.db, who, { limit: PAGE_SIZE, offset: (pagination.page - 1) * PAGE_SIZE });
        return ctx.render.page(req, reply, `${PAGES}/list.eta`, { base: a.base, messages, counts, pagination, csrf: req.csrfToken(reply), done: query.done === '1' }, { title: '我的消息', breadcrumbs: crumbs });
      },
    });

    app.post(`${a.base}/read-all`, {
      config: { access: a.rule },
      schema: { hide: true, body: Type.Object({}) },
      handler: async (req, reply) => {
        await markAllRead(ctx.db, recipientOf(req, a.kind));
        return reply.redirect(`${a.base}?done=1`, 303);
      },
    });

    app.get(`${a.base}/:id`, {
      config: { access: a.rule },
      schema: { hide: true, params: Type.Object({ id: Type.String({ maxLength: 64 }) }) },
      handler: async (req, reply) => {
        const message = await openMessage(ctx.db, recipientOf(req, a.kind), (req.params as { id: string }).id);
        return ctx.render.page(req, reply, `${PAGES}/message.eta`, { base: a.base, message }, { title: message.title, breadcrumbs: crumbs });
      },
    });
  }
}
