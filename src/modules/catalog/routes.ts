// REST API of the service catalogue under /api/v1/catalog. Public reads see published
// content only; staff see drafts in their region and move entries through the lifecycle.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { access, assertInRegion, type StaffRole } from '../../platform/http/access.ts';
import { AppError } from '../../platform/http/errors.ts';
import type { Db } from '../../platform/db/database.ts';
import type { RegionService } from '../regions/index.ts';
import { BasicItemContent, ImplementationContent } from './schemas.ts';
import type { CatalogService, EntryView } from './service.ts';
import { consistencyReport, reportCsv } from './report.ts';

const tags = ['catalog'];
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const EDITORS: StaffRole[] = ['platform_admin', 'region_admin', 'dept_admin'];
const REVIEWERS: StaffRole[] = ['platform_admin', 'region_admin'];
const READERS: StaffRole[] = ['platform_admin', 'region_admin', 'dept_admin', 'auditor', 'approver', 'window_clerk'];

const EntrySchema = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  code: Type.String({ description: '基本编码或实施编码' }),
  regionCode: Type.String(),
  orgId: Type.Union([Type.String(), Type.Null()]),
  basicItemId: Type.Union([Type.String(), Type.Null()]),
  status: Type.String({ description: 'draft 草稿 / in_review 审核中 / published 已发布 / withdrawn 已取消' }),
  publishedVersion: Type.Union([Type.Integer(), Type.Null()]),
  workingVersion: Type.Integer(),
  workingState: Type.String(),
  lockVersion: Type.Integer({ description: '修改时原样带回，用于发现并发修改' }),
  needsReview: Type.Boolean({ description: '基本目录已调整，待复核' }),
  content: Type.Unknown(),
  updatedAt: Type.String({ format: 'date-time' }),
});

const PublishedSchema = Type.Object({ id: Type.String(), code: Type.String(), regionCode: Type.String(), orgId: Type.Union([Type.String(), Type.Null()]), version: Type.Integer(), needsReview: Type.Boolean(), content: Type.Unknown() });

function publishedView(e: { id: string; code: string; region_code: string; org_id: string | null; published_version: number | null; needs_review: boolean }, content: unknown) {
  return { id: e.id, code: e.code, regionCode: e.region_code, orgId: e.org_id, version: e.published_version!, needsReview: e.needs_review, content };
}

