import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mod11_2, mod37_36 } from './iso7064.ts';
import { idNumberCheckChar } from './id-number.ts';

test('MOD 11-2 agrees with the GB 11643 weights and its worked example', () => {
  assert.equal(mod11_2('11010519491231002'), 'X');
  // ISO/IEC 7064 example for MOD 11-2: 0794 → check 0 (079 40? see standard: "0794" gives "0").
  assert.equal(mod11_2('0794'), '0');
  for (const body of ['32010219900307001', '44030419851231123', '11000019700101000']) assert.equal(mod11_2(body), idNumberCheckChar(body));
});

test('MOD 37,36 reproduces the ISO/IEC 7064 hybrid-system examples and detects changes', () => {
  // Examples used by several independent ISO 7064 implementations: the last character is the check.
  for (const full of ['A12425GABC1234002M', 'B159D8FA01240000K', '188166C7342000003']) assert.equal(mod37_36(full.slice(0, -1)), full.slice(-1), full);
  // Every single-character substitution and every adjacent transposition changes the check.
  const body = 'A12425GABC1234002';
  const chars = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  for (let i = 0; i < body.length; i++) {
    for (const c of chars) if (c !== body[i]) assert.notEqual(mod37_36(body.slice(0, i) + c + body.slice(i + 1)), 'M', `substitution at ${i}`);
    if (i + 1 < body.length && body[i] !== body[i + 1]) assert.notEqual(mod37_36(body.slice(0, i) + body[i + 1] + body[i] + body.slice(i + 2)), 'M', `transposition at ${i}`);
  }
  assert.throws(() => mod37_36('abc'));
  assert.throws(() => mod37_36(''));
});
