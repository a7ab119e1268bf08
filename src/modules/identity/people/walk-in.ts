// A person at a hall window (线下一窗受理): the clerk types the name, ID number and mobile
// from the identity card; the same public-security check as online level 2 confirms that
// name and number belong together, and the person's account is found or created so their
// case lands in the same workflow (and in "我的办件" once they sign in with that mobile).
// A mismatch or an outage creates nothing.
import type { Actor } from '../../../platform/http/access.ts';
import { inTransaction } from '../../../platform/db/database.ts';
import { recordAudit } from '../../../platform/audit/audit.ts';
import { maskIdNumber, maskMobile, maskName } from '../../../platform/crypto/personal-data.ts';
import { checkIdNumber, ID_NUMBER_PROBLEM_MESSAGES } from '../../../platform/identifiers/id-number.ts';
import { AppError, type FieldError } from '../../../platform/http/errors.ts';
import { VerifierUnavailableError } from '../verifiers/types.ts';
import type { CitizenService, RequestMeta } from './service.ts';
import * as store from './store.ts';

export interface WalkInPerson {
  name: string;
  idNumber: string;
  mobile: string;
}

export interface WalkInResult {
  accountId: string;
  created: boolean;
  name: string;
  mobile: string;
}

/** The clerk's typing, checked before any outside call (GB 11643 check character, mobile). */
export function checkWalkInPerson(input: WalkInPerson): { person: WalkInPerson; errors: FieldError[] } {
  const name = input.name.trim();
  const idNumber = input.idNumber.trim().toUpperCase();
  const mobile = input.mobile.replace(/[\s-]/g, '').replace(/^\+?86/, '');
  const errors: FieldError[] = [];
  if (!/^[\u4e00-\u9fa5·]{2,20}$/.test(name)) errors.push({ field: 'personName', message: '请填写身份证上的中文姓名' });
  const problem = checkIdNumber(idNumber);
  if (problem) errors.push({ field: 'idNumber', message: ID_NUMBER_PROBLEM_MESSAGES[problem] });
  if (!/^1[3-9]\d{9}$/.test(mobile)) errors.push({ field: 'mobile', message: '请填写申请人本人的 11 位手机号码' });
  return { person: { name, idNumber, mobile }, errors };
}

/**
 * Verifies the person with the public-security register and finds or creates their account
 * at level 2 with evidence `window`. Staff only; audited either way.
 */
export async function verifyWalkInPerson(svc: CitizenService, actor: Actor, input: WalkInPerson, meta: RequestMeta): Promise<WalkInResult> {
  if (actor.kind !== 'staff') throw new AppError('FORBIDDEN');
  const { person, errors } = checkWalkInPerson(input);
  if (errors.length) throw new AppError('VALIDATION_FAILED', { errors });
  const idIndex = svc.cipher.blindIndex('id_number', person.idNumber);
  const mobileIndex = svc.cipher.blindIndex('mobile', person.mobile);
  const masked = { name: maskName(person.name), idNumber: maskIdNumber(person.idNumber), mobile: maskMobile(person.mobile) };
  let result;
  try {
    result = await svc.verifiers.publicSecurity.checkNameId({ name: person.name, idNumber: person.idNumber });
  } catch (err) {
    if (!(err instanceof VerifierUnavailableError)) throw err;
    await recordAudit(svc.db, { actor, action: 'citizen.walk_in.unavailable', targetType: 'citizen_account', regionCode: actor.regionCode, change: { ...masked, reason: err.reason }, requestId: meta.requestId });
    throw new AppError('VERIFIER_UNAVAILABLE', { detail: '公安人口信息核验服务暂时不可用，未登记任何信息，请稍后再试', cause: err });
  }
  if (!result.match) {
    await recordAudit(svc.db, { actor, action: 'citizen.walk_in.rejected', targetType: 'citizen_account', regionCode: actor.regionCode, change: { ...masked, reference: result.reference }, requestId: meta.requestId });
    throw new AppError('REAL_NAME_CHECK_FAILED', { detail: '姓名与身份证号码不一致，请核对身份证件', errors: [{ field: 'idNumber', message: '姓名与身份证号码经公安人口信息核验不一致，请核对身份证件' }] });
  }
  const county = /^[1-8]\d{5}$/.test(person.idNumber.slice(0, 6)) ? person.idNumber.slice(0, 6) : actor.regionCode.slice(0, 6);
  return inTransaction(svc.db, async (tx) => {
    let account = await store.findCitizenByIdNumber(tx, idIndex);
    let created = false;
    if (!account) {
      const byMobile = await store.findCitizenByMobile(tx, mobileIndex);
      // A mobile already registered is someone's login: binding this identity to it would
      // hand the person's cases to whoever proved that number, so the owner must do it.
      if (byMobile) {
        throw new AppError('VALIDATION_FAILED', {
          errors: [{ field: 'mobile', message: byMobile.idNumberSealed ? '该手机号码已登记在他人名下，请核对或使用申请人本人的其他手机号码' : '该手机号码已注册账户但尚未实名：请申请人用该号码登录后完成实名认证再来办理，或填写其他手机号码' }],
        });
      }
      const id = await store.insertCitizen(tx, { mobileSealed: svc.cipher.seal('mobile', person.mobile), mobileIndex, passwordHash: null, regionCode: county });
      const identity = { nameSealed: svc.cipher.seal('name', person.name), idNumberSealed: svc.cipher.seal('id_number', person.idNumber), idNumberIndex: idIndex, regionCode: county };
      if (!(await store.raiseLevel(tx, id, { level: 2, identity }))) throw new AppError('CONFLICT');
      account = (await store.findCitizenById(tx, id))!;
      created = true;
    } else {
      await store.raiseLevel(tx, account.id, { level: 2 });
    }
    if (account.status !== 'active') throw new AppError('FORBIDDEN', { detail: '该申请人的账户已停用，请联系管理员' });
    await store.insertEvidence(tx, { accountId: account.id, level: 2, method: 'window', reference: result.reference, details: { ...masked, staffId: actor.accountId }, regionCode: account.regionCode });
    await recordAudit(tx, { actor, action: created ? 'citizen.walk_in.create' : 'citizen.walk_in.verify', targetType: 'citizen_account', targetId: account.id, regionCode: account.regionCode, change: { ...masked, level: 2, method: 'window', reference: result.reference }, requestId: meta.requestId });
    // An existing account keeps the mobile its owner proved; the number given at the window
    // is the one the receipt's progress lookup uses.
    return { accountId: account.id, created, name: person.name, mobile: person.mobile };
  }).catch((err: unknown) => {
    if ((err as { code?: unknown }).code === '23505') throw new AppError('ID_NUMBER_TAKEN', { cause: err });
    throw err;
  });
}
