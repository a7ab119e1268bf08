// Public pages for browsing the catalogue without a query: life-event themes (主题) and
// flagship stores (旗舰店) per region and per department, plus the village page that lists
// what can be done nearby. All server-rendered, all public.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { access } from '../../../platform/http/access.ts';
import { AppError } from '../../../platform/http/errors.ts';
import type { AppContext } from '../../../platform/module.ts';
import { REGION_COOKIE } from '../../../platform/web/render.ts';
import type { Region, RegionService } from '../../regions/index.ts';
import type { CatalogService } from '../service.ts';
import { CatalogSearch } from '../search/index.ts';
import { allThemes, findTheme, StoreService } from './service.ts';

const pages = 'modules/catalog/stores/pages';
const home = { label: '首页', href: '/' };
const ThemeParams = Type.Object({ code: Type.String({ maxLength: 40 }) });
const ThemeQuery = Type.Object({ region: Type.Optional(Type.String({ maxLength: 20 })) });
const StoreParams = Type.Object({ regionCode: Type.String({ maxLength: 20 }) });
const OrgParams = Type.Object({ orgId: Type.String({ maxLength: 64 }) });

/** "南京市玄武区" for a county: the names below the province, as the header shows them. */
function fullName(path: Region[]): string {
  const named = path.filter((r) => r.level >= 2);
  return (named.length ? named : path).map((r) => r.name).join('');
}

export function storeRoutes(app: FastifyInstance, ctx: AppContext, catalog: CatalogService, regions: RegionService): void {
  const { render, config } = ctx;
  const stores = new StoreService(catalog, new CatalogSearch(ctx.db, regions), regions);
  const regionCrumbs = (path: Region[]) => path.filter((r) => r.code !== '100000').map((r) => ({ label: r.name, href: r.level < 2 ? `/regions/${r.code}` : `/stores/${r.code}` }));

  /** The visitor's region: ?region= when given, else the switcher's cookie, else the node's. */
  async function visitorRegion(req: FastifyRequest): Promise<Region[]> {
    const asked = (req.query as { region?: string }).region;
    if (asked) {
      await stores.region(asked);
      return stores.path(asked);
    }
    const cookie = req.cookies[REGION_COOKIE];
    if (cookie) {
      const path = await stores.region(cookie).then(() => stores.path(cookie)).catch(() => null);
      if (path) return path;
    }
    return stores.path(config.nodeRegionCode);
  }

  app.get('/themes', {
    config: { access: access.public() },
    schema: { hide: true },
    handler: async (req, reply) => {
      const themes = allThemes();
      const data = { person: themes.filter((t) => t.audience === 'person'), company: themes.filter((t) => t.audience === 'company') };
      return render.page(req, reply, `${pages}/themes.eta`, data, { title: '主题服务', breadcrumbs: [home, { label: '主题服务' }] });
    },
  });

  app.get('/themes/:code', {
    config: { access: access.public() },
    schema: { hide: true, params: ThemeParams, querystring: ThemeQuery },
    handler: async (req, reply) => {
      const theme = findTheme((req.params as { code: string }).code);
      const path = await visitorRegion(req);
      const region = path[path.length - 1]!;
      const items = await stores.themeItems(theme.code, region.code);
      const data = { theme, region, regionName: fullName(path), items };
      return render.page(req, reply, `${pages}/theme.eta`, data, { title: `${theme.name}主题服务`, breadcrumbs: [home, { label: '主题服务', href: '/themes' }, { label: theme.name }] });
    },
  });

  app.get('/stores/:regionCode', {
    config: { access: access.public() },
    schema: { hide: true, params: StoreParams },
    handler: async (req, reply) => {
      const { regionCode } = req.params as { regionCode: string };
      const region = await stores.region(regionCode);
      const path = await stores.path(regionCode);
      const breadcrumbs = [home, ...regionCrumbs(path).slice(0, -1), { label: `${region.name}旗舰店` }];
      if (region.level === 5) {
        const village = await stores.villageItems(path);
        return render.page(req, reply, `${pages}/village.eta`, { region, regionName: fullName(path), ...village }, { title: `${region.name}就近办理`, breadcrumbs });
      }
      if (region.level < 2) throw new AppError('NOT_FOUND', { detail: '旗舰店按市、县（市、区）、乡镇（街道）和村（社区）开设' });
      const items = await stores.implementations([regionCode]);
      const [groups, hot, halls] = await Promise.all([stores.byDepartment(items), stores.hot(regionCode), stores.halls(regionCode)]);
      const data = { region, regionName: fullName(path), total: items.length, groups, hot, halls };
      return render.page(req, reply, `${pages}/store.eta`, data, { title: `${region.name}旗舰店`, breadcrumbs });
    },
  });

  app.get('/stores/org/:orgId', {
    config: { access: access.public() },
    schema: { hide: true, params: OrgParams },
    handler: async (req, reply) => {
      const org = await stores.organisation((req.params as { orgId: string }).orgId);
      const path = await stores.path(org.regionCode);
      const region = path[path.length - 1]!;
      const items = await stores.implementations([org.regionCode], org.id);
      const [group] = await stores.byDepartment(items);
      const breadcrumbs = [home, ...regionCrumbs(path), { label: org.name }];
      return render.page(req, reply, `${pages}/org.eta`, { org, region, regionName: fullName(path), group: group ?? null }, { title: `${org.name}旗舰店`, breadcrumbs });
    },
  });
}
