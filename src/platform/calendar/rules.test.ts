// The working-day rules on the bundled official schedules, without a database.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { isAppError } from '../http/errors.ts';
import { Calendar, type Override } from './rules.ts';
import { packageSchedules } from './schedule.ts';
import { coverageWarning } from './calendar.ts';

const schedules = packageSchedules();
const official = (overrides: Override[] = [], years = schedules.map((s) => s.year)) =>
  new Calendar({ years, days: schedules.filter((s) => years.includes(s.year)).flatMap((s) => s.days), overrides });
const cal = official();

/** Every date from `from` to `to` inclusive. */
function* datesBetween(from: string, to: string): Generator<string> {
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) yield new Date(t).toISOString().slice(0, 10);
}

const rejects = (fn: () => unknown, code: string) =>
  assert.throws(fn, (err) => isAppError(err) && err.code === code, `expected ${code}`);

describe('2026 schedule matches the State Council notice (standards.md, "Working days")', () => {
  const year = schedules.find((s) => s.year === 2026)!;

  test('33 days off and 6 adjusted working days, exactly as published', () => {
    const daysOff = [
      ...datesBetween('2026-01-01', '2026-01-03'),
      ...datesBetween('2026-02-15', '2026-02-23'),
      ...datesBetween('2026-04-04', '2026-04-06'),
      ...datesBetween('2026-05-01', '2026-05-05'),
      ...datesBetween('2026-06-19', '2026-06-21'),
      ...datesBetween('2026-09-25', '2026-09-27'),
      ...datesBetween('2026-10-01', '2026-10-07'),
    ];
    assert.equal(daysOff.length, 33);
    assert.deepEqual(year.days.filter((d) => d.kind === 'holiday').map((d) => d.date), daysOff);
    assert.deepEqual(year.days.filter((d) => d.kind === 'workday').map((d) => d.date), ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
    for (const d of daysOff) assert.equal(cal.isWorkingDay(d), false, d);
  });

  test('2026 has 248 working days: 261 weekdays − 19 weekday holidays + 6 adjusted days', () => {
    assert.equal(cal.countWorkingDays('2025-12-31', '2026-12-31'), 248);
  });

  test('every day of 2025 and 2026 agrees with the chinese-days package itself', () => {
    const chineseDays = createRequire(import.meta.url)('chinese-days') as { isWorkday(d: string): boolean };
    for (const d of datesBetween('2025-01-01', '2026-12-31')) assert.equal(cal.isWorkingDay(d), chineseDays.isWorkday(d), d);
  });

  test('covers at least 2025 and 2026, each year with its own 元旦', () => {
    const years = schedules.map((s) => s.year);
    assert.ok(years.includes(2025) && years.includes(2026));
    for (const s of schedules) assert.ok(s.days.some((d) => d.date === `${s.year}-01-01` && d.name === '元旦'), String(s.year));
  });
});

describe('春节 2026', () => {
  test('the adjusted Saturdays 02-14 and 02-28 are working days; the break is not', () => {
    const sat = cal.day('2026-02-14');
    assert.deepEqual([sat.workingDay, sat.basis, sat.holidayName, sat.weekday], [true, 'adjusted_workday', '春节', 6]);
    assert.equal(sat.description, '调休上班（春节）');
    assert.equal(cal.day('2026-02-28').workingDay, true);
    const eve = cal.day('2026-02-16');
    assert.deepEqual([eve.workingDay, eve.basis, eve.description], [false, 'holiday', '法定节假日（春节）']);
    assert.equal(cal.day('2026-02-21').basis, 'holiday', 'a weekend inside the break is still the holiday');
    assert.equal(cal.day('2026-02-07').basis, 'weekend');
    assert.equal(cal.day('2026-02-24').basis, 'weekday');
  });

  test('deadlines jump the break and use the adjusted Saturday', () => {
    assert.equal(cal.addWorkingDays('2026-02-13', 1), '2026-02-14');
    assert.equal(cal.addWorkingDays('2026-02-14', 1), '2026-02-24');
    assert.equal(cal.addWorkingDays('2026-02-12', 5), '2026-02-26');
    assert.equal(cal.countWorkingDays('2026-02-13', '2026-02-28'), 6);
  });
});

describe('国庆 2026', () => {
  test('Wednesday 2026-09-30 + 3 working days is Saturday 2026-10-10 (adjusted working day)', () => {
    // 10-01…10-07 off; 10-08 Thu is the 1st, 10-09 Fri the 2nd, 10-10 Sat the 3rd.
    assert.equal(cal.addWorkingDays('2026-09-30', 1), '2026-10-08');
    assert.equal(cal.addWorkingDays('2026-09-30', 2), '2026-10-09');
    assert.equal(cal.addWorkingDays('2026-09-30', 3), '2026-10-10');
    assert.equal(cal.addWorkingDays('2026-09-30', 4), '2026-10-12');
  });

  test('中秋 and 国庆 together: Sunday 09-20 works, 7 working days from 09-24 to 10-12', () => {
    assert.deepEqual([cal.day('2026-09-20').workingDay, cal.day('2026-09-20').holidayName], [true, '国庆节']);
    assert.equal(cal.day('2026-09-25').holidayName, '中秋');
    assert.equal(cal.countWorkingDays('2026-09-24', '2026-10-12'), 7);
    assert.equal(cal.countWorkingDays('2026-10-12', '2026-09-24'), -7, 'reversed range is negative');
  });

  test('a start date or zero days: the start date never counts', () => {
    assert.equal(cal.addWorkingDays('2026-10-03', 0), '2026-10-03');
    assert.equal(cal.addWorkingDays('2026-10-03', 1), '2026-10-08');
    assert.equal(cal.countWorkingDays('2026-10-08', '2026-10-08'), 0);
    for (let n = 0; n <= 60; n++) assert.equal(cal.countWorkingDays('2026-09-15', cal.addWorkingDays('2026-09-15', n)), n);
  });
});

describe('a year with no loaded schedule is refused, never guessed', () => {
  const next = Math.max(...schedules.map((s) => s.year)) + 1;

  test(`${next}: is-working-day, add and count all refuse`, () => {
    rejects(() => cal.isWorkingDay(`${next}-01-01`), 'CALENDAR_YEAR_NOT_LOADED');
    rejects(() => cal.day(`${next}-03-03`), 'CALENDAR_YEAR_NOT_LOADED');
    rejects(() => cal.countWorkingDays(`${next - 1}-12-01`, `${next}-01-05`), 'CALENDAR_YEAR_NOT_LOADED');
    rejects(() => cal.addWorkingDays(`${next - 1}-12-20`, 30), 'CALENDAR_YEAR_NOT_LOADED');
  });

  test('a deadline that stays inside the loaded year is fine, one day further is not', () => {
    const only2026 = official([], [2026]);
    assert.equal(only2026.addWorkingDays('2026-12-28', 3), '2026-12-31');
    rejects(() => only2026.addWorkingDays('2026-12-28', 4), 'CALENDAR_YEAR_NOT_LOADED');
    rejects(() => only2026.addWorkingDays('2025-12-31', 1), 'CALENDAR_YEAR_NOT_LOADED');
    assert.throws(() => only2026.addWorkingDays('2026-12-28', 4), /尚未加载/);
  });

  test('operators are warned from November when next year is missing', () => {
    assert.match(coverageWarning([2025, 2026], new Date('2026-11-23T02:00:00Z'))!, /2027 年节假日安排尚未加载/);
    assert.equal(coverageWarning([2025, 2026], new Date('2026-06-01T02:00:00Z')), null);
    assert.equal(coverageWarning([2026, 2027], new Date('2026-12-01T02:00:00Z')), null);
    assert.match(coverageWarning([2026], new Date('2026-12-31T17:00:00Z'))!, /^2027 年/, 'already 2027 in Shanghai');
  });
});

describe('local overrides', () => {
  const ov = (id: number, date: string, kind: 'holiday' | 'workday', regionCode: string, reason: string): Override => ({
    id, date, kind, regionCode, reason, createdBy: 'test', createdAt: '2026-03-01T00:00:00.000Z',
  });
  const local = official([
    ov(1, '2026-03-10', 'holiday', '320100', '暴雨停工'),
    ov(2, '2026-03-10', 'workday', '320102', '玄武区照常办公'),
    ov(3, '2026-03-14', 'workday', '', '全节点集中办理日'),
    ov(4, '2026-03-14', 'holiday', '320500', '苏州系统升级'),
  ]);

  test('an override applies to its region and every region below it, not elsewhere', () => {
    assert.equal(local.isWorkingDay('2026-03-10', '320100'), false);
    assert.equal(local.isWorkingDay('2026-03-10', '320104'), false, 'a Nanjing district');
    assert.equal(local.isWorkingDay('2026-03-10', '320104001001'), false, 'a village in it');
    assert.equal(local.isWorkingDay('2026-03-10', '320500'), true, 'Suzhou is not Nanjing');
    assert.equal(local.isWorkingDay('2026-03-10', '320000'), true, 'the province as a whole is open');
    assert.equal(local.isWorkingDay('2026-03-10'), true, 'node-wide queries see only node-wide overrides');
  });

  test('the most specific region wins', () => {
    const d = local.day('2026-03-10', '320102001');
    assert.deepEqual([d.workingDay, d.basis, d.override?.id], [true, 'override', 2]);
    assert.equal(d.description, '本地调整为工作日（玄武区照常办公）');
    assert.equal(local.isWorkingDay('2026-03-14'), true, 'node-wide extra working Saturday');
    assert.equal(local.isWorkingDay('2026-03-14', '320583'), false, 'Suzhou closed on it');
    assert.equal(local.day('2026-03-14', '320583').description, '本地调整为休息日（苏州系统升级）');
  });

  test('deadlines follow the region', () => {
    assert.equal(local.countWorkingDays('2026-03-09', '2026-03-16'), 6);
    assert.equal(local.countWorkingDays('2026-03-09', '2026-03-16', '320104'), 5);
    assert.equal(local.countWorkingDays('2026-03-09', '2026-03-16', '320505'), 5, 'Suzhou: open on the 10th, closed on the 14th');
    assert.equal(local.addWorkingDays('2026-03-09', 1, '320104'), '2026-03-11');
  });

  test('malformed region codes are refused', () => {
    rejects(() => local.isWorkingDay('2026-03-10', '32-100'), 'REGION_CODE_MALFORMED');
  });
});

describe('input checks', () => {
  test('bad dates are CALENDAR_DATE_INVALID', () => {
    for (const bad of ['2026-02-29', '2026-13-01', '2026-1-5', '20260105', '', 'tomorrow', '2026-10-01T00:00:00Z', '0001-01-01']) {
      rejects(() => cal.isWorkingDay(bad), 'CALENDAR_DATE_INVALID');
    }
    rejects(() => cal.addWorkingDays('2026-02-30', 1), 'CALENDAR_DATE_INVALID');
    rejects(() => cal.countWorkingDays('2026-02-01', 'x'), 'CALENDAR_DATE_INVALID');
  });

  test('working-day counts must be whole numbers in range', () => {
    for (const n of [-1, 1.5, Number.NaN, 100_000]) rejects(() => cal.addWorkingDays('2026-01-05', n), 'VALIDATION_FAILED');
  });
});
