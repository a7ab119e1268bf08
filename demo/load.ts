// Jiangsu demo data: government departments, halls and staff for the province and its 13
// cities. Synthetic, but every credit code carries valid GB 32100 / GB 11714 check characters.
import type { Config } from '../src/config.ts';
import type { Db } from '../src/platform/db/database.ts';
import type { StaffRole } from '../src/platform/http/access.ts';
import { makeCreditCode } from '../src/platform/identifiers/credit-code.ts';
import { regionPrefix } from '../src/platform/region-code.ts';
import { RegionService, StaffService, ensureDemoSsoClient, type Organisation, type Region } from './modules.ts';
import { DEMO_COUNTIES, DEMO_DEPARTMENTS } from './organisations.ts';

/** Demo staff accounts. Their password is printed in README.md; demo data is off in production. */
export const DEMO_PASSWORD = 'Yiwang-Demo-2026';
export const DEMO_STAFF: { loginName: string; displayName: string; region: string; roles: StaffRole[] }[] = [
  { loginName: 'js-admin', displayName: '省级区划管理员（演示）', region: '320000', roles: ['region_admin'] },
  { loginName: 'nj-clerk', displayName: '南京综合窗口（演示）', region: '320100', roles: ['window_clerk'] },
  { loginName: 'nj-approver', displayName: '南京审批人员（演示）', region: '320100', roles: ['approver'] },
  { loginName: 'sz-clerk', displayName: '苏州综合窗口（演示）', region: '320500', roles: ['window_clerk'] },
  { loginName: 'js-auditor', displayName: '省级审计员（演示）', region: '320000', roles: ['auditor'] },
];

// Synthetic 8-character organisation bodies: a fixed prefix plus a running number.
function orgBody(n: number): string {
  return `Y${String(n).padStart(7, '0')}`;
}

/**
 * Loads what is missing: the organisations when there are none yet, and each demo account
 * that does not exist, so a load interrupted part-way completes on the next start.
 */
export async function loadDemoData(db: Db, config: Config): Promise<{ loaded: boolean; organisations?: number; staff?: number }> {
  const regions = new RegionService(db);
  const actor = { kind: 'system' as const, id: 'demo' };
  const province = config.nodeRole === 'national' ? null : await regions.get(config.nodeRegionCode.slice(0, 2) + '0000');
  if (!province) return { loaded: false };
  let organisations = 0;
  if ((await regions.countOrganisations()) === 0) {
    const cities = (await regions.children(province.code)).filter((c) => config.nodeRole === 'province' || c.code === config.nodeRegionCode);
    const counties = (await Promise.all(DEMO_COUNTIES.filter((c) => cities.some((city) => c.startsWith(city.code.slice(0, 4)))).map((c) => regions.get(c))));
    const cityOf = (r: Region) => cities.find((c) => r.code.startsWith(c.code.slice(0, 4))) ?? null;
    let n = 1;
    const orgs: Omit<Organisation, 'id'>[] = [];
    for (const region of [province, ...cities, ...counties]) {
      for (const d of DEMO_DEPARTMENTS) {
        const name = d.name(region, cityOf(region));
        if (name) orgs.push({ regionCode: region.code, name, shortName: d.short, creditCode: makeCreditCode('1', '1', region.code, orgBody(n++)), kind: 'department', parentId: null, departmentType: d.type });
      }
      orgs.push({ regionCode: region.code, name: `${region.name}政务服务中心`, shortName: '政务服务中心', creditCode: makeCreditCode('1', '2', region.code, orgBody(n++)), kind: 'hall', parentId: null, departmentType: null });
    }
    organisations = (await regions.createOrganisations(orgs, actor)).length;
  }
  const staff = new StaffService(db);
  let created = 0;
  for (const s of DEMO_STAFF) {
    if (!regionPrefix(s.region).startsWith(regionPrefix(config.nodeRegionCode)) && !regionPrefix(config.nodeRegionCode).startsWith(regionPrefix(s.region))) continue;
    if (await staff.exists(s.loginName)) continue;
    await staff.createStaff({ loginName: s.loginName, displayName: s.displayName, password: DEMO_PASSWORD, orgId: null, regionCode: s.region, roles: s.roles, mustChangePassword: false }, actor);
    created++;
  }
  // The demo business system (公积金) that people sign in to through single sign-on.
  await ensureDemoSsoClient(db, config.secrets.dataKey, config.publicUrl);
  if (organisations === 0 && created === 0) return { loaded: false };
  return { loaded: true, organisations, staff: created };
}
