// Working days (工作日) for deadlines: the official national holiday and 调休 schedules plus
// local overrides, held in memory per process. A computation refreshes the snapshot at most
// once (a one-row version check, at most every few seconds) and never queries per day.
import type { Db } from '../db/database.ts';
import { inTransaction } from '../db/database.ts';
import { actorId, recordAudit, type AuditActor } from '../audit/audit.ts';
import { AppError } from '../http/errors.ts';
import { regionContains } from '../region-code.ts';
import { formatDay, parseDate } from './dates.ts';
import { assertRegionOrNode, Calendar, type DayInfo, type DayKind, type Override } from './rules.ts';
import { PACKAGE_SOURCE_PREFIX, packageSchedules, validateSchedule, type Schedule } from './schedule.ts';
import * as store from './store.ts';

export type { LoadedYear } from './store.ts';

/** How stale another process's change may be here: the version is re-read after this. */
export const REFRESH_MS = 5_000;

interface Cached {
  calendar: Calendar;
  version: number;
  checkedAt: number;
}

// Shared by every service on the same database, so a change made through one instance
// (the CLI, an admin request) is seen at once by the others in this process.
const cache = new WeakMap<Db, Cached>();
const refreshing = new WeakMap<Db, Promise<Calendar>>();

export interface OverrideInput {
  date: string;
  kind: DayKind;
  reason: string;
  /** '' or absent: the whole node. */
  regionCode?: string;
}

export interface YearSummary {
  year: number;
  source: string;
  holidays: number;
  workdays: number;
}

export interface SyncResult {
  /** Years (re)loaded from the bundled package now. */
  loaded: number[];
  /** Package years left alone because an administrator loaded them from a notice. */
  kept: number[];
  source: string;
  /** For the operator's log: this year's or (from November) next year's schedule is missing. */
  warning: string | null;
}

/** Today in Asia/Shanghai, where the deadlines are. */
function todayInChina(now: Date): { year: number; month: number } {
  const [y, m] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(now).split('-');
  return { year: Number(y), month: Number(m) };
}

/** The State Council publishes next year's schedule in November; flag a missing one early. */
export function coverageWarning(years: number[], now = new Date()): string | null {
  const { year, month } = todayInChina(now);
  if (!years.includes(year)) return `${year} 年节假日安排尚未加载，工作日计算将被拒绝；请用 calendar:load-year 加载（见 docs/calendar.md）`;
  if (month >= 11 && !years.includes(year + 1)) {
    return `${year + 1} 年节假日安排尚未加载：国务院办公厅公布后请用 calendar:load-year 加载（见 docs/calendar.md），否则跨入 ${year + 1} 年的时限无法计算`;
  }
  return null;
}

function summary(s: Schedule): YearSummary {
  return { year: s.year, source: s.source, holidays: s.days.filter((d) => d.kind === 'holiday').length, workdays: s.days.filter((d) => d.kind === 'workday').length };
}

export class CalendarService {
  private readonly db: Db;
  private readonly refreshMs: number;

  constructor(db: Db, options: { refreshMs?: number } = {}) {
    this.db = db;
    this.refreshMs = options.refreshMs ?? REFRESH_MS;
  }

  /** The current snapshot: synchronous rules for callers that compute many dates at once. */
  async current(): Promise<Calendar> {
    const hit = cache.get(this.db);
    if (hit && Date.now() - hit.checkedAt < this.refreshMs) return hit.calendar;
    const pending = refreshing.get(this.db);
    if (pending) return pending;
    const work = this.refresh(hit).finally(() => refreshing.delete(this.db));
    refreshing.set(this.db, work);
    return work;
  }

  private async refresh(hit: Cached | undefined): Promise<Calendar> {
    // Version first, data second: a change in between only causes one extra reload later.
    const version = await store.readVersion(this.db);
    if (hit && hit.version === version) {
      hit.checkedAt = Date.now();
      return hit.calendar;
    }
    const calendar = new Calendar(await store.readAll(this.db));
    cache.set(this.db, { calendar, version, checkedAt: Date.now() });
    return calendar;
  }

  /** Drops this process's snapshot (after a change, or when a test edits the tables). */
  invalidate(): void {
    cache.delete(this.db);
  }

  async day(date: string, region = ''): Promise<DayInfo> {
    return (await this.current()).day(date, region);
  }

  async isWorkingDay(date: string, region = ''): Promise<boolean> {
    return (await this.current()).isWorkingDay(date, region);
  }

  async addWorkingDays(from: string, days: number, region = ''): Promise<string> {
    return (await this.current()).addWorkingDays(from, days, region);
  }

  async countWorkingDays(from: string, to: string, region = ''): Promise<number> {
    return (await this.current()).countWorkingDays(from, to, region);
  }

  years(): Promise<store.LoadedYear[]> {
    return store.listYears(this.db);
  }

