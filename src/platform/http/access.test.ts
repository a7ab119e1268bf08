import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyRequest } from 'fastify';
import { access, assertInRegion, checkAccess, checkGrant, checkRegion, type Actor } from './access.ts';
import { AppError } from './errors.ts';

const req = (params: Record<string, string> = {}) => ({ params }) as unknown as FastifyRequest;
const staff = (regionCode: string, roles: ('window_clerk' | 'approver' | 'platform_admin')[], mustChangePassword = false): Actor => ({
  kind: 'staff',
  accountId: 'a',
  displayName: 'x',
  roles,
  orgId: null,
  regionCode,
  sessionId: 's',
  mustChangePassword,
});
const code = (fn: () => void) => {
  try {
    fn();
    return 'allowed';
  } catch (err) {
    return (err as AppError).code;
  }
};

test('roles: anonymous gets UNAUTHENTICATED, the wrong role FORBIDDEN', () => {
  const rule = access.staff(['approver']);
  assert.equal(code(() => checkAccess(rule, { kind: 'anonymous' }, req())), 'UNAUTHENTICATED');
  assert.equal(code(() => checkAccess(rule, staff('320100', ['window_clerk']), req())), 'FORBIDDEN');
  assert.equal(code(() => checkAccess(rule, staff('320100', ['approver']), req())), 'allowed');
  assert.equal(code(() => checkAccess(access.staff([]), staff('320100', ['window_clerk']), req())), 'allowed');
});

test('region scope: a Nanjing clerk cannot touch a Suzhou region, the province can', () => {
  const rule = access.staff(['window_clerk', 'platform_admin'], (r) => (r.params as { code: string }).code);
  assert.equal(code(() => checkAccess(rule, staff('320100', ['window_clerk']), req({ code: '320583' }))), 'OUT_OF_REGION');
  assert.equal(code(() => checkAccess(rule, staff('320100', ['window_clerk']), req({ code: '320102001001' }))), 'allowed');
  assert.equal(code(() => checkAccess(rule, staff('320000', ['platform_admin']), req({ code: '320583' }))), 'allowed');
  assert.equal(code(() => assertInRegion(staff('320102', ['window_clerk']), '320104')), 'OUT_OF_REGION');
});

test('citizens need the minimum real-name level; clients need the scope', () => {
  const citizen = (level: 1 | 2 | 3 | 4 | 5): Actor => ({ kind: 'citizen', accountId: 'c', displayName: 'c', realNameLevel: level, accountLevel: level, sessionId: 's' });
  assert.equal(code(() => checkAccess(access.citizen(3), citizen(2), req())), 'STEP_UP_REQUIRED');
  assert.equal(code(() => checkAccess(access.citizen(3), citizen(4), req())), 'allowed');
  const client: Actor = { kind: 'client', clientId: 'k', displayName: 'k', scopes: ['regions:read'], regionCode: '320500' };
  assert.equal(code(() => checkAccess(access.client('operations:metrics'), client, req())), 'FORBIDDEN');
  assert.equal(code(() => checkAccess(access.client('regions:read', (r) => (r.params as { code: string }).code), client, req({ code: '320100' }))), 'OUT_OF_REGION');
});

test('staff with a one-time password reach only the password change', () => {
  const pending = staff('320000', ['platform_admin'], true);
  assert.equal(code(() => checkAccess(access.staff([]), pending, req())), 'PASSWORD_CHANGE_REQUIRED');
  assert.equal(code(() => checkAccess({ ...access.staff([]), duringPasswordChange: true }, pending, req())), 'allowed');
  assert.equal(code(() => checkAccess(access.public(), pending, req())), 'allowed');
});

test('region checks tolerate values that are not strings (a repeated query parameter)', () => {
  const clerk = staff('320100', ['window_clerk']);
  for (const odd of [['320100', '320500'], 320100, null, { code: '320100' }]) {
    assert.equal(code(() => assertInRegion(clerk, odd as unknown as string)), 'OUT_OF_REGION', JSON.stringify(odd));
    const rule = access.staff(['window_clerk'], () => odd as unknown as string);
    assert.match(code(() => checkAccess(rule, clerk, req())), /^(OUT_OF_REGION|VALIDATION_FAILED)$/);
  }
  // Unbound actors (not tied to a region) are not affected.
  assert.equal(code(() => assertInRegion({ kind: 'anonymous' }, ['320100'] as unknown as string)), 'allowed');
});

test('the grant check and the region check can run apart (before and after validation)', () => {
  const rule = access.staff(['window_clerk'], (r) => (r.params as { code: string }).code);
  const clerk = staff('320100', ['window_clerk']);
  assert.equal(code(() => checkGrant(rule, clerk)), 'allowed');
  assert.equal(code(() => checkGrant(rule, { kind: 'anonymous' })), 'UNAUTHENTICATED');
  assert.equal(code(() => checkRegion(rule, clerk, req({ code: '320583' }))), 'OUT_OF_REGION');
  assert.equal(code(() => checkRegion(rule, clerk, req({ code: '320102' }))), 'allowed');
});
