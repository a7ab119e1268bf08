// Public face of the case module (办件).
import type { AppContext, PlatformModule } from '../../platform/module.ts';
import type { Actor } from '../../platform/http/access.ts';
import { PersonalDataCipher } from '../../platform/crypto/personal-data.ts';
import { CalendarService } from '../../platform/calendar/index.ts';
import { AppError } from '../../platform/http/errors.ts';
import { createCatalogService } from '../catalog/index.ts';
import { citizenServiceFor } from '../identity/index.ts';
import { CaseService } from './service.ts';
import { caseApiRoutes } from './routes.ts';

export { CaseService, stepsOf, type CaseView, type SubmitInput, type MaterialInput } from './service.ts';
export { CASE_STATES, TRANSITIONS, CASE_ACTIONS, type CaseAction, type CaseState } from './state-machine.ts';
export { formatCaseNumber, isCaseNumber } from './case-number.ts';
export { renderForm, formFields, parseForm, validateAnswers, FORM_FIELD, SOURCE_LABELS, type RenderFormInput, type Provenance } from './forms/index.ts';

const services = new WeakMap<AppContext, CaseService>();

export function caseServiceFor(ctx: AppContext): CaseService {
  let svc = services.get(ctx);
  if (!svc) {
    const people = citizenServiceFor(ctx);
    svc = new CaseService({
      db: ctx.db,
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

export const casesModule: PlatformModule = {
  name: 'cases',
  routes(app, ctx) {
    caseApiRoutes(app, caseServiceFor(ctx));
  },
};
