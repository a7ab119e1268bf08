// The staff workbench pages (/staff/cases…): intake queue, my tasks, the case page with its
// action forms, material preview, printable notices, the deadline dashboard and walk-in
// intake. The rules stay in CaseService; these pages only ask and show.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { access } from '../../../platform/http/access.ts';
import { AppError, isAppError, type FieldError } from '../../../platform/http/errors.ts';
import { recordAudit } from '../../../platform/audit/audit.ts';
import type { AppContext } from '../../../platform/module.ts';
import { paginate } from '../../../platform/web/pagination.ts';
import { CalendarService } from '../../../platform/calendar/index.ts';
import { fileStoreFromConfig, isSha256, sniffType } from '../../../platform/files/index.ts';
import { createCatalogService, type ImplementationContent } from '../../catalog/index.ts';
import { RegionService } from '../../regions/index.ts';
import { caseServiceFor } from '../index.ts';
import { TRANSITIONS, type CaseAction } from '../state-machine.ts';
import { listEvents, listMaterials } from '../store.ts';
import { actionForms, DELIVERY_METHODS, parseAction, PROCEDURES, staffActions } from './actions.ts';
import { barChart, buildDashboard } from './dashboard.ts';
import { findEvent, findMaterial, listCases } from './workbench-store.ts';
import { answerRows, assertOrg, CHANNEL_NAMES, eventLabel, formatTime, home, INTAKE_ROLES, lightText, page, PAGES, queueCrumb, scopeOf, staffOf, today, WORKBENCH_ROLES } from './view.ts';
import { walkInRoutes } from './walk-in.ts';
import { linkedCases } from '../citizen/bundle-pages.ts';

const PAGE_SIZE = 30;
const Id = Type.String({ format: 'uuid' });
const ListQuery = Type.Object({
  item: Type.Optional(Type.String({ maxLength: 60 })),
  channel: Type.Optional(Type.Union([Type.Literal(''), Type.String({ pattern: '^[1-5]$' })])),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
});
const NOTICE_ACTIONS = new Set(['refuse', 'request_correction']);

