// 我的办件, a case's page (state, deadlines, materials, timeline), the applicant's actions on
// it (补正 and resubmit, withdraw, 再来一单) and the public progress lookup. Another person's
// case is "not found" everywhere (the service's get answers 404).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { access } from '../../../platform/http/access.ts';
import { AppError, type FieldError } from '../../../platform/http/errors.ts';
import type { AppContext } from '../../../platform/module.ts';
import type { FileStore } from '../../../platform/files/index.ts';
import { createCatalogService, type ImplementationContent } from '../../catalog/index.ts';
import { registerUserCentreSection } from '../../identity/index.ts';
import { parseForm, renderForm, validateAnswers } from '../forms/index.ts';
import { caseServiceFor, eventLabel, isCaseNumber, type CaseView } from '../index.ts';
import * as caseStore from '../store.ts';
import { applicationFor, applyMaterialChoices, draftOf, materialsAsked, type PostedFile } from './drafts.ts';
import { candidatesFor } from './material-sources.ts';
import { one, readMultipart } from './multipart.ts';
import { applicantOf, buildPrefill, knownFor } from './prefill.ts';
import { resubmitWithChanges } from './resubmit.ts';
import { answerLines } from './summary.ts';
import * as store from './store.ts';
import { applicants, mineCrumbs, PAGES } from './shared.ts';
import { bundlesOfCases } from './bundle-pages.ts';

const Id = Type.String({ format: 'uuid' });
const STATE_TAGS: Record<string, string> = { correction_requested: 'warning', suspended: 'warning', approved: 'success', delivered: 'success', refused: 'grey', rejected: 'grey', withdrawn: 'grey' };
const LIGHT_TEXT: Record<string, string> = { green: '按期办理中', yellow: '即将到期', red: '已超期' };
const AGAIN_FROM = new Set(['approved', 'delivered', 'rejected', 'refused', 'withdrawn']);
const day = (d: Date | null) => (d ? d.toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' }) : '');
const time = (d: Date) => d.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });

export const pageHelpers = { stateTags: STATE_TAGS, lightText: LIGHT_TEXT, day, time };

