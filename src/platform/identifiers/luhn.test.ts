import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLuhnValid, luhnCheckDigit } from './luhn.ts';

test('Luhn check digits of known numbers', () => {
  // The ISO/IEC 7812 worked example and a common test card number.
  assert.equal(luhnCheckDigit('7992739871'), '3');
  assert.ok(isLuhnValid('4111111111111111'));
  assert.ok(!isLuhnValid('4111111111111112'));
  assert.ok(!isLuhnValid('41111'), 'too short for a card');
});
