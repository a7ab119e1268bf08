// People's accounts: registration with an SMS code, sign-in by password or code, and the
// session a sign-in opens. Real-name upgrades and step-up are in realname.ts.
import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { Db, Queryable } from '../../../platform/db/database.ts';
import { inTransaction } from '../../../platform/db/database.ts';
import { recordAudit } from '../../../platform/audit/audit.ts';
import { PersonalDataCipher, maskMobile, maskName, maskIdNumber } from '../../../platform/crypto/personal-data.ts';
import { createSession, type SessionRecord } from '../../../platform/http/session.ts';
import type { Actor, RealNameLevel } from '../../../platform/http/access.ts';
import { AppError } from '../../../platform/http/errors.ts';
import { emitEvent } from '../../../platform/jobs/outbox.ts';
import { hashPassword, verifyPasswordHash } from '../passwords.ts';
import { VerifierUnavailableError, type ExternalVerifiers } from '../verifiers/types.ts';
import { sessionLevel, type Factor, type SessionFactors } from './levels.ts';
import * as store from './store.ts';
import { ACCOUNT_POLICY, ADDRESS_POLICY, blockedUntil, clearFailures, recordFailure, waitMessage } from './throttle.ts';

export const MIN_CITIZEN_PASSWORD = 8;
const CODE_TTL_MINUTES = 5;
const CODE_MAX_ATTEMPTS = 5;
const CODE_RESEND_SECONDS = 60;
const CODES_PER_DAY = 10;

export interface RequestMeta {
  ip?: string;
  userAgent?: string;
  requestId?: string;
}

export interface CitizenSessionData {
  factors: SessionFactors;
  authTime: number;
}

export interface CitizenClaims {
  accountId: string;
  /** Full name once real-name verified (level ≥ 2), else null. */
  name: string | null;
  idNumberMasked: string | null;
  mobileMasked: string;
  accountLevel: RealNameLevel;
  regionCode: string;
}

export function normaliseMobile(raw: string): string {
  const m = raw.replace(/[\s-]/g, '').replace(/^\+?86/, '');
  if (!/^1[3-9]\d{9}$/.test(m)) throw new AppError('MOBILE_INVALID', { errors: [{ field: 'mobile', message: '请输入正确的 11 位手机号码' }] });
  return m;
}

export function checkCitizenPassword(password: string, mobile: string): void {
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  if (password.length < MIN_CITIZEN_PASSWORD || classes < 2 || password.includes(mobile)) {
    throw new AppError('PASSWORD_TOO_WEAK', {
      errors: [{ field: 'password', message: `至少 ${MIN_CITIZEN_PASSWORD} 位，包含字母、数字、符号中的两种，且不含手机号码` }],
    });
  }
}

let dummyHash: Promise<string> | null = null;

export class CitizenService {
  readonly db: Db;
  readonly cipher: PersonalDataCipher;
  readonly verifiers: ExternalVerifiers;
  private readonly nodeRegionCode: string;
  constructor(db: Db, cipher: PersonalDataCipher, verifiers: ExternalVerifiers, nodeRegionCode: string) {
    this.db = db;
    this.cipher = cipher;
    this.verifiers = verifiers;
    this.nodeRegionCode = nodeRegionCode;
  }

  private codeHash(mobileIndex: string, code: string): string {
    return this.cipher.blindIndex('mobile', `code|${mobileIndex}|${code}`);
  }

