import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkCreditCode, creditCodeCheckChar, makeCreditCode, orgCodeCheckChar } from './credit-code.ts';

test('check character of published codes', () => {
  // A code as printed on a business licence: its GB 11714 body check (1) and GB 32100 check (L) both hold.
  assert.equal(creditCodeCheckChar('91110000600037341'), 'L');
  assert.equal(checkCreditCode('91110000600037341L'), null);
  assert.equal(checkCreditCode('91110000600037341M'), 'check');
  assert.equal(checkCreditCode('9111000060003734IL'), 'charset');
  assert.equal(checkCreditCode('9111000060003734'), 'length');
});

test('GB 11714 organisation check and synthetic codes validate', () => {
  assert.equal(orgCodeCheckChar('60003734'), '1');
  const code = makeCreditCode('1', '1', '320100', '01401234');
  assert.equal(code.length, 18);
  assert.equal(checkCreditCode(code), null);
});
