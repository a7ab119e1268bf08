// The citizen portal's pages: home, region pages, the region switcher, catalogue search
// and the elder-friendly display toggle. All public, all server-rendered.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { access } from '../../platform/http/access.ts';
import type { AppContext } from '../../platform/module.ts';
import { ELDER_COOKIE, REGION_COOKIE } from '../../platform/web/render.ts';
import { safeLocalPath } from '../../platform/web/redirect.ts';
import { commonTasks, type PortalService } from './service.ts';
import { CatalogSearch, DEPARTMENT_TYPES, THEMES } from '../catalog/index.ts';
import { RegionService } from '../regions/index.ts';
import { paginate } from '../../platform/web/pagination.ts';

const pages = 'modules/portal/pages';
const YEAR_SECONDS = 365 * 24 * 3600;
const page = { hide: true };

const RegionParams = Type.Object({ code: Type.String({ maxLength: 20 }) });
const RegionQuery = Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })) });
const SwitchQuery = Type.Object({ code: Type.String({ maxLength: 20 }) });
const SearchQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100 })),
  scope: Type.Optional(Type.Union([Type.Literal('region'), Type.Literal('all')])),
  department: Type.Optional(Type.String({ maxLength: 40 })),
  audience: Type.Optional(Type.String({ maxLength: 10 })),
  theme: Type.Optional(Type.String({ maxLength: 40 })),
  noVisit: Type.Optional(Type.String({ maxLength: 5 })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
});
const ElderForm = Type.Object({
  elder: Type.Union([Type.Literal('1'), Type.Literal('0')]),
  next: Type.Optional(Type.String({ maxLength: 512 })),
});

export function portalRoutes(app: FastifyInstance, ctx: AppContext, portal: PortalService): void {
  const { render, config } = ctx;
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: config.cookieSecure, maxAge: YEAR_SECONDS };
  const home = { label: '首页', href: '/' };

  render.useShell((req) => portal.shell(req.cookies[REGION_COOKIE]));

  app.get('/', {
    config: { access: access.public() },
    schema: page,
    handler: async (req, reply) => {
      const [node, children, chosen] = await Promise.all([portal.nodeRegion(), portal.nodeChildren(), portal.chosenRegion(req.cookies[REGION_COOKIE])]);
      const taskRegion = chosen ?? { code: node.code, name: node.name };
      return render.page(req, reply, `${pages}/home.eta`, { node, children, chosen, tasks: commonTasks(taskRegion.code, taskRegion.name) }, { title: '首页' });
    },
  });

  app.get('/regions/:code', {
    config: { access: access.public() },
    schema: { ...page, params: RegionParams, querystring: RegionQuery },
    handler: async (req, reply) => {
      const { code } = req.params as { code: string };
      const data = await portal.regionPage(code, (req.query as { page?: number }).page ?? 1);
      const breadcrumbs = [home, ...data.path.map((r) => ({ label: r.name, href: `/regions/${r.code}` }))];
      return render.page(req, reply, `${pages}/region.eta`, { ...data, chosenCode: req.cookies[REGION_COOKIE] ?? null }, { title: data.region.name, breadcrumbs });
    },
  });

  // The header's region switcher: a plain GET form, so it works without JavaScript.
  app.get('/region', {
    config: { access: access.public() },
    schema: { ...page, querystring: SwitchQuery },
    handler: async (req, reply: FastifyReply) => {
      const { code } = req.query as { code: string };
      const chosen = await portal.chosenRegion(code);
      if (!chosen) {
        // Let the region page explain what is wrong (malformed code 400, unknown region 404).
        await portal.regionPage(code, 1);
      }
      reply.setCookie(REGION_COOKIE, code, cookieOptions);
      return reply.redirect(`/regions/${code}`, 303);
    },
  });

  // Catalogue search with filters as a plain GET form, so it works without JavaScript.
  const search = new CatalogSearch(ctx.db, new RegionService(ctx.db));
  app.get('/search', {
    config: { access: access.public() },
    schema: { ...page, querystring: SearchQuery },
    handler: async (req, reply) => {
      const query = req.query as { q?: string; scope?: 'region' | 'all'; department?: string; audience?: string; theme?: string; noVisit?: string; page?: number };
      const q = (query.q ?? '').trim();
      const [node, chosen] = await Promise.all([portal.nodeRegion(), portal.chosenRegion(req.cookies[REGION_COOKIE])]);
      const region = chosen ?? { code: node.code, name: node.name };
      const filters = { scope: query.scope ?? 'region', department: query.department ?? '', audience: query.audience ?? '', theme: query.theme ?? '', noVisit: query.noVisit === '1' };
      const filtered = Boolean(filters.department || filters.audience || filters.theme || filters.noVisit);
      const found =
        q || filtered
          ? await search.search({ q, region: filters.scope === 'region' && chosen ? chosen.code : undefined, department: filters.department, audience: filters.audience, theme: filters.theme, noVisit: filters.noVisit, page: query.page ?? 1 })
          : null;
      const params = (n: number) => {
        const u = new URLSearchParams();
        if (q) u.set('q', q);
        for (const k of ['scope', 'department', 'audience', 'theme'] as const) if (query[k]) u.set(k, query[k]!);
        if (filters.noVisit) u.set('noVisit', '1');
        if (n > 1) u.set('page', String(n));
        return `/search?${u.toString()}`;
      };
      const pagination = found ? paginate(found.total, found.page, found.pageSize, params) : null;
      const tasks = commonTasks(region.code, region.name);
      return render.page(req, reply, `${pages}/search.eta`, { q, region, chosen, tasks, found, pagination, filters, departments: DEPARTMENT_TYPES, themes: THEMES }, { title: q ? `搜索：${q}` : '搜索服务', breadcrumbs: [home, { label: '搜索服务' }] });
    },
  });

  // 长辈版 on/off: a form post (with CSRF) that works without JavaScript and returns the
  // visitor to the page they were on.
  app.post('/preferences/elder', {
    config: { access: access.public() },
    schema: { ...page, body: ElderForm },
    handler: async (req, reply) => {
      const body = req.body as { elder: '1' | '0'; next?: string };
      if (body.elder === '1') reply.setCookie(ELDER_COOKIE, '1', cookieOptions);
      else reply.clearCookie(ELDER_COOKIE, { path: '/' });
      return reply.redirect(safeLocalPath(body.next, '/'), 303);
    },
  });
}
