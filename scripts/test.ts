// `npm test`: runs every unit, integration, API and browser test with node's test runner.
// Starts a throwaway PostgreSQL cluster when PostgreSQL binaries are present (or uses
// TEST_DATABASE_URL), so the integration tests run on both PGlite and a real server.
// YIWANG_TEST_REQUIRE_PG=1 / YIWANG_TEST_REQUIRE_BROWSER=1 (set by .ci/run) turn a
// missing server or browser into a failure instead of a skip.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findPgBin, startCluster, type Cluster } from './postgres-cluster.ts';

const requirePg = process.env.YIWANG_TEST_REQUIRE_PG === '1';
const requireBrowser = process.env.YIWANG_TEST_REQUIRE_BROWSER === '1';
const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test' };

let cluster: Cluster | null = null;
if (!env.TEST_DATABASE_URL) {
  const bin = findPgBin();
  if (bin) {
    cluster = await startCluster(bin);
    env.TEST_DATABASE_URL = cluster.url;
    console.log(`# PostgreSQL test cluster from ${bin} at ${cluster.url}`);
  } else if (requirePg) {
    console.error('YIWANG_TEST_REQUIRE_PG=1 but no PostgreSQL binaries (initdb) were found and TEST_DATABASE_URL is unset');
    process.exit(1);
  } else {
    console.log('# no PostgreSQL binaries: integration tests run on PGlite only');
  }
}

const chromium = env.CHROMIUM_PATH || ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
if (chromium) env.CHROMIUM_PATH = chromium;
else if (requireBrowser) {
  console.error('YIWANG_TEST_REQUIRE_BROWSER=1 but no chromium was found (apt-get install chromium)');
  cluster?.stop();
  process.exit(1);
} else console.log('# no chromium: browser tests are skipped');

const files = process.argv.slice(2);
const args = ['--test', '--test-concurrency=2', '--test-timeout=300000', ...(files.length ? files : ['src/**/*.test.ts', 'test/**/*.test.ts', 'simulators/**/*.test.ts'])];
const child = spawn(process.execPath, args, { stdio: 'inherit', env });
const stop = () => cluster?.stop();
process.on('SIGINT', () => child.kill('SIGINT'));
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => {
  stop();
  process.exit(code ?? (signal ? 1 : 0));
});
