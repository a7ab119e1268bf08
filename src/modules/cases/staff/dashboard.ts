// The deadline dashboard (超期督办): cases under review counted by light, per organisation
// and per region, coloured with the same rule and calendar as a case's own light.
import type { Queryable } from '../../../platform/db/database.ts';
import { light, type WorkingDays } from '../deadlines.ts';
import { dueGroups, overdue, suspendedCounts, type Scope } from './workbench-store.ts';
import type { CaseRow } from '../store.ts';

export interface LightCounts {
  green: number;
  yellow: number;
  red: number;
  total: number;
}

export interface DashboardRow extends LightCounts {
  key: string;
  name: string;
  suspended: number;
}

export interface Dashboard {
  totals: LightCounts & { suspended: number };
  byOrg: DashboardRow[];
  byRegion: DashboardRow[];
  overdue: CaseRow[];
}

const empty = (): LightCounts => ({ green: 0, yellow: 0, red: 0, total: 0 });

export async function buildDashboard(
  db: Queryable,
  scope: Scope,
  deps: { calendar: WorkingDays; today: string; orgName: (id: string) => Promise<string>; regionName: (code: string) => Promise<string>; overdueLimit: number },
): Promise<Dashboard> {
  const [groups, suspended, late] = await Promise.all([dueGroups(db, scope), suspendedCounts(db, scope), overdue(db, scope, deps.today, deps.overdueLimit)]);
  const byOrg = new Map<string, LightCounts>();
  const byRegion = new Map<string, LightCounts>();
  const totals = empty();
  const colours = new Map<string, 'green' | 'yellow' | 'red'>();
  for (const g of groups) {
    const key = `${g.regionCode}|${g.dueOn}`;
    let colour = colours.get(key);
    if (!colour) {
      const l = await light(deps.calendar, g.dueOn, deps.today, g.regionCode);
      // A case under review always has a due date; one without is shown as on time, not hidden.
      colour = l === 'none' ? 'green' : l;
      colours.set(key, colour);
    }
    const county = g.regionCode.slice(0, 6);
    for (const [map, k] of [[byOrg, g.orgId], [byRegion, county]] as const) {
      const c = map.get(k) ?? empty();
      c[colour] += g.n;
      c.total += g.n;
      map.set(k, c);
    }
    totals[colour] += g.n;
    totals.total += g.n;
  }
  for (const orgId of suspended.keys()) if (!byOrg.has(orgId)) byOrg.set(orgId, empty());
  const order = (a: DashboardRow, b: DashboardRow) => b.red - a.red || b.yellow - a.yellow || b.total - a.total || a.name.localeCompare(b.name, 'zh');
  const orgRows = await Promise.all([...byOrg].map(async ([id, c]) => ({ key: id, name: await deps.orgName(id), suspended: suspended.get(id) ?? 0, ...c })));
  const regionRows = await Promise.all([...byRegion].map(async ([code, c]) => ({ key: code, name: await deps.regionName(code), suspended: 0, ...c })));
  return {
    totals: { ...totals, suspended: [...suspended.values()].reduce((a, b) => a + b, 0) },
    byOrg: orgRows.sort(order),
    byRegion: regionRows.sort(order),
    overdue: late,
  };
}

/** Horizontal stacked bars (red, yellow, green), laid out here so the template only draws. */
export function barChart(rows: DashboardRow[], width = 560): { height: number; width: number; labelWidth: number; bars: { y: number; label: string; total: number; segments: { x: number; w: number; colour: string; n: number }[] }[] } {
  const labelWidth = 200;
  const barWidth = width - labelWidth - 60;
  const max = Math.max(1, ...rows.map((r) => r.total));
  const rowH = 30;
  const fill = { red: '#c0211f', yellow: '#b98900', green: '#1d7a3a' } as const;
  return {
    width,
    labelWidth,
    height: rows.length * rowH + 8,
    bars: rows.map((r, i) => {
      let x = labelWidth;
      const segments = (['red', 'yellow', 'green'] as const).map((c) => {
        const w = Math.round((barWidth * r[c]) / max);
        const seg = { x, w, colour: fill[c], n: r[c] };
        x += w;
        return seg;
      });
      return { y: i * rowH + 4, label: r.name.length > 13 ? `${r.name.slice(0, 13)}…` : r.name, total: r.total, segments };
    }),
  };
}
