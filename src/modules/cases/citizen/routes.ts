// The citizen's and company's application pages: the apply wizard (form → materials → review
// → the case number at once), 我的办件, the case page with its timeline and the applicant's
// actions, and the public progress lookup. Server-rendered, working without JavaScript; every
// step saves the draft. Case pages are in case-pages.ts.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { AppError, isAppError, type FieldError } from '../../../platform/http/errors.ts';
import type { AppContext } from '../../../platform/module.ts';
import { fileStoreFromConfig } from '../../../platform/files/index.ts';
import { parseForm, renderForm, validateAnswers, type FormBody } from '../forms/index.ts';
import { caseServiceFor } from '../index.ts';
import { applicationFor, applyMaterialChoices, draftOf, materialsAsked, materialsForSubmission, missingMaterials, ownDraft, type Application } from './drafts.ts';
import { authorisationFor, candidatesFor } from './material-sources.ts';
import { RegionService } from '../../regions/index.ts';
import { multipartScope, one, readMultipart } from './multipart.ts';
import { buildPrefill, knownFor } from './prefill.ts';
import { answerLines } from './summary.ts';
import { casePageRoutes, registerCasesSection } from './case-pages.ts';
import { bundlePageRoutes } from './bundle-pages.ts';
import * as store from './store.ts';
import { applicants, mineCrumbs, PAGES } from './shared.ts';

const Id = Type.String({ format: 'uuid' });
const STEP_NAMES = ['填写申请表', '提交材料', '确认并提交'];

