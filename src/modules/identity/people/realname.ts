// Real-name upgrades (实名认证升级) and step-up (二次认证). A level is raised only on a
// positive, signed answer from the verifying service; a mismatch, a timeout or an outage
// leaves every level exactly where it was.
import type { Actor, RealNameLevel } from '../../../platform/http/access.ts';
import { inTransaction, type Queryable } from '../../../platform/db/database.ts';
import { recordAudit } from '../../../platform/audit/audit.ts';
import { maskBankCard, maskIdNumber, maskMobile, maskName } from '../../../platform/crypto/personal-data.ts';
import { checkIdNumber, ID_NUMBER_PROBLEM_MESSAGES } from '../../../platform/identifiers/id-number.ts';
import { isLuhnValid } from '../../../platform/identifiers/luhn.ts';
import { rotateSession, type SessionRecord } from '../../../platform/http/session.ts';
import { AppError } from '../../../platform/http/errors.ts';
import { VerifierUnavailableError, type CheckResult } from '../verifiers/types.ts';
import { CitizenService, type CitizenSessionData, type RequestMeta } from './service.ts';
import { type Factor } from './levels.ts';
import { verifyPasswordHash } from '../passwords.ts';
import { ACCOUNT_POLICY, blockedUntil, clearFailures, recordFailure, waitMessage } from './throttle.ts';
import * as store from './store.ts';

export interface UpgradeOutcome {
  token: string;
  actor: Actor;
}

/** Calls a verifier; an outage becomes VERIFIER_UNAVAILABLE (503), recorded in the audit log. */
async function ask<T extends CheckResult>(svc: CitizenService, actor: Actor, what: string, call: () => Promise<T>, meta: RequestMeta): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof VerifierUnavailableError) {
      await recordAudit(svc.db, { actor, action: 'citizen.realname.unavailable', targetType: 'citizen_account', targetId: actorAccount(actor), change: { check: what, reason: err.reason }, requestId: meta.requestId });
      throw new AppError('VERIFIER_UNAVAILABLE', { cause: err });
    }
    throw err;
  }
}

function actorAccount(actor: Actor): string {
  if (actor.kind !== 'citizen') throw new AppError('FORBIDDEN');
  return actor.accountId;
}

async function loadAccount(svc: CitizenService, actor: Actor): Promise<store.CitizenRow> {
  const account = await store.findCitizenById(svc.db, actorAccount(actor));
  if (!account) throw new AppError('UNAUTHENTICATED');
  return account;
}

async function refuseMismatch(svc: CitizenService, actor: Actor, check: string, result: CheckResult, meta: RequestMeta): Promise<never> {
  await recordAudit(svc.db, { actor, action: 'citizen.realname.rejected', targetType: 'citizen_account', targetId: actorAccount(actor), change: { check, reference: result.reference }, requestId: meta.requestId });
  throw new AppError('REAL_NAME_CHECK_FAILED');
}

/**
 * Records the new level with its evidence and replaces the session by one carrying the
 * factor just proven, in one transaction.
 */
async function commitLevel(
  svc: CitizenService,
  tx: Queryable,
  account: store.CitizenRow,
  session: SessionRecord,
  input: { level: RealNameLevel; method: string; result: CheckResult; details: Record<string, unknown>; factor: Factor | null; identity?: Parameters<typeof store.raiseLevel>[2]['identity'] },
  actor: Actor,
  meta: RequestMeta,
): Promise<UpgradeOutcome> {
  const regionCode = input.identity?.regionCode ?? account.regionCode;
  if (!(await store.raiseLevel(tx, account.id, { level: input.level, identity: input.identity }))) {
    throw new AppError('CONFLICT', { detail: '账户已由另一次核验完成实名，请刷新页面' });
  }
  await store.insertEvidence(tx, { accountId: account.id, level: input.level, method: input.method, reference: input.result.reference, details: input.details, regionCode });
  const data: CitizenSessionData = input.factor ? CitizenService.addFactor(session, input.factor) : (session.data as unknown as CitizenSessionData);
  const rotated = await rotateSession(tx, session, { ...data }, meta);
  const updated = (await store.findCitizenById(tx, account.id))!;
  const next = svc.actorFor(updated, rotated.id, data);
  await recordAudit(tx, { actor, action: 'citizen.realname.raise', targetType: 'citizen_account', targetId: account.id, regionCode, change: { level: input.level, method: input.method, reference: input.result.reference }, requestId: meta.requestId });
  return { token: rotated.token, actor: next };
}

export class RealNameService {
  private readonly svc: CitizenService;
  constructor(svc: CitizenService) {
    this.svc = svc;
  }

