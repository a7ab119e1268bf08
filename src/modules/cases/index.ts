// Public face of the case module (办件).
import type { AppContext, PlatformModule } from '../../platform/module.ts';
import type { Actor } from '../../platform/http/access.ts';
import { PersonalDataCipher } from '../../platform/crypto/personal-data.ts';
import { CalendarService } from '../../platform/calendar/index.ts';
import { AppError } from '../../platform/http/errors.ts';
import { createCatalogService, createScenarioService } from '../catalog/index.ts';
import { citizenServiceFor } from '../identity/index.ts';
import { CaseService, type CaseNotifier } from './service.ts';
import { TRANSITIONS, type CaseAction } from './state-machine.ts';
import { uploadRoutes } from './uploads.ts';
import { fileStoreFromConfig } from '../../platform/files/index.ts';
import { notify } from '../notifications/index.ts';
import { caseApiRoutes } from './routes.ts';
import { citizenCaseRoutes } from './citizen/routes.ts';
import { RegionService } from '../regions/index.ts';
import { courierOf } from '../../platform/external/courier.ts';
import { supervisionRoutes, supervisionServiceFor } from './supervision-routes.ts';
import { staffCaseRoutes } from './staff/routes.ts';
import { startCaseSchedules as startSchedules, type CaseSchedules } from './escalation.ts';
import type { Queryable } from '../../platform/db/database.ts';
import type { CaseRow } from './store.ts';
import { BundleService } from './bundles.ts';
import { bundleRoutes } from './bundle-routes.ts';

export { CaseService, stepsOf, type CaseView, type SubmitInput, type MaterialInput } from './service.ts';
export { CASE_STATES, TRANSITIONS, CASE_ACTIONS, eventLabel, type CaseAction, type CaseState } from './state-machine.ts';
export { formatCaseNumber, isCaseNumber } from './case-number.ts';
export { SPECIAL_PROCEDURES, type SpecialProcedure } from './state-machine.ts';
export { escalateOverdue, staffNotifier, sweepCaseFiles, todayInShanghai, ESCALATION_LEVELS, type CaseSchedules } from './escalation.ts';
export { SUPERVISION_SCOPE } from './supervision-routes.ts';
export { registerLicenceMaterialCheck, type LicenceMaterialCheck, type LicenceMaterialApplicant } from './licence-materials.ts';
export { registerMaterialSource, materialSources, type MaterialSource, type MaterialCandidate } from './citizen/material-sources.ts';
export { renderForm, formFields, parseForm, validateAnswers, FORM_FIELD, SOURCE_LABELS, type RenderFormInput, type Provenance } from './forms/index.ts';

export { BundleService, type BundleView, type BundleInput } from './bundles.ts';
// The licences module reads a submitted case's e-licence materials to record the applicant's consent.
export { listMaterials as listCaseMaterials, type CaseMaterialRow } from './store.ts';

const services = new WeakMap<AppContext, CaseService>();
const bundleServices = new WeakMap<AppContext, BundleService>();

/** 一件事 applications split into linked cases. */
export function bundleServiceFor(ctx: AppContext): BundleService {
  let svc = bundleServices.get(ctx);
  if (!svc) {
    svc = new BundleService(ctx.db, caseServiceFor(ctx), createScenarioService(ctx.db));
    bundleServices.set(ctx, svc);
  }
  return svc;
}

export function caseServiceFor(ctx: AppContext): CaseService {
  let svc = services.get(ctx);
  if (!svc) {
    const people = citizenServiceFor(ctx);
    const files = fileStoreFromConfig(ctx.config);
    svc = new CaseService({
      db: ctx.db,
      fileExists: (sha) => files.has(sha),
      organisation: organisationLookup(ctx),
      courier: () => courierOf(ctx.external),
      notifier: caseNotifier(ctx, people),
      catalog: createCatalogService(ctx.db),
      calendar: new CalendarService(ctx.db),
      cipher: new PersonalDataCipher(ctx.config.secrets),
      // The name and phone tail recorded on the case come from the verified account.
      identity: async (actor: Actor) => {
        if (actor.kind === 'company') return { name: actor.displayName, phoneTail: actor.creditCode.slice(-4) };
        if (actor.kind !== 'citizen') throw new AppError('FORBIDDEN');
        const claims = await people.claims(actor.onBehalfOf?.accountId ?? actor.accountId);
        if (!claims) throw new AppError('UNAUTHENTICATED');
        return { name: claims.name ?? claims.mobileMasked, phoneTail: claims.mobileMasked.slice(-4) };
      },
    });
    services.set(ctx, svc);
  }
  return svc;
}

