import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from './config.ts';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'yw-config-'));

function failsOn(env: Record<string, string>, variable: string): void {
  assert.throws(() => loadConfig({ DATA_DIR: tmp(), ...env }), (err: unknown) => err instanceof ConfigError && err.variable === variable && err.message.includes(variable));
}

test('defaults serve a province node on the embedded database', () => {
  const c = loadConfig({ DATA_DIR: tmp() });
  assert.equal(c.port, 3000);
  assert.equal(c.nodeRole, 'province');
  assert.equal(c.nodeRegionCode, '320000');
  assert.equal(c.databaseUrl, undefined);
  assert.equal(c.publicUrl, 'http://localhost:3000');
  assert.equal(c.demoData, true);
});

test('each bad setting is named in the error', () => {
  failsOn({ PORT: 'eighty' }, 'PORT');
  failsOn({ PORT: '70000' }, 'PORT');
  failsOn({ NODE_ROLE: 'county' }, 'NODE_ROLE');
  failsOn({ NODE_REGION_CODE: '3201' }, 'NODE_REGION_CODE');
  failsOn({ NODE_ROLE: 'city', NODE_REGION_CODE: '320000' }, 'NODE_REGION_CODE');
  failsOn({ NODE_ROLE: 'national', NODE_REGION_CODE: '320000' }, 'NODE_REGION_CODE');
  failsOn({ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL');
  failsOn({ PUBLIC_URL: 'not a url' }, 'PUBLIC_URL');
  failsOn({ DEMO_DATA: 'maybe' }, 'DEMO_DATA');
  failsOn({ SESSION_SECRET: 'short' }, 'SESSION_SECRET');
});

test('city and national nodes take their own region codes', () => {
  assert.equal(loadConfig({ DATA_DIR: tmp(), NODE_ROLE: 'city', NODE_REGION_CODE: '320500' }).nodeRegionCode, '320500');
  assert.equal(loadConfig({ DATA_DIR: tmp(), NODE_ROLE: 'national' }).nodeRegionCode, '100000');
});

test('secrets are generated once with mode 0600 and then reused', () => {
  const dir = tmp();
  const first = loadConfig({ DATA_DIR: dir });
  const file = path.join(dir, 'secrets.json');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  const second = loadConfig({ DATA_DIR: dir });
  assert.deepEqual(second.secrets.sessionSecret, first.secrets.sessionSecret);
  assert.deepEqual(second.secrets.dataKey, first.secrets.dataKey);
  assert.ok(!readFileSync(file, 'utf8').includes('undefined'));
});

test('production refuses to start without secrets and without https', () => {
  failsOn({ NODE_ENV: 'production', PUBLIC_URL: 'https://zwfw.example.gov.cn' }, 'SESSION_SECRET');
  failsOn({ NODE_ENV: 'production', PUBLIC_URL: 'http://zwfw.example.gov.cn' }, 'PUBLIC_URL');
  const ok = loadConfig({
    DATA_DIR: tmp(),
    NODE_ENV: 'production',
    PUBLIC_URL: 'https://zwfw.example.gov.cn',
    SESSION_SECRET: 'ab'.repeat(32),
    DATA_ENCRYPTION_KEY: 'cd'.repeat(16),
    BLIND_INDEX_KEY: 'ef'.repeat(32),
  });
  assert.equal(ok.demoData, false);
});
