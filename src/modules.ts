// The capability modules, in dependency order (docs/architecture.md).
import type { PlatformModule } from './platform/module.ts';
import { calendarModule } from './platform/calendar/index.ts';
import { regionsModule } from './modules/regions/index.ts';
import { identityModule } from './modules/identity/index.ts';
import { notificationsModule } from './modules/notifications/index.ts';
import { ssoModule } from './modules/sso/index.ts';
import { federationModule } from './modules/federation/index.ts';
import { catalogModule } from './modules/catalog/index.ts';
import { casesModule } from './modules/cases/index.ts';
import { sealsModule } from './modules/seals/index.ts';
import { licencesModule } from './modules/licences/index.ts';
import { portalModule } from './modules/portal/index.ts';

export const modules: PlatformModule[] = [calendarModule, regionsModule, identityModule, notificationsModule, ssoModule, federationModule, catalogModule, casesModule, sealsModule, licencesModule, portalModule];
