// Staff pages of the historical import: the list with the upload form and a CSV template per
// type, a job's page (row problems, start, pause, progress that site.js keeps current, a
// refresh link without JavaScript), its status as JSON for that poller, and the problems as CSV.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { Type } from '@fastify/type-provider-typebox';
import { stringify } from 'csv-stringify/sync';
import { access } from '../../../platform/http/access.ts';
import { isAppError, type FieldError } from '../../../platform/http/errors.ts';
import type { AppContext } from '../../../platform/module.ts';
import { templateHeader } from './check.ts';
import type { LicenceImportService } from './service.ts';
import { LICENCE_MANAGERS, LICENCE_READERS as READERS, isLicenceManager } from '../service.ts';

const PAGES = 'modules/licences/historical/pages';
const page = { hide: true };
const IdParams = Type.Object({ id: Type.String({ maxLength: 40 }) });
const STATUS_TEXT = { checked: '已检查，待开始签发', running: '正在签发', paused: '已暂停', done: '已完成' } as const;
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

export function licenceImportRoutes(app: FastifyInstance, ctx: AppContext, imports: LicenceImportService): void {
  const crumbs = [{ label: '工作台', href: '/staff' }, { label: '电子证照', href: '/staff/licences' }, { label: '存量证照导入', href: '/staff/licences/imports' }];

  async function listPage(req: FastifyRequest, reply: FastifyReply, state: { errors?: FieldError[]; typeCode?: string; status?: number } = {}) {
    const jobs = await imports.list(req.actor);
    const types = await imports.d.licences.types();
    const typeName = new Map(types.map((t) => [t.code, t.name]));
    return ctx.render.page(req, reply, `${PAGES}/list.eta`, { jobs, types, typeName, statusText: STATUS_TEXT, errors: state.errors ?? [], typeCode: state.typeCode ?? '' }, {
      title: '存量证照导入', status: state.status, breadcrumbs: [crumbs[0]!, crumbs[1]!, { label: '存量证照导入' }],
    });
  }

  app.get('/staff/licences/imports', { config: { access: access.staff(READERS) }, schema: page, handler: (req, reply) => listPage(req, reply) });

  app.get('/staff/licences/imports/template.csv', {
    config: { access: access.staff(READERS) },
    schema: { ...page, querystring: Type.Object({ type: Type.String({ maxLength: 30 }) }) },
    handler: async (req, reply) => {
      const type = (await imports.d.licences.types()).find((t) => t.code === (req.query as { type: string }).type);
      if (!type) return reply.code(404).send();
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="licence-import-${type.key}.csv"`).send(`\ufeff${stringify([templateHeader(type)])}`);
    },
  });

  void app.register(async (scope) => {
    // Whole parts (not keyValues): the file's name tells CSV from Excel.
    await scope.register(multipart, { attachFieldsToBody: true, limits: { fileSize: 10 * 1024 * 1024, files: 1, fields: 4 } });
    scope.post('/staff/licences/imports', {
      config: { access: access.staff(LICENCE_MANAGERS), csrf: false },
      schema: { ...page, consumes: ['multipart/form-data'] },
      handler: async (req, reply) => {
        const body = (req.body ?? {}) as Record<string, { value?: unknown; filename?: string; toBuffer?: () => Promise<Buffer> } | undefined>;
        req.assertCsrf(body._csrf?.value);
        const typeCode = text(body.typeCode?.value);
        const file = body.file;
        const bytes = file?.toBuffer ? await file.toBuffer() : Buffer.alloc(0);
        const fileName = file?.filename ?? '';
        if (!bytes.length) return listPage(req, reply, { errors: [{ field: 'file', message: '请选择要导入的 CSV 或 Excel 文件' }], typeCode, status: 400 });
        try {
          const id = await imports.upload(req.actor, { typeCode, fileName, bytes });
          return reply.redirect(`/staff/licences/imports/${id}`, 303);
        } catch (err) {
          if (isAppError(err) && err.errors) return listPage(req, reply, { errors: err.errors, typeCode, status: err.status });
          throw err;
        }
      },
    });
  });

  async function jobPage(req: FastifyRequest, reply: FastifyReply, errors: FieldError[] = [], status?: number) {
    const { job, type, problems } = await imports.job(req.actor, (req.params as { id: string }).id);
    const processed = job.issued + job.failed;
    const percent = job.valid ? Math.floor((processed * 100) / job.valid) : 100;
    return ctx.render.page(req, reply, `${PAGES}/job.eta`, { job, type, problems, processed, percent, statusText: STATUS_TEXT, errors, canRun: isLicenceManager(req.actor) }, {
      title: `导入 ${job.file_name}`, status, breadcrumbs: [...crumbs, { label: job.file_name }],
    });
  }

  app.get('/staff/licences/imports/:id', { config: { access: access.staff(READERS) }, schema: { ...page, params: IdParams }, handler: (req, reply) => jobPage(req, reply) });

  app.get('/staff/licences/imports/:id/status', {
    config: { access: access.staff(READERS) },
    schema: { ...page, params: IdParams },
    handler: async (req) => {
      const { job } = await imports.job(req.actor, (req.params as { id: string }).id);
      return { status: job.status, rowsProcessed: job.issued + job.failed, totalRows: job.valid, issued: job.issued, failed: job.failed };
    },
  });

  app.get('/staff/licences/imports/:id/problems.csv', {
    config: { access: access.staff(READERS) },
    schema: { ...page, params: IdParams },
    handler: async (req, reply) => {
      const { job, problems } = await imports.job(req.actor, (req.params as { id: string }).id);
      const lines = [['行号', '原证号', '列', '问题']];
      for (const p of problems) {
        if (p.status === 'failed') lines.push([String(p.row_no), p.original_number, '', p.message ?? '签发失败']);
        for (const e of p.errors as FieldError[]) lines.push([String(p.row_no), p.original_number, e.field, e.message]);
      }
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="licence-import-${job.id}-problems.csv"`).send(`\ufeff${stringify(lines)}`);
    },
  });

  for (const [verb, run] of [['start', (req: FastifyRequest) => imports.start(req.actor, (req.params as { id: string }).id)], ['pause', (req: FastifyRequest) => imports.pause(req.actor, (req.params as { id: string }).id)]] as const) {
    app.post(`/staff/licences/imports/:id/${verb}`, {
      config: { access: access.staff(LICENCE_MANAGERS) },
      schema: { ...page, params: IdParams },
      handler: async (req, reply) => {
        try {
          await run(req);
        } catch (err) {
          if (isAppError(err) && err.code === 'LICENCE_IMPORT_STATE_CONFLICT') return jobPage(req, reply, [{ field: 'job', message: err.detail ?? err.message }], err.status);
          throw err;
        }
        return reply.redirect(`/staff/licences/imports/${(req.params as { id: string }).id}`, 303);
      },
    });
  }
}
