// The working-day rules over one in-memory snapshot of the calendar tables. Pure: no I/O, so
// a deadline computation touches the database at most once (to refresh the snapshot).
import { AppError } from '../http/errors.ts';
import { isWellFormedRegionCode, regionContains, regionPrefix } from '../region-code.ts';
import { firstDayOfYear, formatDay, isoWeekday, isWeekend, parseDate, WEEKDAY_NAMES, yearOfDay } from './dates.ts';

export type DayKind = 'holiday' | 'workday';

/** A day the official schedule treats differently from the Monday–Friday rule. */
export interface OfficialDay {
  date: string;
  kind: DayKind;
  /** The festival: 春节, 国庆节 … (an adjusted working day names the festival it belongs to). */
  name: string;
}

/** A local closure (`holiday`) or extra working day (`workday`); '' = the whole node. */
export interface Override {
  id: number;
  date: string;
  kind: DayKind;
  regionCode: string;
  reason: string;
  createdBy: string;
  createdAt: string;
}

export interface CalendarData {
  years: number[];
  days: OfficialDay[];
  overrides: Override[];
}

export type DayBasis = 'weekday' | 'weekend' | 'holiday' | 'adjusted_workday' | 'override';

export interface DayInfo {
  date: string;
  /** ISO weekday, 1 Monday … 7 Sunday. */
  weekday: number;
  workingDay: boolean;
  basis: DayBasis;
  /** The official holiday, or the festival an adjusted working day makes up for. */
  holidayName: string | null;
  override: Pick<Override, 'id' | 'kind' | 'regionCode' | 'reason'> | null;
  /** For people: 工作日, 法定节假日（国庆节）, 调休上班（国庆节）… */
  description: string;
}

/** Longest deadline accepted, in working days: about fourteen years. */
export const MAX_WORKING_DAYS = 3650;

/** An override for a region outranks one for its parent; '' (the whole node) ranks last. */
function specificity(regionCode: string): number {
  return regionCode === '' ? -1 : regionPrefix(regionCode).length;
}

export function assertRegionOrNode(region: string): void {
  if (region !== '' && !isWellFormedRegionCode(region)) {
    throw new AppError('REGION_CODE_MALFORMED', { detail: `收到 "${region.slice(0, 20)}"` });
  }
}

export class Calendar {
  private readonly years: Set<number>;
  private readonly official = new Map<number, OfficialDay>();
  private readonly overridesByDay = new Map<number, Override[]>();

  constructor(data: CalendarData) {
    this.years = new Set(data.years);
    for (const d of data.days) this.official.set(parseDate(d.date), d);
    for (const o of data.overrides) {
      const day = parseDate(o.date);
      const list = this.overridesByDay.get(day) ?? [];
      list.push(o);
      list.sort((a, b) => specificity(b.regionCode) - specificity(a.regionCode));
      this.overridesByDay.set(day, list);
    }
  }

  loadedYears(): number[] {
    return [...this.years].sort((a, b) => a - b);
  }

  hasYear(year: number): boolean {
    return this.years.has(year);
  }

  private requireYear(year: number): void {
    if (this.years.has(year)) return;
    const loaded = this.loadedYears();
    const range = loaded.length ? `已加载 ${loaded[0]}–${loaded[loaded.length - 1]} 年` : '尚未加载任何年度';
    throw new AppError('CALENDAR_YEAR_NOT_LOADED', { detail: `计算涉及 ${year} 年，${range}；请管理员加载国务院办公厅公布的 ${year} 年安排` });
  }

  /** The override that governs `day` for `region`: the most specific one containing it. */
  private overrideFor(day: number, region: string): Override | null {
    const list = this.overridesByDay.get(day);
    if (!list) return null;
    return list.find((o) => o.regionCode === '' || (region !== '' && regionContains(o.regionCode, region))) ?? null;
  }

