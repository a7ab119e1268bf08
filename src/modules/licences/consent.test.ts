import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_LICENCE_TYPES } from './catalogue.ts';
import { addDays, authorisationText, consentState, fieldsInScope, isTokenShape, newConsentToken, normaliseScope, scopeText, tokenSm3 } from './consent.ts';

const food = DEMO_LICENCE_TYPES.find((t) => t.key === 'food_business')!;
const now = new Date('2026-05-01T00:00:00Z');
const base = { expires_at: addDays(now, 1), revoked_at: null, used_at: null, token_sm3: null };

test('consent state: revoked wins, a spent token is used, then the expiry', () => {
  assert.equal(consentState(base, now), 'active');
  assert.equal(consentState({ ...base, expires_at: now }, now), 'expired', 'expires at the instant, not after');
  assert.equal(consentState({ ...base, revoked_at: now, expires_at: addDays(now, -1) }, now), 'revoked');
  assert.equal(consentState({ ...base, token_sm3: 'a'.repeat(64), used_at: now }, now), 'used');
  assert.equal(consentState({ ...base, used_at: now }, now), 'active', 'a case consent has no token: being used does not spend it');
  assert.equal(consentState({ ...base, token_sm3: 'a'.repeat(64), used_at: now, revoked_at: now }, now), 'revoked');
});

test('tokens are 32 random bytes in base64url; only their SM3 is kept', () => {
  const a = newConsentToken();
  const b = newConsentToken();
  assert.notEqual(a.token, b.token);
  assert.equal(Buffer.from(a.token, 'base64url').length, 32);
  assert.ok(isTokenShape(a.token));
  assert.match(a.sm3, /^[0-9a-f]{64}$/);
  assert.equal(tokenSm3(a.token), a.sm3);
  assert.notEqual(a.sm3, b.sm3);
  assert.equal(isTokenShape('short'), false);
  assert.equal(isTokenShape(`${a.token}!`), false);
});

test('scope: all fields, or known keys in schema order; unknown keys and mixing * refused', () => {
  assert.deepEqual(normaliseScope(food, ['*']), { ok: true, scope: ['*'] });
  assert.deepEqual(normaliseScope(food, ['address', 'shopName', 'address']), { ok: true, scope: ['shopName', 'address'] });
  assert.equal(normaliseScope(food, []).ok, false);
  assert.equal(normaliseScope(food, ['*', 'shopName']).ok, false);
  const bad = normaliseScope(food, ['salary']);
  assert.ok(!bad.ok && bad.message.includes('salary'));
  const fields = [{ key: 'shopName', value: 'x' }, { key: 'holderCode', value: 'y' }];
  assert.deepEqual(fieldsInScope(fields, ['shopName']).map((f) => f.key), ['shopName']);
  assert.equal(fieldsInScope(fields, ['*']).length, 2);
  assert.equal(scopeText(food, ['shopName', 'address']), '经营者名称、经营场所');
  assert.equal(scopeText(food, ['*']), '证照上的全部信息');
});

test('the authorisation text names the licence, the department, the item, the scope and the end', () => {
  const text = authorisationText({ licenceTitle: '食品经营许可证', department: '苏州市市场监督管理局', itemName: '食品经营许可', scope: '证照上的全部信息', until: '2026-10-28' });
  for (const part of ['食品经营许可证', '苏州市市场监督管理局', '食品经营许可', '证照上的全部信息', '2026-10-28', '撤销']) assert.ok(text.includes(part), part);
});
