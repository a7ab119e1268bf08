// Pure part of bench/seed-catalog.ts: which demo implementation, region and sequence each
// synthetic implementation gets, and which department implements it. No I/O, so
// test/bench.test.ts can prove the plan never produces a duplicate implementation code.

/** Sequences 100–999: the demo catalogue numbers its own implementations from 1. */
export const FIRST_SEQUENCE = 100;
export const MAX_SOURCES = 900;

export interface PlannedRow {
  /** Index into the clone sources (published demo implementations). */
  source: number;
  /** Index into the target regions (counties and towns of the province). */
  region: number;
  sequence: number;
}

/**
 * Why the plan cannot produce `size` distinct implementations, or null when it can. A code
 * is basic code + region + sequence + department: each source keeps its own sequence, and
 * takes a different region in every round through the sources.
 */
export function planProblem(size: number, sources: number, regions: number): string | null {
  if (size === 0) return null;
  if (sources === 0) return 'no published demo implementation to clone (is the demo catalogue loaded?)';
  if (sources > MAX_SOURCES) return `at most ${MAX_SOURCES} clone sources, got ${sources}`;
  const rounds = Math.ceil(size / sources);
  if (rounds > regions) return `${size} implementations need ${rounds} regions per item, only ${regions} exist`;
  return null;
}

/**
 * Row i of the synthetic set. Sources take turns, so every item gets about the same share;
 * a large odd stride scatters each source's rows over the province instead of giving every
 * item the same first towns.
 */
export function plannedRow(i: number, sources: number, regions: number): PlannedRow {
  const source = i % sources;
  const round = Math.floor(i / sources);
  return { source, region: (round + source * 7919) % regions, sequence: FIRST_SEQUENCE + source };
}

export interface Department {
  id: string;
  creditCode: string | null;
}

/**
 * The department that implements an item of `departmentType` in `regionCode`: the region's
 * own, else its county's, city's or province's (demo departments exist only down to a few
 * counties, and a town's matters are handled by the county in practice).
 */
export function departmentFor(regionCode: string, departmentType: string, byRegion: ReadonlyMap<string, Department>): Department | null {
  const candidates = [regionCode, regionCode.slice(0, 6), regionCode.slice(0, 4) + '00', regionCode.slice(0, 2) + '0000'];
  for (const code of candidates) {
    const hit = byRegion.get(`${code}:${departmentType}`);
    if (hit) return hit;
  }
  return null;
}
