// 一件事 pages: one merged application form with each de-duplicated material asked once,
// posted as a single multipart form (no JavaScript) and split by BundleService into linked
// cases at each department; the application's page with those cases; and the small reads
// 我的办件 and the staff case page use to show that a case belongs to one.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { AppError, isAppError, type FieldError } from '../../../platform/http/errors.ts';
import type { Actor, RealNameLevel } from '../../../platform/http/access.ts';
import type { Queryable } from '../../../platform/db/database.ts';
import type { AppContext } from '../../../platform/module.ts';
import { isWellFormedRegionCode, regionContains } from '../../../platform/region-code.ts';
import { REGION_COOKIE } from '../../../platform/web/render.ts';
import { checkUpload, fileStoreFromConfig } from '../../../platform/files/index.ts';
import { createScenarioService, type ScenarioBundle } from '../../catalog/index.ts';
import { RegionService } from '../../regions/index.ts';
import { parseForm, renderForm } from '../forms/index.ts';
import { bundleServiceFor, CASE_STATES, type CaseState } from '../index.ts';
import type { BundleFile } from '../bundles.ts';
import { bundleCases, findBundle } from '../bundle-store.ts';
import type { CaseRow } from '../store.ts';
import { pageHelpers } from './case-pages.ts';
import { multipartScope, one, readMultipart } from './multipart.ts';
import { applicantOf, buildPrefill, identityOf } from './prefill.ts';
import { applicants, mineCrumbs, PAGES } from './shared.ts';

