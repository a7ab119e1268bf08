import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mod11_2 } from './iso7064.ts';
import { idNumberCheckChar } from './id-number.ts';

test('MOD 11-2 agrees with the GB 11643 weights and its worked example', () => {
  assert.equal(mod11_2('11010519491231002'), 'X');
  // ISO/IEC 7064 example for MOD 11-2: 0794 → check 0 (079 40? see standard: "0794" gives "0").
  assert.equal(mod11_2('0794'), '0');
  for (const body of ['32010219900307001', '44030419851231123', '11000019700101000']) assert.equal(mod11_2(body), idNumberCheckChar(body));
});
