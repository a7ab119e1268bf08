import { test } from 'node:test';
import assert from 'node:assert/strict';
import { acrForLevel, levelForAcr, planStepUp, sessionLevel } from './levels.ts';

test('a session never exceeds its account and rises with factors', () => {
  assert.equal(sessionLevel(1, { password: 1 }), 1);
  assert.equal(sessionLevel(4, { password: 1 }), 2);
  assert.equal(sessionLevel(4, { password: 1, sms: 2 }), 3);
  assert.equal(sessionLevel(4, { totp: 1 }), 3);
  assert.equal(sessionLevel(4, { password: 1, face: 2 }), 4);
  assert.equal(sessionLevel(5, { face: 2 }), 5);
  assert.equal(sessionLevel(3, {}), 1);
});

test('step-up asks for an upgrade when the account is too weak, else for a factor', () => {
  assert.deepEqual(planStepUp(2, { password: 1 }, 3, []), { kind: 'upgrade', nextAccountLevel: 3 });
  assert.deepEqual(planStepUp(3, { password: 1 }, 3, []), { kind: 'factor', choices: ['sms', 'bank_card'] });
  assert.deepEqual(planStepUp(3, { sms: 1 }, 3, ['totp']), { kind: 'factor', choices: ['totp', 'bank_card', 'password'] });
  assert.deepEqual(planStepUp(4, { password: 1, sms: 1 }, 4, []), { kind: 'factor', choices: ['face'] });
  assert.deepEqual(planStepUp(4, { password: 1, sms: 1 }, 3, []), { kind: 'none' });
});

test('acr values round-trip and reject strangers', () => {
  assert.equal(levelForAcr(acrForLevel(3)), 3);
  assert.equal(levelForAcr('urn:yiwang:acr:level9'), null);
  assert.equal(levelForAcr('0'), null);
});