/** An organisation by id for transfer checks and post senders; null when there is none. */
function organisationLookup(ctx: AppContext) {
  const regions = new RegionService(ctx.db);
  return async (id: string) => {
    try {
      const o = await regions.organisation(id);
      return { id: o.id, regionCode: o.regionCode, name: o.name };
    } catch (err) {
      if (err instanceof AppError && err.code === 'ORG_NOT_FOUND') return null;
      throw err;
    }
  };
}

const NOTICES: Partial<Record<CaseAction, (itemName: string, extra: { note: string | null; pickupCode?: string }) => string>> = {
  accept: (item) => `您申请的“${item}”已受理，可在“我的办件”查看进度。`,
  accept_with_commitment: (item) => `您申请的“${item}”已容缺受理，请按承诺日期补交材料。`,
  request_correction: (item, e) => `您申请的“${item}”需要补正材料：${e.note ?? ''}`,
  refuse: (item, e) => `您申请的“${item}”不予受理：${e.note ?? ''}`,
  decide_approve: (item) => `您申请的“${item}”已办结，准予许可。`,
  accept_on_commitment: (item) => `您申请的“${item}”已按告知承诺制准予许可，请按承诺条件经营，有关部门将在规定期限内核查。`,
  decide_reject: (item, e) => `您申请的“${item}”已办结，不予许可：${e.note ?? ''}`,
  deliver: (item, e) => (e.pickupCode ? `您申请的“${item}”已可领取，取件码 ${e.pickupCode}。` : `您申请的“${item}”已出件。`),
};

/** The applicant hears of acceptance, corrections, decisions and delivery, in site and by SMS. */
function caseNotifier(ctx: AppContext, people: ReturnType<typeof citizenServiceFor>): CaseNotifier {
  const tell = applicantMessenger(ctx, people);
  return async (tx, row, action, extra) => {
    const text = NOTICES[action]?.(row.item_name, extra);
    if (text) await tell(tx, row, `${row.item_name}：${TRANSITIONS[action].label}`, text, `case.${action}`);
  };
}

/** The applicant hears in site and, for a person, by SMS (through the outbox). */
function applicantMessenger(ctx: AppContext, people: ReturnType<typeof citizenServiceFor>) {
  return async (tx: Queryable, row: CaseRow, title: string, text: string, topic = 'case.notice'): Promise<void> => {
    const mobile = row.applicant_kind === 'citizen' ? await people.mobileOf(row.applicant_id, tx) : null;
    await notify(ctx, tx, {
      recipient: { kind: row.applicant_kind, accountId: row.applicant_id },
      regionCode: row.region_code.slice(0, 6),
      topic,
      title,
      body: `${text}（办件编号 ${row.case_number}）`,
      ...(mobile ? { sms: { mobile, text: `${text.slice(0, 200)}办件编号${row.case_number}` } } : {}),
    });
  };
}

/** 督办, 容缺 chasing and the orphan-upload sweep on a timer (server.ts). */
export function startCaseSchedules(ctx: AppContext, options: { everyMs?: number; graceMs?: number } = {}): CaseSchedules {
  const tell = applicantMessenger(ctx, citizenServiceFor(ctx));
  return startSchedules(ctx, { ...options, tellApplicant: (tx, row, title, text) => tell(tx, row, title, text, 'case.commitment_overdue') });
}

export const casesModule: PlatformModule = {
  name: 'cases',
  routes(app, ctx) {
    caseApiRoutes(app, caseServiceFor(ctx));
    supervisionRoutes(app, caseServiceFor(ctx), supervisionServiceFor(ctx, organisationLookup(ctx)));
    uploadRoutes(app, fileStoreFromConfig(ctx.config), ctx.config.files.maxUploadBytes);
    bundleRoutes(app, bundleServiceFor(ctx));
    citizenCaseRoutes(app, ctx);
    staffCaseRoutes(app, ctx);
  },
};
