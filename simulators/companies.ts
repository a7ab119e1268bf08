// Companies known to the simulated market-regulation e-business-licence issuer. Legal
// representatives and authorised holders are demo people (population.ts). Documented in
// docs/simulators.md; one licence is revoked and one has expired, to exercise the checks.
import { makeCreditCode } from '../src/platform/identifiers/credit-code.ts';
import { demoPerson, type DemoPerson } from './population.ts';

export type LicenceStatus = 'valid' | 'revoked';

export interface LicenceHolder {
  person: DemoPerson;
  role: 'legal_representative' | 'authorised_holder';
  /** The wallet app's PIN (demo value). */
  pin: string;
}

export interface DemoCompany {
  creditCode: string;
  name: string;
  kind: string;
  regionCode: string;
  legalRepresentative: DemoPerson;
  holders: LicenceHolder[];
  licenceSerial: string;
  validFrom: string;
  validUntil: string;
  status: LicenceStatus;
  revokedAt?: string;
  note: string;
}

export const DEMO_PIN = '123456';

function company(
  name: string, kind: string, category: string, regionCode: string, orgBody: string, rep: string,
  extra: { holder?: string; validFrom?: string; validUntil?: string; revokedAt?: string; note: string },
): DemoCompany {
  const creditCode = makeCreditCode('9', category, regionCode, orgBody);
  const legalRepresentative = demoPerson(rep);
  const holders: LicenceHolder[] = [{ person: legalRepresentative, role: 'legal_representative', pin: DEMO_PIN }];
  if (extra.holder) holders.push({ person: demoPerson(extra.holder), role: 'authorised_holder', pin: DEMO_PIN });
  return {
    creditCode, name, kind, regionCode, legalRepresentative, holders,
    licenceSerial: `JS${regionCode}${creditCode.slice(8, 16)}01`,
    validFrom: extra.validFrom ?? '2021-03-01', validUntil: extra.validUntil ?? '2041-02-28',
    status: extra.revokedAt ? 'revoked' : 'valid', ...(extra.revokedAt ? { revokedAt: extra.revokedAt } : {}),
    note: extra.note,
  };
}

export const DEMO_COMPANIES: readonly DemoCompany[] = [
  company('苏州姑苏云帆信息技术有限公司', '有限责任公司', '1', '320508', 'MA1MY3D5', '李强', { holder: '王芳', note: '正常；法定代表人李强，王芳持有执照（经办人）' }),
  company('昆山玉山精密机械有限公司', '有限责任公司', '1', '320583', 'MA1PK7QW', '刘洋', { validFrom: '2019-07-15', note: '正常' }),
  company('扬州广陵文旅发展有限公司', '有限责任公司', '1', '321002', 'MA1T4R8N', '周敏', { note: '正常' }),
  company('南京玄武知味餐饮管理有限公司', '有限责任公司', '1', '320102', 'MA1X2HB6', '张伟', { note: '正常' }),
  company('南京江宁吴记小吃店', '个体工商户', '2', '320115', 'L4K9C2MA', '吴磊', { validFrom: '2022-05-20', validUntil: '2099-12-31', note: '正常（个体工商户）' }),
  company('无锡梁溪恒通商贸有限公司', '有限责任公司', '1', '320213', 'MA1NB6UE', '陈静', { revokedAt: '2025-03-15T02:00:00.000Z', note: '已吊销：登录必须被拒绝（revoked）' }),
  company('常州天宁瑞丰建材有限公司', '有限责任公司', '1', '320402', 'MA1QJ8FT', '黄建国', { validFrom: '2004-09-01', validUntil: '2024-08-31', note: '营业期限已届满：登录必须被拒绝（expired）' }),
];

export function companyBySerial(serial: string): DemoCompany | undefined {
  return DEMO_COMPANIES.find((c) => c.licenceSerial === serial);
}

export function demoCompany(name: string): DemoCompany {
  const c = DEMO_COMPANIES.find((x) => x.name === name);
  if (!c) throw new Error(`no demo company ${name}`);
  return c;
}
