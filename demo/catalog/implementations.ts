// The Jiangsu demo 实施清单: one spec per basic item, expanded by the loader into one
// implementation per region; plus a few deliberately deviating implementations so the
// 三级四同 consistency report has something to show.
import type { DemoDeviation, DemoImplementationSpec } from './types.ts';
import { DEMO_GROUPS } from './groups.ts';
import { KUNSHAN, PIZHOU, SHUYANG, SUZHOU, WUXI, WUZHONG } from './builders.ts';

export type { DemoDeviation, DemoImplementationSpec, ImplementationDetails } from './types.ts';

export const DEMO_IMPLEMENTATIONS: DemoImplementationSpec[] = DEMO_GROUPS.flatMap((g) => g.implementations);

export const DEMO_DEVIATIONS: DemoDeviation[] = [
  {
    basicCode: '01-0201-000',
    regionCode: KUNSHAN,
    name: '开办饭店许可',
    why: '名称不一致：实施清单用了群众俗称“开办饭店许可”，基本目录名称为“食品经营许可”。',
  },
  {
    basicCode: '01-0201-000',
    regionCode: WUZHONG,
    itemType: '07',
    why: '类型不一致：事项类型错填为行政确认（07），基本目录为行政许可（01）。',
  },
  {
    basicCode: '07-0501-000',
    regionCode: PIZHOU,
    legalBasisTitle: '《中华人民共和国婚姻法》',
    why: '依据已废止：《中华人民共和国婚姻法》自2021年1月1日《中华人民共和国民法典》施行之日起废止，应引用民法典第一千零四十九条。',
  },
  {
    basicCode: '10-1003-000',
    regionCode: WUXI,
    legalBasisTitle: '《中华人民共和国增值税暂行条例》',
    why: '依据已废止：《中华人民共和国增值税法》自2026年1月1日起施行，《中华人民共和国增值税暂行条例》同时废止（增值税法第三十八条）。',
  },
  {
    basicCode: '11-1201-000',
    regionCode: SUZHOU,
    name: '公积金提取',
    why: '名称不一致：实施清单简写为“公积金提取”，基本目录名称为“住房公积金提取”。',
  },
  {
    basicCode: '01-0203-000',
    regionCode: SHUYANG,
    legalBasisTitle: '《个体工商户条例》',
    why: '依据已废止：《个体工商户条例》自2022年11月1日《促进个体工商户发展条例》施行之日起废止。',
  },
];
