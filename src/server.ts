// Start-up in order: database → migrations → reference data → bootstrap admin → demo data
// → HTTP server → outbox worker; and an orderly shutdown that loses nothing committed.
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import { openDatabase, ping, type DatabaseHandle } from './platform/db/database.ts';
import { migrate } from './platform/db/migrate.ts';
import { OutboxWorker } from './platform/jobs/worker.ts';
import { buildApp, type App } from './app.ts';
import { modules } from './modules.ts';
import { CalendarService } from './platform/calendar/index.ts';
import { RegionService } from './modules/regions/index.ts';
import { StaffService } from './modules/identity/index.ts';
import { loadDemoData } from '../demo/load.ts';

export interface Platform extends App {
  database: DatabaseHandle;
  worker: OutboxWorker | null;
  close(): Promise<void>;
}

export class StartupError extends Error {}

/** The province whose towns and villages are loaded: the node's own (none on the national node). */
export function detailProvinces(config: Config): string[] {
  return config.nodeRole === 'national' ? [] : [config.nodeRegionCode.slice(0, 2)];
}

export async function openPlatformDatabase(config: Config, log: Logger): Promise<DatabaseHandle> {
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.dbPoolSize,
    onPoolError: (err) => log.warn({ err: err.message }, 'database connection lost'),
  });
  try {
    await ping(database.db);
  } catch (err) {
    await database.close().catch(() => undefined);
    throw new StartupError(`无法连接数据库 ${database.location}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return database;
}

/** Everything before serving: schema, reference data, first administrator, demo data. */
export async function preparePlatform(config: Config, database: DatabaseHandle, log: Logger): Promise<void> {
  const applied = await migrate(database.db);
  if (applied.length) log.info({ applied }, 'migrations applied');
  const system = { kind: 'system' as const, id: 'startup' };
  const holidays = await new CalendarService(database.db).syncPackageSchedules(system);
  if (holidays.loaded.length) log.info({ years: holidays.loaded, source: holidays.source }, 'holiday schedules loaded');
  if (holidays.warning) log.warn({ calendar: true }, holidays.warning);
  const regions = await new RegionService(database.db).ensureDataset(detailProvinces(config), system);
  if (regions.loaded) log.info({ regions: regions.regions }, 'region data loaded');
  const admin = await new StaffService(database.db).bootstrapAdmin(config.nodeRegionCode);
  if (admin) {
    // Printed once: the hash is all that is stored, and the password must be changed at first login.
    log.warn({ loginName: admin.loginName, oneTimePassword: admin.password }, '已创建初始平台管理员，请使用此一次性密码登录并立即修改（仅显示这一次）');
  }
  if (config.demoData) {
    const demo = await loadDemoData(database.db, config);
    if (demo.loaded) log.info(demo, 'demo data loaded');
  }
}

export async function startPlatform(config: Config, log: Logger, options: { listen?: boolean } = {}): Promise<Platform> {
  const database = await openPlatformDatabase(config, log);
  await preparePlatform(config, database, log);
  const built = await buildApp({ config, db: database.db, logger: log });

  let worker: OutboxWorker | null = null;
  if (config.workerEnabled) {
    worker = new OutboxWorker(database.db, { log, onDelivered: (e) => built.metrics.outboxDelivered.inc({ topic: e.topic }) });
    for (const mod of modules) for (const h of mod.handlers?.(built.ctx) ?? []) worker.register(h);
    worker.start();
  }
  if (options.listen !== false) {
    await built.app.listen({ port: config.port, host: config.host });
  }

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      // Fastify stops accepting, answers 503 to new requests and waits for in-flight ones.
      await built.app.close();
      await worker?.stop();
      await database.close();
    })());
  return { ...built, database, worker, close };
}
