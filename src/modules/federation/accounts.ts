// What federation needs of people's accounts: find one by ID number, read its registration
// facts, create one for a person who arrives from a peer. These operations belong to the
// identity module; until its index.ts exports them this file is the one place that reaches
// into its store (see docs/federation.md, "Wiring"), and nothing else here reads its tables.
import type { Queryable } from '../../platform/db/database.ts';
import type { RealNameLevel } from '../../platform/http/access.ts';
import { AppError } from '../../platform/http/errors.ts';
import { maskIdNumber, maskName } from '../../platform/crypto/personal-data.ts';
import { emitEvent } from '../../platform/jobs/outbox.ts';
import { idNumberFacts } from '../../platform/identifiers/id-number.ts';
import type { CitizenService } from '../identity/index.ts';
import { findCitizenById, findCitizenByIdNumber, findCitizenByMobile, insertCitizen, insertEvidence, normaliseMobile, raiseLevel } from '../identity/index.ts';

export interface LocalAccount {
  accountId: string;
  level: RealNameLevel;
  /** 张* (3201**********1234): what the confirmation page may show. */
  maskedName: string;
  maskedIdNumber: string;
  regionCode: string;
  createdAt: Date;
  active: boolean;
}

export async function accountByIdNumber(db: Queryable, people: CitizenService, idNumber: string): Promise<LocalAccount | null> {
  const row = await findCitizenByIdNumber(db, people.cipher.blindIndex('id_number', idNumber));
  if (!row) return null;
  return {
    accountId: row.id,
    level: row.realNameLevel,
    maskedName: row.nameSealed ? maskName(people.cipher.open('name', row.nameSealed)) : '',
    maskedIdNumber: maskIdNumber(idNumber),
    regionCode: row.regionCode,
    createdAt: row.createdAt,
    active: row.status === 'active',
  };
}

export async function accountFacts(db: Queryable, accountId: string): Promise<{ level: RealNameLevel; regionCode: string; createdAt: Date } | null> {
  const row = await findCitizenById(db, accountId);
  return row ? { level: row.realNameLevel, regionCode: row.regionCode, createdAt: row.createdAt } : null;
}

export interface NewFederatedAccount {
  mobile: string;
  code: string;
  name: string;
  idNumber: string;
  level: RealNameLevel;
  peerId: string;
  peerSub: string;
  nodeRegionCode: string;
}

/**
 * A new local account for a person the peer vouched for. The mobile number is still proven
 * here (every account has a verified mobile, level 1); name, ID number and the level come from
 * the peer, recorded as evidence 'federation' with the peer and its subject.
 */
export async function createFederatedAccount(tx: Queryable, people: CitizenService, input: NewFederatedAccount): Promise<string> {
  const mobile = normaliseMobile(input.mobile);
  const mobileIndex = people.cipher.blindIndex('mobile', mobile);
  if (!(await people.consumeCode(tx, mobileIndex, 'register', input.code))) {
    throw new AppError('CODE_INVALID', { errors: [{ field: 'code', message: '验证码不正确或已过期，请重新获取' }] });
  }
  if (await findCitizenByMobile(tx, mobileIndex)) throw new AppError('ACCOUNT_EXISTS', { errors: [{ field: 'mobile', message: '该手机号码已注册本平台账户：请先用它登录，再完成实名认证' }] });
  const idNumberIndex = people.cipher.blindIndex('id_number', input.idNumber);
  if (await findCitizenByIdNumber(tx, idNumberIndex)) throw new AppError('ID_NUMBER_TAKEN');
  const regionCode = idNumberFacts(input.idNumber).regionCode;
  const id = await insertCitizen(tx, { mobileSealed: people.cipher.seal('mobile', mobile), mobileIndex, passwordHash: null, regionCode: input.nodeRegionCode });
  await insertEvidence(tx, { accountId: id, level: 1, method: 'sms', reference: `sms:${mobileIndex.slice(0, 16)}`, details: {}, regionCode: input.nodeRegionCode });
  await raiseLevel(tx, id, {
    level: input.level,
    identity: { nameSealed: people.cipher.seal('name', input.name), idNumberSealed: people.cipher.seal('id_number', input.idNumber), idNumberIndex, regionCode },
  });
  await insertEvidence(tx, { accountId: id, level: input.level, method: 'federation', reference: `${input.peerId}:${input.peerSub}`, details: { peer: input.peerId, idNumber: maskIdNumber(input.idNumber) }, regionCode });
  await emitEvent(tx, { topic: 'identity.citizen.registered', payload: { accountId: id }, idempotencyKey: `identity.citizen.registered:${id}`, regionCode });
  return id;
}
