// Staff login, the bootstrap administrator and system-client tokens.
import { randomBytes } from 'node:crypto';
import type { Db } from '../../platform/db/database.ts';
import { inTransaction } from '../../platform/db/database.ts';
import { recordAudit, type AuditActor } from '../../platform/audit/audit.ts';
import { sm3Hex } from '../../platform/crypto/sm3.ts';
import { createSession, destroyOtherSessions, destroySession, type SessionRecord } from '../../platform/http/session.ts';
import { AppError } from '../../platform/http/errors.ts';
import type { Actor, StaffRole } from '../../platform/http/access.ts';
import * as store from './store.ts';
import { emitEvent } from '../../platform/jobs/outbox.ts';
import { hashPassword, verifyPasswordHash } from './passwords.ts';

export { hashPassword };

const LOCK_AFTER_FAILURES = 10;
const LOCK_MINUTES = 15;
export const MIN_PASSWORD_LENGTH = 12;

// Every login attempt runs exactly one Argon2 verify: against the account's hash, or against
// this stand-in when the name is unknown. Locked and disabled accounts are verified too, so the
// time taken reveals neither whether an account exists nor what state it is in.
let dummyHash: Promise<string> | null = null;

export type PasswordVerifier = (hash: string, password: string) => Promise<boolean>;

const argon2Verify: PasswordVerifier = verifyPasswordHash;

export function checkPasswordPolicy(loginName: string, password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH || password.toLowerCase() === loginName.toLowerCase()) {
    throw new AppError('PASSWORD_TOO_WEAK', { errors: [{ field: 'newPassword', message: `至少 ${MIN_PASSWORD_LENGTH} 位，且不能与账号相同` }] });
  }
}

function staffActor(row: store.StaffAccountRow, sessionId: string): Actor {
  return {
    kind: 'staff',
    accountId: row.id,
    displayName: row.displayName,
    roles: row.roles,
    orgId: row.orgId,
    regionCode: row.regionCode,
    sessionId,
    mustChangePassword: row.mustChangePassword,
  };
}

export interface StaffServiceOptions {
  /** Argon2 verification; replaceable so tests can see that every attempt verifies. */
  verifyPassword?: PasswordVerifier;
}

export class StaffService {
  private readonly db: Db;
  private readonly verifyPassword: PasswordVerifier;
  constructor(db: Db, options: StaffServiceOptions = {}) {
    this.db = db;
    this.verifyPassword = options.verifyPassword ?? argon2Verify;
  }

  private async passwordMatches(hash: string, password: string): Promise<boolean> {
    return this.verifyPassword(hash, password).catch(() => false);
  }

  /** Whether a staff account with this login name exists (disabled ones included). */
  async exists(loginName: string): Promise<boolean> {
    return (await store.findStaffByLogin(this.db, loginName)) !== null;
  }

  /** Creates the first platform administrator with a one-time password, once per database. */
  async bootstrapAdmin(regionCode: string): Promise<{ loginName: string; password: string } | null> {
    if (await store.anyPlatformAdmin(this.db)) return null;
    const password = randomBytes(12).toString('base64url');
    const passwordHash = await hashPassword(password);
    const loginName = 'admin';
    const created = await inTransaction(this.db, async (tx) => {
      if (await store.findStaffByLogin(tx, loginName)) return false;
      const id = await store.insertStaff(tx, { loginName, displayName: '平台管理员', passwordHash, mustChangePassword: true, orgId: null, regionCode, roles: ['platform_admin'] });
      await recordAudit(tx, { actor: { kind: 'system', id: 'bootstrap' }, action: 'staff.bootstrap', targetType: 'staff_account', targetId: id, regionCode, change: { loginName, roles: ['platform_admin'] } });
      return true;
    });
    return created ? { loginName, password } : null;
  }

  async createStaff(
    input: { loginName: string; displayName: string; password: string; orgId: string | null; regionCode: string; roles: StaffRole[]; mustChangePassword?: boolean },
    actor: AuditActor,
  ): Promise<string> {
    checkPasswordPolicy(input.loginName, input.password);
    const passwordHash = await hashPassword(input.password);
    return inTransaction(this.db, async (tx) => {
      const id = await store.insertStaff(tx, { ...input, passwordHash, mustChangePassword: input.mustChangePassword ?? true });
      await recordAudit(tx, { actor, action: 'staff.create', targetType: 'staff_account', targetId: id, regionCode: input.regionCode, change: { loginName: input.loginName, roles: input.roles, orgId: input.orgId } });
      return id;
    });
  }

