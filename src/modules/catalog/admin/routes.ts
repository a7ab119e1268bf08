// Staff pages of the catalogue under /admin/catalog: the entry list, one entry with its
// versions and lifecycle buttons (plain POST forms), and the 三级四同 consistency report.
// Everything is region-scoped: lists by the query's region, entries by their own region.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { access, assertInRegion } from '../../../platform/http/access.ts';
import { AppError, type FieldError } from '../../../platform/http/errors.ts';
import type { AppContext } from '../../../platform/module.ts';
import { paginate, pageSlice } from '../../../platform/web/pagination.ts';
import { regionPrefix } from '../../../platform/region-code.ts';
import type { RegionService } from '../../regions/index.ts';
import type { CatalogService } from '../service.ts';
import { consistencyReport } from '../report.ts';
import { describeDeviation } from '../consistency.ts';
import type { BasicItemContent, ImplementationContent } from '../schemas.ts';
import type { EntryKind, EntryStatus } from '../store.ts';
import { editRoutes } from './edit-routes.ts';
import { transferRoutes } from './transfer-routes.ts';
import { synonymRoutes } from './synonyms.ts';
import { adminCrumb, ADMIN_READERS, EDITORS, home, hasRole, labels, PAGES, page, pageErrors, REVIEWERS, showValue, staffOf } from './view.ts';

const REGION = Type.Optional(Type.String({ pattern: '^\\d{6}(\\d{3}){0,2}$' }));
const ListQuery = Type.Object({
  kind: Type.Optional(Type.Union([Type.Literal('basic_item'), Type.Literal('implementation')])),
  status: Type.Optional(Type.Union([Type.Literal(''), Type.Literal('draft'), Type.Literal('in_review'), Type.Literal('published'), Type.Literal('withdrawn')])),
  region: REGION,
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
});
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const ActionForm = Type.Object({ note: Type.Optional(Type.String({ maxLength: 1000 })), lockVersion: Type.Optional(Type.String({ pattern: '^\\d{1,9}$' })) });
const DONE: Record<string, string> = { submit: '已提交审核', approve: '已审核通过并发布', reject: '已退回（审核不通过）', withdraw: '已取消发布', saved: '已保存为新的草稿版本', created: '已新建草稿' };
const PAGE_SIZE = 40;

/** Registers every catalogue admin page in one plugin scope (the import's body parsers stay inside it). */
export function catalogAdminRoutes(app: FastifyInstance, ctx: AppContext, catalog: CatalogService, regions: RegionService): void {
  app.register(async (scope) => {
    listRoutes(scope, ctx, catalog, regions);
    editRoutes(scope, ctx, catalog, regions);
    transferRoutes(scope, ctx, regions);
    synonymRoutes(scope, ctx, regions);
  });
}

