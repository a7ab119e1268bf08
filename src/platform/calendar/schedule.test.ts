import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAppError } from '../http/errors.ts';
import { validateSchedule } from './schedule.ts';

const fixture = {
  year: 2030,
  source: '测试用安排（非官方）',
  days: [
    { date: '2030-01-01', kind: 'holiday', name: '元旦' },
    { date: '2029-12-29', kind: 'workday', name: '元旦' },
    { date: '2030-10-01', kind: 'holiday', name: '国庆节' },
  ],
};

function invalid(input: unknown): string[] {
  try {
    validateSchedule(input);
  } catch (err) {
    assert.ok(isAppError(err) && err.code === 'CALENDAR_SCHEDULE_INVALID', String(err));
    return (err.errors ?? []).map((e) => `${e.field} ${e.message}`);
  }
  assert.fail('schedule was accepted');
}

test('a well-formed schedule is normalised and sorted; the preceding December is allowed', () => {
  const s = validateSchedule(fixture);
  assert.equal(s.year, 2030);
  assert.deepEqual(s.days.map((d) => d.date), ['2029-12-29', '2030-01-01', '2030-10-01']);
});

test('typing slips in a schedule are named field by field, in Chinese', () => {
  const errors = invalid({
    year: 2030,
    source: '',
    days: [
      { date: '2030-02-30', kind: 'holiday', name: '春节' },
      { date: '2030-01-01', kind: 'holiday', name: '元旦' },
      { date: '2030-01-01', kind: 'holiday', name: '元旦' },
      { date: '2030-01-02', kind: 'workday', name: '元旦' },
      { date: '2031-01-01', kind: 'holiday', name: '元旦' },
      { date: '2030-01-05', kind: 'rest', name: '元旦' },
      { date: '2030-05-01', kind: 'holiday', name: '' },
    ],
  });
  assert.deepEqual(errors.map((e) => e.split(' ')[0]), ['source', 'days/0/date', 'days/2/date', 'days/3/kind', 'days/4/date', 'days/5/kind', 'days/6/name']);
  assert.ok(errors.some((e) => /本是工作日/.test(e)));
});

test('the year, a holiday in it and a source are required; the package prefix is reserved', () => {
  assert.ok(invalid({ ...fixture, year: 30 }).some((e) => e.startsWith('year')));
  assert.ok(invalid({ ...fixture, days: [{ date: '2029-12-29', kind: 'workday', name: '元旦' }] }).some((e) => /没有 2030 年的放假日期/.test(e)));
  assert.ok(invalid({ ...fixture, source: 'chinese-days@9.9.9' }).some((e) => e.startsWith('source')));
  assert.ok(invalid(null).length >= 3);
});
