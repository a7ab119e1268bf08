// Editing pages: an implementation's fields (impl-edit.ts) or any entry's content as a JSON
// textarea (`?mode=json`), validated on the server (every field error listed in the error
// summary), saved with the lockVersion it was loaded at; and the create pages for
// implementations (two GET/POST steps, no JavaScript) and basic items.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { access, assertInRegion } from '../../../platform/http/access.ts';
import { AppError, type FieldError } from '../../../platform/http/errors.ts';
import type { AppContext } from '../../../platform/module.ts';
import { regionLevel } from '../../../platform/region-code.ts';
import type { RegionService } from '../../regions/index.ts';
import type { CatalogService, EntryView } from '../service.ts';
import type { BasicItemContent, ImplementationContent } from '../schemas.ts';
import { implEditPage, initialState, saveImplForm } from './impl-edit.ts';
import { adminCrumb, EDITORS, home, labels, PAGES, page, pageErrors, parseJsonField, staffOf } from './view.ts';

/** Fields of an implementation fixed at creation or dictated by its basic item (三级四同). */
export const LOCKED_FIELDS = ['basicItemId', 'name', 'basicCode', 'itemType', 'legalBasis', 'regionCode', 'orgId', 'sequence'] as const;

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
// The JSON editor posts `content`; the field editor (editor=fields) posts its own inputs.
const EditForm = Type.Object({ content: Type.Optional(Type.String({ maxLength: 500_000 })), lockVersion: Type.String({ pattern: '^\\d{1,9}$' }), editor: Type.Optional(Type.Literal('fields')) }, { additionalProperties: true });
const REGION = Type.String({ pattern: '^\\d{6}(\\d{3}){0,2}$' });
const NewQuery = Type.Object({ basicItem: Type.Optional(Type.String({ maxLength: 40 })), region: Type.Optional(REGION) });
const NewForm = Type.Object({ basicItem: Type.String({ format: 'uuid' }), region: REGION, orgId: Type.String({ maxLength: 40 }), content: Type.String({ maxLength: 500_000 }) });

function editable(content: ImplementationContent): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...content };
  for (const k of LOCKED_FIELDS) delete copy[k];
  return copy;
}

/** What a new implementation starts from: the editable fields with sensible empty values. */
export function implementationTemplate(basic: BasicItemContent): Record<string, unknown> {
  return {
    subItems: [],
    acceptanceConditions: [],
    processSteps: [{ name: '申请', description: '提交申请材料' }, { name: '受理', description: '' }, { name: '决定', description: '' }],
    legalLimitDays: 20,
    promisedLimitDays: 10,
    materials: [{ id: 'application', name: `${basic.name}申请表`, form: 'electronic', count: 1, required: true, source: 'upload' }],
    intermediaryServices: [],
    fees: [],
    place: { address: '', hours: '工作日 9:00-17:00' },
    phones: { consult: '', complaint: '12345' },
    channels: ['online', 'window'],
    visits: 0,
    onlineDepth: 4,
    minRealNameLevel: 2,
    formSchema: { type: 'object', properties: {}, required: [] },
    questions: [],
  };
}