  /**
   * Sends a 6-digit code. For registration to a number that already has an account the
   * message says so instead, and the answer is the same: the page reveals nothing.
   */
  async requestCode(rawMobile: string, purpose: store.CodePurpose, meta: RequestMeta): Promise<void> {
    const mobile = normaliseMobile(rawMobile);
    const mobileIndex = this.cipher.blindIndex('mobile', mobile);
    const recent = await store.countRecentCodes(this.db, mobileIndex, purpose, new Date(Date.now() - 86_400_000));
    if (recent.latest && recent.latest.getTime() > Date.now() - CODE_RESEND_SECONDS * 1000) {
      throw new AppError('CODE_TOO_FREQUENT', { detail: `${CODE_RESEND_SECONDS} 秒内只能获取一次` });
    }
    if (recent.count >= CODES_PER_DAY) throw new AppError('CODE_TOO_FREQUENT', { detail: '今天获取验证码的次数已用完' });
    const existing = await store.findCitizenByMobile(this.db, mobileIndex);
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const alreadyRegistered = purpose === 'register' && existing !== null;
    const noAccount = purpose !== 'register' && existing === null;
    try {
      if (alreadyRegistered) {
        await this.verifiers.sms.send({ mobile, template: 'notice', params: { text: '该手机号码已注册一网通办账户，可直接登录；如非本人操作请忽略。' } });
      } else if (!noAccount) {
        await this.verifiers.sms.send({ mobile, template: 'verification_code', params: { code, minutes: String(CODE_TTL_MINUTES) } });
      }
    } catch (err) {
      if (err instanceof VerifierUnavailableError) throw new AppError('SMS_UNAVAILABLE', { cause: err });
      throw err;
    }
    // A row is written in every case, so the resend limits apply to unknown numbers too.
    const stored = alreadyRegistered || noAccount ? randomBytes(8).toString('hex') : code;
    await store.insertCode(this.db, { purpose, mobileIndex, codeHash: this.codeHash(mobileIndex, stored), expiresAt: new Date(Date.now() + CODE_TTL_MINUTES * 60_000) });
    await recordAudit(this.db, { actor: { kind: 'anonymous' }, action: 'citizen.code.sent', targetType: 'verification_code', targetId: null, change: { purpose, mobile: maskMobile(mobile) }, requestId: meta.requestId });
  }

  /** Consumes the newest live code if `code` matches it; counts the attempt either way. */
  async consumeCode(tx: Queryable, mobileIndex: string, purpose: store.CodePurpose, code: string): Promise<boolean> {
    const live = await store.latestLiveCode(tx, mobileIndex, purpose);
    if (!live || live.attempts >= CODE_MAX_ATTEMPTS) return false;
    const given = Buffer.from(this.codeHash(mobileIndex, code.trim()));
    const ok = given.length === live.code_hash.length && timingSafeEqual(given, Buffer.from(live.code_hash));
    await store.markCodeAttempt(tx, live.id, ok);
    return ok;
  }

  async register(input: { mobile: string; code: string; password: string }, meta: RequestMeta): Promise<{ token: string; actor: Actor }> {
    const mobile = normaliseMobile(input.mobile);
    checkCitizenPassword(input.password, mobile);
    const mobileIndex = this.cipher.blindIndex('mobile', mobile);
    const keys = [`reg:${mobileIndex}`, `ip:${meta.ip ?? 'unknown'}`];
    await this.refuseIfThrottled(keys);
    // The attempt is counted in its own transaction: a wrong code must use up one of the
    // code's attempts even though the registration itself is refused.
    if (!(await inTransaction(this.db, (tx) => this.consumeCode(tx, mobileIndex, 'register', input.code)))) {
      await this.recordFailedLogin(keys, null, 'register', meta);
      throw new AppError('CODE_INVALID', { errors: [{ field: 'code', message: '验证码不正确或已过期，请重新获取' }] });
    }
    const passwordHash = await hashPassword(input.password);
    return inTransaction(this.db, async (tx) => {
      if (await store.findCitizenByMobile(tx, mobileIndex)) throw new AppError('ACCOUNT_EXISTS');
      const id = await store.insertCitizen(tx, { mobileSealed: this.cipher.seal('mobile', mobile), mobileIndex, passwordHash, regionCode: this.nodeRegionCode });
      await store.insertEvidence(tx, { accountId: id, level: 1, method: 'sms', reference: `sms:${mobileIndex.slice(0, 16)}`, details: { mobile: maskMobile(mobile) }, regionCode: this.nodeRegionCode });
      // The national node learns of every new account (附件2 六): retried until acknowledged.
      await emitEvent(tx, { topic: 'identity.citizen.registered', payload: { accountId: id }, idempotencyKey: `identity.citizen.registered:${id}`, regionCode: this.nodeRegionCode });
      const opened = await this.openSession(tx, id, 'sms+password', { sms: Date.now(), password: Date.now() }, meta);
      await recordAudit(tx, { actor: opened.actor, action: 'citizen.register', targetType: 'citizen_account', targetId: id, regionCode: this.nodeRegionCode, change: { mobile: maskMobile(mobile) }, requestId: meta.requestId });
      return opened;
    });
  }

