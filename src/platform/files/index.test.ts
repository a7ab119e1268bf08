// Choosing the store from configuration, the configuration's errors, and the orphan sweep.
import assert from 'node:assert/strict';
import { mkdtempSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../config.ts';
import { fileStoreFromConfig, LocalFileStore, S3FileStore, sweepOrphans, type FileStore } from './index.ts';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'yw-files-'));
const s3Env = {
  FILE_STORE: 's3',
  S3_ENDPOINT: 'http://127.0.0.1:9000',
  S3_BUCKET: 'yiwang-files',
  S3_REGION: 'cn-east-1',
  S3_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  S3_SECRET_ACCESS_KEY: 'secret',
};

test('by default files live under DATA_DIR/files with a 10 MB limit', () => {
  const dataDir = tmp();
  const config = loadConfig({ DATA_DIR: dataDir });
  assert.deepEqual(config.files, { maxUploadBytes: 10 * 1024 * 1024, store: 'local', dir: path.join(dataDir, 'files') });
  const store = fileStoreFromConfig(config);
  assert.ok(store instanceof LocalFileStore);
  assert.equal(store.dir, path.join(dataDir, 'files'));
  assert.equal(loadConfig({ DATA_DIR: tmp(), UPLOAD_MAX_MB: '25' }).files.maxUploadBytes, 25 * 1024 * 1024);
});

test('FILE_STORE=s3 reads the S3 settings', () => {
  const config = loadConfig({ DATA_DIR: tmp(), ...s3Env, S3_PREFIX: 'materials/' });
  assert.deepEqual(config.files, {
    maxUploadBytes: 10 * 1024 * 1024,
    store: 's3',
    s3: { endpoint: 'http://127.0.0.1:9000', bucket: 'yiwang-files', region: 'cn-east-1', accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', prefix: 'materials/' },
  });
  assert.ok(fileStoreFromConfig(config) instanceof S3FileStore);
});

test('each missing or bad file setting is named in the error', () => {
  const failsOn = (env: Record<string, string>, variable: string, words: RegExp) =>
    assert.throws(
      () => loadConfig({ DATA_DIR: tmp(), ...env }),
      (err: unknown) => err instanceof ConfigError && err.variable === variable && err.message.includes(variable) && words.test(err.message),
    );
  for (const name of ['S3_ENDPOINT', 'S3_BUCKET', 'S3_REGION', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY']) {
    failsOn({ ...s3Env, [name]: '' }, name, /required when FILE_STORE=s3/);
  }
  failsOn({ FILE_STORE: 'ftp' }, 'FILE_STORE', /local, s3/);
  failsOn({ ...s3Env, S3_ENDPOINT: 'ftp://x' }, 'S3_ENDPOINT', /http/);
  failsOn({ ...s3Env, S3_BUCKET: 'Bad_Bucket' }, 'S3_BUCKET', /bucket name/);
  failsOn({ ...s3Env, S3_PREFIX: '/abs/' }, 'S3_PREFIX', /must not start/);
  failsOn({ UPLOAD_MAX_MB: '0' }, 'UPLOAD_MAX_MB', /between/);
  failsOn({ UPLOAD_MAX_MB: 'ten' }, 'UPLOAD_MAX_MB', /whole number/);
  failsOn({ NODE_ENV: 'production', PUBLIC_URL: 'https://x.example', SESSION_SECRET: 'a'.repeat(64), DATA_ENCRYPTION_KEY: 'b'.repeat(32), BLIND_INDEX_KEY: 'c'.repeat(64), ...s3Env }, 'S3_ENDPOINT', /https/);
});

test('sweepOrphans deletes old unreferenced objects only', async () => {
  const dir = tmp();
  const store = new LocalFileStore(dir);
  const referenced = await store.put(Buffer.from('row exists'));
  const orphan = await store.put(Buffer.from('crashed before the row was written'));
  const young = await store.put(Buffer.from('upload in flight, row not yet committed'));
  const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
  for (const o of [referenced, orphan]) utimesSync(store.pathOf(o.sha256), twoHoursAgo, twoHoursAgo);
  const asked: string[] = [];
  const rows = new Set([referenced.sha256]);
  const result = await sweepOrphans(store, async (sha) => (asked.push(sha), rows.has(sha)), new Date(Date.now() - 3600_000));
  assert.deepEqual(result, { scanned: 3, deleted: [orphan.sha256] });
  assert.ok(!asked.includes(young.sha256), 'young objects are not even looked up');
  assert.equal(await store.has(referenced.sha256), true);
  assert.equal(await store.has(orphan.sha256), false);
  assert.equal(await store.has(young.sha256), true);
});

test('re-storing identical bytes refreshes the age, so the sweep spares re-used content', async () => {
  const store = new LocalFileStore(tmp());
  const bytes = Buffer.from('old content uploaded again');
  const { sha256 } = await store.put(bytes);
  const longAgo = new Date(Date.now() - 86_400_000);
  utimesSync(store.pathOf(sha256), longAgo, longAgo);
  await store.put(bytes);
  const result = await sweepOrphans(store, async () => false, new Date(Date.now() - 3600_000));
  assert.deepEqual(result.deleted, []);
  assert.equal(await store.has(sha256), true);
});

test('a lookup failure stops the sweep without deleting anything', async () => {
  const store = new LocalFileStore(tmp());
  const a = await store.put(Buffer.from('a'));
  const past = new Date(Date.now() - 7200_000);
  utimesSync(store.pathOf(a.sha256), past, past);
  await assert.rejects(sweepOrphans(store, async () => { throw new Error('database down'); }, new Date()), /database down/);
  assert.equal(await store.has(a.sha256), true);
});

test('a store that cannot list cannot be swept', async () => {
  const bare: FileStore = { put: async () => ({ sha256: '', size: 0 }), get: async () => null, has: async () => false, delete: async () => {} };
  await assert.rejects(sweepOrphans(bare, async () => false, new Date()), /cannot list/);
});