const CodeParams = Type.Object({ scenarioCode: Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$' }) });
const FORMS = { original: '原件', copy: '复印件', electronic: '电子件' } as const;
// The nonce is the idempotency key: a second click of the same form returns the first application.
const NONCE = /^[A-Za-z0-9-]{16,64}$/;
const daysText = (n: number) => (n === 0 ? '即办' : `${n} 个工作日`);

interface ApplyState {
  answers: Record<string, unknown>;
  errors: FieldError[];
  nonce: string;
  /** Files were posted and are not kept: the applicant must choose them again. */
  filesDropped: boolean;
}

/** Where an exempt material comes from, in the applicant's words. */
function exemptWhy(m: ScenarioBundle['materials'][number]): string {
  const via = [...m.licenceTypes.map((t) => `电子证照（${t}）`), ...m.dataResources.map((d) => `数据共享（${d}）`)];
  return via.length ? via.join('、') : m.neededBy.some((n) => n.source === 'licence') ? '电子证照' : '数据共享';
}

/** An upload is asked for every material some department needs from the applicant. */
const uploadable = (m: ScenarioBundle['materials'][number]) => !m.exempt;

export function bundlePageRoutes(app: FastifyInstance, ctx: AppContext): void {
  const files = fileStoreFromConfig(ctx.config);
  const maxBytes = ctx.config.files.maxUploadBytes;
  const scenarios = createScenarioService(ctx.db);
  const regions = new RegionService(ctx.db);
  const orgName = (id: string) => regions.organisation(id).then((o) => o.name, () => '（未知部门）');

  /** ?region= when given (a bad one is a 404), else the region switcher's cookie, else the node's. */
  async function regionOf(req: FastifyRequest, asked: string | undefined): Promise<string> {
    if (asked !== undefined && asked !== '') {
      if (!isWellFormedRegionCode(asked)) throw new AppError('REGION_NOT_FOUND', { detail: asked.slice(0, 20) });
      await regions.get(asked);
      return asked;
    }
    const cookie = req.cookies[REGION_COOKIE];
    if (cookie && isWellFormedRegionCode(cookie) && (await regions.get(cookie).then(() => true, () => false))) return cookie;
    return ctx.config.nodeRegionCode;
  }

  /** The counties (and cities, for city-level items) of the region's province, by city. */
  async function countyChoices(regionCode: string) {
    const province = `${regionCode.slice(0, 2)}0000`;
    const cities = await regions.children(province).catch(() => []);
    return Promise.all(cities.map(async (c) => ({ code: c.code, name: c.name, counties: (await regions.children(c.code).catch(() => [])).map((k) => ({ code: k.code, name: k.name })) })));
  }

  function assertLevel(actor: Actor, bundle: ScenarioBundle, returnTo: string): void {
    const level = bundle.totals.minRealNameLevel;
    if (actor.kind === 'citizen' && actor.realNameLevel < level) {
      throw new AppError('STEP_UP_REQUIRED', { detail: `这件事网上申请需要实名认证等级 L${level}`, location: `/account/step-up?level=${level as RealNameLevel}&next=${encodeURIComponent(returnTo)}` });
    }
  }

  async function showApply(req: FastifyRequest, reply: FastifyReply, bundle: ScenarioBundle, state: ApplyState, status = 200) {
    const applicant = applicantOf(req.actor);
    if (!applicant) throw new AppError('FORBIDDEN');
    const audienceOk = (bundle.scenario.audience === 'company') === (req.actor.kind === 'company');
    const who = await identityOf(ctx, req.actor, applicant);
    const prefill = buildPrefill(bundle.form.schema, { ...who, previous: null }, state.answers);
    const fieldsHtml = bundle.complete && audienceOk ? renderForm({ schema: bundle.form.schema, values: prefill.values, errors: state.errors, provenance: prefill.provenance, readOnly: prefill.readOnly }) : '';
    const materials = bundle.materials.map((m) => {
      const id = `materials.${m.key}`;
      return {
        id,
        name: m.name,
        formText: `${FORMS[m.form]} ${m.count} 份`,
        required: m.required && !m.conditional,
        conditional: m.conditional,
        exempt: m.exempt,
        partlyExempt: m.partlyExempt,
        exemptWhy: m.exempt || m.partlyExempt ? exemptWhy(m) : '',
        who: [...new Set(m.neededBy.map((n) => n.itemName))],
        error: state.errors.find((e) => e.field === id)?.message ?? null,
      };
    });
    const departments = bundle.members.map((m) => ({
      name: m.name,
      org: m.implementation?.org?.name ?? m.departmentName,
      region: m.implementation?.regionName ?? '',
      promised: m.implementation ? daysText(m.implementation.promisedLimitDays) : '',
      guideUrl: m.implementation?.guideUrl ?? null,
    }));
    return ctx.render.page(
      req,
      reply,
      `${PAGES}/bundle-apply.eta`,
      {
        bundle,
        audienceOk,
        fieldsHtml,
        materials,
        departments,
        errors: state.errors,
        nonce: state.nonce,
        filesDropped: state.filesDropped,
        counties: await countyChoices(bundle.region.code),
        maxMb: Math.floor(maxBytes / 1048576),
        action: `/cases/bundles/apply/${bundle.scenario.code}`,
      },
      { title: `${bundle.scenario.name}：在线联办（${bundle.region.fullName}）`, breadcrumbs: [...mineCrumbs(req), { label: bundle.scenario.name, href: `/scenarios/${bundle.scenario.code}?region=${bundle.region.code}` }, { label: '在线联办' }], status },
    );
  }

  app.get('/cases/bundles/apply/:scenarioCode', {
    config: { access: applicants },
    schema: { hide: true, params: CodeParams, querystring: Type.Object({ region: Type.Optional(Type.String({ maxLength: 20 })) }) },
    handler: async (req, reply) => {
      const code = (req.params as { scenarioCode: string }).scenarioCode;
      const bundle = await scenarios.bundle(code, await regionOf(req, (req.query as { region?: string }).region));
      if (bundle.complete) assertLevel(req.actor, bundle, `/cases/bundles/apply/${code}?region=${bundle.region.code}`);
      return showApply(req, reply, bundle, { answers: {}, errors: [], nonce: randomUUID(), filesDropped: false });
    },
  });

  multipartScope(app, maxBytes, (scope) => {
    scope.post('/cases/bundles/apply/:scenarioCode', {
      // The token is inside the multipart body: readMultipart checks it before anything is stored.
      config: { access: applicants, csrf: false },
      schema: { hide: true, params: CodeParams, consumes: ['multipart/form-data'] },
      handler: async (req, reply) => {
        const form = await readMultipart(req);
        const code = (req.params as { scenarioCode: string }).scenarioCode;
        const regionCode = one(form.fields, 'region') ?? '';
        if (!isWellFormedRegionCode(regionCode)) throw new AppError('REGION_NOT_FOUND', { detail: regionCode.slice(0, 20) });
        const bundle = await scenarios.bundle(code, regionCode);
        const posted = one(form.fields, 'nonce') ?? '';
        const nonce = NONCE.test(posted) ? posted : randomUUID();
        const filesDropped = form.files.size > 0;
        if (!bundle.complete) return showApply(req, reply, bundle, { answers: {}, errors: [], nonce, filesDropped }, 422);
        assertLevel(req.actor, bundle, `/cases/bundles/apply/${code}?region=${regionCode}`);
        const applicant = applicantOf(req.actor);
        if (!applicant) throw new AppError('FORBIDDEN');
        // Read-only identity values come from the server's copy, whatever the body says.
        const fixed = buildPrefill(bundle.form.schema, { ...(await identityOf(ctx, req.actor, applicant)), previous: null }).fixed;
        const answers = parseForm(bundle.form.schema, form.fields, { fixed });

        const given: BundleFile[] = [];
        const uploadErrors: FieldError[] = [];
        for (const m of bundle.materials.filter(uploadable)) {
          const field = `materials.${m.key}`;
          const file = form.files.get(field);
          if (!file || file.bytes.length === 0) continue;
          if (file.truncated) {
            uploadErrors.push({ field, message: `“${m.name}”文件过大，最大 ${Math.floor(maxBytes / 1048576)} MB` });
            continue;
          }
          const checked = checkUpload(file.bytes, file.filename, { maxBytes });
          if (!checked.ok) {
            uploadErrors.push({ field, message: `“${m.name}”：${checked.message}` });
            continue;
          }
          const stored = await files.put(file.bytes);
          given.push({ key: m.key, fileHash: stored.sha256, fileName: file.filename.slice(0, 200), mime: checked.mime, sizeBytes: stored.size });
        }
        if (uploadErrors.length) {
          // Nothing is submitted with a refused file: say what else is wrong in the same answer.
          const split = await scenarios.split(bundle, answers);
          const missing = bundle.materials
            .filter((m) => uploadable(m) && m.required && !m.conditional && !given.some((g) => g.key === m.key) && !uploadErrors.some((e) => e.field === `materials.${m.key}`))
            .map((m) => ({ field: `materials.${m.key}`, message: `请上传“${m.name}”` }));
          return showApply(req, reply, bundle, { answers, errors: [...split.errors, ...uploadErrors, ...missing], nonce, filesDropped }, 400);
        }
        try {
          const { view } = await bundleServiceFor(ctx).submit(req.actor, { scenarioCode: code, regionCode, answers, materials: given, idempotencyKey: nonce }, { requestId: String(req.id) });
          return reply.redirect(`/cases/bundles/${view.id}?submitted=1`, 303);
        } catch (err) {
          if (isAppError(err) && err.code === 'VALIDATION_FAILED' && err.errors) return showApply(req, reply, bundle, { answers, errors: err.errors, nonce, filesDropped }, 400);
          throw err;
        }
      },
    });
  });

  app.get('/cases/bundles/:id', {
    config: { access: applicants },
    schema: { hide: true, params: Type.Object({ id: Type.String({ format: 'uuid' }) }), querystring: Type.Object({ submitted: Type.Optional(Type.String({ maxLength: 2 })) }) },
    handler: async (req, reply) => {
      const view = await bundleServiceFor(ctx).get(req.actor, (req.params as { id: string }).id);
      const cases = await Promise.all(view.cases.map(async (c) => ({ ...c, org: await orgName(c.orgId) })));
      return ctx.render.page(
        req,
        reply,
        `${PAGES}/bundle-result.eta`,
        { view, cases, submitted: (req.query as { submitted?: string }).submitted === '1', h: pageHelpers },
        { title: `${view.scenarioName}（联办申请）`, breadcrumbs: [...mineCrumbs(req), { label: view.scenarioName }] },
      );
    },
  });
}

/** The 一件事 each of these cases belongs to (for 我的办件), by case id. */
export async function bundlesOfCases(db: Queryable, caseIds: readonly string[]): Promise<Record<string, { id: string; name: string }>> {
  if (!caseIds.length) return {};
  const rows = await db
    .selectFrom('service_case')
    .innerJoin('case_bundle', 'case_bundle.id', 'service_case.bundle_id')
    .select(['service_case.id as caseId', 'case_bundle.id as bundleId', 'case_bundle.scenario_name as name'])
    .where('service_case.id', 'in', [...caseIds])
    .execute();
  return Object.fromEntries(rows.map((r) => [r.caseId, { id: r.bundleId, name: r.name }]));
}

export interface LinkedCase {
  id: string;
  caseNumber: string;
  itemName: string;
  org: string;
  state: CaseState;
  stateName: string;
  /** The design system's tag variant for the state. */
  tag: string | undefined;
  /** The staff member may open it (their region, and their organisation when bound to one). */
  visible: boolean;
}

/**
 * The other departments' cases of the same 一件事, for the staff case page (联办件): enough to
 * coordinate — number, department, state — and a link only where the viewer may open it.
 */
export async function linkedCases(ctx: AppContext, row: Pick<CaseRow, 'id' | 'bundle_id'>, viewer: { regionCode: string; orgId: string | null }): Promise<{ name: string; cases: LinkedCase[] } | null> {
  if (!row.bundle_id) return null;
  const bundle = await findBundle(ctx.db, row.bundle_id);
  if (!bundle) return null;
  const regions = new RegionService(ctx.db);
  const others = (await bundleCases(ctx.db, bundle.id)).filter((c) => c.id !== row.id);
  const cases = await Promise.all(
    others.map(async (c) => ({
      id: c.id,
      caseNumber: c.case_number,
      itemName: c.item_name,
      org: await regions.organisation(c.org_id).then((o) => o.name, () => '（未知部门）'),
      state: c.state,
      stateName: CASE_STATES[c.state],
      tag: pageHelpers.stateTags[c.state],
      visible: regionContains(viewer.regionCode, c.region_code) && (viewer.orgId === null || viewer.orgId === c.org_id),
    })),
  );
  return { name: bundle.scenario_name, cases };
}
