// Jiangsu demo data: government departments, halls and staff for the province and its 13
// cities. Synthetic, but every credit code carries valid GB 32100 / GB 11714 check characters.
import type { Config } from '../src/config.ts';
import type { Db } from '../src/platform/db/database.ts';
import type { StaffRole } from '../src/platform/http/access.ts';
import { makeCreditCode } from '../src/platform/identifiers/credit-code.ts';
import { regionPrefix } from '../src/platform/region-code.ts';
import { RegionService, StaffService } from './modules.ts';

// Province-level names differ for some departments (公安厅 vs 公安局), as in real life.
const DEPARTMENTS = [
  { city: '政务服务管理办公室', province: '政务服务管理办公室', short: '政务办' },
  { city: '市场监督管理局', province: '市场监督管理局', short: '市场监管局' },
  { city: '公安局', province: '公安厅', short: '公安' },
  { city: '人力资源和社会保障局', province: '人力资源和社会保障厅', short: '人社' },
  { city: '卫生健康委员会', province: '卫生健康委员会', short: '卫健委' },
] as const;

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

export async function loadDemoData(db: Db, config: Config): Promise<{ loaded: boolean; organisations?: number; staff?: number }> {
  const regions = new RegionService(db);
  if ((await regions.countOrganisations()) > 0) return { loaded: false };
  const actor = { kind: 'system' as const, id: 'demo' };
  const province = config.nodeRole === 'national' ? null : await regions.get(config.nodeRegionCode.slice(0, 2) + '0000');
  if (!province) return { loaded: false };
  const cities = (await regions.children(province.code)).filter((c) => regionPrefix(config.nodeRegionCode).startsWith(regionPrefix(c.code)) || config.nodeRole === 'province');
  let n = 1;
  let organisations = 0;
  for (const region of [province, ...cities]) {
    const place = region.name;
    for (const d of DEPARTMENTS) {
      const name = `${place}${region.level === 1 ? d.province : d.city}`;
      await regions.createOrganisation(
        { regionCode: region.code, name, shortName: d.short, creditCode: makeCreditCode('1', '1', region.code, orgBody(n++)), kind: 'department', parentId: null },
        actor,
      );
      organisations++;
    }
    await regions.createOrganisation(
      { regionCode: region.code, name: `${place}政务服务中心`, shortName: '政务服务中心', creditCode: makeCreditCode('1', '2', region.code, orgBody(n++)), kind: 'hall', parentId: null },
      actor,
    );
    organisations++;
  }
  const staff = new StaffService(db);
  let created = 0;
  for (const s of DEMO_STAFF) {
    if (!regionPrefix(s.region).startsWith(regionPrefix(config.nodeRegionCode)) && !regionPrefix(config.nodeRegionCode).startsWith(regionPrefix(s.region))) continue;
    await staff.createStaff({ loginName: s.loginName, displayName: s.displayName, password: DEMO_PASSWORD, orgId: null, regionCode: s.region, roles: s.roles, mustChangePassword: false }, actor);
    created++;
  }
  return { loaded: true, organisations, staff: created };
}
