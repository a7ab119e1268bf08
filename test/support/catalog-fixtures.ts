// A basic item and an implementation with valid content, for catalogue tests to vary.
import { createCatalogService, type ImplementationInput } from '../../src/modules/catalog/index.ts';
import { RegionService } from '../../src/modules/regions/index.ts';
import type { Db } from '../../src/platform/db/database.ts';

export const FOOD_LICENCE_BASIC = {
  name: '食品经营许可',
  code: '01-0901-000',
  itemType: '01',
  legalBasis: [{ kind: 'law', title: '《中华人民共和国食品安全法》', article: '第三十五条 国家对食品生产经营实行许可制度。' }],
  exercisingLevels: ['city', 'county'],
  departmentType: 'market_regulation',
  audience: ['person', 'company'],
  themes: ['operations'],
  keywords: ['开饭店', '开餐馆'],
};

/** A minimal, consistent implementation of FOOD_LICENCE_BASIC; `extra` overrides fields. */
export function foodLicenceImplementation(basicItemId: string, regionCode: string, orgId: string, extra: Record<string, unknown> = {}): ImplementationInput {
  const b = FOOD_LICENCE_BASIC;
  return {
    basicItemId,
    name: b.name,
    basicCode: b.code,
    itemType: b.itemType,
    legalBasis: b.legalBasis,
    regionCode,
    orgId,
    subItems: [{ code: '01', name: '食品经营许可（新办）' }],
    acceptanceConditions: [{ text: '申请人已取得营业执照等合法主体资格' }],
    processSteps: [
      { name: '申请', description: '网上提交申请' },
      { name: '决定', description: '作出许可决定' },
    ],
    legalLimitDays: 10,
    promisedLimitDays: 5,
    materials: [{ id: 'application', name: '食品经营许可申请书', form: 'electronic', count: 1, required: true, source: 'upload' }],
    intermediaryServices: [],
    fees: [],
    place: { address: '南京市政务服务中心', hours: '工作日 9:00-17:00' },
    phones: { consult: '025-12345', complaint: '12345' },
    channels: ['online', 'window'],
    visits: 0,
    onlineDepth: 4,
    minRealNameLevel: 2,
    formSchema: { type: 'object', properties: { shopName: { type: 'string', title: '店铺名称' } }, required: ['shopName'] },
    questions: [],
    ...extra,
  } as unknown as ImplementationInput;
}

/**
 * The food-licence basic item, published (four eyes by the system actor), and the Nanjing
 * market-regulation bureau that implements it in the tests.
 */
export async function publishedFoodLicence(db: Db): Promise<{ catalog: ReturnType<typeof createCatalogService>; basicId: string; njOrg: string }> {
  const catalog = createCatalogService(db);
  const njOrg = (await new RegionService(db).organisations('320100')).find((o) => o.name === '南京市市场监督管理局')!.id;
  const sys = { kind: 'system' as const, id: 'test' };
  const basic = await catalog.createBasicItem(FOOD_LICENCE_BASIC, '320000', sys);
  await catalog.submit(basic.id, sys);
  await catalog.approve(basic.id, sys);
  return { catalog, basicId: basic.id, njOrg };
}

/** The steps a window and an approver see: 申请 and 受理 are intake, 审查 and 决定 the back office. */
export const FOUR_STEPS = [
  { name: '申请', description: '网上提交' },
  { name: '受理', description: '窗口受理' },
  { name: '审查', description: '材料审查' },
  { name: '决定', description: '作出决定' },
];

/**
 * The food licence published for Nanjing (basic item and implementation, four eyes by the
 * system actor), `extra` overriding implementation fields: what the case suites apply for.
 */
export async function publishedNanjingFoodLicence(db: Db, extra: Record<string, unknown> = {}): Promise<{ implId: string; njOrg: string; catalog: ReturnType<typeof createCatalogService>; basicId: string }> {
  const { catalog, basicId, njOrg } = await publishedFoodLicence(db);
  const sys = { kind: 'system' as const, id: 'test' };
  const impl = await catalog.createImplementation(foodLicenceImplementation(basicId, '320100', njOrg, extra), sys);
  await catalog.submit(impl.id, sys);
  await catalog.approve(impl.id, sys);
  return { implId: impl.id, njOrg, catalog, basicId };
}
