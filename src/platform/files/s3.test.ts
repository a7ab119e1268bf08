// The S3 store against the S3 simulator, whose independent SigV4 verifier refuses any
// request not signed exactly right.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startS3Simulator, type RunningS3Simulator } from '../../../simulators/s3.ts';
import { sweepOrphans } from './index.ts';
import { S3Error, S3FileStore } from './s3.ts';

describe('S3FileStore against the S3 simulator', () => {
  let sim: RunningS3Simulator;
  let store: S3FileStore;
  const options = () => ({ endpoint: sim.endpoint, bucket: sim.bucket, region: sim.region, accessKeyId: sim.accessKeyId, secretAccessKey: sim.secretAccessKey });

  before(async () => {
    sim = await startS3Simulator();
    store = new S3FileStore({ ...options(), prefix: 'materials/' });
  });
  after(() => sim.close());

  test('round trip: put, has, get, delete', async () => {
    const bytes = randomBytes(70_000);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    assert.deepEqual(await store.put(bytes), { sha256, size: 70_000 });
    assert.ok(sim.objects.has(`materials/${sha256}`), 'stored under prefix + hash');
    assert.equal(await store.has(sha256), true);
    assert.deepEqual(await store.get(sha256), bytes);
    await store.delete(sha256);
    assert.equal(await store.has(sha256), false);
    assert.equal(await store.get(sha256), null);
    await store.delete(sha256);
    assert.ok(sim.requests.every((r) => r.status < 400 || r.code === 'NoSuchKey'), JSON.stringify(sim.requests.filter((r) => r.status >= 400)));
  });

  test('put is idempotent', async () => {
    const bytes = Buffer.from('%PDF-1.7 same content');
    const a = await store.put(bytes);
    const b = await store.put(bytes);
    assert.deepEqual(a, b);
    assert.equal([...sim.objects.keys()].filter((k) => k.endsWith(a.sha256)).length, 1);
  });

  test('list pages through ListObjectsV2 and sees only this prefix', async () => {
    sim.objects.clear();
    sim.objects.set('other/' + 'f'.repeat(64), { body: Buffer.from('x'), lastModified: new Date() });
    const put = [];
    for (let i = 0; i < 5; i++) put.push((await store.put(Buffer.from(`object ${i}`))).sha256);
    const listed = [];
    for await (const o of store.list()) listed.push(o.sha256);
    assert.deepEqual(listed.sort(), put.sort());
  });

  test('list follows continuation tokens across pages', async () => {
    sim.objects.clear();
    const many = [];
    for (let i = 0; i < 1005; i++) {
      const body = Buffer.from(`n${i}`);
      const sha = createHash('sha256').update(body).digest('hex');
      sim.objects.set(`materials/${sha}`, { body, lastModified: new Date() });
      many.push(sha);
    }
    const before = sim.requests.length;
    const listed = [];
    for await (const o of store.list()) listed.push(o.sha256);
    assert.equal(listed.length, 1005);
    assert.deepEqual(new Set(listed), new Set(many));
    assert.equal(sim.requests.slice(before).filter((r) => r.url.includes('list-type=2')).length, 2);
    sim.objects.clear();
  });

  test('a wrong secret is refused with 403 and the store says which settings to check', async () => {
    const wrong = new S3FileStore({ ...options(), secretAccessKey: 'not-the-secret' });
    await assert.rejects(wrong.put(Buffer.from('x')), (err: unknown) => {
      assert.ok(err instanceof S3Error);
      assert.equal(err.status, 403);
      assert.equal(err.code, 'SignatureDoesNotMatch');
      assert.match(err.message, /S3_SECRET_ACCESS_KEY/);
      return true;
    });
    assert.equal(sim.requests.at(-1)!.status, 403);
    const unknown = new S3FileStore({ ...options(), accessKeyId: 'NOSUCHKEY' });
    await assert.rejects(unknown.get('a'.repeat(64)), (err: unknown) => err instanceof S3Error && err.code === 'InvalidAccessKeyId');
    await assert.rejects(unknown.has('a'.repeat(64)), (err: unknown) => err instanceof S3Error && err.status === 403);
    const region = new S3FileStore({ ...options(), region: 'us-west-2' });
    await assert.rejects(region.has('a'.repeat(64)), (err: unknown) => err instanceof S3Error && err.status === 400);
  });

  test('an unknown bucket is a clear error, not an empty answer', async () => {
    const missing = new S3FileStore({ ...options(), bucket: 'no-such-bucket' });
    await assert.rejects(missing.get('a'.repeat(64)), (err: unknown) => err instanceof S3Error && err.code === 'NoSuchBucket');
    await assert.rejects(missing.delete('a'.repeat(64)), (err: unknown) => err instanceof S3Error && err.code === 'NoSuchBucket');
    await assert.rejects(missing.put(Buffer.from('x')), (err: unknown) => err instanceof S3Error && err.code === 'NoSuchBucket');
  });

  test('a slow store times out with a clear error', async () => {
    const impatient = new S3FileStore({ ...options(), timeoutMs: 150 });
    sim.setDelay(1000);
    try {
      await assert.rejects(impatient.has('a'.repeat(64)), /no answer within 150 ms/);
    } finally {
      sim.setDelay(0);
    }
  });

  test('the orphan sweep works on S3 too', async () => {
    sim.objects.clear();
    const kept = await store.put(Buffer.from('referenced'));
    const orphan = await store.put(Buffer.from('orphan'));
    for (const o of sim.objects.values()) o.lastModified = new Date(Date.now() - 2 * 86_400_000);
    const result = await sweepOrphans(store, async (sha) => sha === kept.sha256, new Date(Date.now() - 86_400_000));
    assert.deepEqual(result, { scanned: 2, deleted: [orphan.sha256] });
    assert.equal(await store.has(kept.sha256), true);
    assert.equal(await store.has(orphan.sha256), false);
  });
});
