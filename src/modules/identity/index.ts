// Public face of the identity module.
import type { PlatformModule } from '../../platform/module.ts';
import { StaffService } from './service.ts';
import { identityRoutes } from './routes.ts';

export { StaffService, identityResolvers, hashPassword } from './service.ts';

export const identityModule: PlatformModule = {
  name: 'identity',
  routes(app, ctx) {
    identityRoutes(app, ctx, new StaffService(ctx.db));
  },
};
