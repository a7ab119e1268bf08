// Walk-in intake (线下一窗受理): a window clerk picks an implementation of their region,
// checks the person's identity with the public-security register, fills in the same form
// and materials an applicant would online, and submits through CaseService (channel
// 'window'), so the case joins the same queue. Persons only: a company at the window
// applies through its agent's own account for now.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { Type } from '@fastify/type-provider-typebox';
import { access, assertInRegion } from '../../../platform/http/access.ts';
import { AppError, isAppError, type FieldError } from '../../../platform/http/errors.ts';
import type { AppContext } from '../../../platform/module.ts';
import { checkUpload, type FileStore } from '../../../platform/files/index.ts';
import type { CatalogService, ImplementationContent } from '../../catalog/index.ts';
import type { RegionService } from '../../regions/index.ts';
import { citizenServiceFor, verifyWalkInPerson } from '../../identity/index.ts';
import type { CaseService, MaterialInput } from '../service.ts';
import { renderForm, parseForm, validateAnswers, type FormBody } from '../forms/index.ts';
import { regionPrefix } from '../../../platform/region-code.ts';
import { listMaterials } from '../store.ts';
import { assertOrg, formatTime, home, page, PAGES, queueCrumb, scopeOf, staffOf, WORKBENCH_ROLES } from './view.ts';

const CLERKS = ['window_clerk'] as const;
const crumb = { label: '窗口收件', href: '/staff/cases/walk-in' };
const Id = Type.String({ format: 'uuid' });

interface Deps {
  cases: CaseService;
  catalog: CatalogService;
  regions: RegionService;
  files: FileStore;
}

interface Posted {
  fields: FormBody;
  files: Map<string, { bytes: Buffer; filename: string } | 'too_large'>;
}

