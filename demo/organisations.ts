// Demo departments for the province, its 13 cities and a few counties. Names follow real
// Jiangsu usage (江苏省公安厅, 南京市公安局玄武分局, 国家税务总局南京市税务局 …); the credit
// codes are synthetic but carry valid GB 32100 / GB 11714 check characters.
import type { Region } from '../src/modules/regions/index.ts';

export interface DemoDepartment {
  type: string;
  short: string;
  /** Name at each level; null where that level has no such department. */
  name: (region: Region, city: Region | null) => string | null;
}

const same = (suffix: string) => (r: Region) => `${r.name}${suffix}`;
const byLevel = (province: string, city: string, county: string | null) => (r: Region) =>
  r.level === 1 ? `${r.name}${province}` : r.level === 2 ? `${r.name}${city}` : county === null ? null : `${r.name}${county}`;

export const DEMO_DEPARTMENTS: DemoDepartment[] = [
  { type: 'government_services', short: '政务办', name: same('政务服务管理办公室') },
  { type: 'market_regulation', short: '市场监管局', name: same('市场监督管理局') },
  {
    type: 'public_security',
    short: '公安',
    // A city district's police are a branch of the city bureau: 南京市公安局玄武分局.
    name: (r, city) => (r.level === 1 ? `${r.name}公安厅` : r.level === 2 ? `${r.name}公安局` : r.name.endsWith('区') && city ? `${city.name}公安局${r.name.slice(0, -1)}分局` : `${r.name}公安局`),
  },
  { type: 'human_resources', short: '人社', name: byLevel('人力资源和社会保障厅', '人力资源和社会保障局', '人力资源和社会保障局') },
  { type: 'health', short: '卫健委', name: same('卫生健康委员会') },
  { type: 'civil_affairs', short: '民政', name: byLevel('民政厅', '民政局', '民政局') },
  { type: 'housing', short: '住建', name: byLevel('住房和城乡建设厅', '住房和城乡建设局', '住房和城乡建设局') },
  { type: 'natural_resources', short: '自然资源', name: byLevel('自然资源厅', '自然资源和规划局', null) },
  { type: 'transport', short: '交通运输', name: byLevel('交通运输厅', '交通运输局', '交通运输局') },
  { type: 'education', short: '教育', name: byLevel('教育厅', '教育局', '教育局') },
  { type: 'taxation', short: '税务', name: (r, city) => `国家税务总局${r.level === 3 && city ? city.name : ''}${r.name}税务局` },
  { type: 'medical_insurance', short: '医保', name: same('医疗保障局') },
  { type: 'housing_fund', short: '公积金', name: (r) => (r.level === 1 ? '江苏省住房资金管理中心' : r.level === 2 ? `${r.name.replace(/市$/, '')}住房公积金管理中心` : null) },
  { type: 'ecology', short: '生态环境', name: byLevel('生态环境厅', '生态环境局', null) },
  { type: 'culture_tourism', short: '文旅', name: byLevel('文化和旅游厅', '文化广电和旅游局', '文化广电和旅游局') },
  { type: 'agriculture', short: '农业农村', name: byLevel('农业农村厅', '农业农村局', '农业农村局') },
];

/** County-level regions that get their own departments in the demo (districts, a county-level city, a county). */
export const DEMO_COUNTIES = ['320102', '320115', '320506', '320583', '320382', '321322'];
