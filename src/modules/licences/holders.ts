// Who a licence is issued to: the applicant's verified identity, read through the identity
// module — a person's name and ID number from their verified account; a company's registered
// name and USCC from its account (opened with its e-business licence).
import type { Queryable } from '../../platform/db/database.ts';
import type { PersonalDataCipher } from '../../platform/crypto/personal-data.ts';
import { findCitizenById, findCompanyById } from '../identity/index.ts';
import type { Holder } from './data.ts';

export type HolderLookup = { ok: true; holder: Holder } | { ok: false; reasonCode: 'holder_unverified'; message: string };

export async function resolveHolder(db: Queryable, cipher: PersonalDataCipher, applicantKind: 'citizen' | 'company', applicantId: string): Promise<HolderLookup> {
  if (applicantKind === 'citizen') {
    const person = await findCitizenById(db, applicantId);
    if (!person?.idNumberSealed || !person.nameSealed) return { ok: false, reasonCode: 'holder_unverified', message: '申请人账户没有经核验的姓名和身份证号码，不能签发证照' };
    return { ok: true, holder: { kind: 'person', name: cipher.open('name', person.nameSealed), code: cipher.open('id_number', person.idNumberSealed) } };
  }
  const company = await findCompanyById(db, applicantId);
  if (!company || company.status !== 'active') return { ok: false, reasonCode: 'holder_unverified', message: '申请企业的账户不存在或已停用，不能签发证照' };
  return { ok: true, holder: { kind: 'company', name: company.name, code: company.creditCode } };
}
