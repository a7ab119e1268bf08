// Rules for regions: code validation, the national pseudo-region, caching of reference data.
import type { Db } from '../../platform/db/database.ts';
import { inTransaction } from '../../platform/db/database.ts';
import { recordAudit, type AuditActor } from '../../platform/audit/audit.ts';
import { AppError } from '../../platform/http/errors.ts';
import { isWellFormedRegionCode, LEVEL_NAMES, NATIONAL_CODE, parentRegionCode, type RegionLevel } from '../../platform/region-code.ts';
import * as store from './store.ts';
import { buildRegionRows, DATASET_ID, DATASET_VINTAGE, datasetSource } from './dataset.ts';

export interface Region {
  code: string;
  name: string;
  level: RegionLevel;
  levelName: string;
  parentCode: string | null;
  functionalZone: boolean;
}

const NATIONAL: Region = { code: NATIONAL_CODE, name: '全国', level: 1, levelName: '国家', parentCode: null, functionalZone: false };

function present(r: store.RegionRow): Region {
  return { ...r, levelName: r.functionalZone ? '功能区' : LEVEL_NAMES[r.level] };
}

export function assertRegionCode(code: string): void {
  if (!isWellFormedRegionCode(code)) throw new AppError('REGION_CODE_MALFORMED', { detail: `收到 "${code.slice(0, 20)}"` });
}

// Region reference data changes once a year; a short-lived cache spares the database
// on the hottest public lookups without risking long staleness after a reload. Misses are
// not cached (a region loaded later is found at once, and probing unknown codes cannot fill
// the cache), and the cache is emptied when it outgrows its bound.
const CACHE_MS = 5 * 60_000;
export const REGION_CACHE_LIMIT = 5_000;

export class RegionService {
  private readonly db: Db;
  private readonly cache = new Map<string, { at: number; value: unknown }>();
  private readonly cacheLimit: number;

  constructor(db: Db, options: { cacheLimit?: number } = {}) {
    this.db = db;
    this.cacheLimit = options.cacheLimit ?? REGION_CACHE_LIMIT;
  }

  private async cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.value as T;
    const value = await load();
    if (value === null || value === undefined) return value;
    if (this.cache.size >= this.cacheLimit) this.cache.clear();
    this.cache.set(key, { at: Date.now(), value });
    return value;
  }

  async get(code: string): Promise<Region> {
    assertRegionCode(code);
    if (code === NATIONAL_CODE) return NATIONAL;
    const region = await this.cached(`r:${code}`, () => store.findRegion(this.db, code));
    if (!region) throw new AppError('REGION_NOT_FOUND', { detail: code });
    return present(region);
  }

  async children(code: string): Promise<Region[]> {
    await this.get(code);
    return this.cached(`c:${code}`, async () => (await store.listChildren(this.db, code === NATIONAL_CODE ? null : code)).map(present));
  }

  /** The region with its ancestors, highest first (for breadcrumbs). */
  async path(code: string): Promise<Region[]> {
    const region = await this.get(code);
    if (code === NATIONAL_CODE) return [NATIONAL];
    const codes: string[] = [];
    for (let c: string | null = parentRegionCode(region.code); c; c = parentRegionCode(c)) codes.push(c);
    const ancestors = (await store.listAncestry(this.db, codes)).map(present);
    return [...ancestors, region];
  }

  async organisations(code: string): Promise<store.OrganisationRow[]> {
    await this.get(code);
    return store.listOrganisations(this.db, code);
  }

  async organisation(id: string): Promise<store.OrganisationRow> {
    const org = /^[0-9a-f-]{36}$/i.test(id) ? await store.findOrganisation(this.db, id) : null;
    if (!org) throw new AppError('ORG_NOT_FOUND', { detail: id });
    return org;
  }

  /**
   * Loads the statistical region data set unless this vintage is already loaded.
   * `detailPrefixes` are the provinces whose towns and villages are loaded too.
   */
  async ensureDataset(detailPrefixes: string[], actor: AuditActor): Promise<{ loaded: boolean; regions: number }> {
    const current = await store.currentDataset(this.db);
    const id = `${DATASET_ID}:${detailPrefixes.join(',')}`;
    if (current?.id === id) return { loaded: false, regions: current.regions };
    const rows = buildRegionRows(detailPrefixes);
    const source = datasetSource();
    await inTransaction(this.db, async (tx) => {
      await store.upsertRegions(tx, rows);
      await store.recordDataset(tx, { id, vintage: DATASET_VINTAGE, source, regions: rows.length });
      await recordAudit(tx, { actor, action: 'region.dataset.load', targetType: 'region_dataset', targetId: id, change: { vintage: DATASET_VINTAGE, source, regions: rows.length } });
    });
    this.cache.clear();
    return { loaded: true, regions: rows.length };
  }

  async createOrganisation(org: Omit<store.OrganisationRow, 'id'>, actor: AuditActor): Promise<store.OrganisationRow> {
    return (await this.createOrganisations([org], actor))[0]!;
  }

  /** Creates several organisations in one transaction, each with its audit record. */
  async createOrganisations(orgs: Omit<store.OrganisationRow, 'id'>[], actor: AuditActor): Promise<store.OrganisationRow[]> {
    for (const code of new Set(orgs.map((o) => o.regionCode))) await this.get(code);
    return inTransaction(this.db, async (tx) => {
      const created: store.OrganisationRow[] = [];
      for (const org of orgs) {
        const row = await store.insertOrganisation(tx, org);
        await recordAudit(tx, { actor, action: 'organisation.create', targetType: 'organisation', targetId: row.id, regionCode: org.regionCode, change: org });
        created.push(row);
      }
      return created;
    });
  }

  countOrganisations(): Promise<number> {
    return store.countOrganisations(this.db);
  }
}