export function catalogRoutes(app: FastifyInstance, db: Db, catalog: CatalogService, regions: RegionService): void {
  /** Staff may only see entries of their own region (a Nanjing editor cannot open a Suzhou draft). */
  async function entryForStaff(req: FastifyRequest): Promise<EntryView> {
    const entry = await catalog.get((req.params as { id: string }).id);
    assertInRegion(req.actor, entry.regionCode);
    return entry;
  }

  app.get('/api/v1/catalog/basic-items', {
    config: { access: access.public() },
    schema: { tags, summary: '已发布的基本目录事项', querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })), offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })) }), response: { 200: Type.Array(PublishedSchema) } },
    handler: async (req) => {
      const q = req.query as { limit?: number; offset?: number };
      const rows = await catalog.list({ kind: 'basic_item', status: 'published' }, 'published', q.limit ?? 100, q.offset ?? 0);
      return rows.map((r) => publishedView(r, r.content));
    },
  });

  app.get('/api/v1/catalog/implementations', {
    config: { access: access.public() },
    schema: {
      tags,
      summary: '已发布的实施清单（按区划、机构或基本目录筛选）',
      querystring: Type.Object({
        region: Type.Optional(Type.String({ pattern: '^\\d{6}(\\d{3}){0,2}$' })),
        org: Type.Optional(Type.String({ format: 'uuid' })),
        basicItem: Type.Optional(Type.String({ format: 'uuid' })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
        offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
      }),
      response: { 200: Type.Array(PublishedSchema) },
    },
    handler: async (req) => {
      const q = req.query as { region?: string; org?: string; basicItem?: string; limit?: number; offset?: number };
      if (q.region) await regions.get(q.region);
      const rows = await catalog.list({ kind: 'implementation', status: 'published', ...(q.region ? { regionCodes: [q.region] } : {}), ...(q.org ? { orgId: q.org } : {}), ...(q.basicItem ? { basicItemId: q.basicItem } : {}) }, 'published', q.limit ?? 100, q.offset ?? 0);
      return rows.map((r) => publishedView(r, r.content));
    },
  });

  for (const kind of ['basic-items', 'implementations'] as const) {
    app.get(`/api/v1/catalog/${kind}/:id`, {
      config: { access: access.public() },
      schema: { tags, summary: kind === 'basic-items' ? '基本目录事项（已发布版本）' : '实施清单（已发布版本）', params: IdParams, response: { 200: PublishedSchema } },
      handler: async (req) => {
        const found = await catalog.published((req.params as { id: string }).id);
        if (!found || found.entry.kind !== (kind === 'basic-items' ? 'basic_item' : 'implementation')) throw new AppError('CATALOG_ENTRY_NOT_FOUND');
        return publishedView(found.entry, found.content);
      },
    });
  }

  app.post('/api/v1/catalog/basic-items', {
    config: { access: access.staff(['platform_admin', 'region_admin']) },
    schema: { tags, summary: '新建基本目录事项（草稿）', body: Type.Object({ content: BasicItemContent }), response: { 201: EntrySchema } },
    handler: async (req, reply) => {
      if (req.actor.kind !== 'staff') throw new AppError('FORBIDDEN');
      // Basic items are defined once for the province: only province-level staff create them.
      const province = req.actor.regionCode.slice(0, 2) + '0000';
      if (req.actor.regionCode !== province && req.actor.regionCode !== '100000') throw new AppError('FORBIDDEN', { detail: '基本目录由省级统一制定' });
      return reply.code(201).send(await catalog.createBasicItem((req.body as { content: unknown }).content, req.actor.regionCode === '100000' ? province : req.actor.regionCode, req.actor));
    },
  });

  app.post('/api/v1/catalog/implementations', {
    config: { access: access.staff(EDITORS, (req) => (req.body as { content?: { regionCode?: unknown } } | undefined)?.content?.regionCode as string | undefined) },
    schema: { tags, summary: '新建实施清单（草稿），实施编码由平台生成', body: Type.Object({ content: Type.Intersect([Type.Omit(ImplementationContent, ['sequence']), Type.Object({ sequence: Type.Optional(Type.Integer({ minimum: 1, maximum: 999 })) })]) }), response: { 201: EntrySchema } },
    handler: async (req, reply) => reply.code(201).send(await catalog.createImplementation((req.body as { content: ImplementationContent }).content, req.actor)),
  });

  app.get('/api/v1/catalog/entries/:id', {
    config: { access: access.staff(READERS) },
    schema: { tags, summary: '事项当前版本（含草稿、审核中）', params: IdParams, response: { 200: EntrySchema } },
    handler: entryForStaff,
  });

  app.get('/api/v1/catalog/entries/:id/versions', {
    config: { access: access.staff(READERS) },
    schema: { tags, summary: '事项的全部版本及每次修改的差异', params: IdParams },
    handler: async (req) => {
      const entry = await entryForStaff(req);
      return catalog.versions(entry.id);
    },
  });

  app.put('/api/v1/catalog/entries/:id', {
    config: { access: access.staff(EDITORS) },
    schema: { tags, summary: '修改事项：保存为新的草稿版本；lockVersion 不符时返回 409 与最新内容', params: IdParams, body: Type.Object({ content: Type.Unknown(), lockVersion: Type.Integer({ minimum: 1 }) }), response: { 200: EntrySchema } },
    handler: async (req) => {
      const body = req.body as { content: unknown; lockVersion: number };
      return catalog.update((req.params as { id: string }).id, body.content, body.lockVersion, req.actor);
    },
  });

  const transition = (name: 'submit' | 'approve' | 'reject' | 'withdraw', roles: StaffRole[], summary: string) =>
    app.post(`/api/v1/catalog/entries/:id/${name}`, {
      config: { access: access.staff(roles) },
      schema: { tags, summary, params: IdParams, body: Type.Object({ lockVersion: Type.Optional(Type.Integer({ minimum: 1 })), note: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })) }), response: { 200: EntrySchema } },
      handler: async (req) => {
        const { id } = req.params as { id: string };
        const body = (req.body ?? {}) as { lockVersion?: number; note?: string };
        if ((name === 'reject' || name === 'withdraw') && !body.note) throw new AppError('VALIDATION_FAILED', { errors: [{ field: 'note', message: '请填写理由' }] });
        if (name === 'submit') return catalog.submit(id, req.actor, body.lockVersion);
        if (name === 'approve') return catalog.approve(id, req.actor, body.note ?? null);
        if (name === 'reject') return catalog.reject(id, req.actor, body.note!);
        return catalog.withdraw(id, req.actor, body.note!);
      },
    });
  transition('submit', EDITORS, '提交审核（实施清单须与基本目录一致）');
  transition('approve', REVIEWERS, '审核通过并发布（不能审核自己的修改）');
  transition('reject', REVIEWERS, '审核不通过（note 为理由）');
  transition('withdraw', REVIEWERS, '取消已发布事项（note 为理由）');

  app.get('/api/v1/catalog/consistency', {
    config: { access: access.staff(['platform_admin', 'region_admin', 'dept_admin', 'auditor'], (req) => (req.query as { region?: string }).region) },
    schema: {
      tags,
      summary: '三级四同一致性报告（format=csv 下载）',
      querystring: Type.Object({ region: Type.String({ pattern: '^\\d{6}(\\d{3}){0,2}$' }), org: Type.Optional(Type.String({ format: 'uuid' })), format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])) }),
    },
    handler: async (req, reply) => {
      const q = req.query as { region: string; org?: string; format?: 'json' | 'csv' };
      const report = await consistencyReport(db, regions, q.region, q.org ?? null);
      if (q.format === 'csv') {
        return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="consistency-${q.region}.csv"`).send(reportCsv(report));
      }
      return report;
    },
  });

  app.get('/api/v1/catalog/notifications', {
    config: { access: access.staff(EDITORS) },
    schema: { tags, summary: '本机构收到的目录调整通知' },
    handler: async (req) => {
      if (req.actor.kind !== 'staff' || !req.actor.orgId) return [];
      return catalog.notifications(req.actor.orgId);
    },
  });
}
