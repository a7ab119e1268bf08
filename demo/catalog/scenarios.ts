// Demo 一件事 (scenarios) over the demo basic items: members are named by basic code here and
// resolved to basic item ids at load time. Loaded through the scenario service, so each
// definition passes the same checks (theme, audience, published members) as an edited one.
import type { Db } from '../../src/platform/db/database.ts';
import { createCatalogService, createScenarioService, type BasicItemContent } from '../../src/modules/catalog/index.ts';

interface DemoScenario {
  code: string;
  name: string;
  audience: 'person' | 'company';
  theme: string;
  description: string;
  members: { basicCode: string; note?: string }[];
}

export const DEMO_SCENARIOS: DemoScenario[] = [
  {
    code: 'birth',
    name: '出生一件事',
    audience: 'person',
    theme: 'birth',
    description: '宝宝出生后，出生医学证明、户口登记、医保参保和社会保障卡一次申请、一表填报，各部门通过电子证照和数据共享同时办理，父母不用来回跑。',
    members: [
      { basicCode: '11-0302-000', note: '孕期已办理生育登记的无需重复办理' },
      { basicCode: '11-0301-000', note: '由助产机构在新生儿出院前签发，同步生成电子证照供后续事项使用' },
      { basicCode: '07-0104-000', note: '凭电子出生医学证明办理，出生之日起一个月内申报' },
      { basicCode: '11-1102-000', note: '出生当年参保，自出生之日起享受医保待遇' },
      { basicCode: '11-0401-000', note: '参保后制发社会保障卡，可邮寄到家' },
    ],
  },
  {
    code: 'open_restaurant',
    name: '开办餐饮店一件事',
    audience: 'company',
    theme: 'operations',
    description: '开一家餐馆、小吃店或饮品店：营业执照、食品经营许可和发票领用一次申请，一套材料，市场监管与税务部门并联审批。',
    members: [
      { basicCode: '01-0204-000', note: '先取得营业执照；经营范围选择“餐饮服务”' },
      { basicCode: '01-0201-000', note: '营业执照核发后自动推送，无需再次提交主体资格材料' },
      { basicCode: '10-1001-000', note: '新办纳税人首次领用发票' },
    ],
  },
  {
    code: 'company_start',
    name: '开办企业一件事',
    audience: 'company',
    theme: 'company_start',
    description: '企业设立登记、发票领用和住房公积金单位缴存登记一次办，营业执照核发后信息自动共享给税务和公积金中心。',
    members: [
      { basicCode: '01-0204-000' },
      { basicCode: '10-1001-000', note: '可与设立登记同时申请，执照核发后即时发放' },
      { basicCode: '11-1203-000', note: '有职工的企业自设立之日起 30 日内办理' },
    ],
  },
  {
    code: 'retirement',
    name: '退休一件事',
    audience: 'person',
    theme: 'retirement',
    description: '到了退休年龄：基本养老金申领、住房公积金退休提取和老年人优待证一次申请，社保、公积金和民政部门同时办理。',
    members: [
      { basicCode: '11-0406-000', note: '达到法定退休年龄前一个月可申请' },
      { basicCode: '11-1201-000', note: '选择“离休、退休提取”，可销户提取全部余额' },
      { basicCode: '11-0507-000', note: '年满 60 周岁的可同时办理' },
    ],
  },
  {
    code: 'company_close',
    name: '企业注销一件事',
    audience: 'company',
    theme: 'company_close',
    description: '企业不再经营：清税和注销登记一次申请，税务清税结果自动推送市场监管部门，无需另行提交清税证明。',
    members: [
      { basicCode: '10-1004-000', note: '先办结清税，未结清税款和发票的不能注销' },
      { basicCode: '01-0206-000', note: '清税信息共享后直接受理注销登记' },
    ],
  },
];

/** Loads the demo scenarios that are not there yet (safe to run again). */
export async function loadDemoScenarios(db: Db, provinceCode: string): Promise<number> {
  const catalog = createCatalogService(db);
  const scenarios = createScenarioService(db);
  const existing = new Set((await scenarios.list()).map((s) => s.code));
  const ids = new Map<string, string>();
  for (const b of await catalog.list({ kind: 'basic_item', status: 'published' }, 'published')) ids.set((b.content as BasicItemContent).code, b.id);
  let loaded = 0;
  for (const s of DEMO_SCENARIOS) {
    if (existing.has(s.code)) continue;
    const members = s.members.map((m) => {
      const id = ids.get(m.basicCode);
      if (!id) throw new Error(`demo scenario ${s.code}: no published basic item ${m.basicCode}`);
      return { basicItemId: id, ...(m.note ? { note: m.note } : {}) };
    });
    await scenarios.create({ code: s.code, name: s.name, audience: s.audience, theme: s.theme, description: s.description, status: 'published', members }, { kind: 'system', id: 'demo' }, provinceCode);
    loaded++;
  }
  return loaded;
}