export function casePageRoutes(app: FastifyInstance, ctx: AppContext, opts: { files: FileStore; maxBytes: number; multipart: boolean }): void {
  const cases = () => caseServiceFor(ctx);
  const catalog = createCatalogService(ctx.db);

  async function implementationOf(row: caseStore.CaseRow): Promise<ImplementationContent | null> {
    return (await catalog.published<ImplementationContent>(row.implementation_id))?.content ?? null;
  }

  /** The one-time correction notice: the note (and listed items) of the latest request. */
  async function correctionNotice(req: FastifyRequest, id: string) {
    const events = await cases().timeline(req.actor, id);
    const last = [...events].reverse().find((e) => e.action === 'request_correction');
    if (!last) return null;
    const items = ((last.data as { items?: { materialId?: string; reason?: string }[] })?.items ?? []).filter((i) => typeof i.reason === 'string');
    return { note: last.note, items, at: last.created_at };
  }

  async function showCorrection(req: FastifyRequest, reply: FastifyReply, view: CaseView, row: caseStore.CaseRow, input: { answers: Record<string, unknown>; materials: Record<string, store.DraftMaterial>; errors: FieldError[] }, status = 200) {
    const impl = await implementationOf(row);
    if (!impl) throw new AppError('CATALOG_ENTRY_NOT_FOUND', { detail: '该事项已调整，请到办理地点窗口补正' });
    const applicant = applicantOf(req.actor)!;
    const known = await knownFor(ctx, req.actor, applicant, row.implementation_id, null);
    const prefill = buildPrefill(impl.formSchema, { ...known, previous: null }, input.answers);
    const fieldsHtml = renderForm({ schema: impl.formSchema, values: prefill.values, errors: input.errors, provenance: prefill.provenance, readOnly: prefill.readOnly });
    const asked = await Promise.all(
      materialsAsked(impl).map(async (m) => ({ ...m, current: input.materials[m.material.id] ?? null, candidates: await candidatesFor(ctx, applicant, m.material), error: input.errors.find((e) => e.field === `materials.${m.material.id}`)?.message ?? null })),
    );
    return ctx.render.page(
      req,
      reply,
      `${PAGES}/correction.eta`,
      { view, notice: await correctionNotice(req, view.id), fieldsHtml, asked, errors: input.errors, maxMb: Math.floor(opts.maxBytes / 1048576) },
      { title: `补正材料：${view.itemName}`, breadcrumbs: [...mineCrumbs(req), { label: view.caseNumber, href: `/cases/${view.id}` }, { label: '补正' }], status },
    );
  }

  const currentMaterials = async (caseId: string): Promise<Record<string, store.DraftMaterial>> => {
    const out: Record<string, store.DraftMaterial> = {};
    for (const m of await caseStore.listMaterials(ctx.db, caseId)) {
      if (m.source === 'promised') continue;
      out[m.material_id] = { source: m.source, ...(m.file_hash ? { fileHash: m.file_hash } : {}), ...(m.file_name ? { fileName: m.file_name } : {}), ...(m.mime ? { mime: m.mime } : {}), ...(m.size_bytes !== null ? { sizeBytes: m.size_bytes } : {}), ...(m.reference ? { reference: m.reference } : {}) };
    }
    return out;
  };

  if (opts.multipart) {
    app.post('/cases/:id/correction', {
      config: { access: applicants, csrf: false },
      schema: { hide: true, params: Type.Object({ id: Id }), consumes: ['multipart/form-data'] },
      handler: async (req, reply) => {
        const form = await readMultipart(req);
        const { view, row } = await cases().get(req.actor, (req.params as { id: string }).id);
        if (row.state !== 'correction_requested') throw new AppError('CASE_ACTION_NOT_ALLOWED');
        const impl = await implementationOf(row);
        if (!impl) throw new AppError('CATALOG_ENTRY_NOT_FOUND');
        const applicant = applicantOf(req.actor)!;
        const known = await knownFor(ctx, req.actor, applicant, row.implementation_id, null);
        const answers = parseForm(impl.formSchema, form.fields, { fixed: buildPrefill(impl.formSchema, known).fixed });
        const current = await currentMaterials(row.id);
        const choices: Record<string, string> = {};
        for (const { material } of materialsAsked(impl)) {
          const c = one(form.fields, `choice.${material.id}`);
          if (c && c !== 'remove') choices[`materials.${material.id}`] = c;
        }
        const uploads: Map<string, PostedFile> = form.files;
        const applied = await applyMaterialChoices(ctx, opts.files, opts.maxBytes, { applicant, impl, current, choices, uploads });
        const errors = [...validateAnswers(impl.formSchema, answers), ...applied.errors];
        if (errors.length) return showCorrection(req, reply, view, row, { answers, materials: applied.materials, errors }, 400);
        const changed = impl.materials.filter((m) => applied.materials[m.id] && JSON.stringify(applied.materials[m.id]) !== JSON.stringify(current[m.id]));
        const version = Number(one(form.fields, 'version'));
        await resubmitWithChanges(cases(), req.actor, row.id, {
          version: Number.isInteger(version) ? version : -1,
          answers,
          materials: changed.map((m) => {
            const d = applied.materials[m.id]!;
            return { materialId: m.id, name: m.name, source: d.source, ...(d.fileHash ? { fileHash: d.fileHash } : {}), ...(d.fileName ? { fileName: d.fileName } : {}), ...(d.mime ? { mime: d.mime } : {}), ...(d.sizeBytes !== undefined ? { sizeBytes: d.sizeBytes } : {}), ...(d.reference ? { reference: d.reference } : {}) };
          }),
        }, { requestId: String(req.id) });
        return reply.redirect(`/cases/${row.id}?done=resubmit`, 303);
      },
    });
    // 容缺: the promised materials, each uploaded here; the case page shows what is still owed.
    app.post('/cases/:id/supply', {
      config: { access: applicants, csrf: false },
      schema: { hide: true, params: Type.Object({ id: Id }), consumes: ['multipart/form-data'] },
      handler: async (req, reply) => {
        const form = await readMultipart(req);
        const { row } = await cases().get(req.actor, (req.params as { id: string }).id);
        const impl = await implementationOf(row);
        if (!impl) throw new AppError('CATALOG_ENTRY_NOT_FOUND');
        const applied = await applyMaterialChoices(ctx, opts.files, opts.maxBytes, { applicant: applicantOf(req.actor)!, impl, current: {}, choices: {}, uploads: form.files });
        if (applied.errors.length) throw new AppError('VALIDATION_FAILED', { errors: applied.errors });
        const materials = Object.entries(applied.materials).map(([materialId, d]) => ({ materialId, source: 'upload' as const, fileHash: d.fileHash!, ...(d.fileName ? { fileName: d.fileName } : {}), ...(d.mime ? { mime: d.mime } : {}), ...(d.sizeBytes !== undefined ? { sizeBytes: d.sizeBytes } : {}) }));
        await cases().supplyMaterials(req.actor, row.id, materials, { requestId: String(req.id) });
        return reply.redirect(`/cases/${row.id}?done=supplied`, 303);
      },
    });
    return;
  }

  app.get('/cases/mine', {
    config: { access: applicants },
    schema: { hide: true, querystring: Type.Object({ saved: Type.Optional(Type.String({ maxLength: 2 })), deleted: Type.Optional(Type.String({ maxLength: 2 })) }) },
    handler: async (req, reply) => {
      const mine = applicantOf(req.actor)!;
      const [drafts, list] = await Promise.all([store.listOpenDrafts(ctx.db, mine), cases().mine(req.actor)]);
      const bundles = await bundlesOfCases(ctx.db, list.map((c) => c.id));
      const q = req.query as { saved?: string; deleted?: string };
      return ctx.render.page(req, reply, `${PAGES}/mine.eta`, { drafts, cases: list, bundles, again: [...AGAIN_FROM], saved: q.saved === '1', deleted: q.deleted === '1', h: pageHelpers }, { title: '我的办件', breadcrumbs: mineCrumbs(req).slice(0, 2) });
    },
  });

  app.get('/cases/progress', {
    config: { access: access.public() },
    schema: { hide: true },
    handler: async (req, reply) => ctx.render.page(req, reply, `${PAGES}/progress.eta`, { values: {}, errors: [], result: null, notFound: false, h: pageHelpers }, { title: '办件进度查询' }),
  });

  app.post('/cases/progress', {
    config: { access: access.public(), rateLimit: { max: 20, timeWindow: '1 minute' } },
    schema: { hide: true, body: Type.Object({ caseNumber: Type.Optional(Type.String({ maxLength: 40 })), phoneTail: Type.Optional(Type.String({ maxLength: 10 })) }) },
    handler: async (req, reply) => {
      const body = req.body as { caseNumber?: string; phoneTail?: string };
      const values = { caseNumber: (body.caseNumber ?? '').trim().toUpperCase(), phoneTail: (body.phoneTail ?? '').trim() };
      const errors: FieldError[] = [];
      if (!isCaseNumber(values.caseNumber)) errors.push({ field: 'caseNumber', message: '请填写正确的 22 位办件编号' });
      if (!/^\d{4}$/.test(values.phoneTail)) errors.push({ field: 'phoneTail', message: '请填写申请人手机号码的后 4 位数字' });
      const title = { title: '办件进度查询' };
      if (errors.length) return ctx.render.page(req, reply, `${PAGES}/progress.eta`, { values, errors, result: null, notFound: false, h: pageHelpers }, { ...title, status: 400 });
      // A wrong number and a wrong phone tail get the same answer.
      const result = await cases().progress(values.caseNumber, values.phoneTail);
      return ctx.render.page(req, reply, `${PAGES}/progress.eta`, { values, errors, result, notFound: !result, h: pageHelpers }, { ...title, status: result ? 200 : 404 });
    },
  });

  app.get('/cases/:id', {
    config: { access: applicants },
    schema: { hide: true, params: Type.Object({ id: Id }), querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) }) },
    handler: async (req, reply) => {
      const { view, row } = await cases().get(req.actor, (req.params as { id: string }).id);
      const [events, materials, impl] = await Promise.all([cases().timeline(req.actor, view.id), caseStore.listMaterials(ctx.db, view.id), implementationOf(row)]);
      const timeline = events.map((e) => ({ label: eventLabel(e.action), note: e.note, at: e.created_at }));
      const notice = view.state === 'correction_requested' ? await correctionNotice(req, view.id) : null;
      const lines = impl ? answerLines(impl.formSchema, (row.answers ?? {}) as Record<string, unknown>, '', '', true) : [];
      return ctx.render.page(
        req,
        reply,
        `${PAGES}/case.eta`,
        { view, timeline, materials, lines, notice, commitmentDueOn: row.commitment_due_on, promised: materials.filter((m) => m.source === 'promised'), maxMb: Math.floor(opts.maxBytes / 1048576), canAgain: AGAIN_FROM.has(view.state) && !!impl, done: (req.query as { done?: string }).done ?? null, h: pageHelpers },
        { title: `${view.itemName}（${view.caseNumber}）`, breadcrumbs: [...mineCrumbs(req), { label: view.caseNumber }] },
      );
    },
  });

  app.get('/cases/:id/submitted', {
    config: { access: applicants },
    schema: { hide: true, params: Type.Object({ id: Id }) },
    handler: async (req, reply) => {
      const { view } = await cases().get(req.actor, (req.params as { id: string }).id);
      return ctx.render.page(req, reply, `${PAGES}/submitted.eta`, { view, h: pageHelpers }, { title: '申请已提交', breadcrumbs: [...mineCrumbs(req), { label: view.caseNumber }] });
    },
  });

  app.get('/cases/:id/correction', {
    config: { access: applicants },
    schema: { hide: true, params: Type.Object({ id: Id }) },
    handler: async (req, reply) => {
      const { view, row } = await cases().get(req.actor, (req.params as { id: string }).id);
      if (row.state !== 'correction_requested') return reply.redirect(`/cases/${row.id}`, 303);
      return showCorrection(req, reply, view, row, { answers: (row.answers ?? {}) as Record<string, unknown>, materials: await currentMaterials(row.id), errors: [] });
    },
  });

  app.post('/cases/:id/withdraw', {
    config: { access: applicants },
    schema: { hide: true, params: Type.Object({ id: Id }), body: Type.Object({ version: Type.String({ pattern: '^\\d{1,9}$' }) }) },
    handler: async (req, reply) => {
      const id = (req.params as { id: string }).id;
      await cases().act(req.actor, id, 'withdraw', { version: Number((req.body as { version: string }).version) }, { requestId: String(req.id) });
      return reply.redirect(`/cases/${id}?done=withdraw`, 303);
    },
  });

  // 再来一单: a new draft of the same item, starting from this case's answers.
  app.post('/cases/:id/again', {
    config: { access: applicants },
    schema: { hide: true, params: Type.Object({ id: Id }), body: Type.Object({}) },
    handler: async (req, reply) => {
      const { row } = await cases().get(req.actor, (req.params as { id: string }).id);
      const a = await applicationFor(ctx, req.actor, row.implementation_id);
      const answers = (row.answers ?? {}) as Record<string, unknown>;
      const draft = await draftOf(ctx, a, { answers, originCaseId: row.id });
      // An open draft of the item already existed: start it over from this case.
      if (draft.origin_case_id !== row.id) await store.updateDraft(ctx.db, draft.id, { answers, originCaseId: row.id, step: 1 });
      return reply.redirect(`/cases/apply/${row.implementation_id}`, 303);
    },
  });
}

/** 我的办件 in the user centre (people) and 法人空间 (companies): open drafts, then the latest cases. */
export function registerCasesSection(ctx: AppContext): void {
  registerUserCentreSection(ctx, {
    id: 'cases',
    title: '我的办件',
    order: 10,
    async load(actor) {
      const mine = applicantOf(actor);
      if (!mine) return { items: [], empty: '暂无办件。' };
      const [drafts, list] = await Promise.all([store.listOpenDrafts(ctx.db, mine, 3), caseServiceFor(ctx).mine(actor, 5)]);
      return {
        items: [
          ...drafts.map((d) => ({ label: `${d.item_name}（草稿）`, href: `/cases/apply/${d.implementation_id}`, meta: `继续填写 · ${day(d.updated_at)}` })),
          ...list.map((c) => ({ label: `${c.itemName}（${c.caseNumber}）`, href: `/cases/${c.id}`, meta: c.stateName })),
        ],
        empty: '还没有办件。在办事指南中选择“在线办理”即可申请。',
        moreHref: '/cases/mine',
      };
    },
  });
}
