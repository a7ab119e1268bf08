// What the theme pages (主题) and the flagship stores (旗舰店) show: published
// implementations of a region, grouped by department, with its halls and contacts. Reads
// the catalogue through its service and search, regions through the regions module.
import { AppError } from '../../../platform/http/errors.ts';
import { isWellFormedRegionCode } from '../../../platform/region-code.ts';
import type { Organisation, Region, RegionService } from '../../regions/index.ts';
import { DEPARTMENT_TYPES, THEMES, type BasicItemContent, type ImplementationContent } from '../schemas.ts';
import type { CatalogService } from '../service.ts';
import type { CatalogSearch, SearchResult } from '../search/index.ts';

export interface ThemeInfo {
  code: string;
  name: string;
  audience: 'person' | 'company';
}

/** Every theme with its audience, in the order schemas.ts lists them. */
export function allThemes(): ThemeInfo[] {
  const person = Object.entries(THEMES.person).map(([code, name]) => ({ code, name, audience: 'person' as const }));
  const company = Object.entries(THEMES.company).map(([code, name]) => ({ code, name, audience: 'company' as const }));
  return [...person, ...company];
}

export function findTheme(code: string): ThemeInfo {
  const theme = allThemes().find((t) => t.code === code);
  if (!theme) throw new AppError('NOT_FOUND', { detail: `没有这个主题：${code}` });
  return theme;
}

export interface StoreItem {
  id: string;
  basicItemId: string;
  name: string;
  code: string;
  regionCode: string;
  orgId: string | null;
  visits: number;
  online: boolean;
  place: ImplementationContent['place'];
  phones: ImplementationContent['phones'];
}

export interface DepartmentGroup {
  org: { id: string; name: string } | null;
  departmentName: string;
  items: StoreItem[];
  /** Distinct consultation phones and addresses the department's items give. */
  phones: string[];
  addresses: string[];
}

const SEARCH_PAGE = 50;

function toItem(row: { id: string; code: string; region_code: string; org_id: string | null; content: unknown }): StoreItem {
  const c = row.content as ImplementationContent;
  return { id: row.id, basicItemId: c.basicItemId, name: c.name, code: row.code, regionCode: row.region_code, orgId: row.org_id, visits: c.visits, online: c.onlineDepth >= 4, place: c.place, phones: c.phones };
}

export class StoreService {
  private readonly catalog: CatalogService;
  private readonly search: CatalogSearch;
  private readonly regions: RegionService;

  constructor(catalog: CatalogService, search: CatalogSearch, regions: RegionService) {
    this.catalog = catalog;
    this.search = search;
    this.regions = regions;
  }

  /** A region by code; malformed or unknown codes are a 404 page, as a bad link should read. */
  async region(code: string): Promise<Region> {
    if (!isWellFormedRegionCode(code)) throw new AppError('REGION_NOT_FOUND', { detail: code });
    return this.regions.get(code);
  }

  path(code: string): Promise<Region[]> {
    return this.regions.path(code);
  }

  /**
   * Every published implementation of a theme available in a region (its own and its
   * ancestors', as search inherits them), by reading all pages of the search.
   */
  async themeItems(theme: string, regionCode: string): Promise<SearchResult[]> {
    const out: SearchResult[] = [];
    for (let page = 1; page <= 20; page++) {
      const r = await this.search.search({ theme, region: regionCode, page, pageSize: SEARCH_PAGE });
      out.push(...r.results);
      if (out.length >= r.total || !r.results.length) break;
    }
    return out.sort((a, b) => a.name.localeCompare(b.name, 'zh-CN') || a.regionCode.localeCompare(b.regionCode));
  }

  /** Published (not withdrawn) implementations carried out in exactly these regions. */
  async implementations(regionCodes: string[], orgId?: string): Promise<StoreItem[]> {
    const rows = await this.catalog.list({ kind: 'implementation', regionCodes, orgId }, 'published');
    return rows.filter((r) => r.status !== 'withdrawn' && r.published_version !== null).map(toItem);
  }

  /** The region's items by implementing organisation, departments named, biggest first. */
  async byDepartment(items: StoreItem[]): Promise<DepartmentGroup[]> {
    const groups = new Map<string, DepartmentGroup>();
    for (const item of items) {
      const key = item.orgId ?? '-';
      let g = groups.get(key);
      if (!g) {
        const org = item.orgId ? await this.regions.organisation(item.orgId).catch(() => null) : null;
        const dept = org?.departmentType as keyof typeof DEPARTMENT_TYPES | null | undefined;
        g = { org: org ? { id: org.id, name: org.name } : null, departmentName: dept && dept in DEPARTMENT_TYPES ? DEPARTMENT_TYPES[dept] : '其他', items: [], phones: [], addresses: [] };
        groups.set(key, g);
      }
      g.items.push(item);
      if (item.phones.consult && !g.phones.includes(item.phones.consult)) g.phones.push(item.phones.consult);
      if (item.place.address && !g.addresses.includes(item.place.address)) g.addresses.push(item.place.address);
    }
    const list = [...groups.values()];
    for (const g of list) g.items.sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
    return list.sort((a, b) => b.items.length - a.items.length || (a.org?.name ?? '').localeCompare(b.org?.name ?? '', 'zh-CN'));
  }

  /**
   * Hot items in a region: the search module's browse order without a query, which ranks
   * by how often people opened an item (popularity), then by name.
   */
  async hot(regionCode: string, limit = 6): Promise<SearchResult[]> {
    return (await this.search.search({ region: regionCode, pageSize: limit })).results;
  }

  /** The region's halls and service points (办事大厅、便民服务点). */
  async halls(regionCode: string): Promise<Organisation[]> {
    return (await this.regions.organisations(regionCode)).filter((o) => o.kind === 'hall' || o.kind === 'service_point');
  }

  async organisation(orgId: string): Promise<Organisation> {
    if (!/^[0-9a-f-]{36}$/i.test(orgId)) throw new AppError('ORG_NOT_FOUND', { detail: orgId });
    return this.regions.organisation(orgId);
  }

  /**
   * A village's nearby items: its county's and town's implementations whose basic item is
   * exercised at village level (exercisingLevels includes 'village').
   */
  async villageItems(path: Region[]): Promise<{ county: Region | null; town: Region | null; items: StoreItem[] }> {
    const county = path.find((r) => r.level === 3) ?? null;
    const town = path.find((r) => r.level === 4) ?? null;
    const codes = [county?.code, town?.code].filter((c): c is string => Boolean(c));
    const candidates = await this.implementations(codes);
    const levels = new Map<string, boolean>();
    const items: StoreItem[] = [];
    for (const item of candidates) {
      const basicId = item.basicItemId;
      if (!levels.has(basicId)) {
        const basic = await this.catalog.published<BasicItemContent>(basicId);
        levels.set(basicId, Boolean(basic?.content.exercisingLevels.includes('village')));
      }
      if (levels.get(basicId)) items.push(item);
    }
    return { county, town, items: items.sort((a, b) => a.name.localeCompare(b.name, 'zh-CN')) };
  }
}
