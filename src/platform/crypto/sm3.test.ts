import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hmacSm3, sm3Hex } from './sm3.ts';

test('SM3 standard vectors (GB/T 32905)', () => {
  assert.equal(sm3Hex('abc'), '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  assert.equal(sm3Hex('abcd'.repeat(16)), 'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732');
});

test('HMAC-SM3 is keyed', () => {
  assert.notDeepEqual(hmacSm3(Buffer.from('k1'), 'x'), hmacSm3(Buffer.from('k2'), 'x'));
  assert.equal(hmacSm3(Buffer.from('k1'), 'x').length, 32);
});
