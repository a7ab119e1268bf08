// Working-day API: public queries for integrators and the portal, staff endpoints for local
// overrides (region-scoped) and for loading a new year's official schedule.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { access, assertInRegion } from '../http/access.ts';
import type { AppContext } from '../module.ts';
import type { CalendarService } from './calendar.ts';
import { MAX_WORKING_DAYS } from './rules.ts';

const tags = ['calendar'];
const DateString = (description: string) => Type.String({ maxLength: 40, description: `${description}，格式 YYYY-MM-DD`, examples: ['2026-09-30'] });
const RegionQuery = Type.Optional(
  Type.String({ maxLength: 20, description: '行政区划代码：同时适用该区划及其上级区划设定的本地调整；不填则只适用全节点调整' }),
);
const Kind = Type.Union([Type.Literal('holiday'), Type.Literal('workday')]);

const DayInfoSchema = Type.Object({
  date: Type.String(),
  weekday: Type.Integer({ minimum: 1, maximum: 7, description: '1 星期一 … 7 星期日' }),
  workingDay: Type.Boolean(),
  basis: Type.Union([Type.Literal('weekday'), Type.Literal('weekend'), Type.Literal('holiday'), Type.Literal('adjusted_workday'), Type.Literal('override')], {
    description: 'weekday 工作日；weekend 周末；holiday 法定节假日；adjusted_workday 调休上班；override 本地调整',
  }),
  holidayName: Type.Union([Type.String(), Type.Null()], { description: '法定节假日名称，或调休上班所属的节日' }),
  override: Type.Union([
    Type.Object({ id: Type.Integer(), kind: Kind, regionCode: Type.String(), reason: Type.String() }),
    Type.Null(),
  ]),
  description: Type.String({ description: '中文说明，如 法定节假日（国庆节）' }),
});

const OverrideSchema = Type.Object({
  id: Type.Integer(),
  date: Type.String(),
  kind: Kind,
  regionCode: Type.String({ description: "'' 表示全节点" }),
  reason: Type.String(),
  createdBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});

const YearSchema = Type.Object({ year: Type.Integer(), source: Type.String(), loadedAt: Type.String({ format: 'date-time' }) });
const YearSummarySchema = Type.Object({ year: Type.Integer(), source: Type.String(), holidays: Type.Integer(), workdays: Type.Integer() });

const ScheduleBody = Type.Object({
  source: Type.String({ minLength: 1, maxLength: 300, description: '出处：通知名称与文号' }),
  days: Type.Array(
    Type.Object({
      date: Type.String({ maxLength: 40 }),
      kind: Kind,
      name: Type.String({ minLength: 1, maxLength: 50, description: '节日名称，如 春节' }),
    }),
    { minItems: 1, maxItems: 366, description: '放假日期（holiday）与调休上班日期（workday）' },
  ),
});

const OverrideBody = Type.Object({
  date: DateString('日期'),
  kind: Type.Union([Type.Literal('holiday'), Type.Literal('workday')], { description: 'holiday 本地休息（如灾害停工）；workday 本地工作日' }),
  reason: Type.String({ minLength: 1, maxLength: 200 }),
  regionCode: Type.Optional(Type.String({ maxLength: 12, description: "行政区划代码；'' 或不填表示全节点" })),
});

type Query = { region?: string };

