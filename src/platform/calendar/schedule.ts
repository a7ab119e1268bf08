// Official holiday schedules (节假日安排): the ones bundled with the npm package
// `chinese-days`, and the JSON an administrator loads when the State Council publishes the
// next year's notice (every November). Both are checked here before they reach the tables.
import { createRequire } from 'node:module';
import { AppError, type FieldError } from '../http/errors.ts';
import { dayNumber, formatDay, isWeekend, MAX_YEAR, MIN_YEAR, parseDateOrNull, yearOfDay } from './dates.ts';
import type { DayKind, OfficialDay } from './rules.ts';

export interface Schedule {
  year: number;
  /** Where the schedule comes from: the notice's title and number, or `chinese-days@x.y.z`. */
  source: string;
  days: OfficialDay[];
}

export const PACKAGE_SOURCE_PREFIX = 'chinese-days@';

interface PackageData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

// Values look like "National Day,国庆节,3": English name, Chinese name, length of the break.
function chineseName(value: string): string {
  const parts = value.split(',');
  return (parts.length >= 3 ? parts[parts.length - 2] : value)!.trim();
}

/**
 * One schedule per year the package covers. A year counts as covered only when its
 * 元旦 and 国庆节 are both listed: the package answers "working day" for any date it has no
 * data for, so a year it merely touches (a December make-up day) must not pass as loaded.
 */
export function packageSchedules(): Schedule[] {
  const require = createRequire(import.meta.url);
  const data = require('chinese-days/dist/chinese-days.json') as PackageData;
  const { version } = require('chinese-days/package.json') as { version: string };
  const source = `${PACKAGE_SOURCE_PREFIX}${version}`;
  const byYear = new Map<number, OfficialDay[]>();
  const add = (date: string, kind: DayKind, value: string) => {
    const year = Number(date.slice(0, 4));
    const list = byYear.get(year) ?? [];
    list.push({ date, kind, name: chineseName(value) });
    byYear.set(year, list);
  };
  for (const [date, value] of Object.entries(data.holidays)) add(date, 'holiday', value);
  for (const [date, value] of Object.entries(data.workdays)) add(date, 'workday', value);
  return [...byYear.entries()]
    .filter(([year]) => `${year}-01-01` in data.holidays && `${year}-10-01` in data.holidays)
    .sort(([a], [b]) => a - b)
    .map(([year, days]) => ({ year, source, days: days.sort((a, b) => (a.date < b.date ? -1 : 1)) }));
}

const MAX_SOURCE = 300;
const MAX_NAME = 50;

/**
 * Checks a schedule as typed from a notice. An adjusted working day must be a Saturday or
 * Sunday, which catches most typing slips.
 */
export function validateSchedule(input: unknown): Schedule {
  const errors: FieldError[] = [];
  const o = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const year = o.year;
  const validYear = typeof year === 'number' && Number.isInteger(year) && year >= MIN_YEAR + 1 && year <= MAX_YEAR;
  if (!validYear) errors.push({ field: 'year', message: `年度应为 ${MIN_YEAR + 1} 至 ${MAX_YEAR} 之间的整数` });
  const source = typeof o.source === 'string' ? o.source.trim() : '';
  if (!source || source.length > MAX_SOURCE) errors.push({ field: 'source', message: `请填写安排的出处（通知名称和文号），不超过 ${MAX_SOURCE} 字` });
  if (source.startsWith(PACKAGE_SOURCE_PREFIX)) errors.push({ field: 'source', message: `出处不能以 ${PACKAGE_SOURCE_PREFIX} 开头（保留给内置数据）` });
  const days: OfficialDay[] = [];
  if (!Array.isArray(o.days) || o.days.length === 0 || o.days.length > 366) {
    errors.push({ field: 'days', message: '请列出该年度的放假日期和调休上班日期（1 至 366 项）' });
  } else {
    // A notice may move days into the preceding December (元旦 2019 made 2018-12-29 a working day).
    const lo = validYear ? dayNumber(year - 1, 12, 1) : 0;
    const hi = validYear ? dayNumber(year + 1, 1, 1) : 0;
    const seen = new Set<number>();
    for (const [i, raw] of (o.days as unknown[]).entries()) {
      const d = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
      const at = (part: string) => `days/${i}/${part}`;
      const day = parseDateOrNull(d.date);
      const kind = d.kind;
      const name = typeof d.name === 'string' ? d.name.trim() : '';
      if (day === null) {
        errors.push({ field: at('date'), message: '日期格式应为 YYYY-MM-DD' });
      } else if (validYear && (day < lo || day >= hi)) {
        errors.push({ field: at('date'), message: `${formatDay(day)} 不在 ${year} 年度安排的范围内` });
      } else if (seen.has(day)) {
        errors.push({ field: at('date'), message: `${formatDay(day)} 重复出现` });
      } else if (kind !== 'holiday' && kind !== 'workday') {
        errors.push({ field: at('kind'), message: 'kind 应为 holiday（放假）或 workday（调休上班）' });
      } else if (kind === 'workday' && !isWeekend(day)) {
        errors.push({ field: at('kind'), message: `${formatDay(day)} 本是工作日，无需列为调休上班` });
      } else if (!name || name.length > MAX_NAME) {
        errors.push({ field: at('name'), message: `请填写节日名称（如 春节），不超过 ${MAX_NAME} 字` });
      } else {
        seen.add(day);
        days.push({ date: formatDay(day), kind, name });
      }
    }
    if (validYear && !days.some((d) => d.kind === 'holiday' && yearOfDay(parseDateOrNull(d.date)!) === year)) {
      errors.push({ field: 'days', message: `没有 ${year} 年的放假日期` });
    }
  }
  if (errors.length) {
    throw new AppError('CALENDAR_SCHEDULE_INVALID', { detail: errors.map((e) => `${e.field}: ${e.message}`).join('; ').slice(0, 1000), errors: errors.slice(0, 50) });
  }
  return { year: year as number, source, days: days.sort((a, b) => (a.date < b.date ? -1 : 1)) };
}
