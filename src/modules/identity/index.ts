// Public face of the identity module.
import type { AppContext, PlatformModule } from '../../platform/module.ts';
import type { Db } from '../../platform/db/database.ts';
import type { SessionRecord } from '../../platform/http/session.ts';
import type { Actor } from '../../platform/http/access.ts';
import { PersonalDataCipher } from '../../platform/crypto/personal-data.ts';
import { StaffService, staffResolvers } from './service.ts';
import { identityRoutes } from './routes.ts';
import { CitizenService } from './people/service.ts';
import { peopleRoutes } from './people/routes.ts';
import { companiesAndAuthorisations, companyActorFromSession, withProxy } from './companies/index.ts';
import { verifyLegacyHash } from './migration/index.ts';

export { StaffService, hashPassword } from './service.ts';
export { CitizenService, normaliseMobile, type CitizenClaims } from './people/service.ts';
// People's account records for federation (linking and creating accounts from a peer's sign-in).
export { findCitizenById, findCitizenByIdNumber, findCitizenByMobile, insertCitizen, insertEvidence, raiseLevel } from './people/store.ts';
export { acrForLevel, levelForAcr, ACR_PREFIX, LEVEL_NAMES } from './people/levels.ts';
export { verifyWalkInPerson, checkWalkInPerson, type WalkInPerson, type WalkInResult } from './people/walk-in.ts';
export { unavailableVerifiers } from './verifiers/unavailable.ts';
export { registerLoginOptions } from './people/login-options.ts';
export { registerUserCentreSection, type UserCentreSection } from './people/user-centre.ts';
export { createHttpVerifiers } from './verifiers/index.ts';
export type { ExternalVerifiers } from './verifiers/types.ts';
export { assertProxyScope, assertCompanyScope, principalAccountId } from './companies/index.ts';
// A company account's registered name and USCC (licences issued to a company).
export { findCompanyById, type CompanyRow } from './companies/store.ts';
export { accountMigrationCommands, AccountImporter } from './migration/index.ts';

const citizenServices = new WeakMap<AppContext, CitizenService>();

/** The one CitizenService of an app (other modules reach people's accounts through it). */
export function citizenServiceFor(ctx: AppContext): CitizenService {
  let svc = citizenServices.get(ctx);
  if (!svc) {
    svc = new CitizenService(ctx.db, new PersonalDataCipher(ctx.config.secrets), ctx.external.identity, ctx.config.nodeRegionCode);
    svc.legacyVerifier = verifyLegacyHash;
    citizenServices.set(ctx, svc);
  }
  return svc;
}

/** How the platform's auth layer turns a session or a bearer token into an actor. */
export function identityResolvers(ctx: AppContext) {
  return {
    async fromSession(db: Db, session: SessionRecord): Promise<Actor | null> {
      if (session.accountKind === 'citizen') return withProxy(ctx, session, await citizenServiceFor(ctx).fromSession(session));
      if (session.accountKind === 'company') return companyActorFromSession(ctx, session);
      return staffResolvers.fromSession(db, session);
    },
    fromBearer: staffResolvers.fromBearer,
  };
}

export const identityModule: PlatformModule = {
  name: 'identity',
  routes(app, ctx) {
    identityRoutes(app, ctx, new StaffService(ctx.db));
    peopleRoutes(app, ctx, citizenServiceFor(ctx));
    companiesAndAuthorisations(app, ctx);
  },
};
