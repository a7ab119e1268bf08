// 一件事 (scenarios), as the rest of the catalogue module (and, through ../index.ts, the case
// workflow) uses it.
export { ScenarioService, type Bundle, type BundleMember, type ScenarioSplit, type ScenarioView } from './service.ts';
export { mergeForms, splitAnswers, type MergedForm, type MergedField, type SplitResult } from './form.ts';
export { mergeMaterials, bundleTotals, type MergedMaterial, type BundleTotals } from './materials.ts';
export { ScenarioInput, ScenarioUpdate } from './schema.ts';
export { scenarioRoutes } from './routes.ts';
