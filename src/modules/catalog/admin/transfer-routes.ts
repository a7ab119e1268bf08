// Export (CSV/XLSX download) and import pages. The import takes a pasted CSV from a plain
// form (works without JavaScript), or the raw file as the request body (text/csv or .xlsx,
// up to 10 MB, with the x-csrf-token header) for tools and scripts. The raw-body parsers are
// registered in this plugin's scope only, so no other route accepts these media types.
// The import runs synchronously: checking is fast (≈ a few ms a row), and one transaction
// must hold every row anyway.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { access } from '../../../platform/http/access.ts';
import { AppError } from '../../../platform/http/errors.ts';
import type { AppContext } from '../../../platform/module.ts';
import type { RegionService } from '../../regions/index.ts';
import { exportRows, importRows, parseCsv, parseXlsx, toCsv, toXlsx, type ImportResult } from './transfer.ts';
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
      const result: ImportResult = parsed.errors.length
        ? { committed: false, rows: 0, created: 0, updated: 0, unchanged: 0, errors: parsed.errors }
        : await importRows(db, regions, req.actor, parsed.rows);
      const status = result.committed ? 200 : 422;
      // Tools posting a raw file get the report as JSON; the form gets the page.
      if (pasted === null && !(req.headers.accept ?? '').includes('text/html')) return reply.code(status).send(result);
      return importPage(req, reply, { csv: result.committed ? '' : (pasted ?? ''), result }, status);
    },
  });
}
