// The calendar commands as an operator runs them: `npm run cli -- calendar:…` on a fresh
// embedded database in a temporary DATA_DIR.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../cli.ts';
import { packageSchedules } from './schedule.ts';

let env: NodeJS.ProcessEnv;
let dir: string;
const nextYear = Math.max(...packageSchedules().map((s) => s.year)) + 1;

before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'yiwang-cal-cli-'));
  env = { NODE_ENV: 'test', DATA_DIR: dir, LOG_LEVEL: 'silent' };
});

async function cli(...argv: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await runCli(argv, env, (l) => lines.push(l));
  return { code, lines };
}

test('calendar:add-workdays prints just the date: 2026-09-30 + 3 → 2026-10-10', async () => {
  assert.deepEqual(await cli('calendar:add-workdays', '2026-09-30', '3'), { code: 0, lines: ['2026-10-10'] });
  assert.deepEqual(await cli('calendar:add-workdays', '2026-02-13', '1'), { code: 0, lines: ['2026-02-14'] });
});

test('calendar:between and calendar:is-workday', async () => {
  assert.deepEqual(await cli('calendar:between', '2026-09-24', '2026-10-12'), { code: 0, lines: ['7'] });
  assert.deepEqual(await cli('calendar:is-workday', '2026-10-10'), { code: 0, lines: ['2026-10-10 星期六 工作日：调休上班（国庆节）'] });
  assert.deepEqual(await cli('calendar:is-workday', '2026-10-01'), { code: 0, lines: ['2026-10-01 星期四 休息日：法定节假日（国庆节）'] });
});

test('errors are one Chinese line and a non-zero exit code', async () => {
  const bad = await cli('calendar:is-workday', '2026-02-30');
  assert.equal(bad.code, 1);
  assert.match(bad.lines[0]!, /^错误 CALENDAR_DATE_INVALID: 日期格式应为 YYYY-MM-DD/);
  const beyond = await cli('calendar:add-workdays', `${nextYear - 1}-12-28`, '10');
  assert.equal(beyond.code, 1);
  assert.match(beyond.lines[0]!, new RegExp(`CALENDAR_YEAR_NOT_LOADED.*${nextYear}`));
  assert.equal((await cli('calendar:add-workdays', '2026-09-30')).code, 2, 'usage');
  assert.equal((await cli('calendar:add-workdays', '2026-09-30', '-3')).code, 2);
  assert.equal((await cli('calendar:override', '2026-03-10', 'closed', '暴雨')).code, 2);
});

test('calendar:load-year loads a schedule file; calendar:override adds a regional closure', async () => {
  const file = path.join(dir, `${nextYear}.json`);
  writeFileSync(file, JSON.stringify({ year: nextYear, source: '测试用安排（非官方）', days: [{ date: `${nextYear}-01-01`, kind: 'holiday', name: '元旦' }] }));
  const loaded = await cli('calendar:load-year', file);
  assert.equal(loaded.code, 0, loaded.lines.join('\n'));
  assert.match(loaded.lines[0]!, new RegExp(`已加载 ${nextYear} 年节假日安排：放假 1 天，调休上班 0 天`));
  assert.equal((await cli('calendar:add-workdays', `${nextYear - 1}-12-31`, '1')).lines[0], `${nextYear}-01-0${[2, 3, 4].find((d) => ![0, 6].includes(new Date(Date.UTC(nextYear, 0, d)).getUTCDay()))}`);

  const added = await cli('calendar:override', '2026-03-10', 'holiday', '暴雨停工', '320100');
  assert.equal(added.code, 0);
  assert.match(added.lines[0]!, /^已新增日历调整 \d+：2026-03-10 320100 休息（暴雨停工）$/);
  assert.match((await cli('calendar:is-workday', '2026-03-10', '320102')).lines[0]!, /休息日：本地调整为休息日（暴雨停工）/);
  assert.match((await cli('calendar:is-workday', '2026-03-10')).lines[0]!, / 工作日：工作日$/);
  assert.equal((await cli('calendar:override', '2026-03-10', 'workday', '重复', '320100')).code, 1);
  const list = await cli('calendar:overrides');
  assert.equal(list.lines.length, 1);

  const invalid = path.join(dir, 'bad.json');
  writeFileSync(invalid, JSON.stringify({ year: nextYear, source: 'x', days: [{ date: `${nextYear}-01-04`, kind: 'workday', name: '元旦' }] }));
  const refused = await cli('calendar:load-year', invalid);
  assert.equal(refused.code, 1);
  assert.match(refused.lines.join('\n'), /CALENDAR_SCHEDULE_INVALID/);
});
