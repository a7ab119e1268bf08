// Who a licence is issued to: the applicant's verified identity, read through the identity
// module — a person's name and ID number from their verified account; a company's name and
// USCC (not yet: see the `unsupported` answer).
import type { Queryable } from '../../platform/db/database.ts';
import type { PersonalDataCipher } from '../../platform/crypto/personal-data.ts';
import { findCitizenById } from '../identity/index.ts';
import type { Holder } from './data.ts';

export type HolderLookup = { ok: true; holder: Holder } | { ok: false; reasonCode: 'holder_unverified' | 'holder_unsupported'; message: string };

export async function resolveHolder(db: Queryable, cipher: PersonalDataCipher, applicantKind: 'citizen' | 'company', applicantId: string): Promise<HolderLookup> {
  if (applicantKind === 'citizen') {
    const person = await findCitizenById(db, applicantId);
    if (!person?.idNumberSealed || !person.nameSealed) return { ok: false, reasonCode: 'holder_unverified', message: '申请人账户没有经核验的姓名和身份证号码，不能签发证照' };
    return { ok: true, holder: { kind: 'person', name: cipher.open('name', person.nameSealed), code: cipher.open('id_number', person.idNumberSealed) } };
  }
  return { ok: false, reasonCode: 'holder_unsupported', message: '企业持证人的证照签发尚未开通（需要身份模块提供企业名称和统一社会信用代码）' };
}
