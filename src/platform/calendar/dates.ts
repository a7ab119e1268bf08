// Calendar dates as day numbers (days since 1970-01-01 in UTC): plain integer arithmetic, so
// a date never shifts by one when the server's time zone differs from Asia/Shanghai.
import { AppError } from '../http/errors.ts';

const DAY_MS = 86_400_000;
/** Outside this range a date is a typo, not a deadline. */
export const MIN_YEAR = 1990;
export const MAX_YEAR = 2199;

/** The day number of a real `YYYY-MM-DD` date in range, or null. */
export function parseDateOrNull(text: unknown): number | null {
  if (typeof text !== 'string') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < MIN_YEAR || y > MAX_YEAR) return null;
  const at = new Date(Date.UTC(y, mo - 1, d));
  // Date.UTC rolls 02-30 over into March; a real date survives the round trip.
  if (at.getUTCMonth() !== mo - 1 || at.getUTCDate() !== d) return null;
  return at.getTime() / DAY_MS;
}

/** The day number of a date, or CALENDAR_DATE_INVALID naming what was received. */
export function parseDate(text: unknown, field = 'date'): number {
  const day = parseDateOrNull(text);
  if (day === null) {
    const shown = typeof text === 'string' ? `"${text.slice(0, 40)}"` : String(text);
    throw new AppError('CALENDAR_DATE_INVALID', { detail: `${field}: 收到 ${shown}`, errors: [{ field, message: '日期格式应为 YYYY-MM-DD' }] });
  }
  return day;
}

/** The calendar date (YYYY-MM-DD) in Asia/Shanghai at an instant: validity and issue days are dated there. */
export function chinaDate(at: Date = new Date()): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

export function formatDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** ISO weekday: 1 Monday … 7 Sunday (1970-01-01 was a Thursday). */
export function isoWeekday(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

export function isWeekend(day: number): boolean {
  return isoWeekday(day) >= 6;
}

export function yearOfDay(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}

/** The day number of year-month-day (month 1–12). */
export function dayNumber(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

export function firstDayOfYear(year: number): number {
  return dayNumber(year, 1, 1);
}

export const WEEKDAY_NAMES = ['', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六', '星期日'] as const;