export function walkInRoutes(app: FastifyInstance, ctx: AppContext, deps: Deps): void {
  const { render } = ctx;
  const maxBytes = ctx.config.files.maxUploadBytes;

  app.get('/staff/cases/walk-in', {
    config: { access: access.staff(CLERKS) },
    schema: { ...page, querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 60 })) }) },
    handler: async (req, reply) => {
      const staff = staffOf(req);
      const q = ((req.query as { q?: string }).q ?? '').trim();
      let results: { id: string; code: string; name: string }[] = [];
      if (q) {
        // Published implementations of the clerk's region (a city has a few thousand at most).
        const scope = scopeOf(staff);
        const rows = await deps.catalog.list({ kind: 'implementation', regionPrefix: regionPrefix(staff.regionCode), status: 'published', ...(scope.orgId ? { orgId: scope.orgId } : {}) }, 'published', 5000);
        results = rows
          .map((r) => ({ id: r.id, code: r.code, name: (r.content as { name: string }).name }))
          .filter((r) => r.name.includes(q) || r.code.startsWith(q.toUpperCase()))
          .slice(0, 30);
      }
      return render.page(req, reply, `${PAGES}/walk-in-search.eta`, { q, results }, { title: '窗口收件：选择事项', breadcrumbs: [home, queueCrumb, { label: '窗口收件' }] });
    },
  });

  async function implFor(req: FastifyRequest, implId: string): Promise<{ id: string; content: ImplementationContent }> {
    const staff = staffOf(req);
    const published = await deps.catalog.published<ImplementationContent>(implId);
    if (!published || published.entry.kind !== 'implementation') throw new AppError('CATALOG_ENTRY_NOT_FOUND');
    assertInRegion(staff, published.content.regionCode);
    assertOrg(staff, { org_id: published.content.orgId });
    return { id: published.entry.id, content: published.content };
  }

  async function formPage(req: FastifyRequest, reply: FastifyReply, impl: { id: string; content: ImplementationContent }, state: { fields?: FormBody; answers?: Record<string, unknown>; errors?: FieldError[]; status?: number } = {}) {
    const errors = state.errors ?? [];
    const one = (k: string) => {
      const v = state.fields?.[k];
      return typeof v === 'string' ? v : '';
    };
    const fieldsHtml = renderForm({ schema: impl.content.formSchema as never, values: state.answers ?? {}, errors });
    const materials = impl.content.materials.map((m) => ({ id: m.id, name: m.name, required: m.required && m.source === 'upload' && !m.when, upload: m.source === 'upload', error: errors.find((e) => e.field === `file-${m.id}`)?.message ?? null }));
    return render.page(
      req,
      reply,
      `${PAGES}/walk-in-form.eta`,
      { impl: { id: impl.id, name: impl.content.name }, person: { personName: one('personName'), idNumber: one('idNumber'), mobile: one('mobile') }, fieldsHtml, materials, errors, requestKey: one('requestKey') || randomUUID(), maxMb: Math.floor(maxBytes / 1048576) },
      { title: `窗口收件：${impl.content.name}`, status: state.status, breadcrumbs: [home, queueCrumb, crumb, { label: impl.content.name }] },
    );
  }

  app.get('/staff/cases/walk-in/:implId', {
    config: { access: access.staff(CLERKS) },
    schema: { ...page, params: Type.Object({ implId: Id }) },
    handler: async (req, reply) => formPage(req, reply, await implFor(req, (req.params as { implId: string }).implId)),
  });

  // The form carries files: multipart only inside this scope; CSRF is checked once the body is read.
  void app.register(async (scope) => {
    await scope.register(multipart, { limits: { fileSize: maxBytes + 1, files: 40, fields: 400 } });
    scope.post('/staff/cases/walk-in/:implId', {
      config: { access: access.staff(CLERKS), csrf: false },
      schema: { ...page, params: Type.Object({ implId: Id }) },
      handler: async (req, reply) => {
        const posted = await readMultipart(req, maxBytes);
        req.assertCsrf(posted.fields._csrf);
        const staff = staffOf(req);
        const impl = await implFor(req, (req.params as { implId: string }).implId);
        const str = (k: string) => (typeof posted.fields[k] === 'string' ? (posted.fields[k] as string) : '');
        const answers = parseForm(impl.content.formSchema as never, posted.fields);
        const errors: FieldError[] = [...validateAnswers(impl.content.formSchema as never, answers)];
        const materials: (MaterialInput & { bytes: Buffer })[] = [];
        for (const m of impl.content.materials) {
          const file = posted.files.get(m.id);
          if (file === 'too_large') errors.push({ field: `file-${m.id}`, message: `文件过大，最大 ${Math.floor(maxBytes / 1048576)} MB` });
          else if (file) {
            const checked = checkUpload(file.bytes, file.filename, { maxBytes });
            if (!checked.ok) errors.push({ field: `file-${m.id}`, message: checked.message });
            else materials.push({ materialId: m.id, source: 'upload', fileName: file.filename.slice(0, 200), mime: checked.mime, sizeBytes: file.bytes.length, bytes: file.bytes });
          } else if (m.required && m.source === 'upload' && !m.when) errors.push({ field: `file-${m.id}`, message: `请上传“${m.name}”` });
        }
        const person = { name: str('personName'), idNumber: str('idNumber'), mobile: str('mobile') };
        const back = (errs: FieldError[], status: number) => formPage(req, reply, impl, { fields: posted.fields, answers, errors: errs, status });
        if (!person.name.trim()) errors.unshift({ field: 'personName', message: '请填写申请人姓名' });
        if (errors.length) return back(errors, 400);
        // Identity before anything is stored: a mismatch leaves no account, file or case.
        let who;
        try {
          who = await verifyWalkInPerson(citizenServiceFor(ctx), staff, person, { requestId: String(req.id), ip: req.ip, userAgent: req.headers['user-agent'] });
        } catch (err) {
          if (!isAppError(err) || !['VALIDATION_FAILED', 'REAL_NAME_CHECK_FAILED', 'VERIFIER_UNAVAILABLE', 'ID_NUMBER_TAKEN', 'FORBIDDEN'].includes(err.code)) throw err;
          return back(err.errors?.length ? err.errors : [{ field: 'idNumber', message: err.detail ?? err.message }], err.status);
        }
        for (const m of materials) m.fileHash = (await deps.files.put(m.bytes)).sha256;
        try {
          const { view } = await deps.cases.submit(
            staff,
            {
              implementationId: impl.id,
              answers,
              materials: materials.map(({ bytes: _b, ...m }) => m),
              channel: 'window',
              idempotencyKey: /^[0-9a-f-]{36}$/.test(str('requestKey')) ? `window-${str('requestKey')}` : undefined,
              applicant: { kind: 'citizen', accountId: who.accountId, name: who.name, phoneTail: who.mobile.slice(-4) },
            },
            { requestId: String(req.id) },
          );
          return reply.redirect(`/staff/cases/${view.id}/receipt`, 303);
        } catch (err) {
          if (!isAppError(err) || err.code !== 'VALIDATION_FAILED') throw err;
          return back((err.errors ?? []).map((e) => ({ field: e.field.replace(/^materials\./, 'file-'), message: e.message })), 400);
        }
      },
    });
  });

  app.get('/staff/cases/:id/receipt', {
    config: { access: access.staff(WORKBENCH_ROLES) },
    schema: { ...page, params: Type.Object({ id: Id }) },
    handler: async (req, reply) => {
      const staff = staffOf(req);
      const { view, row } = await deps.cases.get(staff, (req.params as { id: string }).id);
      assertOrg(staff, row);
      const [materials, org] = await Promise.all([listMaterials(ctx.db, row.id), deps.regions.organisation(row.org_id).then((o) => o.name, () => '')]);
      return render.page(req, reply, `${PAGES}/receipt.eta`, { view, org, materials, submitted: formatTime(view.submittedAt) }, { title: '收件回执', breadcrumbs: [home, queueCrumb, { label: view.caseNumber, href: `/staff/cases/${view.id}` }, { label: '收件回执' }] });
    },
  });
}

/** Reads the multipart form: repeated fields become arrays; an empty file input is no file. */
async function readMultipart(req: FastifyRequest, maxBytes: number): Promise<Posted> {
  const fields: FormBody = {};
  const files: Posted['files'] = new Map();
  if (!req.isMultipart()) throw new AppError('VALIDATION_FAILED', { errors: [{ field: 'form', message: '请通过页面上的表单提交' }] });
  for await (const part of req.parts()) {
    if (part.type === 'field') {
      const value = typeof part.value === 'string' ? part.value : String(part.value);
      const prev = fields[part.fieldname];
      fields[part.fieldname] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
      continue;
    }
    const materialId = /^file-([a-z0-9_]{1,40})$/.exec(part.fieldname)?.[1];
    const bytes = await part.toBuffer().catch(() => null);
    if (!materialId || !part.filename) continue;
    if (bytes === null || bytes.length > maxBytes) files.set(materialId, 'too_large');
    else if (bytes.length > 0) files.set(materialId, { bytes, filename: part.filename });
  }
  return { fields, files };
}
