// Second factors a person enrols themselves: TOTP apps (动态口令, RFC 6238) and WebAuthn
// passkeys (通行密钥). Either one proven in a session is a possession factor: with an L3
// account it brings the session to L3 (levels.ts). A TOTP code is good once — the time-step
// it belongs to is stored on the factor and only a later step is accepted — and wrong codes
// are throttled per account like logins. Passkey challenges live in the database, one per
// ceremony, deleted when used.
import { sql, type Generated } from 'kysely';
import { authenticator } from 'otplib';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { Actor } from '../../../platform/http/access.ts';
import { inTransaction, type Queryable } from '../../../platform/db/database.ts';
import { recordAudit } from '../../../platform/audit/audit.ts';
import { rotateSession, type SessionRecord } from '../../../platform/http/session.ts';
import { AppError } from '../../../platform/http/errors.ts';
import { CitizenService, type RequestMeta } from './service.ts';
import type { UpgradeOutcome } from './realname.ts';
import { ACCOUNT_POLICY, blockedUntil, clearFailures, recordFailure, waitMessage } from './throttle.ts';
import * as store from './store.ts';

declare module '../../../platform/db/database.ts' {
  interface Database {
    webauthn_challenge: {
      id: Generated<string>;
      account_id: string;
      purpose: 'register' | 'authenticate';
      challenge: string;
      expires_at: Date;
      created_at: Generated<Date>;
    };
  }
}
export const TOTP_STEP_SECONDS = 30;
const ISSUER = '一网通办';
/** One step either side: phone clocks drift, and a code typed at the end of its step still counts. */
const totp = authenticator.clone({ window: 1, step: TOTP_STEP_SECONDS });
const ENROL_TTL_MS = 15 * 60_000;
const CHALLENGE_TTL_MS = 5 * 60_000;
const MAX_FACTORS = 10;

export interface TotpEnrolment {
  secret: string;
  otpauthUrl: string;
  /** The secret sealed to this account with an expiry, carried by the form (no JavaScript, no server state). */
  ticket: string;
}

function citizenId(actor: Actor): string {
  if (actor.kind !== 'citizen') throw new AppError('FORBIDDEN');
  return actor.accountId;
}

const codeError = (message = '动态口令不正确或已使用，请等待下一个口令') => new AppError('CODE_INVALID', { errors: [{ field: 'totpCode', message }] });

function cleanLabel(raw: string, fallback: string): string {
  const label = raw.replace(/\s+/g, ' ').trim().slice(0, 40);
  return label || fallback;
}

export class FactorService {
  private readonly svc: CitizenService;
  private readonly rpId: string;
  private readonly origin: string;
  constructor(svc: CitizenService, publicUrl: string) {
    this.svc = svc;
    const url = new URL(publicUrl);
    this.rpId = url.hostname;
    this.origin = url.origin;
  }

  // --- TOTP ---

  async startTotp(actor: Actor): Promise<TotpEnrolment> {
    const accountId = citizenId(actor);
    const claims = await this.svc.claims(accountId);
    if (!claims) throw new AppError('UNAUTHENTICATED');
    const secret = totp.generateSecret(20);
    return { secret, otpauthUrl: totp.keyuri(claims.mobileMasked, ISSUER, secret), ticket: this.ticketFor(accountId, secret) };
  }

  private ticketFor(accountId: string, secret: string): string {
    return this.svc.cipher.seal('totp_secret', JSON.stringify({ a: accountId, s: secret, e: Date.now() + ENROL_TTL_MS }));
  }

  /** The enrolment a ticket carries, if it is this account's and not expired. */
  enrolmentFrom(actor: Actor, ticket: string): TotpEnrolment | null {
    const accountId = citizenId(actor);
    try {
      const t = JSON.parse(this.svc.cipher.open('totp_secret', ticket)) as { a: string; s: string; e: number };
      if (t.a !== accountId || t.e < Date.now()) return null;
      return { secret: t.s, otpauthUrl: totp.keyuri('', ISSUER, t.s), ticket };
    } catch {
      return null;
    }
  }

  /** Enrols the app once it has shown a correct first code; that code's step is spent. */
  async confirmTotp(actor: Actor, input: { ticket: string; code: string; label: string }, meta: RequestMeta): Promise<string> {
    const accountId = citizenId(actor);
    const enrolment = this.enrolmentFrom(actor, input.ticket);
    if (!enrolment) throw new AppError('VALIDATION_FAILED', { errors: [{ field: 'totpCode', message: '绑定已超时，请重新扫描新的二维码' }] });
    const step = this.stepOf(input.code, enrolment.secret);
    if (step === null) throw codeError('动态口令不正确，请核对手机时间后输入应用中显示的 6 位数字');
    return inTransaction(this.svc.db, async (tx) => {
      await this.refuseTooMany(tx, accountId);
      const id = await store.insertFactor(tx, { accountId, kind: 'totp', label: cleanLabel(input.label, '动态口令'), secretSealed: this.svc.cipher.seal('totp_secret', enrolment.secret) });
      await sql`update citizen_factor set last_step = ${step} where id = ${id}`.execute(tx);
      await recordAudit(tx, { actor, action: 'citizen.factor.add', targetType: 'citizen_factor', targetId: id, change: { kind: 'totp' }, requestId: meta.requestId });
      return id;
    });
  }

