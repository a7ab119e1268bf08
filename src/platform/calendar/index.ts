// Public face of the working-day calendar: what modules, the CLI and start-up may use.
import type { PlatformModule } from '../module.ts';
import { CalendarService } from './calendar.ts';
import { calendarRoutes } from './routes.ts';

export { CalendarService, coverageWarning, REFRESH_MS, type OverrideInput, type SyncResult, type YearSummary, type LoadedYear } from './calendar.ts';
export { Calendar, MAX_WORKING_DAYS, type DayInfo, type DayKind, type Override, type OfficialDay } from './rules.ts';
export { packageSchedules, validateSchedule, type Schedule } from './schedule.ts';

export const calendarModule: PlatformModule = {
  name: 'calendar',
  routes(app, ctx) {
    calendarRoutes(app, ctx, new CalendarService(ctx.db));
  },
};
