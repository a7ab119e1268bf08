// Staff pages of the licence library: the region's licences and open issue failures
// (/staff/licences), and one licence's lifecycle (/staff/licences/:identifier/manage) —
// 中止, 恢复, 延续, 注销 and 吊销 with a reason, each a plain form (no JavaScript) that calls the
// same service as the API. Neither page shows holder data: managing a licence does not need
// it, and reading it is a logged use with its own consent or legal basis.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { access, assertInRegion } from '../../platform/http/access.ts';
import { AppError, isAppError, type FieldError } from '../../platform/http/errors.ts';
import type { AppContext } from '../../platform/module.ts';
import { regionPrefix } from '../../platform/region-code.ts';
import { paginate } from '../../platform/web/pagination.ts';
import { LICENCE_MANAGERS, LICENCE_READERS as READERS, isLicenceManager, type LicenceService } from './service.ts';
import * as staffStore from './staff-store.ts';
import * as store from './store.ts';
import { recordUse } from './usage.ts';

const PAGES = 'modules/licences/pages';
const PAGE_SIZE = 30;
const page = { hide: true };
const Params = Type.Object({ identifier: Type.String({ minLength: 1, maxLength: 120 }) });
const ACTIONS = ['suspend', 'resume', 'renew', 'cancelled', 'withdrawn'] as const;
type LifecycleAction = (typeof ACTIONS)[number];
const DONE: Record<LifecycleAction, string> = { suspend: '已中止', resume: '已恢复', renew: '已延续，生成了新版本', cancelled: '已注销', withdrawn: '已吊销' };
const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

export function licenceStaffRoutes(app: FastifyInstance, ctx: AppContext, service: LicenceService): void {
  const crumbs = [{ label: '工作台', href: '/staff' }, { label: '电子证照', href: '/staff/licences' }];

  app.get('/staff/licences', {
    config: { access: access.staff(READERS) },
    schema: { ...page, querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 120 })), page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })) }) },
    handler: async (req, reply) => {
      const actor = req.actor;
      if (actor.kind !== 'staff') throw new Error('staff route');
      const query = req.query as { q?: string; page?: number };
      const q = text(query.q);
      const prefix = regionPrefix(actor.regionCode);
      const requested = query.page ?? 1;
      const { rows, total } = await staffStore.regionLicences(ctx.db, prefix, { ...(q ? { identifier: q } : {}), limit: PAGE_SIZE, offset: (requested - 1) * PAGE_SIZE });
      const href = (n: number) => `/staff/licences?${new URLSearchParams({ ...(q ? { q } : {}), page: String(n) })}`;
      return ctx.render.page(req, reply, `${PAGES}/staff-licences.eta`, {
        rows, total, q, pagination: paginate(total, requested, PAGE_SIZE, href), failures: await staffStore.openFailures(ctx.db, prefix), paper: await staffStore.paperRequests(ctx.db, prefix),
        canManage: isLicenceManager(actor),
      }, { title: '电子证照', breadcrumbs: [crumbs[0]!, { label: '电子证照' }] });
    },
  });

  async function managePage(req: FastifyRequest, reply: FastifyReply, state: { errors?: FieldError[]; values?: Record<string, string>; status?: number } = {}) {
    const identifier = (req.params as { identifier: string }).identifier;
    const { licence, version } = await service.open(identifier);
    const actor = req.actor;
    if (actor.kind !== 'staff') throw new Error('staff route');
    assertInRegion(actor, licence.region_code);
    const status = await service.statusView(identifier, licence, version);
    const done = text((req.query as { done?: string } | undefined)?.done) as LifecycleAction | '';
    return ctx.render.page(req, reply, `${PAGES}/staff-manage.eta`, {
      status, licence, events: await store.listEvents(ctx.db, licence.id), errors: state.errors ?? [], values: state.values ?? {},
      done: done && DONE[done] ? DONE[done] : null, canManage: isLicenceManager(actor),
    }, { title: `${status.typeName} ${status.current}`, status: state.status, breadcrumbs: [...crumbs, { label: status.typeName }] });
  }

  app.get('/staff/licences/:identifier/manage', {
    config: { access: access.staff(READERS) },
    schema: { ...page, params: Params, querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) }) },
    handler: (req, reply) => managePage(req, reply),
  });

  // 纸质证照: the issuing department prints the signed file the holder asked for; reading it
  // is a use the holder sees (打印纸质证照), and only a requested, valid licence can be printed.
  app.get('/staff/licences/:identifier/paper.pdf', {
    config: { access: access.staff(LICENCE_MANAGERS) },
    schema: { ...page, params: Params },
    handler: async (req, reply) => {
      const found = await store.findByIdentifier(ctx.db, (req.params as { identifier: string }).identifier);
      if (!found || found.version !== found.licence.version) throw new AppError('LICENCE_NOT_FOUND');
      assertInRegion(req.actor, found.licence.region_code);
      if (!found.licence.paper_requested_at || found.licence.status !== 'valid') throw new AppError('LICENCE_STATE_CONFLICT', { detail: '持证人没有申请纸质证照，或证照不是有效状态' });
      const bytes = await service.d.files.get(found.licence.pdf_sha256);
      if (!bytes) throw new Error(`licence file ${found.licence.pdf_sha256} missing from the file store`);
      await recordUse(ctx.db, { licenceId: found.licence.id, identifier: found.licence.identifier, kind: 'download', actor: req.actor, regionCode: found.licence.region_code, purpose: '打印纸质证照（持证人申请）' });
      return reply.type('application/pdf').header('content-disposition', `inline; filename="licence-${found.licence.identifier}.pdf"`).header('cache-control', 'private, no-store').send(bytes);
    },
  });

  app.post('/staff/licences/:identifier/manage', {
    config: { access: access.staff(LICENCE_MANAGERS) },
    schema: { ...page, params: Params, body: Type.Object({ action: Type.Optional(Type.String({ maxLength: 20 })), reason: Type.Optional(Type.String({ maxLength: 600 })) }) },
    handler: async (req, reply) => {
      const identifier = (req.params as { identifier: string }).identifier;
      const body = req.body as { action?: string; reason?: string };
      const action = body.action as LifecycleAction;
      const reason = text(body.reason);
      const values = { action, reason };
      if (!ACTIONS.includes(action)) return managePage(req, reply, { errors: [{ field: 'action', message: '请选择要执行的操作' }], values, status: 400 });
      if (reason.length < 2 || reason.length > 500) return managePage(req, reply, { errors: [{ field: 'reason', message: '请填写原因（2–500 字），它将记入证照履历' }], values, status: 400 });
      try {
        const out =
          action === 'suspend' ? await service.suspend(req.actor, identifier, reason)
          : action === 'resume' ? await service.resume(req.actor, identifier, reason)
          : action === 'renew' ? await service.renew(req.actor, identifier, reason)
          : await service.revoke(req.actor, identifier, action, reason);
        return reply.redirect(`/staff/licences/${encodeURIComponent(out.identifier)}/manage?done=${action}`, 303);
      } catch (err) {
        if (isAppError(err) && (err.code === 'LICENCE_STATE_CONFLICT' || err.code === 'LICENCE_NO_VALID_SEAL')) {
          return managePage(req, reply, { errors: [{ field: 'action', message: err.detail ?? err.message }], values, status: err.status });
        }
        throw err;
      }
    },
  });
}
