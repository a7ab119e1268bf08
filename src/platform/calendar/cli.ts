// Calendar commands for the operator CLI. Each makes sure the bundled schedules are loaded
// first (idempotent, as at start-up), so they work on a database the server never opened.
import { readFile } from 'node:fs/promises';
import type { CliContext, Command } from '../../cli.ts';
import { isAppError } from '../http/errors.ts';
import { CalendarService, coverageWarning } from './calendar.ts';
import { WEEKDAY_NAMES } from './dates.ts';

const CLI_ACTOR = { kind: 'system' as const, id: 'cli' };

async function service(ctx: CliContext): Promise<CalendarService> {
  const { db } = await ctx.database();
  const calendar = new CalendarService(db);
  await calendar.syncPackageSchedules(CLI_ACTOR);
  return calendar;
}

/** Usage problems and AppErrors become one Chinese line and an exit code, not a stack trace. */
function command(usage: string, summary: string, minArgs: number, run: (args: string[], ctx: CliContext) => Promise<number>): Command {
  return {
    usage,
    summary,
    async run(args, ctx) {
      if (args.length < minArgs) {
        ctx.out(`用法: npm run cli -- ${usage}`);
        return 2;
      }
      try {
        return await run(args, ctx);
      } catch (err) {
        if (!isAppError(err)) throw err;
        ctx.out(`错误 ${err.code}: ${err.message}${err.detail ? `（${err.detail}）` : ''}`);
        for (const e of err.errors ?? []) ctx.out(`  ${e.field}: ${e.message}`);
        return 1;
      }
    },
  };
}

export const calendarCommands: Record<string, Command> = {
  'calendar:add-workdays': command('calendar:add-workdays <YYYY-MM-DD> <工作日数> [区划代码]', '打印起始日之后第 N 个工作日的日期（起始日不计）', 2, async ([from, n, region], ctx) => {
    if (!/^\d{1,5}$/.test(n!)) {
      ctx.out('工作日数应为非负整数');
      return 2;
    }
    ctx.out(await (await service(ctx)).addWorkingDays(from!, Number(n), region ?? ''));
    return 0;
  }),
  'calendar:between': command('calendar:between <起始日> <截止日> [区划代码]', '打印起始日之后（不含）至截止日（含）的工作日数', 2, async ([from, to, region], ctx) => {
    ctx.out(String(await (await service(ctx)).countWorkingDays(from!, to!, region ?? '')));
    return 0;
  }),
  'calendar:is-workday': command('calendar:is-workday <YYYY-MM-DD> [区划代码]', '说明某日是否为工作日及其依据', 1, async ([date, region], ctx) => {
    const day = await (await service(ctx)).day(date!, region ?? '');
    ctx.out(`${day.date} ${WEEKDAY_NAMES[day.weekday]} ${day.workingDay ? '工作日' : '休息日'}：${day.description}`);
    return 0;
  }),
  'calendar:years': command('calendar:years', '列出已加载节假日安排的年度及出处', 0, async (_args, ctx) => {
    const years = await (await service(ctx)).years();
    for (const y of years) ctx.out(`${y.year}  ${y.source}  ${y.loadedAt}`);
    const warning = coverageWarning(years.map((y) => y.year));
    if (warning) ctx.out(`注意：${warning}`);
    return 0;
  }),
  'calendar:load-year': command('calendar:load-year <安排.json>', '加载或替换某年度的节假日安排（格式见 docs/calendar.md）', 1, async ([file], ctx) => {
    let input: unknown;
    try {
      input = JSON.parse(await readFile(file!, 'utf8'));
    } catch (err) {
      ctx.out(`无法读取 ${file}: ${err instanceof Error ? err.message : String(err)}`);
      return 1;
    }
    const loaded = await (await service(ctx)).loadYear(input, CLI_ACTOR);
    ctx.out(`已加载 ${loaded.year} 年节假日安排：放假 ${loaded.holidays} 天，调休上班 ${loaded.workdays} 天；出处 ${loaded.source}`);
    return 0;
  }),
  'calendar:override': command('calendar:override <YYYY-MM-DD> holiday|workday <原因> [区划代码]', '新增本地日历调整（不填区划则适用全节点）', 3, async ([date, kind, reason, region], ctx) => {
    if (kind !== 'holiday' && kind !== 'workday') {
      ctx.out('第二个参数应为 holiday（本地休息）或 workday（本地工作日）');
      return 2;
    }
    const o = await (await service(ctx)).addOverride({ date: date!, kind, reason: reason!, regionCode: region ?? '' }, CLI_ACTOR);
    ctx.out(`已新增日历调整 ${o.id}：${o.date} ${o.regionCode || '全节点'} ${o.kind === 'holiday' ? '休息' : '工作'}（${o.reason}）`);
    return 0;
  }),
  'calendar:overrides': command('calendar:overrides [起始日] [截止日]', '列出本地日历调整', 0, async ([from, to], ctx) => {
    const list = await (await service(ctx)).overrides({ from, to });
    for (const o of list) ctx.out(`${o.id}  ${o.date}  ${o.regionCode || '全节点'}  ${o.kind === 'holiday' ? '休息' : '工作'}  ${o.reason}`);
    if (list.length === 0) ctx.out('没有本地日历调整');
    return 0;
  }),
  'calendar:override-remove': command('calendar:override-remove <编号>', '删除本地日历调整', 1, async ([id], ctx) => {
    const o = await (await service(ctx)).removeOverride(Number(id), CLI_ACTOR);
    ctx.out(`已删除日历调整 ${o.id}：${o.date} ${o.regionCode || '全节点'}`);
    return 0;
  }),
};
