// `npm run cli -- <command> [args]`: operator commands against the configured database.
import { ConfigError, loadConfig, type Config } from './config.ts';
import type { DatabaseHandle } from './platform/db/database.ts';
import { migrate, pendingMigrations } from './platform/db/migrate.ts';
import { verifyAuditChain } from './platform/audit/audit.ts';
import { retryDeadEvent } from './platform/jobs/worker.ts';
import { createLogger } from './platform/logger.ts';
import { openPlatformDatabase, preparePlatform } from './server.ts';
import { StaffService } from './modules/identity/index.ts';
import { calendarCommands } from './platform/calendar/cli.ts';

export interface CliContext {
  config: Config;
  /** Opens the database (with migrations applied) on first use. */
  database(): Promise<DatabaseHandle>;
  out(line: string): void;
}

export interface Command {
  usage: string;
  summary: string;
  run(args: string[], ctx: CliContext): Promise<number>;
}

class UsageError extends Error {}

const commands: Record<string, Command> = {
  'db:migrate': {
    usage: 'db:migrate',
    summary: '执行待执行的数据库迁移',
    async run(_args, ctx) {
      const { db } = await ctx.database();
      const pending = await pendingMigrations(db);
      const applied = await migrate(db);
      ctx.out(applied.length ? `已执行迁移: ${applied.join(', ')}` : `数据库已是最新（${pending.length} 个待执行）`);
      return 0;
    },
  },
  'db:prepare': {
    usage: 'db:prepare',
    summary: '迁移并载入区划参考数据、初始管理员和（非生产环境）演示数据，不启动服务',
    async run(_args, ctx) {
      const handle = await ctx.database();
      await preparePlatform(ctx.config, handle, createLogger(ctx.config.logLevel));
      ctx.out('数据库已就绪');
      return 0;
    },
  },
  'audit:verify': {
    usage: 'audit:verify',
    summary: '校验审计日志哈希链，报告第一处断裂',
    async run(_args, ctx) {
      const { db } = await ctx.database();
      const report = await verifyAuditChain(db);
      if (report.ok) {
        ctx.out(`审计链完整：${report.records} 条记录，链头 ${report.lastHash}`);
        return 0;
      }
      ctx.out(`审计链断裂：已验证 ${report.records} 条；断点记录 ${report.brokenAt ?? '-'}；${report.reason}`);
      return 1;
    },
  },
  'client:create': {
    usage: 'client:create <名称> <区划代码> <scope>[,<scope>…]',
    summary: '登记接入系统并打印其访问令牌（只显示一次）',
    async run(args, ctx) {
      const [name, region, scopes] = args;
      if (!name || !region || !scopes || !/^\d{6}$/.test(region)) throw new UsageError();
      const { db } = await ctx.database();
      const { id, token } = await new StaffService(db).createClient({ name, regionCode: region, scopes: scopes.split(',') }, { kind: 'system', id: 'cli' });
      ctx.out(`接入系统 ${id}\n访问令牌（仅显示一次）: ${token}`);
      return 0;
    },
  },
  'outbox:retry': {
    usage: 'outbox:retry <事件编号>',
    summary: '把死信事件重新放回投递队列',
    async run(args, ctx) {
      const id = Number(args[0]);
      if (!Number.isInteger(id) || id <= 0) throw new UsageError();
      const { db } = await ctx.database();
      const done = await retryDeadEvent(db, id);
      ctx.out(done ? `事件 ${id} 已重新排队` : `事件 ${id} 不存在或不在死信状态`);
      return done ? 0 : 1;
    },
  },
  ...calendarCommands,
};

function help(out: (l: string) => void): void {
  out('用法: npm run cli -- <命令> [参数]\n');
  for (const c of Object.values(commands)) out(`  ${c.usage.padEnd(48)} ${c.summary}`);
}

export async function runCli(argv: string[], env: NodeJS.ProcessEnv = process.env, out: (l: string) => void = console.log): Promise<number> {
  const [name, ...args] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    help(out);
    return name && name !== 'help' ? 2 : 0;
  }
  const config = loadConfig(env);
  let handle: DatabaseHandle | null = null;
  const ctx: CliContext = {
    config,
    out,
    async database() {
      if (!handle) {
        handle = await openPlatformDatabase(config, createLogger('warn'));
        await migrate(handle.db);
      }
      return handle;
    },
  };
  try {
    return await command.run(args, ctx);
  } catch (err) {
    if (err instanceof UsageError) {
      out(`用法: npm run cli -- ${command.usage}`);
      return 2;
    }
    throw err;
  } finally {
    await (handle as DatabaseHandle | null)?.close();
  }
}

if (import.meta.main) {
  try {
    process.exitCode = await runCli(process.argv.slice(2));
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : err instanceof Error ? err.message : String(err));
    process.exitCode = err instanceof ConfigError ? 2 : 1;
  }
}
