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

test('production refuses cookies without Secure', () => {
  const production = { NODE_ENV: 'production', PUBLIC_URL: 'https://zwfw.example.gov.cn', SESSION_SECRET: 'ab'.repeat(32), DATA_ENCRYPTION_KEY: 'cd'.repeat(16), BLIND_INDEX_KEY: 'ef'.repeat(32) };
  failsOn({ ...production, COOKIE_SECURE: 'false' }, 'COOKIE_SECURE');
  assert.equal(loadConfig({ DATA_DIR: tmp(), ...production }).cookieSecure, true);
  assert.equal(loadConfig({ DATA_DIR: tmp(), COOKIE_SECURE: 'false' }).cookieSecure, false, 'allowed outside production');
});

test('TRUST_PROXY: off by default (production too), true/false, a hop count or addresses', () => {
  assert.equal(loadConfig({ DATA_DIR: tmp() }).trustProxy, false);
  const production = { NODE_ENV: 'production', PUBLIC_URL: 'https://zwfw.example.gov.cn', SESSION_SECRET: 'ab'.repeat(32), DATA_ENCRYPTION_KEY: 'cd'.repeat(16), BLIND_INDEX_KEY: 'ef'.repeat(32) };
  assert.equal(loadConfig({ DATA_DIR: tmp(), ...production }).trustProxy, false);
  assert.equal(loadConfig({ DATA_DIR: tmp(), TRUST_PROXY: 'true' }).trustProxy, true);
  assert.equal(loadConfig({ DATA_DIR: tmp(), TRUST_PROXY: 'false' }).trustProxy, false);
  assert.equal(loadConfig({ DATA_DIR: tmp(), TRUST_PROXY: '2' }).trustProxy, 2);
  assert.deepEqual(loadConfig({ DATA_DIR: tmp(), TRUST_PROXY: '10.0.0.0/8, 192.168.1.7,::1,fd00::/8,loopback' }).trustProxy, ['10.0.0.0/8', '192.168.1.7', '::1', 'fd00::/8', 'loopback']);
  for (const bad of ['yes please', '10.0.0.0/33', '300.1.1.1', '10.0.0.1,,', '-1', 'example.com']) failsOn({ TRUST_PROXY: bad }, 'TRUST_PROXY');
});