export function citizenCaseRoutes(app: FastifyInstance, ctx: AppContext): void {
  const files = fileStoreFromConfig(ctx.config);
  const maxBytes = ctx.config.files.maxUploadBytes;
  const cases = () => caseServiceFor(ctx);
  const base = (id: string) => `/cases/apply/${id}`;

  async function load(req: FastifyRequest) {
    const id = (req.params as { implementationId: string }).implementationId;
    const application = await applicationFor(ctx, req.actor, id, req.method === 'GET' ? req.url : base(id));
    return application;
  }

  async function formState(req: FastifyRequest, a: Application, draft: store.DraftRow, answers: Record<string, unknown>) {
    const known = await knownFor(ctx, req.actor, a.applicant, a.implementationId, draft.origin_case_id);
    return { known, prefill: buildPrefill(a.impl.formSchema, known, answers) };
  }

  function page(req: FastifyRequest, reply: FastifyReply, a: Application, step: number, view: string, data: Record<string, unknown>, status = 200) {
    return ctx.render.page(
      req,
      reply,
      `${PAGES}/${view}.eta`,
      { ...data, item: a.impl, implementationId: a.implementationId, step, steps: STEP_NAMES, base: base(a.implementationId) },
      { title: `${a.impl.name}：${STEP_NAMES[step - 1]}（步骤 ${step}/3）`, breadcrumbs: [...mineCrumbs(req), { label: a.impl.name }], status },
    );
  }

  async function showForm(req: FastifyRequest, reply: FastifyReply, a: Application, draft: store.DraftRow, answers: Record<string, unknown>, errors: FieldError[], status = 200) {
    const { prefill } = await formState(req, a, draft, answers);
    const fieldsHtml = renderForm({ schema: a.impl.formSchema, values: prefill.values, errors, provenance: prefill.provenance, readOnly: prefill.readOnly });
    return page(req, reply, a, 1, 'apply-form', { fieldsHtml, errors, draft }, status);
  }

  async function showMaterials(req: FastifyRequest, reply: FastifyReply, a: Application, draft: store.DraftRow, errors: FieldError[], status = 200) {
    const asked = await Promise.all(
      materialsAsked(a.impl).map(async (m) => ({ ...m, current: draft.materials[m.material.id] ?? null, candidates: await candidatesFor(ctx, a.applicant, m.material), error: errors.find((e) => e.field === `materials.${m.material.id}`)?.message ?? null })),
    );
    return page(req, reply, a, 2, 'apply-materials', { asked, errors, draft, maxMb: Math.floor(maxBytes / 1048576) }, status);
  }

  async function showReview(req: FastifyRequest, reply: FastifyReply, a: Application, draft: store.DraftRow, errors: FieldError[], status = 200) {
    const { prefill } = await formState(req, a, draft, draft.answers);
    const lines = answerLines(a.impl.formSchema, { ...draft.answers, ...prefill.fixed });
    const materials = materialsAsked(a.impl).map((m) => ({ ...m, current: draft.materials[m.material.id] ?? null }));
    // Reusing an e-licence needs the applicant's consent: the review shows what they authorise.
    const reused = materials.filter((m) => m.current?.source === 'licence' && m.current.reference);
    const department = reused.length ? (await new RegionService(ctx.db).organisation(a.impl.orgId)).name : '';
    const consents = reused.map((m) => ({ materialName: m.material.name, text: authorisationFor('licence', { title: m.current!.title ?? m.current!.reference!, reference: m.current!.reference!, department, itemName: a.impl.name }) ?? `授权${department}在办理“${a.impl.name}”时使用您的电子证照“${m.current!.title ?? m.current!.reference!}”。` }));
    return page(req, reply, a, 3, 'apply-review', { lines, materials, consents, errors, draft }, status);
  }

  app.get('/cases/apply/:implementationId', {
    config: { access: applicants },
    schema: { hide: true, params: Type.Object({ implementationId: Id }), querystring: Type.Object({ step: Type.Optional(Type.Integer({ minimum: 1, maximum: 3 })) }) },
    handler: async (req, reply) => {
      const a = await load(req);
      const draft = (await store.findOpenDraft(ctx.db, a.applicant, a.implementationId)) ?? (await draftOf(ctx, a));
      // A later step only once the earlier ones were completed.
      const step = Math.min((req.query as { step?: number }).step ?? draft.step, draft.step);
      if (step === 2) return showMaterials(req, reply, a, draft, []);
      if (step === 3) return showReview(req, reply, a, draft, []);
      return showForm(req, reply, a, draft, draft.answers, []);
    },
  });

  app.post('/cases/apply/:implementationId/form', {
    config: { access: applicants },
    schema: { hide: true, params: Type.Object({ implementationId: Id }) },
    handler: async (req, reply) => {
      const a = await load(req);
      const draft = await draftOf(ctx, a);
      const body = (req.body ?? {}) as FormBody;
      const { prefill } = await formState(req, a, draft, draft.answers);
      // Read-only identity values come from the server's copy, whatever the body says.
      const answers = parseForm(a.impl.formSchema, body, { fixed: prefill.fixed });
      const leaving = one(body, 'action') === 'save';
      const errors = leaving ? [] : validateAnswers(a.impl.formSchema, answers);
      await store.updateDraft(ctx.db, draft.id, { answers, step: errors.length || leaving ? draft.step : Math.max(draft.step, 2) });
      if (errors.length) return showForm(req, reply, a, draft, answers, errors, 400);
      return reply.redirect(leaving ? '/cases/mine?saved=1' : `${base(a.implementationId)}?step=2`, 303);
    },
  });

  multipartScope(app, maxBytes, (scope) => {
    scope.post('/cases/apply/:implementationId/materials', {
      // The token is inside the multipart body: checked by readMultipart before anything is stored.
      config: { access: applicants, csrf: false },
      schema: { hide: true, params: Type.Object({ implementationId: Id }), consumes: ['multipart/form-data'] },
      handler: async (req, reply) => {
        const form = await readMultipart(req);
        const a = await load(req);
        const draft = await draftOf(ctx, a);
        if (draft.step < 2) return reply.redirect(base(a.implementationId), 303);
        const choices: Record<string, string> = {};
        for (const { material } of materialsAsked(a.impl)) {
          const c = one(form.fields, `choice.${material.id}`);
          if (c) choices[`materials.${material.id}`] = c;
        }
        const { materials, errors } = await applyMaterialChoices(ctx, files, maxBytes, { applicant: a.applicant, impl: a.impl, current: draft.materials, choices, uploads: form.files });
        const leaving = one(form.fields, 'action') === 'save';
        const all = leaving ? errors : [...errors, ...missingMaterials(a.impl, materials).filter((m) => !errors.some((e) => e.field === m.field))];
        await store.updateDraft(ctx.db, draft.id, { materials, step: all.length || leaving ? draft.step : 3 });
        const updated = { ...draft, materials };
        if (all.length) return showMaterials(req, reply, a, updated, all, 400);
        return reply.redirect(leaving ? '/cases/mine?saved=1' : `${base(a.implementationId)}?step=3`, 303);
      },
    });
    casePageRoutes(scope, ctx, { files, maxBytes, multipart: true });
  });

  app.post('/cases/apply/:implementationId/submit', {
    config: { access: applicants },
    schema: { hide: true, params: Type.Object({ implementationId: Id }), body: Type.Object({}) },
    handler: async (req, reply) => {
      const a = await load(req);
      const draft = await store.findOpenDraft(ctx.db, a.applicant, a.implementationId);
      if (!draft) {
        // A second click after the first went through: show the case the first one made.
        const done = await store.findSubmittedDraft(ctx.db, a.applicant, a.implementationId);
        return reply.redirect(done?.case_id ? `/cases/${done.case_id}/submitted` : base(a.implementationId), 303);
      }
      const { prefill } = await formState(req, a, draft, draft.answers);
      const answers = { ...draft.answers, ...prefill.fixed };
      const errors = [...validateAnswers(a.impl.formSchema, answers), ...missingMaterials(a.impl, draft.materials)];
      const needsConsent = Object.values(draft.materials).some((m) => m.source === 'licence');
      if (needsConsent && one((req.body ?? {}) as FormBody, 'consent') !== 'yes') errors.push({ field: 'consent', message: '使用电子证照须先阅读并同意授权' });
      if (errors.length) return showReview(req, reply, a, draft, errors, 400);
      try {
        // The draft id is the idempotency key: a double click makes one case.
        const { view } = await cases().submit(
          req.actor,
          { implementationId: a.implementationId, answers, materials: materialsForSubmission(a.impl, draft.materials), channel: 'web', idempotencyKey: draft.id },
          { requestId: String(req.id) },
        );
        await store.closeDraft(ctx.db, draft.id, view.id);
        return reply.redirect(`/cases/${view.id}/submitted`, 303);
      } catch (err) {
        if (isAppError(err) && err.code === 'VALIDATION_FAILED' && err.errors) return showReview(req, reply, a, draft, err.errors, 400);
        throw err;
      }
    },
  });

  app.post('/cases/drafts/:draftId/delete', {
    config: { access: applicants },
    schema: { hide: true, params: Type.Object({ draftId: Type.String({ maxLength: 64 }) }), body: Type.Object({}) },
    handler: async (req, reply) => {
      const draft = await ownDraft(ctx, req.actor, (req.params as { draftId: string }).draftId);
      if (!(await store.deleteDraft(ctx.db, draft.id))) throw new AppError('CASE_DRAFT_NOT_FOUND');
      return reply.redirect('/cases/mine?deleted=1', 303);
    },
  });

  casePageRoutes(app, ctx, { files, maxBytes, multipart: false });
  bundlePageRoutes(app, ctx);
  registerCasesSection(ctx);
}
