// Public face of the regions module: what other modules and the app may use.
import type { PlatformModule } from '../../platform/module.ts';
import { RegionService } from './service.ts';
import { regionRoutes } from './routes.ts';

export { RegionService, type Region } from './service.ts';
export type { OrganisationRow as Organisation } from './store.ts';

export const regionsModule: PlatformModule = {
  name: 'regions',
  routes(app, ctx) {
    regionRoutes(app, new RegionService(ctx.db));
  },
};
