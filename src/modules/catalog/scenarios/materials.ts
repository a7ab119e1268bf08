// De-duplicated materials and totals of a 一件事 bundle. Pure functions over the members'
// published implementations. A material several departments ask for is listed once, with
// who needs it; what the platform can fetch (e-licence, shared data) is flagged 免提交.
import type { ImplementationContent, Material } from '../schemas.ts';

export interface MaterialMember {
  key: string;
  name: string;
  materials: readonly Material[];
}

export interface MaterialNeed {
  memberKey: string;
  itemName: string;
  materialId: string;
  name: string;
  form: Material['form'];
  count: number;
  required: boolean;
  source: Material['source'];
  /** The member's situation question that makes it apply, when it applies only then. */
  when: Record<string, string> | null;
}

export interface MergedMaterial {
  /** Stable within a bundle: the first need's member key and material id. */
  key: string;
  name: string;
  /** The other names the departments give it. */
  aliases: string[];
  /** The strictest form any department asks for: 原件 over 复印件 over 电子件. */
  form: Material['form'];
  count: number;
  required: boolean;
  /** Every department asks for it only in some situations. */
  conditional: boolean;
  /** Every department that needs it gets it from an e-licence or shared data. */
  exempt: boolean;
  /** Some, not all, of the departments get it that way. */
  partlyExempt: boolean;
  licenceTypes: string[];
  dataResources: string[];
  neededBy: MaterialNeed[];
}

const FORM_RANK: Record<Material['form'], number> = { electronic: 0, copy: 1, original: 2 };

/** Names compared without width, spaces, case or punctuation: 《营业执照》 = 营业执照. */
export function normaliseMaterialName(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/[\s《》“”"'‘’、，,。.·:：;；()（）[\]【】-]/g, '');
}

/** Keys under which two materials are the same: the name, and the e-licence type or data resource. */
function keysOf(m: Material): string[] {
  const keys = [`name:${normaliseMaterialName(m.name)}`];
  if (m.source === 'licence' && m.licenceType) keys.push(`licence:${m.licenceType}`);
  if (m.source === 'data' && m.dataResource) keys.push(`data:${m.dataResource}`);
  return keys;
}

/**
 * Materials of all members, each distinct material once. Two materials are the same when
 * their normalised names match or they come from the same e-licence type or data resource
 * (transitively). Form is the strictest, count the largest, required if any department
 * requires it; the list keeps the order in which materials first appear.
 */
export function mergeMaterials(members: readonly MaterialMember[]): MergedMaterial[] {
  const needs: MaterialNeed[] = [];
  const parent: number[] = [];
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const owner = new Map<string, number>();
  const sourceOf: Material[] = [];
  for (const m of members) {
    for (const mat of m.materials) {
      const i = needs.length;
      needs.push({ memberKey: m.key, itemName: m.name, materialId: mat.id, name: mat.name, form: mat.form, count: mat.count, required: mat.required, source: mat.source, when: mat.when ?? null });
      sourceOf.push(mat);
      parent.push(i);
      for (const k of keysOf(mat)) {
        const j = owner.get(k);
        if (j === undefined) owner.set(k, i);
        else parent[find(i)] = find(j);
      }
    }
  }
  const groups = new Map<number, number[]>();
  needs.forEach((_, i) => {
    const root = find(i);
    if (!groups.has(root)) groups.set(root, []);
    groups.get(root)!.push(i);
  });
  const out: MergedMaterial[] = [];
  for (const idx of [...groups.values()].sort((a, b) => a[0]! - b[0]!)) {
    const list = idx.map((i) => needs[i]!);
    const mats = idx.map((i) => sourceOf[i]!);
    const names: string[] = [];
    for (const n of list) if (!names.some((x) => normaliseMaterialName(x) === normaliseMaterialName(n.name))) names.push(n.name);
    const fetched = list.filter((n) => n.source !== 'upload').length;
    out.push({
      key: `${list[0]!.memberKey}:${list[0]!.materialId}`,
      name: names[0]!,
      aliases: names.slice(1),
      form: list.reduce<Material['form']>((f, n) => (FORM_RANK[n.form] > FORM_RANK[f] ? n.form : f), 'electronic'),
      count: Math.max(...list.map((n) => n.count)),
      required: list.some((n) => n.required),
      conditional: list.every((n) => n.when !== null),
      exempt: fetched === list.length,
      partlyExempt: fetched > 0 && fetched < list.length,
      licenceTypes: [...new Set(mats.filter((m) => m.source === 'licence' && m.licenceType).map((m) => m.licenceType!))],
      dataResources: [...new Set(mats.filter((m) => m.source === 'data' && m.dataResource).map((m) => m.dataResource!))],
      neededBy: list,
    });
  }
  return out;
}

export interface TotalsMember {
  key: string;
  name: string;
  departmentName: string;
  content: Pick<ImplementationContent, 'promisedLimitDays' | 'legalLimitDays' | 'visits' | 'fees' | 'onlineDepth' | 'minRealNameLevel'>;
}

export interface BundleTotals {
  /** Each department's own promise: they work in parallel, so these are not simply added. */
  departments: { memberKey: string; itemName: string; departmentName: string; promisedDays: number; legalDays: number }[];
  /** The longest single promise: the whole when departments work in parallel. */
  maxPromisedDays: number;
  maxLegalDays: number;
  /** The sum: the whole if every step had to wait for the one before. */
  sumPromisedDays: number;
  /** At most this many trips: one joint window serves every department at once. */
  visits: number;
  feesFen: number;
  allOnline: boolean;
  minRealNameLevel: number;
}

export function bundleTotals(members: readonly TotalsMember[]): BundleTotals {
  const departments = members.map((m) => ({ memberKey: m.key, itemName: m.name, departmentName: m.departmentName, promisedDays: m.content.promisedLimitDays, legalDays: m.content.legalLimitDays }));
  return {
    departments,
    maxPromisedDays: Math.max(0, ...departments.map((d) => d.promisedDays)),
    maxLegalDays: Math.max(0, ...departments.map((d) => d.legalDays)),
    sumPromisedDays: departments.reduce((s, d) => s + d.promisedDays, 0),
    visits: Math.max(0, ...members.map((m) => m.content.visits)),
    feesFen: members.reduce((s, m) => s + m.content.fees.reduce((t, f) => t + f.amountFen, 0), 0),
    allOnline: members.length > 0 && members.every((m) => m.content.onlineDepth >= 4),
    minRealNameLevel: Math.max(1, ...members.map((m) => m.content.minRealNameLevel)),
  };
}
