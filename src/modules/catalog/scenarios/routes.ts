// 一件事 over HTTP: the public API (list, bundle for a region), the administrators' API
// (define, edit with lockVersion), and the public pages /scenarios and /scenarios/{code}.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { access, type StaffRole } from '../../../platform/http/access.ts';
import { AppError } from '../../../platform/http/errors.ts';
import type { AppContext } from '../../../platform/module.ts';
import { isWellFormedRegionCode } from '../../../platform/region-code.ts';
import { REGION_COOKIE } from '../../../platform/web/render.ts';
import type { RegionService } from '../../regions/index.ts';
import type { CatalogService } from '../service.ts';
import { formatFen, visitsText, workingDaysText } from '../guides/guide.ts';
import { ScenarioInput, ScenarioUpdate } from './schema.ts';
import { ScenarioService, type Bundle } from './service.ts';

const tags = ['catalog'];
const pages = 'modules/catalog/scenarios/pages';
const ADMINS: StaffRole[] = ['platform_admin', 'region_admin'];
const READERS: StaffRole[] = ['platform_admin', 'region_admin', 'dept_admin', 'auditor', 'approver', 'window_clerk'];
const CodeParams = Type.Object({ code: Type.String({ maxLength: 40 }) });
const RegionQuery = Type.Object({ region: Type.Optional(Type.String({ pattern: '^\\d{6}(\\d{3}){0,2}$', description: '行政区划代码；缺省为本节点区划' })) });
const ListQuery = Type.Object({ audience: Type.Optional(Type.Union([Type.Literal('person'), Type.Literal('company')])) });
const FORMS = { original: '原件', copy: '复印件', electronic: '电子件' } as const;

const ScenarioSchema = Type.Object({
  id: Type.String(),
  code: Type.String(),
  regionCode: Type.String(),
  name: Type.String(),
  audience: Type.String(),
  theme: Type.String(),
  themeName: Type.String(),
  description: Type.String(),
  status: Type.String({ description: 'draft 草稿 / published 已发布' }),
  lockVersion: Type.Integer(),
  updatedAt: Type.String({ format: 'date-time' }),
  members: Type.Array(Type.Object({ position: Type.Integer(), basicItemId: Type.String(), key: Type.String({ description: '基本编码，合并表单和材料中用它指称本事项' }), name: Type.String(), departmentType: Type.String(), departmentName: Type.String(), note: Type.String() })),
});

/** What a field asks for, in words: 文本、日期、选项（男/女）… */
function fieldKind(schema: Record<string, unknown>): string {
  if (Array.isArray(schema.enum)) return `选项：${(schema.enum as unknown[]).map(String).join(' / ')}`;
  if (schema.format === 'date') return '日期';
  if (schema.format === 'email') return '电子邮箱';
  switch (schema.type) {
    case 'integer':
      return '整数';
    case 'number':
      return '数字';
    case 'boolean':
      return '是 / 否';
    case 'array':
      return '多项';
    case 'object':
      return '一组信息';
    default:
      return '文字';
  }
}

/** Where an exempt material comes from: 电子证照（id_card）、数据共享（公安人口户籍信息）. */
function exemptText(m: { licenceTypes: string[]; dataResources: string[] }): string {
  const via = [...m.licenceTypes.map((t) => `电子证照 ${t}`), ...m.dataResources.map((d) => `数据共享：${d}`)];
  return `免提交，由平台获取（${via.join('；')}）`;
}

/** The bundle as the page reads it: every sentence worded here, the template only lays out. */
function pageModel(bundle: Bundle) {
  const names = new Map(bundle.members.map((m) => [m.key, m.name]));
  const t = bundle.totals;
  return {
    bundle,
    steps: bundle.members.map((m, i) => ({ ...m, order: i + 1, promisedText: m.implementation ? workingDaysText(m.implementation.promisedLimitDays) : '', visitsText: m.implementation ? visitsText(m.implementation.visits) : '' })),
    materials: bundle.materials.map((m) => ({
      ...m,
      formText: `${FORMS[m.form]} ${m.count} 份`,
      sourceText: m.exempt ? exemptText(m) : m.partlyExempt ? '部分部门可通过电子证照或数据共享获取，其余部门须提交' : '申请人提交',
      who: [...new Set(m.neededBy.map((n) => n.itemName))],
    })),
    conflicts: bundle.form.conflicts.map((c) => ({ ...c, titles: c.variants.map((v) => bundle.form.fields.find((f) => f.name === v.name)?.title ?? v.name) })),
    fields: bundle.form.fields.map((f) => ({ ...f, kind: fieldKind(f.schema), who: [...new Set(f.feeds.map((x) => names.get(x.memberKey) ?? x.memberKey))] })),
    totals: {
      ...t,
      parallelText: workingDaysText(t.maxPromisedDays),
      sequentialText: workingDaysText(t.sumPromisedDays),
      visitsText: visitsText(t.visits),
      feesText: formatFen(t.feesFen),
    },
  };
}