  /** The time-step a code belongs to, within the window, or null. */
  private stepOf(code: string, secret: string): number | null {
    const token = code.replace(/\s/g, '');
    if (!/^\d{6}$/.test(token)) return null;
    const delta = totp.checkDelta(token, secret);
    return delta === null ? null : Math.floor(Date.now() / 1000 / TOTP_STEP_SECONDS) + delta;
  }

  /** Step-up by a TOTP code from any of the person's enrolled apps. */
  async stepUpTotp(actor: Actor, session: SessionRecord, code: string, meta: RequestMeta): Promise<UpgradeOutcome> {
    const accountId = citizenId(actor);
    const key = `totp:${accountId}`;
    const until = await blockedUntil(this.svc.db, [key]);
    if (until) throw new AppError('LOGIN_THROTTLED', { detail: waitMessage(until), errors: [{ field: 'totpCode', message: `失败次数过多，${waitMessage(until)}` }] });
    const apps = (await store.listFactors(this.svc.db, accountId)).filter((f) => f.kind === 'totp' && f.secretSealed);
    if (!apps.length) throw codeError('您还没有绑定动态口令');
    for (const app of apps) {
      const step = this.stepOf(code, this.svc.cipher.open('totp_secret', app.secretSealed!));
      if (step === null) continue;
      // Compare-and-set: of two requests with the same code only one moves the step on.
      const moved = await sql<{ id: string }>`update citizen_factor set last_step = ${step}, last_used_at = now() where id = ${app.id} and (last_step is null or last_step < ${step}) returning id`.execute(this.svc.db);
      if (moved.rows.length === 0) break;
      await clearFailures(this.svc.db, key);
      return this.raise(actor, session, 'totp', app.id, meta);
    }
    await inTransaction(this.svc.db, async (tx) => {
      const blocked = await recordFailure(tx, key, ACCOUNT_POLICY);
      await recordAudit(tx, { actor, action: 'citizen.step_up.failed', targetType: 'citizen_account', targetId: accountId, change: { factor: 'totp', blockedUntil: blocked?.toISOString() ?? null }, requestId: meta.requestId });
    });
    throw codeError();
  }

  /** The session gains the factor and is replaced (new token), like every level change. */
  private async raise(actor: Actor, session: SessionRecord, factor: 'totp' | 'passkey', factorId: string, meta: RequestMeta): Promise<UpgradeOutcome> {
    const account = await store.findCitizenById(this.svc.db, citizenId(actor));
    if (!account) throw new AppError('UNAUTHENTICATED');
    return inTransaction(this.svc.db, async (tx) => {
      const data = CitizenService.addFactor(session, factor);
      const rotated = await rotateSession(tx, session, { ...data }, meta);
      const next = this.svc.actorFor(account, rotated.id, data);
      await recordAudit(tx, { actor, action: 'citizen.step_up', targetType: 'citizen_account', targetId: account.id, regionCode: account.regionCode, change: { factor, factorId, level: next.kind === 'citizen' ? next.realNameLevel : null }, requestId: meta.requestId });
      return { token: rotated.token, actor: next };
    });
  }

  async removeFactor(actor: Actor, factorId: string, meta: RequestMeta): Promise<void> {
    const accountId = citizenId(actor);
    await inTransaction(this.svc.db, async (tx) => {
      if (!(await store.deleteFactor(tx, accountId, factorId))) throw new AppError('NOT_FOUND');
      await recordAudit(tx, { actor, action: 'citizen.factor.remove', targetType: 'citizen_factor', targetId: factorId, change: {}, requestId: meta.requestId });
    });
  }

  private async refuseTooMany(tx: Queryable, accountId: string): Promise<void> {
    if ((await store.listFactors(tx, accountId)).length >= MAX_FACTORS) {
      throw new AppError('VALIDATION_FAILED', { errors: [{ field: 'label', message: `最多绑定 ${MAX_FACTORS} 个二次认证方式，请先删除不用的` }] });
    }
  }

  // --- passkeys (WebAuthn) ---

  private async saveChallenge(accountId: string, purpose: 'register' | 'authenticate', challenge: string): Promise<void> {
    await this.svc.db.deleteFrom('webauthn_challenge').where('account_id', '=', accountId).where('expires_at', '<', new Date()).execute();
    await this.svc.db.insertInto('webauthn_challenge').values({ account_id: accountId, purpose, challenge, expires_at: new Date(Date.now() + CHALLENGE_TTL_MS) }).execute();
  }

