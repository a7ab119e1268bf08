// 三级四同: an implementation's name, code, legal basis and type must equal its basic item's.
import { canonicalJson } from '../../platform/audit/audit.ts';
import type { BasicItemContent, ImplementationContent } from './schemas.ts';

export type ConsistencyField = 'name' | 'code' | 'legalBasis' | 'itemType';

export const FIELD_NAMES: Record<ConsistencyField, string> = { name: '事项名称', code: '事项编码', legalBasis: '设定依据', itemType: '事项类型' };

export interface Deviation {
  field: ConsistencyField;
  expected: unknown;
  actual: unknown;
}

/** Legal bases compare as a set: the order of citations carries no meaning. */
function legalBasisKey(list: BasicItemContent['legalBasis']): string {
  return list.map((b) => canonicalJson({ kind: b.kind, title: b.title.trim(), article: b.article.trim() })).sort().join('|');
}

export function checkConsistency(basic: Pick<BasicItemContent, 'name' | 'code' | 'legalBasis' | 'itemType'>, impl: Pick<ImplementationContent, 'name' | 'basicCode' | 'legalBasis' | 'itemType'>): Deviation[] {
  const deviations: Deviation[] = [];
  if (impl.name.trim() !== basic.name.trim()) deviations.push({ field: 'name', expected: basic.name, actual: impl.name });
  if (impl.basicCode !== basic.code) deviations.push({ field: 'code', expected: basic.code, actual: impl.basicCode });
  if (impl.itemType !== basic.itemType) deviations.push({ field: 'itemType', expected: basic.itemType, actual: impl.itemType });
  if (legalBasisKey(impl.legalBasis) !== legalBasisKey(basic.legalBasis)) deviations.push({ field: 'legalBasis', expected: basic.legalBasis, actual: impl.legalBasis });
  return deviations;
}

export function describeDeviation(d: Deviation): string {
  const show = (v: unknown) => (Array.isArray(v) ? v.map((b) => `${(b as { title: string }).title}${(b as { article: string }).article.split(/[，。：:]/)[0]}`).join('；') : String(v));
  return `${FIELD_NAMES[d.field]}应为“${show(d.expected)}”，实为“${show(d.actual)}”`;
}