export function scenarioRoutes(app: FastifyInstance, ctx: AppContext, catalog: CatalogService, regions: RegionService): void {
  const scenarios = new ScenarioService(ctx.db, catalog, regions);
  const { render, config } = ctx;
  const home = { label: '首页', href: '/' };

  app.get('/api/v1/catalog/scenarios', {
    config: { access: access.public() },
    schema: { tags, summary: '已发布的“一件事”', querystring: ListQuery, response: { 200: Type.Array(ScenarioSchema) } },
    handler: async (req) => scenarios.list({ status: 'published', audience: (req.query as { audience?: 'person' | 'company' }).audience }),
  });

  app.get('/api/v1/catalog/scenarios/:code', {
    config: { access: access.public() },
    schema: {
      tags,
      summary: '“一件事”在某地区的办理包：各事项对应的实施清单和部门、合并申请表（JSON Schema 及字段去向）、去重后的材料、时限和收费合计；本地区未发布的事项列在 missing',
      params: CodeParams,
      querystring: RegionQuery,
    },
    handler: async (req) => scenarios.bundle((req.params as { code: string }).code, (req.query as { region?: string }).region ?? config.nodeRegionCode),
  });

  app.post('/api/v1/catalog/scenarios', {
    config: { access: access.staff(ADMINS) },
    schema: { tags, summary: '定义“一件事”（省级平台或区划管理员）', body: ScenarioInput, response: { 201: ScenarioSchema } },
    handler: async (req, reply) => reply.code(201).send(await scenarios.create(req.body as ScenarioInput, req.actor)),
  });

  app.put('/api/v1/catalog/scenarios/:code', {
    config: { access: access.staff(ADMINS) },
    schema: { tags, summary: '修改“一件事”；lockVersion 不符时返回 409 与当前内容', params: CodeParams, body: ScenarioUpdate, response: { 200: ScenarioSchema } },
    handler: async (req) => scenarios.update((req.params as { code: string }).code, req.body as ScenarioUpdate, req.actor),
  });

  app.get('/api/v1/catalog/scenario-definitions', {
    config: { access: access.staff(READERS) },
    schema: { tags, summary: '全部“一件事”定义（含草稿）', response: { 200: Type.Array(ScenarioSchema) } },
    handler: async () => scenarios.list(),
  });

  app.get('/api/v1/catalog/scenario-definitions/:code', {
    config: { access: access.staff(READERS) },
    schema: { tags, summary: '“一件事”定义（含草稿），修改前取 lockVersion', params: CodeParams, response: { 200: ScenarioSchema } },
    handler: async (req) => scenarios.get((req.params as { code: string }).code, true),
  });

  /** The visitor's region: ?region= when given (a bad one is a 404 page), else the switcher's cookie, else the node's. */
  async function visitorRegion(req: FastifyRequest): Promise<string> {
    const asked = (req.query as { region?: string }).region;
    if (asked !== undefined) {
      if (!isWellFormedRegionCode(asked)) throw new AppError('REGION_NOT_FOUND', { detail: asked.slice(0, 20) });
      await regions.get(asked);
      return asked;
    }
    const cookie = req.cookies[REGION_COOKIE];
    if (cookie && isWellFormedRegionCode(cookie) && (await regions.get(cookie).then(() => true, () => false))) return cookie;
    return config.nodeRegionCode;
  }

  app.get('/scenarios', {
    config: { access: access.public() },
    schema: { hide: true },
    handler: async (req, reply) => {
      const all = await scenarios.list({ status: 'published' });
      const data = { person: all.filter((s) => s.audience === 'person'), company: all.filter((s) => s.audience === 'company') };
      return render.page(req, reply, `${pages}/list.eta`, data, { title: '一件事一次办', breadcrumbs: [home, { label: '主题服务', href: '/themes' }, { label: '一件事一次办' }] });
    },
  });

  app.get('/scenarios/:code', {
    config: { access: access.public() },
    schema: { hide: true, params: CodeParams, querystring: Type.Object({ region: Type.Optional(Type.String({ maxLength: 20 })) }) },
    handler: async (req, reply) => {
      const regionCode = await visitorRegion(req);
      const bundle = await scenarios.bundle((req.params as { code: string }).code, regionCode);
      const crumbs = [home, { label: '主题服务', href: '/themes' }, { label: '一件事一次办', href: '/scenarios' }, { label: bundle.scenario.name }];
      return render.page(req, reply, `${pages}/scenario.eta`, pageModel(bundle), { title: `${bundle.scenario.name}（${bundle.region.fullName}）`, breadcrumbs: crumbs });
    },
  });
}

