// Finds the registered, real-name-verified person a grant is for, by mobile number or ID
// number (both looked up by blind index, never in clear).
import type { Queryable } from '../../../platform/db/database.ts';
import type { PersonalDataCipher } from '../../../platform/crypto/personal-data.ts';
import { AppError } from '../../../platform/http/errors.ts';
import { checkIdNumber, ID_NUMBER_PROBLEM_MESSAGES } from '../../../platform/identifiers/id-number.ts';
import * as people from '../people/store.ts';

export async function findGrantee(db: Queryable, cipher: PersonalDataCipher, raw: string, field = 'who'): Promise<people.CitizenRow> {
  const who = raw.replace(/[\s-]/g, '').replace(/^\+?86(?=1\d{10}$)/, '').toUpperCase();
  let account: people.CitizenRow | null;
  if (/^1[3-9]\d{9}$/.test(who)) {
    account = await people.findCitizenByMobile(db, cipher.blindIndex('mobile', who));
  } else {
    const problem = checkIdNumber(who);
    if (problem) throw new AppError('GRANT_INVALID', { errors: [{ field, message: `请填写被授权人的手机号码或身份证号码（${ID_NUMBER_PROBLEM_MESSAGES[problem]}）` }] });
    account = await people.findCitizenByIdNumber(db, cipher.blindIndex('id_number', who));
  }
  if (!account || account.status !== 'active') throw new AppError('GRANTEE_NOT_FOUND', { errors: [{ field, message: '没有找到该用户：被授权人须先注册一网通办账户并完成实名认证' }] });
  if (account.realNameLevel < 2) throw new AppError('GRANTEE_LEVEL_TOO_LOW', { errors: [{ field, message: '被授权人尚未完成实名认证（需要二级及以上）' }] });
  return account;
}
