import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkIdNumber, idNumberCheckChar, idNumberFacts, makeIdNumber } from './id-number.ts';

test('check character of the GB 11643 worked example', () => {
  // The standard's own example: 11010519491231002X.
  assert.equal(idNumberCheckChar('11010519491231002'), 'X');
  assert.equal(checkIdNumber('11010519491231002X'), null);
  assert.equal(checkIdNumber('110105194912310021'), 'check');
  assert.equal(checkIdNumber('11010519491231002x'), 'format');
  assert.equal(checkIdNumber('1101051949123100'), 'length');
  assert.equal(checkIdNumber('110105194902300020'), 'birthDate');
});

test('synthetic numbers validate and carry their facts', () => {
  const id = makeIdNumber('320102', '19900307', 123);
  assert.equal(checkIdNumber(id), null);
  assert.deepEqual(idNumberFacts(id), { regionCode: '320102', birthDate: '1990-03-07', sex: 'male' });
  assert.equal(checkIdNumber(makeIdNumber('320102', '20991231', 2), new Date('2026-11-23')), 'birthDate');
});
