// Public face of the portal module: the citizen-facing pages and the page shell's region data.
import type { PlatformModule } from '../../platform/module.ts';
import { RegionService } from '../regions/index.ts';
import { PortalService } from './service.ts';
import { portalRoutes } from './routes.ts';

export const portalModule: PlatformModule = {
  name: 'portal',
  routes(app, ctx) {
    portalRoutes(app, ctx, new PortalService(new RegionService(ctx.db), ctx.config.nodeRegionCode));
  },
};
