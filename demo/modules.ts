// The demo loader reaches modules only through their public index, like any other caller.
export { RegionService, type Region, type Organisation } from '../src/modules/regions/index.ts';
export { StaffService } from '../src/modules/identity/index.ts';
export { createCatalogService, type ImplementationContent } from '../src/modules/catalog/index.ts';
export { ensureDemoSsoClient } from '../src/modules/sso/index.ts';
export { DEMO_LICENCE_TYPES } from '../src/modules/licences/index.ts';
export { sealServiceFor } from '../src/modules/seals/index.ts';
