// Public face of the catalogue module.
import type { PlatformModule } from '../../platform/module.ts';
import { RegionService } from '../regions/index.ts';
import { CatalogService } from './service.ts';
import { catalogRoutes } from './routes.ts';
import { catalogAdminRoutes } from './admin/routes.ts';
import { importJobHandlers } from './admin/import-jobs.ts';
import { searchRoutes } from './search/index.ts';
import { guideRoutes } from './guides/routes.ts';
import { storeRoutes } from './stores/routes.ts';
import { scenarioRoutes, ScenarioService } from './scenarios/index.ts';

export { CatalogService, type EntryView, type ImplementationInput } from './service.ts';
export { ITEM_TYPES, DEPARTMENT_TYPES, THEMES, type BasicItemContent, type ImplementationContent, type Material } from './schemas.ts';
export { checkConsistency, describeDeviation } from './consistency.ts';
export { ScenarioService, type Bundle as ScenarioBundle, type ScenarioSplit, type ScenarioView } from './scenarios/index.ts';
export { CatalogSearch, reindexAll as reindexCatalogSearch, SEARCH_PAGE_SIZE, type SearchParams, type SearchResponse, type SearchResult } from './search/index.ts';

export function createScenarioService(db: import('../../platform/db/database.ts').Db): ScenarioService {
  const regions = new RegionService(db);
  return new ScenarioService(db, new CatalogService(db, regions), regions);
}

export function createCatalogService(db: import('../../platform/db/database.ts').Db): CatalogService {
  return new CatalogService(db, new RegionService(db));
}

export const catalogModule: PlatformModule = {
  name: 'catalog',
  // Background imports of implementations (admin/import-jobs.ts).
  handlers: () => importJobHandlers(),
  routes(app, ctx) {
    const regions = new RegionService(ctx.db);
    catalogRoutes(app, ctx.db, new CatalogService(ctx.db, regions), regions);
    catalogAdminRoutes(app, ctx, new CatalogService(ctx.db, regions), regions);
    searchRoutes(app, ctx, regions);
    guideRoutes(app, ctx, new CatalogService(ctx.db, regions), regions);
    storeRoutes(app, ctx, new CatalogService(ctx.db, regions), regions);
    scenarioRoutes(app, ctx, new CatalogService(ctx.db, regions), regions);
  },
};
export { implementationCode } from './codes.ts';