  /** The challenge the response claims, if this account was issued it and it is live; deleted either way. */
  private async takeChallenge(accountId: string, purpose: 'register' | 'authenticate', clientDataJSON: string): Promise<string> {
    let claimed: string;
    try {
      claimed = String((JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as { challenge?: unknown }).challenge ?? '');
    } catch {
      throw new AppError('VALIDATION_FAILED', { errors: [{ field: 'passkey', message: '通行密钥的应答格式不正确' }] });
    }
    const row = await this.svc.db
      .deleteFrom('webauthn_challenge')
      .where('account_id', '=', accountId)
      .where('purpose', '=', purpose)
      .where('challenge', '=', claimed)
      .returning(['challenge', 'expires_at'])
      .executeTakeFirst();
    if (!row || new Date(row.expires_at).getTime() < Date.now()) throw new AppError('VALIDATION_FAILED', { errors: [{ field: 'passkey', message: '操作已超时，请重试' }] });
    return row.challenge;
  }

  async passkeyRegistrationOptions(actor: Actor) {
    const accountId = citizenId(actor);
    const claims = await this.svc.claims(accountId);
    if (!claims) throw new AppError('UNAUTHENTICATED');
    const existing = (await store.listFactors(this.svc.db, accountId)).filter((f) => f.kind === 'passkey' && f.credentialId);
    const options = await generateRegistrationOptions({
      rpName: ISSUER,
      rpID: this.rpId,
      userName: claims.mobileMasked,
      userDisplayName: claims.mobileMasked,
      userID: new TextEncoder().encode(accountId),
      attestationType: 'none',
      excludeCredentials: existing.map((f) => ({ id: f.credentialId! })),
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
      supportedAlgorithmIDs: [-7, -257],
    });
    await this.saveChallenge(accountId, 'register', options.challenge);
    return options;
  }

  async registerPasskey(actor: Actor, response: RegistrationResponseJSON, label: string, meta: RequestMeta): Promise<string> {
    const accountId = citizenId(actor);
    const expectedChallenge = await this.takeChallenge(accountId, 'register', response?.response?.clientDataJSON ?? '');
    const result = await verifyRegistrationResponse({ response, expectedChallenge, expectedOrigin: this.origin, expectedRPID: this.rpId, requireUserVerification: false }).catch((err: unknown) => {
      throw new AppError('VALIDATION_FAILED', { cause: err, errors: [{ field: 'passkey', message: '通行密钥注册未通过校验' }] });
    });
    if (!result.verified) throw new AppError('VALIDATION_FAILED', { errors: [{ field: 'passkey', message: '通行密钥注册未通过校验' }] });
    const cred = result.registrationInfo.credential;
    return inTransaction(this.svc.db, async (tx) => {
      await this.refuseTooMany(tx, accountId);
      const id = await store.insertFactor(tx, { accountId, kind: 'passkey', label: cleanLabel(label, '通行密钥'), credentialId: cred.id, publicKey: Buffer.from(cred.publicKey).toString('base64url') });
      if (cred.counter) await store.touchFactor(tx, id, cred.counter);
      await recordAudit(tx, { actor, action: 'citizen.factor.add', targetType: 'citizen_factor', targetId: id, change: { kind: 'passkey' }, requestId: meta.requestId });
      return id;
    });
  }

  async passkeyAuthenticationOptions(actor: Actor) {
    const accountId = citizenId(actor);
    const keys = (await store.listFactors(this.svc.db, accountId)).filter((f) => f.kind === 'passkey' && f.credentialId);
    if (!keys.length) throw new AppError('VALIDATION_FAILED', { errors: [{ field: 'passkey', message: '您还没有注册通行密钥' }] });
    const options = await generateAuthenticationOptions({ rpID: this.rpId, allowCredentials: keys.map((f) => ({ id: f.credentialId! })), userVerification: 'preferred' });
    await this.saveChallenge(accountId, 'authenticate', options.challenge);
    return options;
  }

  async stepUpPasskey(actor: Actor, session: SessionRecord, response: AuthenticationResponseJSON, meta: RequestMeta): Promise<UpgradeOutcome> {
    const accountId = citizenId(actor);
    const key = (await store.listFactors(this.svc.db, accountId)).find((f) => f.kind === 'passkey' && f.credentialId === response?.id);
    const expectedChallenge = await this.takeChallenge(accountId, 'authenticate', response?.response?.clientDataJSON ?? '');
    const refused = () => new AppError('VALIDATION_FAILED', { errors: [{ field: 'passkey', message: '通行密钥验证未通过' }] });
    if (!key || !key.publicKey) throw refused();
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge,
      expectedOrigin: this.origin,
      expectedRPID: this.rpId,
      credential: { id: key.credentialId!, publicKey: new Uint8Array(Buffer.from(key.publicKey, 'base64url')), counter: key.signCount },
      requireUserVerification: false,
    }).catch(() => null);
    if (!result?.verified) {
      await recordAudit(this.svc.db, { actor, action: 'citizen.step_up.failed', targetType: 'citizen_account', targetId: accountId, change: { factor: 'passkey' }, requestId: meta.requestId });
      throw refused();
    }
    await store.touchFactor(this.svc.db, key.id, result.authenticationInfo.newCounter);
    return this.raise(actor, session, 'passkey', key.id, meta);
  }
}
