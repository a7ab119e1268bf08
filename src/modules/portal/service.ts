// What the citizen portal shows: the node's regions to browse, a region's page, common
// tasks and the header's region switcher. Reads regions only through the regions module.
import { NATIONAL_CODE, type RegionLevel } from '../../platform/region-code.ts';
import { paginate, pageSlice, type Pagination } from '../../platform/web/pagination.ts';
import type { ShellData } from '../../platform/web/render.ts';
import type { Organisation, Region, RegionService } from '../regions/index.ts';

export const CHILDREN_PAGE_SIZE = 40;

/** Tiers of the administrative hierarchy as people name them. */
const TIER_NAMES: Record<RegionLevel, string> = { 1: '省级', 2: '地级', 3: '县级', 4: '乡级', 5: '村级' };
const CHILD_NOUNS: Record<RegionLevel, string> = { 1: '省（自治区、直辖市）', 2: '市', 3: '县（市、区）', 4: '乡镇（街道）', 5: '村（社区）' };
const ORG_KINDS: Record<Organisation['kind'], string> = { government: '人民政府', department: '政府部门', hall: '政务服务中心', service_point: '便民服务点' };

export interface CommonTask {
  title: string;
  hint: string;
  href: string;
}

/**
 * The tasks people come for most. Until the service catalogue lands each one opens the
 * search page (which says so honestly); the hall finder opens the visitor's region page.
 */
export function commonTasks(regionCode: string, regionName: string): CommonTask[] {
  const search = (q: string) => `/search?q=${encodeURIComponent(q)}`;
  return [
    { title: '找政务服务中心', hint: `${regionName}的办事大厅和部门`, href: `/regions/${regionCode}#organisations` },
    { title: '社会保障卡', hint: '申领、挂失、补换', href: search('社会保障卡') },
    { title: '医疗保险', hint: '参保登记、异地就医备案', href: search('医疗保险') },
    { title: '住房公积金', hint: '提取、贷款、缴存证明', href: search('住房公积金') },
    { title: '户籍办理', hint: '出生登记、户口迁移', href: search('户籍') },
    { title: '老年人服务', hint: '老年人优待证、高龄津贴', href: search('老年人') },
    { title: '开办企业', hint: '营业执照、刻章、税务登记', href: search('开办企业') },
    { title: '不动产登记', hint: '房屋过户、抵押登记', href: search('不动产登记') },
  ];
}

export interface RegionPage {
  region: Region;
  path: Region[];
  parent: Region | null;
  tierName: string;
  codeKind: string;
  childNoun: string | null;
  childCount: number;
  zoneCount: number;
  children: Region[];
  pagination: Pagination;
  organisations: (Organisation & { kindName: string })[];
}

export class PortalService {
  private readonly regions: RegionService;
  private readonly nodeCode: string;

  constructor(regions: RegionService, nodeRegionCode: string) {
    this.regions = regions;
    this.nodeCode = nodeRegionCode;
  }

  /** The node's own region (the province on a province node, 全国 on the national node). */
  nodeRegion(): Promise<Region> {
    return this.regions.get(this.nodeCode);
  }

  /** Regions one level below the node: a province's cities, or every province. */
  nodeChildren(): Promise<Region[]> {
    return this.regions.children(this.nodeCode);
  }

  /** The region a cookie names, or null when absent, malformed or unknown. */
  async chosenRegion(code: string | undefined): Promise<{ code: string; name: string } | null> {
    if (!code || !/^\d{6,12}$/.test(code)) return null;
    try {
      const path = await this.regions.path(code);
      // "南京市玄武区" reads better than "玄武区" alone; the province is implied by the node.
      const named = path.filter((r) => r.level >= 2 && r.code !== NATIONAL_CODE);
      return { code, name: (named.length ? named : path).map((r) => r.name).join('') };
    } catch {
      return null;
    }
  }

  async shell(regionCookie: string | undefined): Promise<ShellData> {
    const [node, children, current] = await Promise.all([this.nodeRegion(), this.nodeChildren(), this.chosenRegion(regionCookie)]);
    return {
      siteRegionName: node.code === NATIONAL_CODE ? '国家' : node.name,
      regionSwitcher: {
        action: '/region',
        choices: [{ code: node.code, name: node.code === NATIONAL_CODE ? '全国' : `${node.name}（全${node.level === 1 ? '省' : '市'}）` }, ...children.map((c) => ({ code: c.code, name: c.name }))],
        current,
      },
    };
  }

  async regionPage(code: string, page: number): Promise<RegionPage> {
    const path = await this.regions.path(code);
    const region = path[path.length - 1]!;
    const [all, organisations] = await Promise.all([this.regions.children(code), this.regions.organisations(code)]);
    const pagination = paginate(all.length, page, CHILDREN_PAGE_SIZE, (n) => (n === 1 ? `/regions/${code}#children` : `/regions/${code}?page=${n}#children`));
    const childLevel = all[0]?.level;
    return {
      region,
      path,
      parent: path.length > 1 ? path[path.length - 2]! : null,
      tierName: region.code === NATIONAL_CODE ? '国家' : region.functionalZone ? '县级功能区' : TIER_NAMES[region.level],
      codeKind: code.length === 6 ? 'GB/T 2260 行政区划代码' : '统计用区划代码',
      childNoun: childLevel ? CHILD_NOUNS[childLevel] : null,
      childCount: all.length,
      zoneCount: all.filter((c) => c.functionalZone).length,
      children: pageSlice(all, pagination, CHILDREN_PAGE_SIZE),
      pagination,
      organisations: organisations.map((o) => ({ ...o, kindName: ORG_KINDS[o.kind] })),
    };
  }
}