  private isWorking(day: number, region: string): boolean {
    this.requireYear(yearOfDay(day));
    const override = this.overrideFor(day, region);
    if (override) return override.kind === 'workday';
    const official = this.official.get(day);
    if (official) return official.kind === 'workday';
    return !isWeekend(day);
  }

  /** Everything known about one date, for `region` ('' = node-wide overrides only). */
  day(date: string, region = ''): DayInfo {
    assertRegionOrNode(region);
    const day = parseDate(date);
    this.requireYear(yearOfDay(day));
    const weekday = isoWeekday(day);
    const official = this.official.get(day) ?? null;
    const override = this.overrideFor(day, region);
    const holidayName = official?.name ?? null;
    let basis: DayBasis;
    let workingDay: boolean;
    let description: string;
    if (override) {
      basis = 'override';
      workingDay = override.kind === 'workday';
      description = `${workingDay ? '本地调整为工作日' : '本地调整为休息日'}（${override.reason}）`;
    } else if (official) {
      basis = official.kind === 'holiday' ? 'holiday' : 'adjusted_workday';
      workingDay = official.kind === 'workday';
      description = workingDay ? `调休上班（${official.name}）` : `法定节假日（${official.name}）`;
    } else {
      basis = isWeekend(day) ? 'weekend' : 'weekday';
      workingDay = basis === 'weekday';
      description = workingDay ? '工作日' : `休息日（${WEEKDAY_NAMES[weekday]}）`;
    }
    return {
      date: formatDay(day),
      weekday,
      workingDay,
      basis,
      holidayName,
      override: override ? { id: override.id, kind: override.kind, regionCode: override.regionCode, reason: override.reason } : null,
      description,
    };
  }

  isWorkingDay(date: string, region = ''): boolean {
    assertRegionOrNode(region);
    return this.isWorking(parseDate(date), region);
  }

  /**
   * The date `days` working days after `from`: the start date itself never counts, so a
   * 3-working-day deadline from Wednesday 2026-09-30 ends on Saturday 2026-10-10 (an
   * adjusted working day after the National Day break).
   */
  addWorkingDays(from: string, days: number, region = ''): string {
    assertRegionOrNode(region);
    if (!Number.isInteger(days) || days < 0 || days > MAX_WORKING_DAYS) {
      throw new AppError('VALIDATION_FAILED', { detail: `days: 收到 ${days}`, errors: [{ field: 'days', message: `工作日数应为 0 至 ${MAX_WORKING_DAYS} 之间的整数` }] });
    }
    let day = parseDate(from, 'from');
    this.requireYear(yearOfDay(day));
    for (let left = days; left > 0; ) {
      day += 1;
      if (this.isWorking(day, region)) left -= 1;
    }
    return formatDay(day);
  }

  /**
   * Working days after `from` up to and including `to`, so that
   * countWorkingDays(d, addWorkingDays(d, n)) === n. Negative when `to` precedes `from`
   * (e.g. how many working days a deadline is overdue).
   */
  countWorkingDays(from: string, to: string, region = ''): number {
    assertRegionOrNode(region);
    const a = parseDate(from, 'from');
    const b = parseDate(to, 'to');
    const [lo, hi, sign] = a <= b ? [a, b, 1] : [b, a, -1];
    // Refuse before counting: a partial answer over an unloaded year would look plausible.
    for (let y = yearOfDay(lo); y <= yearOfDay(hi); y++) this.requireYear(y);
    let count = 0;
    for (let day = lo + 1; day <= hi; day++) if (this.isWorking(day, region)) count += 1;
    return sign * count;
  }

  /** Official holidays and adjusted working days of a loaded year, in date order. */
  officialDays(year: number): OfficialDay[] {
    this.requireYear(year);
    const lo = firstDayOfYear(year);
    const hi = firstDayOfYear(year + 1);
    return [...this.official.entries()]
      .filter(([d]) => d >= lo && d < hi)
      .sort(([a], [b]) => a - b)
      .map(([, o]) => o);
  }
}