  /** Level 2: name + ID number against the public-security population register. */
  async verifyIdentity(actor: Actor, session: SessionRecord, input: { name: string; idNumber: string }, meta: RequestMeta): Promise<UpgradeOutcome> {
    const account = await loadAccount(this.svc, actor);
    const name = input.name.trim();
    const idNumber = input.idNumber.trim().toUpperCase();
    const errors = [];
    if (!/^[\u4e00-\u9fa5·]{2,20}$/.test(name)) errors.push({ field: 'name', message: '请填写身份证上的中文姓名' });
    const problem = checkIdNumber(idNumber);
    if (problem) errors.push({ field: 'idNumber', message: ID_NUMBER_PROBLEM_MESSAGES[problem] });
    if (errors.length) throw new AppError('VALIDATION_FAILED', { errors });
    if (account.idNumberSealed) throw new AppError('VALIDATION_FAILED', { errors: [{ field: 'idNumber', message: '您的账户已完成身份核验' }] });
    const idNumberIndex = this.svc.cipher.blindIndex('id_number', idNumber);
    // Whether the number is already bound is told only after the register confirmed that the
    // name and number belong together: otherwise any account could probe ID numbers.
    const result = await ask(this.svc, actor, 'public_security', () => this.svc.verifiers.publicSecurity.checkNameId({ name, idNumber }), meta);
    if (!result.match) return refuseMismatch(this.svc, actor, 'public_security', result, meta);
    return inTransaction(this.svc.db, async (tx) => {
      // The unique index is the last word (a concurrent claim fails there); this the clear message.
      const again = await store.findCitizenByIdNumber(tx, idNumberIndex);
      if (again && again.id !== account.id) throw new AppError('ID_NUMBER_TAKEN');
      const identity = {
        nameSealed: this.svc.cipher.seal('name', name),
        idNumberSealed: this.svc.cipher.seal('id_number', idNumber),
        idNumberIndex,
        regionCode: regionFromIdNumber(idNumber, account.regionCode),
      };
      const details = { name: maskName(name), idNumber: maskIdNumber(idNumber) };
      return commitLevel(this.svc, tx, account, session, { level: 2, method: 'public_security', result, details, factor: null, identity }, actor, meta);
    }).catch((err: unknown) => {
      if ((err as { code?: unknown }).code === '23505') throw new AppError('ID_NUMBER_TAKEN', { cause: err });
      throw err;
    });
  }

  private async identityOf(account: store.CitizenRow): Promise<{ name: string; idNumber: string }> {
    if (!account.nameSealed || !account.idNumberSealed) throw new AppError('REAL_NAME_PREREQUISITE', { detail: '请先完成姓名与身份证号码核验（二级）' });
    return { name: this.svc.cipher.open('name', account.nameSealed), idNumber: this.svc.cipher.open('id_number', account.idNumberSealed) };
  }

  /** Level 3 by the account's own mobile: the carrier's real-name record for that number. */
  async verifyCarrier(actor: Actor, session: SessionRecord, meta: RequestMeta): Promise<UpgradeOutcome> {
    const account = await loadAccount(this.svc, actor);
    const who = await this.identityOf(account);
    const mobile = this.svc.cipher.open('mobile', account.mobileSealed);
    const result = await ask(this.svc, actor, 'carrier', () => this.svc.verifiers.carrier.checkThreeElements({ ...who, mobile }), meta);
    if (!result.match) return refuseMismatch(this.svc, actor, 'carrier', result, meta);
    return inTransaction(this.svc.db, (tx) =>
      commitLevel(this.svc, tx, account, session, { level: 3, method: 'carrier', result, details: { mobile: maskMobile(mobile) }, factor: null }, actor, meta),
    );
  }

  /** Level 3 (or a step-up factor) by a bank card: name, ID number, card and its reserved mobile. */
  async verifyBankCard(actor: Actor, session: SessionRecord, input: { cardNumber: string; mobile: string }, meta: RequestMeta): Promise<UpgradeOutcome> {
    const account = await loadAccount(this.svc, actor);
    const who = await this.identityOf(account);
    const cardNumber = input.cardNumber.replace(/\s/g, '');
    const errors = [];
    if (!/^\d{16,19}$/.test(cardNumber) || !isLuhnValid(cardNumber)) errors.push({ field: 'cardNumber', message: '请填写正确的银行卡号（16 至 19 位数字）' });
    if (!/^1[3-9]\d{9}$/.test(input.mobile.trim())) errors.push({ field: 'mobile', message: '请填写银行预留的 11 位手机号码' });
    if (errors.length) throw new AppError('VALIDATION_FAILED', { errors });
    const result = await ask(this.svc, actor, 'bank_card', () => this.svc.verifiers.bankCard.checkFourElements({ ...who, cardNumber, mobile: input.mobile.trim() }), meta);
    if (!result.match) return refuseMismatch(this.svc, actor, 'bank_card', result, meta);
    return inTransaction(this.svc.db, (tx) =>
      commitLevel(this.svc, tx, account, session, { level: 3, method: 'bank_card', result, details: { card: maskBankCard(cardNumber) }, factor: 'bank_card' }, actor, meta),
    );
  }