export function editRoutes(app: FastifyInstance, ctx: AppContext, catalog: CatalogService, regions: RegionService): void {
  const { render } = ctx;
  const pretty = (v: unknown) => JSON.stringify(v, null, 2);

  const orgName = (entry: EntryView) => (entry.orgId ? regions.organisation(entry.orgId).then((o) => o.name, () => entry.orgId) : Promise.resolve(null));

  async function editPage(req: FastifyRequest, reply: FastifyReply, entry: EntryView, form: { content: string; lockVersion: number; errors?: FieldError[]; conflict?: boolean; status?: number }) {
    const name = (entry.content as { name: string }).name;
    const org = await orgName(entry);
    return render.page(req, reply, `${PAGES}/edit.eta`, { entry, org, labels, errors: form.errors ?? [], conflict: form.conflict ?? false, content: form.content, lockVersion: form.lockVersion }, { title: `修改：${name}`, status: form.status, breadcrumbs: [home, adminCrumb, { label: name, href: `/admin/catalog/entries/${entry.id}` }, { label: '修改' }] });
  }

  async function loadForEdit(req: FastifyRequest): Promise<EntryView> {
    const entry = await catalog.get((req.params as { id: string }).id);
    assertInRegion(req.actor, entry.regionCode);
    return entry;
  }

  app.get('/admin/catalog/entries/:id/edit', {
    config: { access: access.staff(EDITORS) },
    schema: { ...page, params: IdParams, querystring: Type.Object({ mode: Type.Optional(Type.Literal('json')) }) },
    handler: async (req, reply) => {
      const entry = await loadForEdit(req);
      if (entry.kind === 'implementation' && (req.query as { mode?: string }).mode !== 'json') return implEditPage(ctx, req, reply, entry, await orgName(entry), initialState(entry));
      const shown = entry.kind === 'implementation' ? editable(entry.content as ImplementationContent) : entry.content;
      return editPage(req, reply, entry, { content: pretty(shown), lockVersion: entry.lockVersion });
    },
  });

  app.post('/admin/catalog/entries/:id/edit', {
    config: { access: access.staff(EDITORS) },
    schema: { ...page, params: IdParams, body: EditForm },
    handler: async (req, reply) => {
      const entry = await loadForEdit(req);
      if ((req.body as { editor?: string }).editor === 'fields' && entry.kind === 'implementation') {
        const state = await saveImplForm(catalog, entry, req.body as Record<string, unknown>, req.actor);
        if (state) return implEditPage(ctx, req, reply, entry, await orgName(entry), state);
        return reply.redirect(`/admin/catalog/entries/${entry.id}?done=saved`, 303);
      }
      const body = req.body as { content?: string; lockVersion: string };
      if (typeof body.content !== 'string') throw new AppError('VALIDATION_FAILED', { errors: [{ field: 'content', message: '请填写事项内容' }] });
      const lockVersion = Number(body.lockVersion);
      const parsed = parseJsonField(body.content, 'content');
      if (parsed.errors.length) return editPage(req, reply, entry, { content: body.content, lockVersion, errors: parsed.errors, status: 400 });
      let content = parsed.value;
      if (entry.kind === 'implementation' && content && typeof content === 'object' && !Array.isArray(content)) {
        // The locked fields come from the entry, and the 三级四同 ones from the published basic
        // item, so saving here also brings an implementation back in line after a revision.
        const current = entry.content as ImplementationContent;
        const basic = (await catalog.published<BasicItemContent>(entry.basicItemId!))?.content;
        content = { ...(content as object), ...Object.fromEntries(LOCKED_FIELDS.map((k) => [k, current[k]])), ...(basic ? { name: basic.name, basicCode: basic.code, itemType: basic.itemType, legalBasis: basic.legalBasis } : {}) };
      }
      try {
        await catalog.update(entry.id, content, lockVersion, req.actor);
      } catch (err) {
        const shown = pageErrors(err, 'content');
        if (!shown) throw err;
        return editPage(req, reply, entry, { content: body.content!, lockVersion, errors: shown.errors, conflict: shown.code === 'CATALOG_EDIT_CONFLICT', status: shown.status });
      }
      return reply.redirect(`/admin/catalog/entries/${entry.id}?done=saved`, 303);
    },
  });

  /** Regions a staff member may create implementations in: their own and the next level down. */
  async function regionChoices(regionCode: string) {
    const own = await regions.get(regionCode);
    return regionLevel(regionCode) <= 2 ? [own, ...(await regions.children(regionCode)).filter((r) => !r.functionalZone)] : [own];
  }

  async function newPage(req: FastifyRequest, reply: FastifyReply, q: { basicItem?: string; region?: string; orgId?: string; content?: string; errors?: FieldError[]; status?: number }) {
    const staff = staffOf(req);
    const basics = (await catalog.list({ kind: 'basic_item', status: 'published' }, 'published', 5000)).map((b) => ({ id: b.id, code: b.code, name: (b.content as BasicItemContent).name }));
    const regionList = await regionChoices(staff.regionCode);
    let step2: { basic: BasicItemContent; region: { code: string; name: string }; orgs: { id: string; name: string }[] } | null = null;
    if (q.basicItem && q.region) {
      assertInRegion(req.actor, q.region);
      const basic = (await catalog.published<BasicItemContent>(q.basicItem))?.content;
      if (!basic || !('departmentType' in basic)) throw new AppError('CATALOG_BASIC_ITEM_NOT_PUBLISHED');
      const region = await regions.get(q.region);
      const orgs = (await regions.organisations(q.region)).filter((o) => o.departmentType === basic.departmentType && (staff.roles.some((r) => r !== 'dept_admin') || o.id === staff.orgId));
      step2 = { basic, region, orgs: orgs.map((o) => ({ id: o.id, name: o.name })) };
    }
    const content = q.content ?? (step2 ? pretty(implementationTemplate(step2.basic)) : '');
    return render.page(req, reply, `${PAGES}/new.eta`, { basics, regionList, step2, basicItem: q.basicItem ?? '', region: q.region ?? staff.regionCode, orgId: q.orgId ?? '', content, errors: q.errors ?? [], labels }, { title: '新建实施清单', status: q.status, breadcrumbs: [home, adminCrumb, { label: '新建实施清单' }] });
  }

  app.get('/admin/catalog/implementations/new', {
    config: { access: access.staff(EDITORS, (req) => (req.query as { region?: string }).region) },
    schema: { ...page, querystring: NewQuery },
    handler: async (req, reply) => newPage(req, reply, req.query as { basicItem?: string; region?: string }),
  });

  app.post('/admin/catalog/implementations/new', {
    config: { access: access.staff(EDITORS, (req) => (req.body as { region?: string } | undefined)?.region) },
    schema: { ...page, body: NewForm },
    handler: async (req, reply) => {
      const form = req.body as { basicItem: string; region: string; orgId: string; content: string };
      const again = (errors: FieldError[], status: number) => newPage(req, reply, { ...form, errors, status });
      const parsed = parseJsonField(form.content, 'content');
      if (parsed.errors.length) return again(parsed.errors, 400);
      if (!form.orgId) return again([{ field: 'orgId', message: '请选择实施机构' }], 400);
      const basic = (await catalog.published<BasicItemContent>(form.basicItem))?.content;
      if (!basic) return again([{ field: 'basicItem', message: '请选择已发布的基本目录事项' }], 400);
      const content = { ...(parsed.value as object), basicItemId: form.basicItem, name: basic.name, basicCode: basic.code, itemType: basic.itemType, legalBasis: basic.legalBasis, regionCode: form.region, orgId: form.orgId } as ImplementationContent;
      delete (content as Partial<ImplementationContent>).sequence;
      try {
        const created = await catalog.createImplementation(content, req.actor);
        return reply.redirect(`/admin/catalog/entries/${created.id}?done=created`, 303);
      } catch (err) {
        const shown = pageErrors(err, 'content');
        if (!shown) throw err;
        return again(shown.errors, shown.status);
      }
    },
  });

  // Basic items are defined once for the whole province (the API applies the same rule).
  const provinceOf = (req: FastifyRequest) => {
    const staff = staffOf(req);
    const province = staff.regionCode.slice(0, 2) + '0000';
    if (staff.regionCode !== province && staff.regionCode !== '100000') throw new AppError('FORBIDDEN', { detail: '基本目录由省级统一制定' });
    return staff.regionCode === '100000' ? province : staff.regionCode;
  };
  const basicPage = (req: FastifyRequest, reply: FastifyReply, content: string, errors: FieldError[] = [], status = 200) =>
    render.page(req, reply, `${PAGES}/new-basic.eta`, { content, errors }, { title: '新建基本目录事项', status, breadcrumbs: [home, adminCrumb, { label: '新建基本目录事项' }] });
  const basicTemplate = { name: '', code: '01-0000-000', itemType: '01', legalBasis: [{ kind: 'law', title: '', article: '' }], exercisingLevels: ['city', 'county'], departmentType: 'government_services', audience: ['person'], themes: [], keywords: [] };

  app.get('/admin/catalog/basic-items/new', {
    config: { access: access.staff(['platform_admin', 'region_admin']) },
    schema: page,
    handler: async (req, reply) => {
      provinceOf(req);
      return basicPage(req, reply, pretty(basicTemplate));
    },
  });

  app.post('/admin/catalog/basic-items/new', {
    config: { access: access.staff(['platform_admin', 'region_admin']) },
    schema: { ...page, body: Type.Object({ content: Type.String({ maxLength: 200_000 }) }) },
    handler: async (req, reply) => {
      const region = provinceOf(req);
      const { content } = req.body as { content: string };
      const parsed = parseJsonField(content, 'content');
      if (parsed.errors.length) return basicPage(req, reply, content, parsed.errors, 400);
      try {
        const created = await catalog.createBasicItem(parsed.value, region, req.actor);
        return reply.redirect(`/admin/catalog/entries/${created.id}?done=created`, 303);
      } catch (err) {
        const shown = pageErrors(err, 'content');
        if (!shown) throw err;
        return basicPage(req, reply, content, shown.errors, shown.status);
      }
    },
  });
}
