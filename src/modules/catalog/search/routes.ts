// HTTP for catalogue search: the public search API, the synonym administration API, the
// staff search-statistics page and the public zero-result statistics page.
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { access, type StaffRole } from '../../../platform/http/access.ts';
import type { AppContext } from '../../../platform/module.ts';
import type { RegionService } from '../../regions/index.ts';
import { CatalogSearch, PAGE_SIZE } from './service.ts';

const tags = ['catalog-search'];
const pages = 'modules/catalog/search/pages';
const ADMINS: StaffRole[] = ['platform_admin', 'region_admin'];

export const SearchQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100, description: '群众自己的说法，如“开饭店”“shipin”“spjy”' })),
  region: Type.Optional(Type.String({ maxLength: 12, description: '所在区划代码；也返回上级（市、省）实施的事项' })),
  department: Type.Optional(Type.String({ maxLength: 40, description: '部门类型代码，如 market_regulation' })),
  audience: Type.Optional(Type.String({ maxLength: 10, description: 'person 个人 / company 法人' })),
  theme: Type.Optional(Type.String({ maxLength: 40, description: '主题代码，如 birth' })),
  noVisit: Type.Optional(Type.Boolean({ description: 'true：只看不见面办理（到现场 0 次）' })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 1 })),
});

const ResultSchema = Type.Object({
  implementationId: Type.String({ format: 'uuid', description: '实施清单 id；办事指南在 /guides/{implementationId}' }),
  name: Type.String(),
  snippet: Type.String({ description: '事项名称，HTML 已转义，匹配词用 <mark> 标出' }),
  orgId: Type.Union([Type.String(), Type.Null()]),
  orgName: Type.Union([Type.String(), Type.Null()]),
  regionCode: Type.String(),
  regionName: Type.String(),
  visits: Type.Integer({ description: '到现场次数（0 = 不见面）' }),
  online: Type.Boolean({ description: '全程网办' }),
  departmentType: Type.String(),
});

const SearchResponseSchema = Type.Object({
  query: Type.String(),
  normalised: Type.String(),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  results: Type.Array(ResultSchema),
  corrections: Type.Array(Type.Object({ from: Type.String(), to: Type.String() }), { description: '按错别字纠正的词' }),
  synonyms: Type.Array(Type.String(), { description: '按同义说法理解的短语' }),
});

const SynonymSchema = Type.Object({ id: Type.Integer(), phrase: Type.String(), terms: Type.Array(Type.String()) });

export function searchRoutes(app: FastifyInstance, ctx: AppContext, regions: RegionService): void {
  const search = new CatalogSearch(ctx.db, regions);

  app.get('/api/v1/catalog/search', {
    config: { access: access.public() },
    schema: { tags, summary: '搜索已发布的服务事项（同义说法、拼音、首字母、错别字纠正；区划向上继承）', querystring: SearchQuery, response: { 200: SearchResponseSchema } },
    handler: async (req) => search.search({ ...(req.query as object), pageSize: PAGE_SIZE }),
  });

  app.get('/api/v1/catalog/search/synonyms', {
    config: { access: access.staff([...ADMINS, 'auditor']) },
    schema: { tags, summary: '同义词（群众说法 → 规范事项名称）', response: { 200: Type.Array(SynonymSchema) } },
    handler: async () => (await search.synonyms()).map((s) => ({ id: s.id, phrase: s.phrase, terms: s.terms })),
  });

  app.post('/api/v1/catalog/search/synonyms', {
    config: { access: access.staff(ADMINS) },
    schema: {
      tags,
      summary: '新增同义词',
      body: Type.Object({ phrase: Type.String({ minLength: 2, maxLength: 40 }), terms: Type.Array(Type.String({ minLength: 2, maxLength: 100 }), { minItems: 1, maxItems: 10 }) }),
      response: { 201: SynonymSchema },
    },
    handler: async (req, reply) => reply.code(201).send(await search.addSynonym(req.body as { phrase: string; terms: string[] }, req.actor)),
  });

  app.delete('/api/v1/catalog/search/synonyms/:id', {
    config: { access: access.staff(ADMINS) },
    schema: { tags, summary: '删除同义词', params: Type.Object({ id: Type.Integer({ minimum: 1 }) }) },
    handler: async (req, reply) => {
      await search.removeSynonym((req.params as { id: number }).id, req.actor);
      return reply.code(204).send();
    },
  });

  app.get('/admin/catalog/search-stats', {
    config: { access: access.staff([...ADMINS, 'auditor']) },
    schema: { hide: true },
    handler: async (req, reply) => {
      const stats = await search.stats(30);
      return ctx.render.page(req, reply, `${pages}/search-stats.eta`, { stats }, { title: '搜索统计', breadcrumbs: [{ label: '工作台', href: '/staff' }, { label: '搜索统计' }] });
    },
  });

  app.get('/statistics/search', {
    config: { access: access.public() },
    schema: { hide: true },
    handler: async (req, reply) => {
      const stats = await search.stats(30);
      return ctx.render.page(req, reply, `${pages}/statistics.eta`, { stats }, { title: '搜索无结果率', breadcrumbs: [{ label: '首页', href: '/' }, { label: '搜索无结果率' }] });
    },
  });
}