export function calendarRoutes(app: FastifyInstance, ctx: AppContext, calendar: CalendarService): void {
  // A node-wide override ('') is scoped like the node's own region.
  const scopeOf = (regionCode: unknown) => (typeof regionCode === 'string' && regionCode.trim() !== '' ? regionCode.trim() : ctx.config.nodeRegionCode);
  const admins = ['platform_admin', 'region_admin'] as const;
  const requestId = (req: FastifyRequest) => String(req.id);

  app.get('/api/v1/calendar/days/:date', {
    config: { access: access.public() },
    schema: { tags, summary: '查询某日是否为工作日', params: Type.Object({ date: DateString('日期') }), querystring: Type.Object({ region: RegionQuery }), response: { 200: DayInfoSchema } },
    handler: async (req) => calendar.day((req.params as { date: string }).date, (req.query as Query).region ?? ''),
  });

  app.get('/api/v1/calendar/add-working-days', {
    config: { access: access.public() },
    schema: {
      tags,
      summary: '计算若干个工作日之后的日期（办理时限）',
      description: '从起始日的次日起计算，起始日本身不计入。涉及尚未加载节假日安排的年度时返回 CALENDAR_YEAR_NOT_LOADED。',
      querystring: Type.Object({ from: DateString('起始日'), days: Type.Integer({ minimum: 0, maximum: MAX_WORKING_DAYS, description: '工作日数' }), region: RegionQuery }),
      response: { 200: Type.Object({ from: Type.String(), days: Type.Integer(), region: Type.String(), date: Type.String({ description: '第 N 个工作日' }) }) },
    },
    handler: async (req) => {
      const q = req.query as { from: string; days: number; region?: string };
      const date = await calendar.addWorkingDays(q.from, q.days, q.region ?? '');
      return { from: q.from, days: q.days, region: q.region ?? '', date };
    },
  });

  app.get('/api/v1/calendar/working-days', {
    config: { access: access.public() },
    schema: {
      tags,
      summary: '统计两个日期之间的工作日数',
      description: '统计 from 之后（不含）至 to（含）的工作日数；to 早于 from 时为负数。',
      querystring: Type.Object({ from: DateString('起始日'), to: DateString('截止日'), region: RegionQuery }),
      response: { 200: Type.Object({ from: Type.String(), to: Type.String(), region: Type.String(), workingDays: Type.Integer() }) },
    },
    handler: async (req) => {
      const q = req.query as { from: string; to: string; region?: string };
      return { from: q.from, to: q.to, region: q.region ?? '', workingDays: await calendar.countWorkingDays(q.from, q.to, q.region ?? '') };
    },
  });

  app.get('/api/v1/calendar/years', {
    config: { access: access.public() },
    schema: { tags, summary: '已加载节假日安排的年度及其出处', response: { 200: Type.Array(YearSchema) } },
    handler: async () => calendar.years(),
  });

  app.put('/api/v1/calendar/years/:year', {
    config: { access: access.staff(['platform_admin']) },
    schema: {
      tags,
      summary: '加载（或替换）某年度的节假日安排',
      description: '按国务院办公厅每年公布的通知录入：放假日期（含其间的周末）与调休上班日期。',
      params: Type.Object({ year: Type.Integer({ minimum: 1991, maximum: 2199 }) }),
      body: ScheduleBody,
      response: { 200: YearSummarySchema },
    },
    handler: async (req) => {
      const { year } = req.params as { year: number };
      return calendar.loadYear({ ...(req.body as object), year }, req.actor, requestId(req));
    },
  });

  app.get('/api/v1/calendar/overrides', {
    config: { access: access.staff(admins, (req) => (req.query as Query).region || undefined) },
    schema: {
      tags,
      summary: '本地日历调整列表',
      querystring: Type.Object({ from: Type.Optional(DateString('起始日')), to: Type.Optional(DateString('截止日')), region: RegionQuery }),
      response: { 200: Type.Array(OverrideSchema) },
    },
    handler: async (req) => {
      const q = req.query as { from?: string; to?: string; region?: string };
      return calendar.overrides({ from: q.from, to: q.to, region: q.region ?? '' });
    },
  });

  app.post('/api/v1/calendar/overrides', {
    config: { access: access.staff(admins, (req) => scopeOf((req.body as { regionCode?: unknown } | undefined)?.regionCode)) },
    schema: { tags, summary: '新增本地日历调整（本地休息日或工作日）', body: OverrideBody, response: { 201: OverrideSchema } },
    handler: async (req, reply) => {
      const body = req.body as { date: string; kind: 'holiday' | 'workday'; reason: string; regionCode?: string };
      const created = await calendar.addOverride(body, req.actor, requestId(req));
      return reply.code(201).send(created);
    },
  });

  app.delete('/api/v1/calendar/overrides/:id', {
    config: { access: access.staff(admins) },
    schema: { tags, summary: '删除本地日历调整', params: Type.Object({ id: Type.Integer({ minimum: 1 }) }), response: { 204: Type.Null() } },
    handler: async (req, reply) => {
      const { id } = req.params as { id: number };
      await calendar.removeOverride(id, req.actor, { requestId: requestId(req), authorize: (o) => assertInRegion(req.actor, scopeOf(o.regionCode)) });
      return reply.code(204).send();
    },
  });
}
