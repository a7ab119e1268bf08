// Catalogue search: keeps the index in step with publication, answers citizens' queries
// (synonyms, pinyin, typos, region inheritance, filters), logs every search without
// personal data, and lets administrators edit the synonym table.
import type { Db, Queryable, Tx } from '../../../platform/db/database.ts';
import { inTransaction, sql } from '../../../platform/db/database.ts';
import { recordAudit, actorId, type AuditActor } from '../../../platform/audit/audit.ts';
import { AppError } from '../../../platform/http/errors.ts';
import { isWellFormedRegionCode } from '../../../platform/region-code.ts';
import type { RegionService } from '../../regions/index.ts';
import { DEPARTMENT_TYPES, THEMES, type BasicItemContent, type ImplementationContent } from '../schemas.ts';
import * as catalogStore from '../store.ts';
import * as store from './store.ts';
import { documentTerms, highlight, normalise, planQuery, TermDictionary, type QueryPlan, type Synonym } from './text.ts';

export const PAGE_SIZE = 10;
const ALL_THEMES: Record<string, string> = { ...THEMES.person, ...THEMES.company };

/** Indexes or un-indexes one implementation; true when it is now in the index. */
async function refreshImplementation(tx: Queryable, impl: catalogStore.EntryRow): Promise<boolean> {
  const basic = impl.basic_item_id ? await catalogStore.findEntry(tx, impl.basic_item_id) : null;
  const live = (e: catalogStore.EntryRow | null) => e !== null && e.status !== 'withdrawn' && e.published_version !== null;
  // An implementation whose latest change is in review or rejected is still published.
  if (!live(impl) || !live(basic)) {
    await store.deleteDoc(tx, impl.id);
    return false;
  }
  const content = (await catalogStore.findVersion(tx, impl.id, impl.published_version!))!.content as ImplementationContent;
  const item = (await catalogStore.findVersion(tx, basic!.id, basic!.published_version!))!.content as BasicItemContent;
  await store.upsertDoc(tx, {
    entryId: impl.id,
    basicItemId: basic!.id,
    regionCode: impl.region_code,
    orgId: impl.org_id,
    departmentType: item.departmentType,
    itemType: content.itemType,
    audience: item.audience,
    themes: item.themes,
    visits: content.visits,
    online: content.onlineDepth >= 4,
    name: content.name,
    keywords: item.keywords,
    terms: documentTerms({ name: content.name, keywords: item.keywords, subItems: content.subItems.map((s) => s.name) }),
  });
  return true;
}

/**
 * Brings the index in line with an entry after a lifecycle step, inside that step's
 * transaction: an implementation is indexed while it and its basic item are published; a
 * basic item's change re-indexes its implementations (keywords, themes, audience).
 */
export async function refreshSearchIndex(tx: Tx, entryId: string): Promise<void> {
  const entry = await catalogStore.findEntry(tx, entryId);
  if (!entry) return;
  const impls = entry.kind === 'basic_item' ? await catalogStore.implementationsOf(tx, entry.id) : [entry];
  for (const impl of impls) await refreshImplementation(tx, impl);
  await store.bumpGeneration(tx);
}

/** Rebuilds the whole index (start-up, CLI, after a change to the term rules). */
export async function reindexAll(db: Db): Promise<number> {
  return inTransaction(db, async (tx) => {
    await store.deleteAllDocs(tx);
    let n = 0;
    for (let offset = 0; ; offset += 500) {
      const page = await catalogStore.listEntriesWithContent(tx, { kind: 'implementation' }, 'published', 500, offset);
      for (const impl of page) {
        if (await refreshImplementation(tx, impl)) n++;
      }
      if (page.length < 500) break;
    }
    await store.bumpGeneration(tx);
    return n;
  });
}

export interface SearchParams {
  q?: string;
  region?: string;
  department?: string;
  audience?: string;
  theme?: string;
  noVisit?: boolean;
  page?: number;
  pageSize?: number;
}

