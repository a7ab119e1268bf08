// The capability modules, in dependency order (docs/architecture.md).
import type { PlatformModule } from './platform/module.ts';
import { regionsModule } from './modules/regions/index.ts';
import { identityModule } from './modules/identity/index.ts';

export const modules: PlatformModule[] = [regionsModule, identityModule];
