// Deadlines in working days on the platform calendar (standards.md "Working days"): counted
// from the day after acceptance; a special procedure stops the clock and moves the deadline by
// the working days it lasted.

export type Light = 'green' | 'yellow' | 'red' | 'none';

/** The platform calendar's working-day arithmetic (a loaded snapshot answers synchronously). */
export interface WorkingDays {
  addWorkingDays(from: string, days: number, region?: string): Promise<string> | string;
  countWorkingDays(from: string, to: string, region?: string): Promise<number> | number;
}

/** The promised and legal due dates for a case accepted on `acceptedOn` (YYYY-MM-DD). */
export async function dueDates(cal: WorkingDays, acceptedOn: string, promisedDays: number, legalDays: number, region: string): Promise<{ dueOn: string; legalDueOn: string }> {
  return {
    dueOn: await cal.addWorkingDays(acceptedOn, promisedDays, region),
    legalDueOn: await cal.addWorkingDays(acceptedOn, legalDays, region),
  };
}

/** A deadline moved by the working days a suspension lasted (from `since` to `until`). */
export async function extendBySuspension(cal: WorkingDays, dueOn: string, since: string, until: string, region: string): Promise<{ dueOn: string; days: number }> {
  const days = await cal.countWorkingDays(since, until, region);
  return { dueOn: days > 0 ? await cal.addWorkingDays(dueOn, days, region) : dueOn, days };
}

/**
 * Green while more than two working days remain, yellow with two or fewer (due day
 * included), red once the due date has passed. No light for cases not running a clock.
 */
export async function light(cal: WorkingDays, dueOn: string | null, today: string, region: string): Promise<Light> {
  if (!dueOn) return 'none';
  if (today > dueOn) return 'red';
  const left = await cal.countWorkingDays(today, dueOn, region);
  return left <= 2 ? 'yellow' : 'green';
}

export const LIGHT_NAMES: Record<Light, string> = { green: '正常', yellow: '即将到期', red: '已超期', none: '未计时' };
