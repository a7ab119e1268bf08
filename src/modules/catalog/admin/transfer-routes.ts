// Export (CSV/XLSX download) and import pages. The import takes a pasted CSV from a plain
// form (works without JavaScript), or the raw file as the request body (text/csv or .xlsx,
// up to 10 MB, with the x-csrf-token header) for tools and scripts. The raw-body parsers are
// registered in this plugin's scope only, so no other route accepts these media types.
// A pasted import of up to SYNC_LIMIT rows runs in the request; a larger one, and every raw
// upload, becomes a background job (import-jobs.ts) with a progress page that updates
// itself (site.js polls the status; a refresh link without JavaScript). Both give the same row-by-row report.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { access, assertInRegion } from '../../../platform/http/access.ts';
import { AppError } from '../../../platform/http/errors.ts';
import type { AppContext } from '../../../platform/module.ts';
import type { RegionService } from '../../regions/index.ts';
import { exportRows, importRows, parseCsv, parseXlsx, toCsv, toXlsx, type ImportResult } from './transfer.ts';
import { createImportJob, findImportJob, SYNC_LIMIT, type ImportJob } from './import-jobs.ts';
import { adminCrumb, EDITORS, home, PAGES, page, staffOf } from './view.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const TEN_MB = 10 * 1024 * 1024;
const REGION = Type.Optional(Type.String({ pattern: '^\\d{6}(\\d{3}){0,2}$' }));
const EXPORTERS = ['platform_admin', 'region_admin', 'dept_admin', 'auditor'] as const;

export function transferRoutes(app: FastifyInstance, ctx: AppContext, regions: RegionService): void {
  const { render, db } = ctx;
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: TEN_MB }, (_req, body, done) => done(null, { csvText: body }));
  app.addContentTypeParser(XLSX, { parseAs: 'buffer', bodyLimit: TEN_MB }, (_req, body, done) => done(null, { xlsx: body }));

  for (const format of ['csv', 'xlsx'] as const) {
    app.get(`/admin/catalog/export.${format}`, {
      config: { access: access.staff([...EXPORTERS], (req) => (req.query as { region?: string }).region) },
      schema: { ...page, querystring: Type.Object({ region: REGION }) },
      handler: async (req, reply) => {
        const region = (req.query as { region?: string }).region ?? staffOf(req).regionCode;
        const rows = await exportRows(db, regions, region);
        const name = `implementations-${region}.${format}`;
        reply.header('content-disposition', `attachment; filename="${name}"`);
        if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(toCsv(rows));
        return reply.type(XLSX).send(await toXlsx(rows));
      },
    });
  }

  const importPage = (req: FastifyRequest, reply: FastifyReply, data: { csv?: string; result?: ImportResult | null }, status = 200) => {
    const staff = staffOf(req);
    return render.page(req, reply, `${PAGES}/import.eta`, { csv: data.csv ?? '', result: data.result ?? null, region: staff.regionCode, errors: data.result?.errors.length ? [{ field: 'csv', message: `有 ${data.result.errors.length} 处问题，没有导入任何数据，请修改后重新导入` }] : [] }, { title: '批量导入实施清单', status, breadcrumbs: [home, adminCrumb, { label: '批量导入' }] });
  };

  app.get('/admin/catalog/import', {
    config: { access: access.staff(EDITORS) },
    schema: page,
    handler: async (req, reply) => importPage(req, reply, {}),
  });

  app.post('/admin/catalog/import', {
    config: { access: access.staff(EDITORS) },
    bodyLimit: TEN_MB,
    schema: page,
    handler: async (req, reply) => {
      const body = (req.body ?? {}) as { csv?: unknown; csvText?: string; xlsx?: Buffer };
      const pasted = typeof body.csv === 'string' ? body.csv : null;
      const text = pasted ?? body.csvText ?? null;
      if (text === null && !body.xlsx) throw new AppError('VALIDATION_FAILED', { errors: [{ field: 'csv', message: '请粘贴 CSV 内容或上传文件' }] });
      const parsed = body.xlsx ? await parseXlsx(body.xlsx) : parseCsv(text!);
      const wantsJson = pasted === null && !(req.headers.accept ?? '').includes('text/html');
      if (!parsed.errors.length && (pasted === null || parsed.rows.length > SYNC_LIMIT)) {
        const fileName = typeof req.headers['x-file-name'] === 'string' ? req.headers['x-file-name'].slice(0, 200) : null;
        const jobId = await createImportJob(db, req.actor, { rows: parsed.rows, fileName, format: body.xlsx ? 'xlsx' : pasted === null ? 'csv' : 'pasted' });
        const location = `/admin/catalog/import/${jobId}`;
        if (wantsJson) return reply.code(202).header('location', location).send({ jobId, status: 'queued', page: location, statusUrl: `${location}/status` });
        return reply.redirect(location, 303);
      }
      const result: ImportResult = parsed.errors.length
        ? { committed: false, rows: 0, created: 0, updated: 0, unchanged: 0, errors: parsed.errors }
        : await importRows(db, regions, req.actor, parsed.rows);
      const status = result.committed ? 200 : 422;
      // Tools posting a raw file get the report as JSON; the form gets the page.
      if (wantsJson) return reply.code(status).send(result);
      return importPage(req, reply, { csv: result.committed ? '' : (pasted ?? ''), result }, status);
    },
  });

  const JobParams = Type.Object({ jobId: Type.String({ format: 'uuid' }) });
  const loadJob = async (req: FastifyRequest): Promise<ImportJob> => {
    const job = await findImportJob(db, (req.params as { jobId: string }).jobId);
    if (!job) throw new AppError('NOT_FOUND');
    assertInRegion(req.actor, job.regionCode);
    return job;
  };
  const running = (job: ImportJob) => job.status !== 'done' && job.status !== 'failed';

  app.get('/admin/catalog/import/:jobId', {
    config: { access: access.staff(EDITORS) },
    schema: { ...page, params: JobParams },
    handler: async (req, reply) => {
      const job = await loadJob(req);
      const percent = job.totalRows ? Math.floor((100 * job.rowsProcessed) / job.totalRows) : 100;
      const errors = job.status === 'failed' && job.report.length ? [{ field: 'report', message: `有 ${job.report.length} 处问题，没有导入任何数据，请修改后重新导入` }] : [];
      return render.page(req, reply, `${PAGES}/import-job.eta`, { job, percent, running: running(job), errors }, { title: '导入进度', status: job.status === 'failed' ? 422 : 200, breadcrumbs: [home, adminCrumb, { label: '批量导入', href: '/admin/catalog/import' }, { label: '导入进度' }] });
    },
  });

  app.get('/admin/catalog/import/:jobId/status', {
    config: { access: access.staff(EDITORS) },
    schema: { ...page, params: JobParams },
    handler: async (req) => {
      const job = await loadJob(req);
      return { id: job.id, status: job.status, totalRows: job.totalRows, rowsProcessed: job.rowsProcessed, result: job.result, errors: job.report, createdAt: job.createdAt, finishedAt: job.finishedAt };
    },
  });
}
