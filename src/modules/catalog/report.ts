// The 三级四同 consistency report for a region (and optionally one organisation): counts,
// percentage consistent, and every deviation, for the admin page, the API and CSV export.
import { stringify } from 'csv-stringify/sync';
import type { Db } from '../../platform/db/database.ts';
import { regionPrefix } from '../../platform/region-code.ts';
import type { RegionService } from '../regions/index.ts';
import { checkConsistency, describeDeviation, FIELD_NAMES, type Deviation } from './consistency.ts';
import type { BasicItemContent, ImplementationContent } from './schemas.ts';
import * as store from './store.ts';

export interface ReportRow {
  entryId: string;
  code: string;
  name: string;
  regionCode: string;
  orgId: string;
  orgName: string;
  status: store.EntryStatus;
  deviations: (Deviation & { text: string })[];
}

export interface ConsistencyReport {
  regionCode: string;
  orgId: string | null;
  generatedAt: string;
  total: number;
  consistent: number;
  percentConsistent: number;
  byOrganisation: { orgId: string; orgName: string; regionCode: string; total: number; consistent: number; percentConsistent: number }[];
  deviating: ReportRow[];
}

const percent = (a: number, b: number) => (b === 0 ? 100 : Math.round((a / b) * 1000) / 10);

export async function consistencyReport(db: Db, regions: RegionService, regionCode: string, orgId: string | null): Promise<ConsistencyReport> {
  await regions.get(regionCode);
  const impls = await store.listEntriesWithContent(db, { kind: 'implementation', regionPrefix: regionPrefix(regionCode), ...(orgId ? { orgId } : {}) }, 'working', 100_000);
  const basics = new Map<string, BasicItemContent | null>();
  const orgNames = new Map<string, string>();
  const byOrg = new Map<string, ConsistencyReport['byOrganisation'][number]>();
  const deviating: ReportRow[] = [];
  let consistent = 0;
  for (const e of impls.filter((i) => i.status !== 'withdrawn')) {
    if (!basics.has(e.basic_item_id!)) {
      const b = await store.findEntry(db, e.basic_item_id!);
      basics.set(e.basic_item_id!, b?.published_version ? ((await store.findVersion(db, b.id, b.published_version))!.content as BasicItemContent) : null);
    }
    const basic = basics.get(e.basic_item_id!);
    const content = e.content as ImplementationContent;
    const devs = basic ? checkConsistency(basic, content) : [];
    if (!orgNames.has(e.org_id!)) orgNames.set(e.org_id!, (await regions.organisation(e.org_id!)).name);
    const orgName = orgNames.get(e.org_id!)!;
    const bucket = byOrg.get(e.org_id!) ?? { orgId: e.org_id!, orgName, regionCode: e.region_code, total: 0, consistent: 0, percentConsistent: 0 };
    bucket.total++;
    if (devs.length === 0) {
      consistent++;
      bucket.consistent++;
    } else {
      deviating.push({ entryId: e.id, code: e.code, name: content.name, regionCode: e.region_code, orgId: e.org_id!, orgName, status: e.status, deviations: devs.map((d) => ({ ...d, text: describeDeviation(d) })) });
    }
    byOrg.set(e.org_id!, bucket);
  }
  const organisations = [...byOrg.values()].map((o) => ({ ...o, percentConsistent: percent(o.consistent, o.total) })).sort((a, b) => a.percentConsistent - b.percentConsistent || a.regionCode.localeCompare(b.regionCode));
  const total = impls.filter((i) => i.status !== 'withdrawn').length;
  return { regionCode, orgId, generatedAt: new Date().toISOString(), total, consistent, percentConsistent: percent(consistent, total), byOrganisation: organisations, deviating };
}

/** One row per deviation, with a UTF-8 BOM so spreadsheet programs read the Chinese right. */
export function reportCsv(report: ConsistencyReport): string {
  const rows = report.deviating.flatMap((r) => r.deviations.map((d) => [r.regionCode, r.orgName, r.code, r.name, FIELD_NAMES[d.field], d.text]));
  return '\ufeff' + stringify([['区划代码', '实施机构', '实施编码', '事项名称', '不一致项', '说明'], ...rows]);
}
