// `npm run cli -- <command> [args]`: operator commands against the configured database.
import path from 'node:path';
import { ConfigError, initSecretsFile, loadConfig, type Config } from './config.ts';
import type { DatabaseHandle } from './platform/db/database.ts';
import { migrate, pendingMigrations } from './platform/db/migrate.ts';
import { verifyAuditChain } from './platform/audit/audit.ts';
import { retryDeadEvent } from './platform/jobs/worker.ts';
import { createLogger } from './platform/logger.ts';
import { openPlatformDatabase, preparePlatform } from './server.ts';
import { StaffService, accountMigrationCommands } from './modules/identity/index.ts';
import { calendarCommands } from './platform/calendar/cli.ts';
import { sealCommands } from './modules/seals/index.ts';
import { licenceCommands } from './modules/licences/index.ts';

export interface CliContext {
  config: Config;
  /** Opens the database on first use, with migrations applied unless the command says not to. */
  database(): Promise<DatabaseHandle>;
  out(line: string): void;
}

export interface Command {
  usage: string;
  summary: string;
  /** false: database() opens without migrating (db:migrate reports what it applies itself). */
  migrate?: boolean;
  run(args: string[], ctx: CliContext): Promise<number>;
}

/** Commands that run before (and without) the configuration: setting it up is their job. */
interface SetupCommand {
  usage: string;
  summary: string;
  run(args: string[], env: NodeJS.ProcessEnv, out: (line: string) => void): Promise<number>;
}

const setupCommands: Record<string, SetupCommand> = {
  'secrets:init': {
    usage: 'secrets:init',
    summary: '在 DATA_DIR 下生成 secrets.json（0600，已存在则不改动），生产环境可据此启动',
    async run(_args, env, out) {
      const { file, created } = initSecretsFile(path.resolve(env.DATA_DIR || './data'));
      if (created) {
        out(`已生成密钥文件 ${file}（权限 0600）。请备份到安全位置：丢失 DATA_ENCRYPTION_KEY 将无法解密已加密的数据。`);
        out('同名环境变量（SESSION_SECRET、DATA_ENCRYPTION_KEY、BLIND_INDEX_KEY）优先于此文件。');
      } else {
        out(`密钥文件 ${file} 已存在，未改动。`);
      }
      return 0;
    },
  },
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

class UsageError extends Error {}

const commands: Record<string, Command> = {
  'db:migrate': {
    usage: 'db:migrate',
    summary: '执行待执行的数据库迁移',
    migrate: false,
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
  'client:list': {
    usage: 'client:list',
    summary: '列出接入系统（编号、名称、区划、权限范围、状态）',
    async run(_args, ctx) {
      const { db } = await ctx.database();
      const clients = await new StaffService(db).listClients();
      if (clients.length === 0) ctx.out('尚无接入系统');
      for (const c of clients) {
        const state = c.revokedAt ? `已停用 ${c.revokedAt.toISOString()}` : '有效';
        ctx.out(`${c.id}  ${c.name}  ${c.regionCode}  ${c.scopes.join(',')}  ${state}`);
      }
      return 0;
    },
  },
  'client:revoke': {
    usage: 'client:revoke <接入系统编号>',
    summary: '停用接入系统，其访问令牌立即失效',
    async run(args, ctx) {
      const [id] = args;
      if (!id || !UUID.test(id)) throw new UsageError();
      const { db } = await ctx.database();
      const done = await new StaffService(db).revokeClient(id, { kind: 'system', id: 'cli' });
      ctx.out(done ? `接入系统 ${id} 已停用` : `接入系统 ${id} 不存在或已停用`);
      return done ? 0 : 1;
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
  ...accountMigrationCommands,
  ...sealCommands,
  ...licenceCommands,
};

function help(out: (l: string) => void): void {
  out('用法: npm run cli -- <命令> [参数]\n');
  for (const c of [...Object.values(setupCommands), ...Object.values(commands)]) out(`  ${c.usage.padEnd(48)} ${c.summary}`);
}

export async function runCli(argv: string[], env: NodeJS.ProcessEnv = process.env, out: (l: string) => void = console.log): Promise<number> {
  const [name, ...args] = argv;
  const setup = name && Object.hasOwn(setupCommands, name) ? setupCommands[name] : undefined;
  if (setup) return setup.run(args, env, out);
  const command = name && Object.hasOwn(commands, name) ? commands[name] : undefined;
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
        if (command.migrate !== false) await migrate(handle.db);
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
