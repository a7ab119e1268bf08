// Loads the Jiangsu demo catalogue (demo/catalog/) through the catalogue's own service, so
// demo entries pass the same validation, versioning, audit and 三级四同 rules as real ones.
// Deviating implementations stay drafts: the consistency rule refuses to publish them, and
// the consistency report shows them.
import type { Db } from '../src/platform/db/database.ts';
import { createCatalogService, RegionService, type ImplementationContent } from './modules.ts';
import { DEMO_BASIC_ITEMS } from './catalog/basic-items.ts';
import { DEMO_DEVIATIONS, DEMO_IMPLEMENTATIONS } from './catalog/implementations.ts';
import { loadDemoScenarios } from './catalog/scenarios.ts';

const actor = { kind: 'system' as const, id: 'demo' };

export async function loadDemoCatalog(db: Db, provinceCode: string): Promise<{ loaded: boolean; basicItems?: number; implementations?: number; deviations?: number }> {
  const catalog = createCatalogService(db);
  if ((await catalog.list({ kind: 'basic_item' }, 'working', 1)).length > 0) {
    // A catalogue loaded before 一件事 existed gets its scenarios now (idempotent).
    await loadDemoScenarios(db, provinceCode);
    return { loaded: false };
  }
  const regions = new RegionService(db);
  const ids = new Map<string, string>();
  const basics = new Map(DEMO_BASIC_ITEMS.map((b) => [b.code, b]));
  for (const item of DEMO_BASIC_ITEMS) {
    const entry = await catalog.createBasicItem(item, provinceCode, actor);
    await catalog.submit(entry.id, actor);
    await catalog.approve(entry.id, actor, '演示数据');
    ids.set(item.code, entry.id);
  }
  const orgCache = new Map<string, string>();
  const orgFor = async (regionCode: string, departmentType: string): Promise<string> => {
    const key = `${regionCode}:${departmentType}`;
    if (!orgCache.has(key)) {
      const org = (await regions.organisations(regionCode)).find((o) => o.departmentType === departmentType);
      if (!org) throw new Error(`demo catalogue: no ${departmentType} department in ${regionCode}`);
      orgCache.set(key, org.id);
    }
    return orgCache.get(key)!;
  };
  const contentFor = async (basicCode: string, regionCode: string): Promise<Omit<ImplementationContent, 'sequence'>> => {
    const spec = DEMO_IMPLEMENTATIONS.find((s) => s.basicCode === basicCode);
    const basic = basics.get(basicCode);
    if (!spec || !basic) throw new Error(`demo catalogue: unknown item ${basicCode}`);
    return {
      ...spec.details,
      ...(spec.overrides?.[regionCode] ?? {}),
      basicItemId: ids.get(basicCode)!,
      name: basic.name,
      basicCode: basic.code,
      itemType: basic.itemType,
      legalBasis: basic.legalBasis,
      regionCode,
      orgId: await orgFor(regionCode, basic.departmentType),
    };
  };
  let implementations = 0;
  for (const spec of DEMO_IMPLEMENTATIONS) {
    for (const regionCode of spec.regions) {
      const entry = await catalog.createImplementation(await contentFor(spec.basicCode, regionCode), actor);
      await catalog.submit(entry.id, actor);
      await catalog.approve(entry.id, actor, '演示数据');
      implementations++;
    }
  }
  for (const d of DEMO_DEVIATIONS) {
    const content = await contentFor(d.basicCode, d.regionCode);
    const deviating = {
      ...content,
      ...(d.name ? { name: d.name } : {}),
      ...(d.itemType ? { itemType: d.itemType as ImplementationContent['itemType'] } : {}),
      ...(d.legalBasisTitle ? { legalBasis: [{ ...content.legalBasis[0]!, title: d.legalBasisTitle }] } : {}),
    };
    await catalog.createImplementation(deviating, actor);
  }
  await loadDemoScenarios(db, provinceCode);
  return { loaded: true, basicItems: DEMO_BASIC_ITEMS.length, implementations, deviations: DEMO_DEVIATIONS.length };
}