export function staffCaseRoutes(app: FastifyInstance, ctx: AppContext): void {
  const cases = caseServiceFor(ctx);
  const catalog = createCatalogService(ctx.db);
  const regions = new RegionService(ctx.db);
  const files = fileStoreFromConfig(ctx.config);
  const calendar = new CalendarService(ctx.db);
  const { render } = ctx;
  const orgName = (id: string) => regions.organisation(id).then((o) => o.name, () => '（未知机构）');
  const regionName = (code: string) => regions.get(code).then((r) => r.name, () => code);

  async function listPage(req: FastifyRequest, reply: FastifyReply, kind: 'queue' | 'tasks') {
    const staff = staffOf(req);
    const q = req.query as { item?: string; channel?: string; page?: number };
    const channel = q.channel ? Number(q.channel) : undefined;
    const requested = q.page ?? 1;
    const filter = {
      ...scopeOf(staff),
      states: kind === 'queue' ? (['submitted'] as const).slice() : (['in_review', 'suspended'] as const).slice(),
      item: q.item,
      channel,
      ...(kind === 'tasks' ? { stepRoles: staff.roles as string[] } : {}),
      order: kind === 'queue' ? ('oldest' as const) : ('due' as const),
    };
    const first = await listCases(ctx.db, { ...filter, limit: PAGE_SIZE, offset: (requested - 1) * PAGE_SIZE });
    const total = first.total;
    let rows = first.rows;
    const base = kind === 'queue' ? '/staff/cases' : '/staff/cases/tasks';
    const href = (n: number) => {
      const p = new URLSearchParams({ ...(q.item ? { item: q.item } : {}), ...(q.channel ? { channel: q.channel } : {}), ...(n > 1 ? { page: String(n) } : {}) }).toString();
      return p ? `${base}?${p}` : base;
    };
    const pagination = paginate(total, requested, PAGE_SIZE, href);
    // Past the last page: show the last page, as the pagination partial says.
    if (pagination.page !== requested && total > 0) rows = (await listCases(ctx.db, { ...filter, limit: PAGE_SIZE, offset: (pagination.page - 1) * PAGE_SIZE })).rows;
    const views = await Promise.all(rows.map((r) => cases.view(r)));
    const items = views.map((v, i) => ({ ...v, orgId: rows[i]!.org_id, submitted: formatTime(v.submittedAt), channelName: CHANNEL_NAMES[v.channel] ?? '', lightText: lightText(v.light, v.dueOn), stepName: v.steps[v.step]?.name ?? '' }));
    const orgs: Record<string, string> = {};
    for (const id of new Set(items.map((i) => i.orgId))) orgs[id] = await orgName(id);
    const title = kind === 'queue' ? '综合受理：待受理办件' : '我的待办';
    return render.page(req, reply, `${PAGES}/list.eta`, { kind, items, orgs, pagination, filter: { item: q.item ?? '', channel: q.channel ?? '' }, channels: CHANNEL_NAMES, region: await regionName(staff.regionCode), canWalkIn: staff.roles.includes('window_clerk') }, { title, breadcrumbs: [home, { label: title }] });
  }

  app.get('/staff/cases', {
    config: { access: access.staff(WORKBENCH_ROLES) },
    schema: { ...page, querystring: ListQuery },
    handler: (req, reply) => listPage(req, reply, 'queue'),
  });

  app.get('/staff/cases/tasks', {
    config: { access: access.staff(WORKBENCH_ROLES) },
    schema: { ...page, querystring: ListQuery },
    handler: (req, reply) => listPage(req, reply, 'tasks'),
  });

  /** Loads a case for this staff member: region (403) and organisation (404) checked. */
  async function load(req: FastifyRequest, id: string) {
    const staff = staffOf(req);
    const { view, row } = await cases.get(staff, id);
    assertOrg(staff, row);
    return { staff, view, row };
  }

  async function casePage(req: FastifyRequest, reply: FastifyReply, id: string, extra: { errors?: FieldError[]; status?: number; conflict?: string; values?: Record<string, unknown>; pickupCode?: string; done?: string } = {}) {
    const { staff, view, row } = await load(req, id);
    const [materials, events, published, org] = await Promise.all([listMaterials(ctx.db, row.id), listEvents(ctx.db, row.id, false), catalog.published<ImplementationContent>(row.implementation_id), orgName(row.org_id)]);
    const impl = published?.content ?? null;
    const forms = actionForms(staffActions(staff, view));
    const transferOrgs = forms.some((f) => f.spec.kind === 'transfer') ? (await regions.organisations(row.region_code.slice(0, 6)).catch(() => [])).filter((o) => o.id !== row.org_id).map((o) => ({ id: o.id, name: o.name })) : [];
    const done = extra.done ?? (req.query as { done?: string }).done;
    const linked = await linkedCases(ctx, row, scopeOf(staff));
    return render.page(
      req,
      reply,
      `${PAGES}/case.eta`,
      {
        view,
        org,
        channelName: CHANNEL_NAMES[view.channel] ?? '',
        lightText: lightText(view.light, view.dueOn),
        commitmentDueOn: row.commitment_due_on,
        answers: answerRows((impl?.formSchema as never) ?? null, row.answers),
        materials: materials.map((m) => ({ ...m, previewable: !!m.file_hash, image: m.mime === 'image/jpeg' || m.mime === 'image/png' })),
        implMaterials: (impl?.materials ?? []).map((m) => ({ materialId: m.id, name: m.name })),
        legalBasis: (impl?.legalBasis ?? []).map((b) => `${b.title}${b.article ? ` ${b.article.split(/\s/)[0]}` : ''}`),
        events: events.map((e) => ({ id: e.id, label: eventLabel(e.action), at: formatTime(e.created_at), note: e.note, internal: !e.public, notice: NOTICE_ACTIONS.has(e.action) })),
        forms,
        procedures: PROCEDURES,
        deliveryMethods: DELIVERY_METHODS,
        transferOrgs,
        today: today(),
        done: done && TRANSITIONS[done as CaseAction] ? TRANSITIONS[done as CaseAction].label : null,
        errors: extra.errors ?? [],
        conflict: extra.conflict ?? null,
        values: extra.values ?? {},
        pickupCode: extra.pickupCode ?? null,
        linked,
      },
      { title: `办件 ${view.caseNumber}`, status: extra.status, breadcrumbs: [home, queueCrumb, { label: view.caseNumber }] },
    );
  }

  app.get('/staff/cases/:id', {
    config: { access: access.staff(WORKBENCH_ROLES) },
    schema: { ...page, params: Type.Object({ id: Id }), querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 40 })) }) },
    handler: (req, reply) => casePage(req, reply, (req.params as { id: string }).id),
  });

  app.post('/staff/cases/:id/actions/:action', {
    config: { access: access.staff(INTAKE_ROLES) },
    schema: { ...page, params: Type.Object({ id: Id, action: Type.String({ pattern: '^[a-z_]{1,40}$' }) }) },
    handler: async (req, reply) => {
      const { id, action } = req.params as { id: string; action: string };
      if (!Object.prototype.hasOwnProperty.call(TRANSITIONS, action) || TRANSITIONS[action as CaseAction].by === 'applicant') throw new AppError('CASE_ACTION_NOT_ALLOWED');
      const { staff, row } = await load(req, id);
      const body = (req.body ?? {}) as Record<string, string | string[] | undefined>;
      const materials = await listMaterials(ctx.db, row.id);
      const impl = (await catalog.published<ImplementationContent>(row.implementation_id))?.content;
      const names = (impl?.materials ?? []).map((m) => ({ materialId: m.id, name: m.name }));
      for (const m of materials) if (!names.some((n) => n.materialId === m.material_id)) names.push({ materialId: m.material_id, name: m.name });
      const parsed = parseAction(action as CaseAction, body, names);
      if (parsed.errors.length) return casePage(req, reply, id, { errors: parsed.errors, status: 400, values: body });
      let pickupCode: string | undefined;
      try {
        ({ pickupCode } = await cases.act(staff, id, action as CaseAction, { version: parsed.version, ...(parsed.note ? { note: parsed.note } : {}), data: parsed.data }, { requestId: String(req.id) }));
      } catch (err) {
        if (!isAppError(err)) throw err;
        if (err.code === 'CASE_CONFLICT' || err.code === 'CASE_ACTION_NOT_ALLOWED') {
          return casePage(req, reply, id, { conflict: `${err.message}${err.detail ? `（${err.detail}）` : ''}`, status: 409 });
        }
        if (err.code === 'VALIDATION_FAILED') {
          const errors = (err.errors?.length ? err.errors : [{ field: 'note', message: err.message }]).map((e) => ({ field: `${action}-${e.field}`, message: e.message }));
          return casePage(req, reply, id, { errors, status: 400, values: body });
        }
        throw err;
      }
      // The pick-up code exists only in this answer (the case keeps a hash): show it now
      // rather than lose it in a redirect. Reloading re-posts a stale version, a harmless 409.
      if (pickupCode) return casePage(req, reply, id, { pickupCode, done: action });
      return reply.redirect(`/staff/cases/${id}?done=${action}`, 303);
    },
  });

  // Materials hold personal data: every look is recorded, and only staff of the case's region see them.
  app.get('/staff/cases/:id/materials/:materialId', {
    config: { access: access.staff(WORKBENCH_ROLES) },
    schema: { ...page, params: Type.Object({ id: Id, materialId: Id }) },
    handler: async (req, reply) => {
      const { id, materialId } = req.params as { id: string; materialId: string };
      const { staff, row } = await load(req, id);
      const material = await findMaterial(ctx.db, row.id, materialId);
      if (!material?.file_hash || !isSha256(material.file_hash)) throw new AppError('NOT_FOUND');
      const bytes = await files.get(material.file_hash);
      if (!bytes) throw new AppError('NOT_FOUND');
      await recordAudit(ctx.db, { actor: staff, action: 'case.material.view', targetType: 'case_material', targetId: material.id, regionCode: row.region_code, change: { caseId: row.id, caseNumber: row.case_number, materialId: material.material_id, personalData: true }, requestId: String(req.id) });
      const mime = sniffType(bytes);
      const name = encodeURIComponent(material.file_name ?? `${material.material_id}`);
      return reply
        .header('content-type', mime ?? 'application/octet-stream')
        .header('content-disposition', `${mime ? 'inline' : 'attachment'}; filename*=UTF-8''${name}`)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'no-store')
        .send(bytes);
    },
  });

  app.get('/staff/cases/:id/notice/:eventId', {
    config: { access: access.staff(WORKBENCH_ROLES) },
    schema: { ...page, params: Type.Object({ id: Id, eventId: Type.String({ pattern: '^\\d{1,18}$' }) }) },
    handler: async (req, reply) => {
      const { id, eventId } = req.params as { id: string; eventId: string };
      const { view, row } = await load(req, id);
      const event = await findEvent(ctx.db, row.id, eventId);
      if (!event || !NOTICE_ACTIONS.has(event.action)) throw new AppError('NOT_FOUND');
      const data = (event.data ?? {}) as { items?: { name: string; reason: string }[]; legalBasis?: string };
      const kind = event.action === 'refuse' ? '不予受理通知书' : '补正材料一次性告知书';
      return render.page(req, reply, `${PAGES}/notice.eta`, { view, kind, refusal: event.action === 'refuse', note: event.note ?? '', items: data.items ?? [], legalBasis: data.legalBasis ?? '', date: formatTime(event.created_at).slice(0, 10), org: await orgName(row.org_id) }, { title: kind, breadcrumbs: [home, queueCrumb, { label: view.caseNumber, href: `/staff/cases/${id}` }, { label: kind }] });
    },
  });

  app.get('/staff/cases/dashboard', {
    config: { access: access.staff(WORKBENCH_ROLES) },
    schema: { ...page },
    handler: async (req, reply) => {
      const staff = staffOf(req);
      const day = today();
      const board = await buildDashboard(ctx.db, scopeOf(staff), { calendar: await calendar.current(), today: day, orgName, regionName, overdueLimit: 100 });
      const overdueViews = await Promise.all(board.overdue.map(async (r) => ({ id: r.id, caseNumber: r.case_number, itemName: r.item_name, dueOn: r.due_on, org: await orgName(r.org_id) })));
      return render.page(req, reply, `${PAGES}/dashboard.eta`, { board, today: day, region: await regionName(staff.regionCode), orgChart: barChart(board.byOrg), regionChart: barChart(board.byRegion), overdue: overdueViews }, { title: '办理时限监控', breadcrumbs: [home, { label: '办理时限监控' }] });
    },
  });

  walkInRoutes(app, ctx, { cases, catalog, regions, files });
}