export interface SearchResult {
  implementationId: string;
  name: string;
  /** The name, HTML-escaped, with <mark> around matched words. */
  snippet: string;
  orgId: string | null;
  orgName: string | null;
  regionCode: string;
  regionName: string;
  visits: number;
  online: boolean;
  departmentType: string;
}

export interface SearchResponse {
  query: string;
  normalised: string;
  total: number;
  page: number;
  pageSize: number;
  results: SearchResult[];
  corrections: { from: string; to: string }[];
  synonyms: string[];
}

interface Cached {
  generation: number;
  dictionary: TermDictionary;
  synonyms: Synonym[];
}
// One dictionary per database handle, shared by every CatalogSearch over it.
const caches = new WeakMap<Db, Cached>();

export class CatalogSearch {
  private readonly db: Db;
  private readonly regions: RegionService;

  constructor(db: Db, regions: RegionService) {
    this.db = db;
    this.regions = regions;
  }

  /** The term dictionary and synonyms, reloaded when any node changed the index. */
  private async vocabulary(): Promise<Cached> {
    const generation = await store.generation(this.db);
    const hit = caches.get(this.db);
    if (hit && hit.generation === generation) return hit;
    const [terms, synonyms] = await Promise.all([store.termStats(this.db), store.listSynonyms(this.db)]);
    const fresh = { generation, dictionary: new TermDictionary(terms), synonyms: synonyms.map((s) => ({ phrase: s.phrase, terms: s.terms })) };
    caches.set(this.db, fresh);
    return fresh;
  }

  async plan(q: string): Promise<QueryPlan> {
    const v = await this.vocabulary();
    return planQuery(q, v.dictionary, v.synonyms);
  }

  private async regionCodes(region: string): Promise<string[]> {
    if (!isWellFormedRegionCode(region)) throw new AppError('VALIDATION_FAILED', { errors: [{ field: 'region', message: '行政区划代码应为 6、9 或 12 位数字' }] });
    try {
      return (await this.regions.path(region)).map((r) => r.code);
    } catch {
      throw new AppError('VALIDATION_FAILED', { errors: [{ field: 'region', message: '没有这个行政区划' }] });
    }
  }

  /** Rejects filters with unknown values, every problem by field (problem+json 400). */
  private validate(p: SearchParams): void {
    const errors: { field: string; message: string }[] = [];
    if (p.department && !(p.department in DEPARTMENT_TYPES)) errors.push({ field: 'department', message: '没有这个部门类型' });
    if (p.audience && p.audience !== 'person' && p.audience !== 'company') errors.push({ field: 'audience', message: '服务对象应为 person（个人）或 company（法人）' });
    if (p.theme && !(p.theme in ALL_THEMES)) errors.push({ field: 'theme', message: '没有这个主题' });
    if ((p.q ?? '').length > 100) errors.push({ field: 'q', message: '搜索内容不能超过 100 个字' });
    if (errors.length) throw new AppError('VALIDATION_FAILED', { errors });
  }

  async search(p: SearchParams): Promise<SearchResponse> {
    this.validate(p);
    const query = (p.q ?? '').trim();
    const regionCodes = p.region ? await this.regionCodes(p.region) : undefined;
    const pageSize = Math.min(Math.max(p.pageSize ?? PAGE_SIZE, 1), 50);
    const page = Math.min(Math.max(Math.trunc(p.page ?? 1) || 1, 1), 1000);
    const plan = query ? await this.plan(query) : null;
    const filter: store.DocFilter = { regionCodes, departmentType: p.department || undefined, audience: p.audience || undefined, theme: p.theme || undefined, noVisit: p.noVisit === true };
    // A query that nothing in the index can match costs no database search.
    const hits = plan && plan.tsquery === null ? [] : await store.searchDocs(this.db, plan?.tsquery ?? null, filter, pageSize, (page - 1) * pageSize);
    let total = hits[0]?.total ?? 0;
    if (total === 0 && page > 1 && plan?.tsquery !== null) total = (await store.searchDocs(this.db, plan?.tsquery ?? null, filter, 1, 0))[0]?.total ?? 0;
    if (plan) await store.insertLog(this.db, { query: query.slice(0, 100), normalised: plan.normalised, regionCode: p.region ?? null, resultCount: total });
    const results: SearchResult[] = [];
    for (const h of hits) {
      const org = h.org_id ? await this.regions.organisation(h.org_id).catch(() => null) : null;
      const region = await this.regions.get(h.region_code).catch(() => null);
      results.push({
        implementationId: h.entry_id,
        name: h.name,
        snippet: highlight(h.name, plan?.marks ?? [], plan?.prefixes ?? []),
        orgId: h.org_id,
        orgName: org?.name ?? null,
        regionCode: h.region_code,
        regionName: region?.name ?? h.region_code,
        visits: h.visits,
        online: h.online,
        departmentType: h.department_type,
      });
    }
    return { query, normalised: plan?.normalised ?? '', total, page, pageSize, results, corrections: plan?.corrections ?? [], synonyms: plan?.synonyms ?? [] };
  }

