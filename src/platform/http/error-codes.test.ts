import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ERROR_CODES } from './error-codes.ts';
import { problemType } from './problem.ts';

test('every error code is declared once, with a valid status and a Chinese message', () => {
  // An object literal silently keeps the last of two equal keys, so read the source too.
  const source = readFileSync(new URL('./error-codes.ts', import.meta.url), 'utf8');
  const declared = [...source.matchAll(/^\s{2}([A-Z][A-Z0-9_]+): \{/gm)].map((m) => m[1]!);
  assert.equal(new Set(declared).size, declared.length, `duplicate codes: ${declared.filter((c, i) => declared.indexOf(c) !== i)}`);
  assert.deepEqual(declared.sort(), Object.keys(ERROR_CODES).sort());
  for (const [code, { status, message }] of Object.entries(ERROR_CODES)) {
    assert.match(code, /^[A-Z][A-Z0-9_]+$/);
    assert.ok(status >= 400 && status <= 599, `${code} status ${status}`);
    assert.match(message, /[\u4e00-\u9fff]/, `${code} needs a Chinese message`);
  }
  const types = Object.keys(ERROR_CODES).map((c) => problemType(c as keyof typeof ERROR_CODES));
  assert.equal(new Set(types).size, types.length);
});
