// `npm run cli -- accounts:import …` as an operator runs it: a dry run with a conflict
// report file (UTF-8 BOM, masked), then the real run, then the same file again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { availableBackends } from './support/backends.ts';
import { cliTarget } from './support/cli-target.ts';
import { makeIdNumber } from '../src/platform/identifiers/id-number.ts';

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');
const ID = makeIdNumber('320104', '19880808', 51);

for (const backend of availableBackends()) {
  test(`accounts:import: dry run and report, real run, idempotent re-run [${backend.name}]`, async () => {
    const target = await cliTarget(backend);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'yw-accounts-import-'));
    try {
      const file = path.join(dir, 'old-portal.csv');
      writeFileSync(file, [
        '\uFEFF原账户编号,手机号码,姓名,身份证号码,密码散列,散列类型,实名等级',
        `u1,13800000001,周一,${ID},${md5('pw-1')},md5,2`,
        `u2,13800000002,吴二,${ID},${md5('pw-2')},md5,`,
        'u3,1380000,郑三,,,,',
      ].join('\n'));
      const reportFile = path.join(dir, 'report.csv');
      const accounts = () => target.use(async (db) => Number((await sql<{ n: number }>`select count(*)::int as n from citizen_account`.execute(db)).rows[0]!.n));

      const dry = await target.cli('accounts:import', '--source', 'old-portal', '--file', file, '--dry-run', '--report', reportFile);
      assert.equal(dry.code, 3, dry.output);
      assert.match(dry.output, /试运行（未写入任何数据）：来源 old-portal，共 3 条记录/);
      assert.match(dry.output, /将新建账户 1，将关联已有账户 0/);
      assert.match(dry.output, /冲突 1，无效 1/);
      assert.match(dry.output, /第 3 行 \[冲突\] u2 138\*\*\*\*0002 3201\*+\d{3}[\dX]：同一身份证号码对应不同手机号码/);
      assert.equal(await accounts(), 0, 'a dry run writes nothing');
      const report = readFileSync(reportFile);
      assert.deepEqual([...report.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM for Excel');
      const text = report.toString('utf8');
      assert.match(text, /^\uFEFF行号,原账户编号,类别,原因,手机号码（脱敏）,身份证号码（脱敏）,姓名（脱敏）\r?\n/);
      assert.match(text, /4,u3,无效,手机号码格式不正确/);
      assert.ok(!text.includes(ID) && !text.includes('13800000002') && !text.includes('吴二'), 'the report masks personal data');

      const real = await target.cli('accounts:import', '--source', 'old-portal', '--file', file);
      assert.equal(real.code, 3, real.output);
      assert.match(real.output, /导入完成：来源 old-portal，共 3 条记录\n已新建账户 1，已关联已有账户 0，此前已导入未变 0/);
      assert.equal(await accounts(), 1);

      const again = await target.cli('accounts:import', '--source', 'old-portal', '--file', file);
      assert.match(again.output, /已新建账户 0，已关联已有账户 0，此前已导入未变 1/);
      assert.equal(await accounts(), 1);

      assert.equal((await target.cli('accounts:import', '--file', file)).code, 2, 'no source');
      assert.equal((await target.cli('accounts:import', '--source', 'bad name', '--file', file)).code, 2);
      assert.equal((await target.cli('accounts:import', '--source', 'x', '--file', file, '--format', 'xml')).code, 2);
      const missing = await target.cli('accounts:import', '--source', 'x', '--file', path.join(dir, 'none.csv'));
      assert.equal(missing.code, 1);
      assert.match(missing.output, /无法读取文件 .*ENOENT/);
      const json = path.join(dir, 'bad.json');
      writeFileSync(json, '{"not":"an array"}');
      const bad = await target.cli('accounts:import', '--source', 'x', '--file', json);
      assert.equal(bad.code, 1);
      assert.match(bad.output, /错误 ACCOUNT_IMPORT_FILE_INVALID: .*（JSON 文件应为账户对象组成的数组）/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await target.close();
    }
  });
}
