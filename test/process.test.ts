// The platform as a process: configuration errors, an unreachable database, orderly
// shutdown under load, restart with data intact, and recovery from a database outage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { findPgBin, freePort, startCluster } from '../scripts/postgres-cluster.ts';
import { runMain, startServer } from './support/server-process.ts';
import { runCli } from '../src/cli.ts';

function get(url: string): Promise<{ status: number; body: string; type: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, headers: { accept: 'application/json' } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, type: String(res.headers['content-type']) }));
      res.on('error', (e) => resolve({ error: e.message }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
  });
}

test('a bad setting stops the process with a message naming it', async () => {
  const run = runMain({ PORT: 'eighty', DATA_DIR: '/tmp/yw-never' });
  assert.equal(await run.exited, 2);
  assert.match(run.output(), /PORT/);
});

test('an unreachable database at start-up is a clear error and a non-zero exit', async () => {
  const port = await freePort();
  const run = runMain({ DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/none`, DATA_DIR: '/tmp/yw-never', LOG_LEVEL: 'info' });
  assert.equal(await run.exited, 1);
  assert.match(run.output(), /无法连接数据库/);
});

test('SIGTERM finishes in-flight requests, exits cleanly, and a restart keeps the data', async () => {
  const server = await startServer();
  const dataDir = /"location":"([^"]+)\/pgdata"/.exec(server.output())![1]!;
  const requests = Array.from({ length: 40 }, () => get(`${server.url}/api/v1/regions/320100/children`));
  await Promise.race(requests);
  server.proc.kill('SIGTERM');
  const results = await Promise.all(requests);
  assert.equal(await server.exited, 0, server.output());
  assert.match(server.output(), /stopped cleanly/);
  for (const r of results) {
    if ('error' in r) {
      assert.match(r.error, /ECONNREFUSED|ECONNRESET|socket hang up/, 'only requests that never started may fail');
    } else {
      assert.ok(r.status === 200 || r.status === 503, `status ${r.status}`);
      if (r.status === 200) assert.equal((JSON.parse(r.body) as unknown[]).length, 11, 'a complete body: the 11 districts of Nanjing');
    }
  }
  const again = await startServer({ DATA_DIR: dataDir });
  assert.doesNotMatch(again.output(), /oneTimePassword/, 'the administrator was kept, not created again');
  again.proc.kill('SIGTERM');
  assert.equal(await again.exited, 0);
  const lines: string[] = [];
  const code = await runCli(['audit:verify'], { NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, (l) => lines.push(l));
  assert.equal(code, 0, lines.join('\n'));
  assert.match(lines.join('\n'), /审计链完整/);
});

test('a database outage gives 503 problem responses, then recovers without restart', async (t) => {
  const bin = findPgBin();
  if (!bin) {
    if (process.env.YIWANG_TEST_REQUIRE_PG === '1') assert.fail('PostgreSQL binaries required');
    t.skip('no PostgreSQL binaries');
    return;
  }
  const cluster = await startCluster(bin);
  const server = await startServer({ DATABASE_URL: cluster.url, WORKER_ENABLED: 'false' });
  try {
    const orgs = `${server.url}/api/v1/regions/320100/organisations`;
    assert.equal(((await get(`${server.url}/readyz`)) as { status: number }).status, 200);
    cluster.pause();
    const ready = await get(`${server.url}/readyz`);
    assert.ok(!('error' in ready));
    assert.equal(ready.status, 503);
    assert.match(ready.type, /application\/problem\+json/);
    assert.equal(JSON.parse(ready.body).code, 'DATABASE_UNAVAILABLE');
    const down = await get(orgs);
    assert.ok(!('error' in down) && down.status === 503 && JSON.parse(down.body).code === 'DATABASE_UNAVAILABLE', JSON.stringify(down));
    cluster.resume();
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      const r = await get(`${server.url}/readyz`);
      status = 'error' in r ? 0 : r.status;
      if (status !== 200) await new Promise((r2) => setTimeout(r2, 100));
    }
    assert.equal(status, 200, 'ready again after the database came back');
    const up = await get(orgs);
    assert.ok(!('error' in up) && up.status === 200);
  } finally {
    server.proc.kill('SIGTERM');
    await server.exited;
    cluster.stop();
  }
});
