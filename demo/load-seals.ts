// Demo seals: each department of the province, Nanjing and Suzhou whose type issues a licence
// in the licence catalogue gets a 业务专用章 through the seal registry's own request and
// approval, so a demo case decided there issues its e-licence at once. Demo data only.
import type { Config } from '../src/config.ts';
import type { Db } from '../src/platform/db/database.ts';
import type { Actor, StaffRole } from '../src/platform/http/access.ts';
import { regionPrefix } from '../src/platform/region-code.ts';
import { DEMO_LICENCE_TYPES, RegionService, sealServiceFor } from './modules.ts';

const DEMO_SEAL_REGIONS = ['320000', '320100', '320500'];
// The demo loader acts as a staff member of its own (seal requests record a staff account id).
const DEMO_LOADER_ID = '00000000-0000-4000-8000-00000000de01';

export async function loadDemoSeals(db: Db, config: Config): Promise<{ issued: number }> {
  const seals = sealServiceFor({ db, config });
  const regions = new RegionService(db);
  const issuing = new Set(DEMO_LICENCE_TYPES.map((t) => t.departmentType));
  const admin = (regionCode: string, roles: StaffRole[], orgId: string | null): Actor => ({ kind: 'staff', accountId: DEMO_LOADER_ID, displayName: '演示数据', roles, orgId, regionCode, sessionId: 'demo-seals', mustChangePassword: false });
  let issued = 0;
  for (const regionCode of DEMO_SEAL_REGIONS) {
    // A city node has only its own city's departments (and its province's, if loaded).
    if (!regionPrefix(regionCode).startsWith(regionPrefix(config.nodeRegionCode)) && !regionPrefix(config.nodeRegionCode).startsWith(regionPrefix(regionCode))) continue;
    const approver = admin(regionCode, ['region_admin'], null);
    const existing = new Set((await seals.listSeals(approver)).map((s) => s.org_id));
    for (const org of await regions.organisations(regionCode)) {
      if (org.regionCode !== regionCode || !org.departmentType || !issuing.has(org.departmentType) || existing.has(org.id)) continue;
      const requestId = await seals.request(admin(regionCode, ['dept_admin'], org.id), { orgId: org.id, kind: 'business' });
      await seals.approve(approver, requestId);
      issued++;
    }
  }
  return { issued };
}
