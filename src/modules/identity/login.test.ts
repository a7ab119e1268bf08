// Staff login: every failure looks and takes the same (one Argon2 verify, one message),
// locks expire cleanly, and failed attempts on unknown names are audited without storing
// the name typed.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { verify } from '@node-rs/argon2';
import { describeEachBackend } from '../../../test/support/backends.ts';
import { canonicalJson } from '../../platform/audit/audit.ts';
import { sm3Hex } from '../../platform/crypto/sm3.ts';
import { AppError } from '../../platform/http/errors.ts';
import { StaffService } from './service.ts';
import { safeNext } from './routes.ts';

const PASSWORD = 'a-long-test-password-1';
const meta = { ip: '127.0.0.1' };

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof AppError, String(err));
    return err;
  }
  assert.fail('login succeeded');
}

describeEachBackend('staff login', (getDb) => {
  let verifications = 0;
  let staff: StaffService;
  const db = () => getDb().db;
  const account = (loginName: string) => db().selectFrom('staff_account').select(['id', 'failed_logins', 'locked_until']).where('login_name', '=', loginName).executeTakeFirstOrThrow();

  before(async () => {
    staff = new StaffService(getDb().db, {
      verifyPassword: (hash, password) => {
        verifications++;
        return verify(hash, password);
      },
    });
    for (const loginName of ['login-lock', 'login-disabled', 'login-expired']) {
      await staff.createStaff({ loginName, displayName: '测试', password: PASSWORD, orgId: null, regionCode: '320100', roles: ['window_clerk'], mustChangePassword: false }, { kind: 'system', id: 'test' });
    }
  });

  test('a locked account: the right password still fails, with the generic message, after a real verify', async () => {
    for (let i = 0; i < 10; i++) await failure(staff.login('login-lock', 'wrong-password', meta));
    const locked = await account('login-lock');
    assert.ok(locked.locked_until && locked.locked_until > new Date(), 'ten failures lock the account');
    const before = verifications;
    const err = await failure(staff.login('login-lock', PASSWORD, meta));
    assert.equal(verifications, before + 1, 'the password was verified although the account is locked');
    assert.equal(err.code, 'LOGIN_FAILED');
    assert.equal(err.message, '账号或密码不正确');
    assert.equal(err.detail, undefined, 'nothing tells an anonymous caller the account is locked');
    const audit = await db().selectFrom('audit_log').select(['target_id']).where('action', '=', 'staff.login.failed').where('target_id', '=', locked.id).execute();
    assert.equal(audit.length, 11, 'every failure is audited, the locked one too');
  });

  test('a disabled account fails the same way, after a real verify', async () => {
    await sql`update staff_account set disabled = true where login_name = 'login-disabled'`.execute(db());
    const before = verifications;
    const err = await failure(staff.login('login-disabled', PASSWORD, meta));
    assert.equal(verifications, before + 1);
    assert.deepEqual([err.code, err.detail], ['LOGIN_FAILED', undefined]);
  });

  test('an unknown name: one verify, the same message, and an audit record without the name', async () => {
    const name = 'nobody-such-未知';
    const before = verifications;
    const err = await failure(staff.login(name, PASSWORD, meta));
    assert.equal(verifications, before + 1);
    assert.deepEqual([err.code, err.message, err.detail], ['LOGIN_FAILED', '账号或密码不正确', undefined]);
    const rows = await db().selectFrom('audit_log').select(['target_id', 'actor_kind', 'change_digest']).where('action', '=', 'staff.login.failed').where('target_id', 'is', null).execute();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.actor_kind, 'anonymous');
    assert.equal(rows[0]!.change_digest, sm3Hex(canonicalJson({ loginName: sm3Hex(name) })), 'only a hash of the name typed is recorded');
  });

  test('an expired lock starts the count again instead of locking at the next slip', async () => {
    await sql`update staff_account set failed_logins = 10, locked_until = now() - interval '1 minute' where login_name = 'login-expired'`.execute(db());
    await failure(staff.login('login-expired', 'wrong-password', meta));
    const after = await account('login-expired');
    assert.equal(after.failed_logins, 1);
    assert.equal(after.locked_until, null, 'one slip after a lock expired does not lock again');
    const ok = await staff.login('login-expired', PASSWORD, meta);
    assert.equal(ok.actor.kind, 'staff');
  });
});

test('safeNext follows the one same-site path rule and falls back to the workbench', () => {
  assert.equal(safeNext('/staff/cases?q=a+b&page=2'), '/staff/cases?q=a+b&page=2');
  assert.equal(safeNext('/regions/320100'), '/regions/320100');
  for (const bad of ['//evil.example', '/\\evil.example', 'https://evil.example', '/' + 'a'.repeat(600), undefined, 5]) assert.equal(safeNext(bad), '/staff');
});