  /** Counts an implementation being opened (from a result or its guide): the ranking tie-breaker. */
  async recordHit(implementationId: string): Promise<void> {
    if (/^[0-9a-f-]{36}$/i.test(implementationId)) await store.addHit(this.db, implementationId).catch(() => undefined);
  }

  synonyms() {
    return store.listSynonyms(this.db);
  }

  async addSynonym(input: { phrase: string; terms: string[] }, actor: AuditActor) {
    const phrase = normalise(input.phrase).replace(/ /g, '');
    const terms = [...new Set(input.terms.map((t) => t.trim()).filter(Boolean))];
    const errors: { field: string; message: string }[] = [];
    if (phrase.length < 2) errors.push({ field: 'phrase', message: '说法至少 2 个字' });
    if (!terms.length) errors.push({ field: 'terms', message: '请填写至少一个规范名称' });
    if (errors.length) throw new AppError('VALIDATION_FAILED', { errors });
    return inTransaction(this.db, async (tx) => {
      if (await store.findSynonym(tx, { phrase })) throw new AppError('CATALOG_SYNONYM_EXISTS', { detail: phrase });
      const id = await store.insertSynonym(tx, { phrase, terms, createdBy: actorId(actor) ?? 'anonymous' });
      await store.bumpGeneration(tx);
      await recordAudit(tx, { actor, action: 'catalog.search.synonym.add', targetType: 'catalog_search_synonym', targetId: String(id), change: { phrase, terms } });
      return { id, phrase, terms };
    });
  }

  async removeSynonym(id: number, actor: AuditActor): Promise<void> {
    await inTransaction(this.db, async (tx) => {
      const row = await store.findSynonym(tx, { id });
      if (!row) throw new AppError('CATALOG_SYNONYM_NOT_FOUND', { detail: String(id) });
      await store.deleteSynonym(tx, id);
      await store.bumpGeneration(tx);
      await recordAudit(tx, { actor, action: 'catalog.search.synonym.remove', targetType: 'catalog_search_synonym', targetId: String(id), change: { phrase: row.phrase, terms: row.terms } });
    });
  }

  async stats(days = 30) {
    const [hot, zero, daily] = await Promise.all([store.topQueries(this.db, days, false, 20), store.topQueries(this.db, days, true, 20), store.dailyCounts(this.db, days)]);
    const searches = daily.reduce((s, d) => s + d.searches, 0);
    const zeroCount = daily.reduce((s, d) => s + d.zero, 0);
    return { days, hot, zero, daily, searches, zeroCount, zeroRate: searches ? zeroCount / searches : 0 };
  }

  /**
   * The plan of a query's search with sequential scans disabled: on a small table the
   * planner rightly scans, so this shows the GIN index can serve the query as it grows.
   */
  async explain(q: string): Promise<string> {
    const { tsquery } = await this.plan(q);
    if (tsquery === null) return '';
    return inTransaction(this.db, async (tx) => {
      await sql`set local enable_seqscan = off`.execute(tx);
      return store.explainSearch(tx, tsquery);
    });
  }
}
