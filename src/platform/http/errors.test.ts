import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDatabaseUnavailable } from './errors.ts';

test('a server that refuses connections counts as the database being unavailable', () => {
  for (const code of ['53300', '53400', '57P01', '08006', 'ECONNREFUSED']) assert.equal(isDatabaseUnavailable({ code }), true, code);
  for (const code of ['23505', '42P01', undefined]) assert.equal(isDatabaseUnavailable({ code }), false, String(code));
  assert.equal(isDatabaseUnavailable(null), false);
});