  async startFace(actor: Actor, meta: RequestMeta): Promise<{ sessionId: string; actions: string[]; expiresAt: Date }> {
    const account = await loadAccount(this.svc, actor);
    const who = await this.identityOf(account);
    try {
      return await this.svc.verifiers.face.startLiveness({ idNumber: who.idNumber });
    } catch (err) {
      if (err instanceof VerifierUnavailableError) {
        await recordAudit(this.svc.db, { actor, action: 'citizen.realname.unavailable', targetType: 'citizen_account', targetId: account.id, change: { check: 'face', reason: err.reason }, requestId: meta.requestId });
        throw new AppError('VERIFIER_UNAVAILABLE', { cause: err });
      }
      throw err;
    }
  }

  /** Level 4 (and the face factor for step-up): a live face against the register photo. */
  async verifyFace(actor: Actor, session: SessionRecord, input: { livenessSessionId: string; image: Buffer }, meta: RequestMeta): Promise<UpgradeOutcome> {
    const account = await loadAccount(this.svc, actor);
    const who = await this.identityOf(account);
    if (account.realNameLevel < 3) throw new AppError('REAL_NAME_PREREQUISITE', { detail: '请先完成三级实名认证（运营商或银行卡核验）' });
    const result = await ask(this.svc, actor, 'face', () => this.svc.verifiers.face.compare({ ...who, livenessSessionId: input.livenessSessionId, image: input.image }), meta);
    if (!result.match || !result.live) return refuseMismatch(this.svc, actor, 'face', result, meta);
    const level = Math.max(4, account.realNameLevel) as RealNameLevel;
    return inTransaction(this.svc.db, (tx) =>
      commitLevel(this.svc, tx, account, session, { level, method: 'face', result, details: { score: result.score }, factor: 'face' }, actor, meta),
    );
  }

  /** Step-up by one more factor that needs no outside service (SMS code, password). */
  async addLocalFactor(actor: Actor, session: SessionRecord, factor: 'sms' | 'password', input: { code?: string; password?: string }, meta: RequestMeta): Promise<UpgradeOutcome> {
    const account = await loadAccount(this.svc, actor);
    // Guessing a password or code through step-up is throttled like guessing it at login.
    const key = `stepup:${account.id}`;
    const until = await blockedUntil(this.svc.db, [key]);
    if (until) throw new AppError('LOGIN_THROTTLED', { detail: waitMessage(until) });
    const failed = async () =>
      inTransaction(this.svc.db, async (tx) => {
        const blocked = await recordFailure(tx, key, ACCOUNT_POLICY);
        await recordAudit(tx, { actor, action: 'citizen.step_up.failed', targetType: 'citizen_account', targetId: account.id, regionCode: account.regionCode, change: { factor, blockedUntil: blocked?.toISOString() ?? null }, requestId: meta.requestId });
      });
    if (factor === 'sms') {
      const mobileIndex = account.mobileIndex;
      const ok = await inTransaction(this.svc.db, (tx) => this.svc.consumeCode(tx, mobileIndex, 'step_up', input.code ?? ''));
      if (!ok) {
        await failed();
        throw new AppError('CODE_INVALID', { errors: [{ field: 'code', message: '验证码不正确或已过期，请重新获取' }] });
      }
    } else {
      const ok = account.passwordHash !== null && (await verifyPasswordHash(account.passwordHash, input.password ?? ''));
      if (!ok) {
        await failed();
        throw new AppError('VALIDATION_FAILED', { errors: [{ field: 'password', message: '密码不正确' }] });
      }
    }
    await clearFailures(this.svc.db, key);
    return inTransaction(this.svc.db, async (tx) => {
      const data = CitizenService.addFactor(session, factor);
      const rotated = await rotateSession(tx, session, { ...data }, meta);
      const next = this.svc.actorFor(account, rotated.id, data);
      await recordAudit(tx, { actor, action: 'citizen.step_up', targetType: 'citizen_account', targetId: account.id, regionCode: account.regionCode, change: { factor, level: next.kind === 'citizen' ? next.realNameLevel : null }, requestId: meta.requestId });
      return { token: rotated.token, actor: next };
    });
  }

  /** Sends a step-up code to the account's own mobile (no number is typed in). */
  async sendStepUpCode(actor: Actor, meta: RequestMeta): Promise<string> {
    const account = await loadAccount(this.svc, actor);
    const mobile = this.svc.cipher.open('mobile', account.mobileSealed);
    await this.svc.requestCode(mobile, 'step_up', meta);
    return maskMobile(mobile);
  }
}

/** The county an ID number was issued in, when it is a real code; else the account's own region. */
function regionFromIdNumber(idNumber: string, fallback: string): string {
  const code = idNumber.slice(0, 6);
  return /^[1-8]\d{5}$/.test(code) ? code : fallback;
}