function listRoutes(app: FastifyInstance, ctx: AppContext, catalog: CatalogService, regions: RegionService): void {
  const { render } = ctx;
  const orgNames = async (ids: (string | null)[]) => {
    const names: Record<string, string> = {};
    for (const id of new Set(ids.filter((x): x is string => !!x))) names[id] = await regions.organisation(id).then((o) => o.name, () => id);
    return names;
  };

  app.get('/admin/catalog', {
    config: { access: access.staff(ADMIN_READERS, (req) => (req.query as { region?: string }).region) },
    schema: { ...page, querystring: ListQuery },
    handler: async (req, reply) => {
      const staff = staffOf(req);
      const q = req.query as { kind?: EntryKind; status?: EntryStatus | ''; region?: string; page?: number };
      const kind = q.kind ?? 'implementation';
      const regionCode = q.region ?? staff.regionCode;
      const region = await regions.get(regionCode);
      const rows = await catalog.list({ kind, regionPrefix: regionPrefix(regionCode), ...(q.status ? { status: q.status } : {}) }, 'working', 5000);
      const params = (n: number) => `/admin/catalog?${new URLSearchParams({ kind, region: regionCode, ...(q.status ? { status: q.status } : {}), ...(n > 1 ? { page: String(n) } : {}) })}`;
      const pagination = paginate(rows.length, q.page ?? 1, PAGE_SIZE, params);
      const shown = pageSlice(rows, pagination, PAGE_SIZE);
      const entries = shown.map((r) => ({ id: r.id, code: r.code, name: (r.content as { name: string }).name, regionCode: r.region_code, orgId: r.org_id, status: r.status, workingState: r.version_state, needsReview: r.needs_review }));
      return render.page(
        req,
        reply,
        `${PAGES}/list.eta`,
        { entries, orgs: await orgNames(entries.map((e) => e.orgId)), kind, status: q.status ?? '', region, pagination, labels, canEdit: hasRole(req, EDITORS), canSearchAdmin: hasRole(req, ['platform_admin', 'region_admin', 'auditor']), isProvince: /0000$/.test(staff.regionCode) },
        { title: `${labels.kind[kind]}管理`, breadcrumbs: [home, { label: '事项管理' }] },
      );
    },
  });

  async function entryPage(req: FastifyRequest, reply: FastifyReply, id: string, extra: { errors?: FieldError[]; status?: number; notes?: Record<string, string> } = {}) {
    const entry = await catalog.get(id);
    assertInRegion(req.actor, entry.regionCode);
    const [published, versions] = await Promise.all([catalog.published(id), catalog.versions(id)]);
    let deviations: string[] = [];
    let org: string | null = null;
    if (entry.kind === 'implementation') {
      deviations = await catalog.deviations(entry.content as ImplementationContent).then((d) => d.map(describeDeviation), () => []);
      org = (await orgNames([entry.orgId]))[entry.orgId!] ?? null;
    }
    const region = await regions.get(entry.regionCode);
    const done = (req.query as { done?: string }).done;
    const can = {
      edit: hasRole(req, EDITORS) && entry.workingState !== 'in_review' && entry.status !== 'withdrawn',
      submit: hasRole(req, EDITORS) && entry.workingState === 'draft',
      review: hasRole(req, REVIEWERS) && entry.workingState === 'in_review',
      withdraw: hasRole(req, REVIEWERS) && entry.status === 'published',
    };
    const name = (entry.content as BasicItemContent).name;
    return render.page(
      req,
      reply,
      `${PAGES}/entry.eta`,
      { entry, published: published && published.entry.published_version !== entry.workingVersion ? { version: published.entry.published_version, content: published.content } : null, versions, deviations, org, region, can, labels, showValue, done: done ? DONE[done] : null, errors: extra.errors ?? [], notes: extra.notes ?? {} },
      { title: name, status: extra.status, breadcrumbs: [home, adminCrumb, { label: name }] },
    );
  }

  app.get('/admin/catalog/entries/:id', {
    config: { access: access.staff(ADMIN_READERS) },
    schema: { ...page, params: IdParams, querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) }) },
    handler: async (req, reply) => entryPage(req, reply, (req.params as { id: string }).id),
  });

  for (const action of ['submit', 'approve', 'reject', 'withdraw'] as const) {
    app.post(`/admin/catalog/entries/:id/${action}`, {
      config: { access: access.staff(action === 'submit' ? EDITORS : REVIEWERS) },
      schema: { ...page, params: IdParams, body: ActionForm },
      handler: async (req, reply) => {
        const { id } = req.params as { id: string };
        const body = (req.body ?? {}) as { note?: string; lockVersion?: string };
        const note = body.note?.trim() ?? '';
        const anchor = action === 'reject' || action === 'withdraw' ? `${action}-note` : 'actions';
        try {
          if ((action === 'reject' || action === 'withdraw') && !note) throw new AppError('VALIDATION_FAILED', { errors: [{ field: anchor, message: action === 'reject' ? '请填写退回理由' : '请填写取消理由' }] });
          const lock = body.lockVersion ? Number(body.lockVersion) : undefined;
          if (action === 'submit') await catalog.submit(id, req.actor, lock);
          else if (action === 'approve') await catalog.approve(id, req.actor, note || null);
          else if (action === 'reject') await catalog.reject(id, req.actor, note);
          else await catalog.withdraw(id, req.actor, note);
        } catch (err) {
          const shown = pageErrors(err, anchor);
          if (!shown) throw err;
          // Field errors already name the textarea; keep their message without the JSON path.
          const errors = shown.code === 'VALIDATION_FAILED' ? shown.errors.map((e) => ({ field: anchor, message: e.message.replace(/^[^：]*：/, '') })) : shown.errors;
          return entryPage(req, reply, id, { errors, status: shown.status, notes: { [action]: note } });
        }
        return reply.redirect(`/admin/catalog/entries/${id}?done=${action}`, 303);
      },
    });
  }

  app.get('/admin/catalog/consistency', {
    config: { access: access.staff(['platform_admin', 'region_admin', 'dept_admin', 'auditor'], (req) => (req.query as { region?: string }).region) },
    schema: { ...page, querystring: Type.Object({ region: REGION }) },
    handler: async (req, reply) => {
      const staff = staffOf(req);
      const regionCode = (req.query as { region?: string }).region ?? staff.regionCode;
      const [region, report] = await Promise.all([regions.get(regionCode), consistencyReport(ctx.db, regions, regionCode, null)]);
      return render.page(req, reply, `${PAGES}/consistency.eta`, { region, report }, { title: `${region.name}三级四同一致性报告`, breadcrumbs: [home, adminCrumb, { label: '一致性报告' }] });
    },
  });
}