  async loginWithPassword(input: { mobile: string; password: string }, meta: RequestMeta): Promise<{ token: string; actor: Actor }> {
    const mobile = normaliseMobile(input.mobile);
    const mobileIndex = this.cipher.blindIndex('mobile', mobile);
    const keys = [`acct:${mobileIndex}`, `ip:${meta.ip ?? 'unknown'}`];
    await this.refuseIfThrottled(keys);
    const account = await store.findCitizenByMobile(this.db, mobileIndex);
    let ok = false;
    if (account && account.passwordHash) {
      ok = await verifyPasswordHash(account.passwordHash, input.password);
    } else if (account && account.legacyHash && account.legacyHashKind) {
      ok = await this.verifyLegacy(account, input.password);
    } else {
      dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
      await verifyPasswordHash(await dummyHash, input.password);
    }
    if (!ok || !account || account.status !== 'active') {
      await this.recordFailedLogin(keys, account, 'password', meta);
      throw new AppError('LOGIN_FAILED', { detail: '手机号码或密码不正确' });
    }
    if (account.legacyHash) {
      // First sign-in after migration: the old MD5/SHA-1/bcrypt hash is replaced now.
      await store.setPassword(this.db, account.id, await hashPassword(input.password));
    }
    await clearFailures(this.db, keys[0]!);
    return inTransaction(this.db, (tx) => this.openSession(tx, account.id, 'password', { password: Date.now() }, meta));
  }

  async loginWithCode(input: { mobile: string; code: string }, meta: RequestMeta): Promise<{ token: string; actor: Actor }> {
    const mobile = normaliseMobile(input.mobile);
    const mobileIndex = this.cipher.blindIndex('mobile', mobile);
    const keys = [`acct:${mobileIndex}`, `ip:${meta.ip ?? 'unknown'}`];
    await this.refuseIfThrottled(keys);
    const account = await store.findCitizenByMobile(this.db, mobileIndex);
    const ok = await inTransaction(this.db, (tx) => this.consumeCode(tx, mobileIndex, 'login', input.code));
    if (!ok || !account || account.status !== 'active') {
      await this.recordFailedLogin(keys, account, 'sms', meta);
      throw new AppError('CODE_INVALID', { errors: [{ field: 'code', message: '验证码不正确或已过期，请重新获取' }] });
    }
    await clearFailures(this.db, keys[0]!);
    return inTransaction(this.db, (tx) => this.openSession(tx, account.id, 'sms', { sms: Date.now() }, meta));
  }

  /** Seam for account migration: legacy hashes are checked by the migration module's verifier. */
  legacyVerifier: ((kind: 'md5' | 'sha1' | 'bcrypt', hash: string, password: string) => Promise<boolean>) | null = null;

  private async verifyLegacy(account: store.CitizenRow, password: string): Promise<boolean> {
    if (!this.legacyVerifier || !account.legacyHash || !account.legacyHashKind) return false;
    return this.legacyVerifier(account.legacyHashKind, account.legacyHash, password).catch(() => false);
  }

  private async refuseIfThrottled(keys: string[]): Promise<void> {
    const until = await blockedUntil(this.db, keys);
    if (until) throw new AppError('LOGIN_THROTTLED', { detail: waitMessage(until) });
  }

  private async recordFailedLogin(keys: string[], account: store.CitizenRow | null, method: string, meta: RequestMeta): Promise<void> {
    await inTransaction(this.db, async (tx) => {
      const accountBlock = await recordFailure(tx, keys[0]!, ACCOUNT_POLICY);
      const addressBlock = await recordFailure(tx, keys[1]!, ADDRESS_POLICY);
      const regionCode = account?.regionCode ?? this.nodeRegionCode;
      await store.insertLoginEvent(tx, { accountKind: 'citizen', accountId: account?.id ?? null, method, outcome: accountBlock || addressBlock ? 'locked' : 'failure', ip: meta.ip, userAgent: meta.userAgent, regionCode });
      await recordAudit(tx, { actor: { kind: 'anonymous' }, action: 'citizen.login.failed', targetType: 'citizen_account', targetId: account?.id ?? null, regionCode, change: { method, blockedUntil: (accountBlock ?? addressBlock)?.toISOString() ?? null }, requestId: meta.requestId });
    });
  }

