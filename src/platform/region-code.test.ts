import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isWellFormedRegionCode, parentRegionCode, regionContains, regionLevel } from './region-code.ts';

test('levels and parents follow GB/T 2260 and the statistical codes', () => {
  assert.equal(regionLevel('320000'), 1);
  assert.equal(regionLevel('320100'), 2);
  assert.equal(regionLevel('320102'), 3);
  assert.equal(regionLevel('320102001'), 4);
  assert.equal(regionLevel('320102001001'), 5);
  assert.equal(parentRegionCode('320102001001'), '320102001');
  assert.equal(parentRegionCode('320102001'), '320102');
  assert.equal(parentRegionCode('320102'), '320100');
  assert.equal(parentRegionCode('320100'), '320000');
  assert.equal(parentRegionCode('320000'), null);
});

test('containment: Nanjing holds its districts and villages, not Suzhou', () => {
  assert.ok(regionContains('320000', '320583'));
  assert.ok(regionContains('320100', '320102001001'));
  assert.ok(regionContains('320102', '320102'));
  assert.ok(!regionContains('320100', '320583'));
  assert.ok(!regionContains('320102', '320104'));
  assert.ok(regionContains('100000', '320583'));
});

test('malformed codes are recognised', () => {
  for (const bad of ['32', '3201000', 'abcdef', '032000', '3201020011']) assert.equal(isWellFormedRegionCode(bad), false, bad);
  for (const good of ['320000', '320102001', '320102001001']) assert.equal(isWellFormedRegionCode(good), true, good);
});
