// The local store: round trip, idempotence, concurrent writers, and that a write failing
// midway leaves neither an object under its name nor temp files behind.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, writeFileSync, existsSync, utimesSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { LocalFileStore } from './local.ts';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'yw-files-'));
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

test('put stores bytes at dir/ab/cd/<sha256> and get returns them', async () => {
  const dir = tmp();
  const store = new LocalFileStore(dir);
  const bytes = randomBytes(5000);
  const put = await store.put(bytes);
  assert.deepEqual(put, { sha256: sha(bytes), size: 5000 });
  assert.ok(existsSync(path.join(dir, put.sha256.slice(0, 2), put.sha256.slice(2, 4), put.sha256)));
  assert.deepEqual(await store.get(put.sha256), bytes);
  assert.equal(await store.has(put.sha256), true);
  await store.delete(put.sha256);
  assert.equal(await store.has(put.sha256), false);
  assert.equal(await store.get(put.sha256), null);
  await store.delete(put.sha256); // deleting a missing object is fine
});

test('put is idempotent and a view of a larger buffer stores only the view', async () => {
  const store = new LocalFileStore(tmp());
  const big = randomBytes(100);
  const view = big.subarray(10, 30);
  const a = await store.put(view);
  const b = await store.put(Uint8Array.from(view));
  assert.deepEqual(a, b);
  assert.equal(a.size, 20);
  assert.deepEqual(await store.get(a.sha256), Buffer.from(view));
  const listed = [];
  for await (const o of store.list()) listed.push(o.sha256);
  assert.deepEqual(listed, [a.sha256]);
});

test('concurrent puts of the same content all succeed and leave one intact object', async () => {
  const dir = tmp();
  const store = new LocalFileStore(dir);
  const bytes = randomBytes(256 * 1024);
  const results = await Promise.all(Array.from({ length: 12 }, () => store.put(bytes)));
  assert.equal(new Set(results.map((r) => r.sha256)).size, 1);
  assert.deepEqual(await store.get(sha(bytes)), bytes);
  assert.deepEqual(readdirSync(path.join(dir, '.tmp')), []);
});

test('a write failing midway leaves no object under the hash and no temp file', async () => {
  const dir = tmp();
  let sawTemp = '';
  const store = new LocalFileStore(dir, {
    beforeCommit: (temp) => {
      sawTemp = temp;
      assert.ok(existsSync(temp), 'the temp file exists while the write is in progress');
      throw new Error('disk pulled out');
    },
  });
  const bytes = randomBytes(4096);
  await assert.rejects(store.put(bytes), /disk pulled out/);
  assert.ok(sawTemp.startsWith(path.join(dir, '.tmp')));
  assert.equal(await store.has(sha(bytes)), false);
  assert.equal(await store.get(sha(bytes)), null);
  assert.deepEqual(readdirSync(path.join(dir, '.tmp')), []);
  const listed = [];
  for await (const o of store.list()) listed.push(o);
  assert.deepEqual(listed, []);
  // The same store, once healthy, stores the bytes.
  const healthy = new LocalFileStore(dir);
  assert.equal((await healthy.put(bytes)).sha256, sha(bytes));
});

test('removeStaleTemp clears what a crashed process left, but not a write in progress', async () => {
  const dir = tmp();
  const store = new LocalFileStore(dir);
  mkdirSync(path.join(dir, '.tmp'), { recursive: true });
  const old = path.join(dir, '.tmp', 'crashed');
  const fresh = path.join(dir, '.tmp', 'in-progress');
  writeFileSync(old, 'partial');
  writeFileSync(fresh, 'partial');
  const hourAgo = new Date(Date.now() - 3600_000);
  utimesSync(old, hourAgo, hourAgo);
  assert.equal(await store.removeStaleTemp(new Date(Date.now() - 600_000)), 1);
  assert.deepEqual(readdirSync(path.join(dir, '.tmp')), ['in-progress']);
});

test('names that are not SHA-256 hex are refused, so no path can escape the store', async () => {
  const store = new LocalFileStore(tmp());
  for (const bad of ['../../etc/passwd', 'AB'.repeat(32), 'a'.repeat(63), '']) {
    await assert.rejects(store.get(bad), TypeError);
    await assert.rejects(store.delete(bad), TypeError);
  }
});

test('a damaged file is reported, never served', async () => {
  const store = new LocalFileStore(tmp());
  const { sha256 } = await store.put(Buffer.from('original material'));
  writeFileSync(store.pathOf(sha256), 'tampered material');
  await assert.rejects(store.get(sha256), /damaged/);
});

test('list ignores stray files and reports modification times', async () => {
  const dir = tmp();
  const store = new LocalFileStore(dir);
  const { sha256 } = await store.put(Buffer.from('x'));
  writeFileSync(path.join(dir, sha256.slice(0, 2), sha256.slice(2, 4), 'notes.txt'), 'stray');
  const listed = [];
  for await (const o of store.list()) listed.push(o);
  assert.equal(listed.length, 1);
  assert.equal(listed[0]!.sha256, sha256);
  assert.ok(Math.abs(listed[0]!.modifiedAt.getTime() - Date.now()) < 60_000);
});