  /** Opens a session with the factors just proven; the caller's transaction commits it. */
  async openSession(tx: Queryable, accountId: string, method: string, factors: SessionFactors, meta: RequestMeta): Promise<{ token: string; actor: Actor }> {
    const account = await store.findCitizenById(tx, accountId);
    if (!account) throw new AppError('NOT_FOUND');
    const data: CitizenSessionData = { factors, authTime: Date.now() };
    const session = await createSession(tx, { accountKind: 'citizen', accountId, data: { ...data }, ip: meta.ip, userAgent: meta.userAgent });
    const level = sessionLevel(account.realNameLevel, factors);
    await store.insertLoginEvent(tx, { accountKind: 'citizen', accountId, method, outcome: 'success', level, ip: meta.ip, userAgent: meta.userAgent, regionCode: account.regionCode });
    const actor = this.actorFor(account, session.id, data);
    await recordAudit(tx, { actor, action: 'citizen.login', targetType: 'citizen_account', targetId: accountId, regionCode: account.regionCode, change: { method, level }, requestId: meta.requestId });
    return { token: session.token, actor };
  }

  actorFor(account: store.CitizenRow, sessionId: string, data: CitizenSessionData): Actor {
    return {
      kind: 'citizen',
      accountId: account.id,
      displayName: this.displayName(account),
      realNameLevel: sessionLevel(account.realNameLevel, data.factors ?? {}),
      accountLevel: account.realNameLevel,
      sessionId,
    };
  }

  /** Masked name once verified, else the masked mobile: a header never shows personal data in full. */
  displayName(account: store.CitizenRow): string {
    if (account.nameSealed) return maskName(this.cipher.open('name', account.nameSealed));
    return maskMobile(this.cipher.open('mobile', account.mobileSealed));
  }

  async fromSession(session: SessionRecord): Promise<Actor | null> {
    const account = await store.findCitizenById(this.db, session.accountId);
    if (!account || account.status !== 'active') return null;
    return this.actorFor(account, session.id, session.data as unknown as CitizenSessionData);
  }

  /** Claims for single sign-on: full name for the relying party, the ID number masked. */
  async claims(accountId: string): Promise<CitizenClaims | null> {
    const account = await store.findCitizenById(this.db, accountId);
    if (!account || account.status !== 'active') return null;
    return {
      accountId: account.id,
      name: account.nameSealed ? this.cipher.open('name', account.nameSealed) : null,
      idNumberMasked: account.idNumberSealed ? maskIdNumber(this.cipher.open('id_number', account.idNumberSealed)) : null,
      mobileMasked: maskMobile(this.cipher.open('mobile', account.mobileSealed)),
      accountLevel: account.realNameLevel,
      regionCode: account.regionCode,
    };
  }

  /** The account's mobile in clear, only to send the person a message (never shown). */
  async mobileOf(accountId: string, db: Queryable = this.db): Promise<string | null> {
    const account = await store.findCitizenById(db, accountId);
    return account ? this.cipher.open('mobile', account.mobileSealed) : null;
  }

  /** The factors a session has proven so far. */
  static factorsOf(session: SessionRecord | null): SessionFactors {
    const data = (session?.data ?? {}) as Partial<CitizenSessionData>;
    return data.factors ?? {};
  }

  /** The session's data with one more factor; everything else it carries (e.g. 代办) is kept. */
  static addFactor(session: SessionRecord, factor: Factor): CitizenSessionData {
    const data = session.data as unknown as CitizenSessionData;
    return { ...data, authTime: data.authTime ?? Date.now(), factors: { ...(data.factors ?? {}), [factor]: Date.now() } };
  }
}
