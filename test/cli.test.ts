// Operator commands through runCli, as `npm run cli -- …` runs them: migrations reported,
// system clients listed and revoked, and secrets created for a production node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { availableBackends } from './support/backends.ts';
import { cliTarget } from './support/cli-target.ts';
import { runCli } from '../src/cli.ts';
import { loadConfig } from '../src/config.ts';

async function cli(argv: string[], env: Record<string, string>): Promise<{ code: number; output: string }> {
  const lines: string[] = [];
  const code = await runCli(argv, env, (l) => lines.push(l));
  return { code, output: lines.join('\n') };
}

test('db:migrate on a fresh database names the migrations it applied', async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'yw-cli-migrate-'));
  try {
    const env = { NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
    const first = await cli(['db:migrate'], env);
    assert.equal(first.code, 0, first.output);
    assert.match(first.output, /已执行迁移: .*0001_platform\.sql/);
    const again = await cli(['db:migrate'], env);
    assert.equal(again.code, 0, again.output);
    assert.match(again.output, /数据库已是最新/);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

for (const backend of availableBackends()) {
  test(`client:list shows the system clients, client:revoke stops one [${backend.name}]`, async () => {
    const target = await cliTarget(backend);
    try {
      const created = await target.cli('client:create', '监控系统', '320000', 'operations:metrics');
      assert.equal(created.code, 0, created.output);
      const id = /接入系统 (\S+)/.exec(created.output)![1]!;

      const listed = await target.cli('client:list');
      assert.equal(listed.code, 0, listed.output);
      assert.match(listed.output, new RegExp(`${id}.*监控系统.*320000.*operations:metrics.*有效`));

      const revoked = await target.cli('client:revoke', id);
      assert.equal(revoked.code, 0, revoked.output);
      assert.match(revoked.output, /已停用/);
      assert.match((await target.cli('client:list')).output, new RegExp(`${id}.*已停用`));
      const rows = await target.use((db) => db.selectFrom('audit_log').select('target_id').where('action', '=', 'client.revoke').execute());
      assert.deepEqual(rows.map((r) => r.target_id), [id]);

      const twice = await target.cli('client:revoke', id);
      assert.equal(twice.code, 1, 'revoking twice (or an unknown id) is refused');
      assert.equal((await target.cli('client:revoke', '00000000-0000-0000-0000-000000000000')).code, 1);
      const malformed = await target.cli('client:revoke', 'not-an-id');
      assert.equal(malformed.code, 2);
      assert.match(malformed.output, /用法/);
      assert.equal((await target.cli('client:revoke')).code, 2);
    } finally {
      await target.close();
    }
  });
}

test('secrets:init creates DATA_DIR/secrets.json (0600) for production, once', async () => {
  const dataDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'yw-cli-secrets-')), 'data');
  try {
    const env = { NODE_ENV: 'production', DATA_DIR: dataDir, PUBLIC_URL: 'https://zwfw.example.gov.cn' };
    assert.throws(() => loadConfig(env), /SESSION_SECRET/, 'production refuses to start without secrets');
    const first = await cli(['secrets:init'], env);
    assert.equal(first.code, 0, first.output);
    const file = path.join(dataDir, 'secrets.json');
    assert.ok(first.output.includes(file), first.output);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const content = readFileSync(file, 'utf8');
    const config = loadConfig(env);
    assert.equal(config.secrets.sessionSecret.length, 32);
    assert.equal(config.secrets.dataKey.length, 16);

    const second = await cli(['secrets:init'], env);
    assert.equal(second.code, 0, second.output);
    assert.match(second.output, /已存在/);
    assert.equal(readFileSync(file, 'utf8'), content, 'an existing file is never overwritten');
    assert.ok(existsSync(file));
  } finally {
    rmSync(path.dirname(dataDir), { recursive: true, force: true });
  }
});