  /**
   * Loads every year the bundled `chinese-days` package covers that is missing here or came
   * from an older package version. Idempotent: a second call changes nothing and writes
   * nothing. A year an administrator loaded from the official notice is never replaced.
   */
  async syncPackageSchedules(actor: AuditActor): Promise<SyncResult> {
    const schedules = packageSchedules();
    const source = schedules[0]?.source ?? `${PACKAGE_SOURCE_PREFIX}?`;
    const plan = (loaded: store.LoadedYear[]) => {
      const have = new Map(loaded.map((y) => [y.year, y.source]));
      const kept = schedules.filter((s) => have.has(s.year) && !have.get(s.year)!.startsWith(PACKAGE_SOURCE_PREFIX)).map((s) => s.year);
      const todo = schedules.filter((s) => !have.has(s.year) || (have.get(s.year)!.startsWith(PACKAGE_SOURCE_PREFIX) && have.get(s.year) !== s.source));
      return { kept, todo };
    };
    const before = await store.listYears(this.db);
    const first = plan(before);
    const warning = coverageWarning([...before.map((y) => y.year), ...first.todo.map((s) => s.year)]);
    if (first.todo.length === 0) return { loaded: [], kept: first.kept, source, warning };
    const result = await inTransaction(this.db, async (tx) => {
      await store.lockAndBump(tx);
      // Re-plan under the lock: another process starting at the same time may have loaded them.
      const { kept, todo } = plan(await store.listYears(tx));
      for (const s of todo) await store.replaceYear(tx, s.year, s.source, s.days);
      const loaded = todo.map((s) => s.year);
      await recordAudit(tx, { actor, action: 'calendar.schedule.sync', targetType: 'calendar_year', targetId: loaded.join(',') || null, change: { source, years: todo.map(summary) } });
      return { loaded, kept, source, warning };
    });
    this.invalidate();
    return result;
  }

  /** Loads (or replaces) one year's official schedule, e.g. from the State Council's notice. */
  async loadYear(input: unknown, actor: AuditActor, requestId?: string): Promise<YearSummary> {
    const schedule = validateSchedule(input);
    const result = await inTransaction(this.db, async (tx) => {
      await store.lockAndBump(tx);
      const before = (await store.listYears(tx)).find((y) => y.year === schedule.year);
      await store.replaceYear(tx, schedule.year, schedule.source, schedule.days);
      await recordAudit(tx, {
        actor,
        action: 'calendar.year.load',
        targetType: 'calendar_year',
        targetId: String(schedule.year),
        change: { year: schedule.year, source: schedule.source, previousSource: before?.source ?? null, days: schedule.days },
        requestId: requestId ?? null,
      });
      return summary(schedule);
    });
    this.invalidate();
    return result;
  }

  /**
   * Overrides in a date range; with `region`, only those that can affect it: node-wide ones,
   * those of its ancestors and those inside it.
   */
  async overrides(filter: { from?: string; to?: string; region?: string } = {}): Promise<Override[]> {
    const from = filter.from ? formatDay(parseDate(filter.from, 'from')) : undefined;
    const to = filter.to ? formatDay(parseDate(filter.to, 'to')) : undefined;
    const region = filter.region ?? '';
    assertRegionOrNode(region);
    const rows = await store.listOverrides(this.db, { from, to });
    if (!region) return rows;
    return rows.filter((o) => o.regionCode === '' || regionContains(o.regionCode, region) || regionContains(region, o.regionCode));
  }

  async override(id: number): Promise<Override> {
    const found = Number.isSafeInteger(id) && id > 0 ? await store.findOverride(this.db, id) : null;
    if (!found) throw new AppError('NOT_FOUND', { detail: `日历调整 ${id}` });
    return found;
  }

  async addOverride(input: OverrideInput, actor: AuditActor, requestId?: string): Promise<Override> {
    const date = formatDay(parseDate(input.date));
    const regionCode = (input.regionCode ?? '').trim();
    assertRegionOrNode(regionCode);
    const reason = (input.reason ?? '').trim();
    if (input.kind !== 'holiday' && input.kind !== 'workday') {
      throw new AppError('VALIDATION_FAILED', { errors: [{ field: 'kind', message: 'kind 应为 holiday（本地休息）或 workday（本地工作日）' }] });
    }
    if (!reason || reason.length > 200) {
      throw new AppError('VALIDATION_FAILED', { errors: [{ field: 'reason', message: '请填写调整原因（不超过 200 字）' }] });
    }
    const created = await inTransaction(this.db, async (tx) => {
      await store.lockAndBump(tx);
      const row = await store.insertOverride(tx, { date, kind: input.kind, regionCode, reason, createdBy: actorId(actor) ?? actor.kind });
      if (!row) throw new AppError('CALENDAR_OVERRIDE_EXISTS', { detail: `${date} ${regionCode || '全节点'}` });
      await recordAudit(tx, {
        actor,
        action: 'calendar.override.add',
        targetType: 'calendar_override',
        targetId: String(row.id),
        regionCode: regionCode || null,
        change: { date, kind: input.kind, regionCode, reason },
        requestId: requestId ?? null,
      });
      return row;
    });
    this.invalidate();
    return created;
  }

  /** `authorize` sees the row before the transaction commits and may refuse by throwing. */
  async removeOverride(id: number, actor: AuditActor, options: { requestId?: string; authorize?: (o: Override) => void } = {}): Promise<Override> {
    const { requestId, authorize } = options;
    const removed = await inTransaction(this.db, async (tx) => {
      await store.lockAndBump(tx);
      const row = Number.isSafeInteger(id) && id > 0 ? await store.deleteOverride(tx, id) : null;
      if (!row) throw new AppError('NOT_FOUND', { detail: `日历调整 ${id}` });
      authorize?.(row);
      await recordAudit(tx, {
        actor,
        action: 'calendar.override.remove',
        targetType: 'calendar_override',
        targetId: String(id),
        regionCode: row.regionCode || null,
        change: { date: row.date, kind: row.kind, regionCode: row.regionCode, reason: row.reason },
        requestId: requestId ?? null,
      });
      return row;
    });
    this.invalidate();
    return removed;
  }
}
