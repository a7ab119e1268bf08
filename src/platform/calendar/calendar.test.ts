// The calendar service on both database backends: loading, caching, overrides and audit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { describeEachBackend } from '../../../test/support/backends.ts';
import { inTransaction } from '../db/database.ts';
import { verifyAuditChain } from '../audit/audit.ts';
import { isAppError } from '../http/errors.ts';
import { CalendarService } from './calendar.ts';
import { packageSchedules } from './schedule.ts';
import * as store from './store.ts';

const system = { kind: 'system' as const, id: 'test' };
const schedules = packageSchedules();
const nextYear = Math.max(...schedules.map((s) => s.year)) + 1;
// Not an official schedule: just enough days to exercise loading a year.
const nextYearFixture = {
  year: nextYear,
  source: '测试用安排（非官方）',
  days: [
    { date: `${nextYear}-01-01`, kind: 'holiday', name: '元旦' },
    { date: `${nextYear - 1}-12-26`, kind: 'workday', name: '元旦' },
  ],
};

const rejectsWith = (code: string) => (err: unknown) => isAppError(err) && err.code === code;

describeEachBackend('working-day calendar', (getDb) => {
  const db = () => getDb().db;
  const auditActions = async (action: string) =>
    (await db().selectFrom('audit_log').select(['action', 'target_id', 'region_code', 'actor_id']).where('action', '=', action).orderBy('id').execute());

  test('start-up sync loads every year the package covers, once', async () => {
    const calendar = new CalendarService(db());
    const first = await calendar.syncPackageSchedules(system);
    assert.deepEqual(first.loaded, schedules.map((s) => s.year));
    assert.match(first.source, /^chinese-days@\d+\.\d+\.\d+/);
    const again = await calendar.syncPackageSchedules(system);
    assert.deepEqual(again.loaded, []);
    assert.equal((await auditActions('calendar.schedule.sync')).length, 1, 'the no-op sync writes nothing');
    const years = await calendar.years();
    assert.ok(years.some((y) => y.year === 2025) && years.some((y) => y.year === 2026));
    assert.ok(years.every((y) => y.source === first.source));
    const days2026 = await db().selectFrom('calendar_day').select('day').where('day', '>=', '2026-01-01').where('day', '<=', '2026-12-31').execute();
    assert.equal(days2026.length, 33 + 6);
  });

  test('deadlines through the service, on the loaded tables', async () => {
    const calendar = new CalendarService(db());
    assert.equal(await calendar.addWorkingDays('2026-09-30', 3), '2026-10-10');
    assert.equal(await calendar.addWorkingDays('2026-02-13', 2), '2026-02-24');
    assert.equal(await calendar.countWorkingDays('2025-12-31', '2026-12-31'), 248);
    assert.equal(await calendar.isWorkingDay('2026-02-28'), true);
    assert.equal((await calendar.day('2026-10-05')).description, '法定节假日（国庆节）');
  });

  test('after the sync, computations use the snapshot: one version check, no query per day', async () => {
    let queries = 0;
    const counted = db().withPlugin({
      transformQuery: (args) => {
        queries++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const calendar = new CalendarService(counted, { refreshMs: 0 });
    await calendar.current();
    queries = 0;
    assert.equal(await calendar.countWorkingDays('2004-01-01', '2026-12-31') > 5000, true);
    assert.equal(queries, 1, 'only the version check');
    queries = 0;
    await new CalendarService(counted).addWorkingDays('2010-01-04', 3000);
    assert.equal(queries, 0, 'within the refresh interval not even that');
  });

  test(`${nextYear} is refused until an administrator loads it, then computed`, async () => {
    const calendar = new CalendarService(db());
    await assert.rejects(calendar.addWorkingDays(`${nextYear - 1}-12-28`, 5), rejectsWith('CALENDAR_YEAR_NOT_LOADED'));
    await assert.rejects(calendar.loadYear({ ...nextYearFixture, days: [] }, system), rejectsWith('CALENDAR_SCHEDULE_INVALID'));
    const loaded = await calendar.loadYear(nextYearFixture, system, 'req-1');
    assert.deepEqual(loaded, { year: nextYear, source: '测试用安排（非官方）', holidays: 1, workdays: 1 });
    assert.equal(await calendar.isWorkingDay(`${nextYear - 1}-12-26`), true, 'the December make-up day applies');
    assert.equal(await calendar.isWorkingDay(`${nextYear}-01-01`), false);
    const audit = await auditActions('calendar.year.load');
    assert.deepEqual(audit.map((a) => [a.target_id, a.actor_id]), [[String(nextYear), 'test']]);
  });

  test('a package re-sync keeps an administrator-loaded year and a December make-up day from the next notice', async () => {
    const calendar = new CalendarService(db());
    const y = nextYear - 1;
    const pkg = schedules.find((s) => s.year === y)!;
    // Simulate an older package version for year y, then sync again as after an upgrade.
    await inTransaction(db(), async (tx) => {
      await store.lockAndBump(tx);
      await tx.updateTable('calendar_year').set({ source: 'chinese-days@0.0.1' }).where('year', '=', y).execute();
      await tx.updateTable('calendar_day').set({ source: 'chinese-days@0.0.1' }).where('source', '=', pkg.source).where('day', '>=', `${y}-01-01`).where('day', '<=', `${y}-12-31`).execute();
    });
    const sync = await calendar.syncPackageSchedules(system);
    assert.deepEqual(sync.loaded, [y]);
    assert.equal(await calendar.isWorkingDay(`${y}-12-26`), true, 'the next notice’s make-up day survived');
    await calendar.loadYear({ year: y, source: '国务院办公厅通知（测试副本）', days: pkg.days }, system);
    const kept = await calendar.syncPackageSchedules(system);
    assert.deepEqual([kept.loaded, kept.kept.includes(y)], [[], true]);
    assert.equal((await calendar.years()).find((r) => r.year === y)?.source, '国务院办公厅通知（测试副本）');
    assert.equal(await calendar.addWorkingDays('2026-09-30', 3), '2026-10-10');
  });

  test('overrides: region-scoped, unique per day and region, audited', async () => {
    const calendar = new CalendarService(db());
    const nanjing = await calendar.addOverride({ date: '2026-03-10', kind: 'holiday', reason: '暴雨停工', regionCode: '320100' }, system, 'req-2');
    assert.equal(nanjing.regionCode, '320100');
    await calendar.addOverride({ date: '2026-03-14', kind: 'workday', reason: '集中办理日' }, system);
    await assert.rejects(calendar.addOverride({ date: '2026-03-10', kind: 'workday', reason: '重复', regionCode: '320100' }, system), rejectsWith('CALENDAR_OVERRIDE_EXISTS'));
    await assert.rejects(calendar.addOverride({ date: '2026-02-30', kind: 'holiday', reason: 'x' }, system), rejectsWith('CALENDAR_DATE_INVALID'));
    await assert.rejects(calendar.addOverride({ date: '2026-03-11', kind: 'holiday', reason: ' ' }, system), rejectsWith('VALIDATION_FAILED'));
    await assert.rejects(calendar.addOverride({ date: '2026-03-11', kind: 'holiday', reason: 'x', regionCode: '3201' }, system), rejectsWith('REGION_CODE_MALFORMED'));

    assert.equal(await calendar.isWorkingDay('2026-03-10', '320102'), false);
    assert.equal(await calendar.isWorkingDay('2026-03-10', '320500'), true);
    assert.equal(await calendar.isWorkingDay('2026-03-10'), true);
    assert.equal(await calendar.isWorkingDay('2026-03-14', '320500'), true, 'node-wide working Saturday');
    assert.equal(await calendar.countWorkingDays('2026-03-09', '2026-03-16', '320104'), 5);

    assert.deepEqual((await calendar.overrides({ region: '320500' })).map((o) => o.date), ['2026-03-14']);
    assert.deepEqual((await calendar.overrides({ region: '320102' })).map((o) => o.date), ['2026-03-10', '2026-03-14']);
    assert.deepEqual((await calendar.overrides({ from: '2026-03-11' })).map((o) => o.date), ['2026-03-14']);

    const added = await auditActions('calendar.override.add');
    assert.deepEqual(added.map((a) => a.region_code), ['320100', null]);
  });

  test('removal can be refused by the caller inside the transaction, leaving no trace', async () => {
    const calendar = new CalendarService(db());
    const [o] = await calendar.overrides({ region: '320100', to: '2026-03-10' });
    await assert.rejects(
      calendar.removeOverride(o!.id, system, { authorize: () => { throw new Error('not yours'); } }),
      /not yours/,
    );
    assert.equal(await calendar.isWorkingDay('2026-03-10', '320100'), false, 'still there');
    assert.equal((await auditActions('calendar.override.remove')).length, 0);
    await calendar.removeOverride(o!.id, system);
    assert.equal(await calendar.isWorkingDay('2026-03-10', '320100'), true);
    await assert.rejects(calendar.removeOverride(o!.id, system), rejectsWith('NOT_FOUND'));
    assert.equal((await auditActions('calendar.override.remove')).length, 1);
  });

  test('another process’s change is picked up through the version counter', async () => {
    const fast = new CalendarService(db(), { refreshMs: 0 });
    const slow = new CalendarService(db(), { refreshMs: 3_600_000 });
    assert.equal(await fast.isWorkingDay('2026-04-20'), true);
    // Written the way a second app process would: tables and version, without this process's cache hearing of it.
    await inTransaction(db(), async (tx) => {
      await store.lockAndBump(tx);
      await store.insertOverride(tx, { date: '2026-04-20', kind: 'holiday', regionCode: '', reason: '另一进程', createdBy: 'other' });
    });
    assert.equal(await slow.isWorkingDay('2026-04-20'), true, 'stale within its refresh interval');
    assert.equal(await fast.isWorkingDay('2026-04-20'), false, 'version changed: reloaded');
    assert.equal(await slow.isWorkingDay('2026-04-20'), false, 'the snapshot is shared per database');
  });

  test('every calendar change left an intact audit chain', async () => {
    const report = await verifyAuditChain(db());
    assert.equal(report.ok, true, JSON.stringify(report));
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from audit_log where action like 'calendar.%'`.execute(db());
    assert.ok(rows[0]!.n >= 7);
  });
});