  /**
   * Every failure is the same LOGIN_FAILED with the same message and the same work (one
   * verify, one audited transaction): wrong password, unknown name, locked or disabled
   * account. Only the audit record says which.
   */
  async login(loginName: string, password: string, meta: { ip?: string; userAgent?: string; requestId?: string }): Promise<{ token: string; actor: Actor }> {
    const account = await store.findStaffByLogin(this.db, loginName);
    if (!account) {
      dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
      await this.passwordMatches(await dummyHash, password);
      // The name typed may be a mistyped password: record only its hash.
      await recordAudit(this.db, { actor: { kind: 'anonymous' }, action: 'staff.login.failed', targetType: 'staff_account', targetId: null, change: { loginName: sm3Hex(loginName) }, requestId: meta.requestId });
      throw new AppError('LOGIN_FAILED');
    }
    const matches = await this.passwordMatches(account.passwordHash, password);
    const locked = account.lockedUntil !== null && account.lockedUntil > new Date();
    if (!matches || locked || account.disabled) {
      await inTransaction(this.db, async (tx) => {
        // Attempts during a lock are not counted, so the lock cannot be extended by guessing.
        const after = locked ? null : await store.recordLoginFailure(tx, account.id, LOCK_AFTER_FAILURES, LOCK_MINUTES);
        const change = { locked, disabled: account.disabled, ...(after ? { failedLogins: after.failedLogins, lockedUntil: after.lockedUntil } : {}) };
        await recordAudit(tx, { actor: { kind: 'anonymous' }, action: 'staff.login.failed', targetType: 'staff_account', targetId: account.id, regionCode: account.regionCode, change, requestId: meta.requestId });
      });
      throw new AppError('LOGIN_FAILED');
    }
    return inTransaction(this.db, async (tx) => {
      await store.recordLoginSuccess(tx, account.id);
      const session = await createSession(tx, { accountKind: 'staff', accountId: account.id, ip: meta.ip, userAgent: meta.userAgent });
      const actor = staffActor(account, session.id);
      await recordAudit(tx, { actor, action: 'staff.login', targetType: 'staff_account', targetId: account.id, regionCode: account.regionCode, change: { ip: meta.ip ?? null }, requestId: meta.requestId });
      return { token: session.token, actor };
    });
  }

  async logout(actor: Actor, requestId?: string): Promise<void> {
    if (actor.kind !== 'staff' && actor.kind !== 'citizen' && actor.kind !== 'company') return;
    await inTransaction(this.db, async (tx) => {
      await destroySession(tx, actor.sessionId);
      await recordAudit(tx, { actor, action: 'session.logout', targetType: 'web_session', targetId: actor.sessionId.slice(0, 16), change: {}, requestId });
      // Single sign-on ends with it: the SSO module logs the person out of connected systems.
      await emitEvent(tx, { topic: 'identity.session.ended', payload: { sessionId: actor.sessionId, accountId: actor.accountId, accountKind: actor.kind }, idempotencyKey: `identity.session.ended:${actor.sessionId}` });
    });
  }

  async changePassword(actor: Actor, current: string, next: string, requestId?: string): Promise<void> {
    if (actor.kind !== 'staff') throw new AppError('FORBIDDEN');
    const account = await store.findStaffById(this.db, actor.accountId);
    if (!account || !(await this.passwordMatches(account.passwordHash, current))) {
      throw new AppError('VALIDATION_FAILED', { errors: [{ field: 'currentPassword', message: '当前密码不正确' }] });
    }
    checkPasswordPolicy(account.loginName, next);
    if (next === current) throw new AppError('PASSWORD_TOO_WEAK', { errors: [{ field: 'newPassword', message: '新密码不能与当前密码相同' }] });
    const passwordHash = await hashPassword(next);
    await inTransaction(this.db, async (tx) => {
      await store.updatePassword(tx, account.id, passwordHash);
      // Whoever else was signed in with the old password is signed out; this session stays.
      const endedSessions = await destroyOtherSessions(tx, 'staff', account.id, actor.sessionId);
      await recordAudit(tx, { actor, action: 'staff.password.change', targetType: 'staff_account', targetId: account.id, regionCode: account.regionCode, change: { endedSessions }, requestId });
    });
  }

  /** Registers a system client and returns its bearer token (shown once, stored hashed). */
  async createClient(input: { name: string; scopes: string[]; regionCode: string }, actor: AuditActor): Promise<{ id: string; token: string }> {
    const token = `yw_${randomBytes(32).toString('base64url')}`;
    return inTransaction(this.db, async (tx) => {
      const id = await store.insertClient(tx, { ...input, tokenHash: sm3Hex(token) });
      await recordAudit(tx, { actor, action: 'client.create', targetType: 'system_client', targetId: id, regionCode: input.regionCode, change: { name: input.name, scopes: input.scopes } });
      return { id, token };
    });
  }

  listClients(): Promise<store.SystemClientListing[]> {
    return store.listClients(this.db);
  }

  async revokeClient(id: string, actor: AuditActor): Promise<boolean> {
    return inTransaction(this.db, async (tx) => {
      const done = await store.revokeClient(tx, id);
      if (done) await recordAudit(tx, { actor, action: 'client.revoke', targetType: 'system_client', targetId: id, change: {} });
      return done;
    });
  }
}

/** How the platform's auth layer turns a session or a bearer token into an actor. */
export const staffResolvers = {
  async fromSession(db: Db, session: SessionRecord): Promise<Actor | null> {
    if (session.accountKind !== 'staff') return null;
    const row = await store.findStaffById(db, session.accountId);
    if (!row || row.disabled) return null;
    return staffActor(row, session.id);
  },
  async fromBearer(db: Db, token: string): Promise<Actor | null> {
    const client = await store.findClientByTokenHash(db, sm3Hex(token));
    return client ? { kind: 'client', clientId: client.id, displayName: client.name, scopes: client.scopes, regionCode: client.regionCode } : null;
  },
};
