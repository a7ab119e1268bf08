// Start-up in order: database → migrations → reference data → bootstrap admin → demo data
// → HTTP server → outbox worker and session purge; and an orderly shutdown that loses
// nothing committed.
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import { openDatabase, ping, type DatabaseHandle, type Db } from './platform/db/database.ts';
import type { AuditActor } from './platform/audit/audit.ts';
import { purgeExpiredSessions } from './platform/http/session.ts';
import { migrate } from './platform/db/migrate.ts';
import { OutboxWorker } from './platform/jobs/worker.ts';
import { buildApp, type App } from './app.ts';
import { openExternalServices, type ExternalHandle } from './external.ts';
import { modules } from './modules.ts';
import { CalendarService } from './platform/calendar/index.ts';
import { RegionService } from './modules/regions/index.ts';
import { StaffService } from './modules/identity/index.ts';
import { purgeExpiredPayloads } from './modules/sso/index.ts';
import { certificateAuthorityStep } from './modules/seals/index.ts';
import { licenceCatalogueStep, startPeerBundleSchedule, type PeerBundleSchedule } from './modules/licences/index.ts';
import { startCaseSchedules, type CaseSchedules } from './modules/cases/index.ts';
import { loadDemoData } from '../demo/load.ts';
import { loadDemoCatalog } from '../demo/load-catalog.ts';
import { loadDemoSeals } from '../demo/load-seals.ts';

export interface Platform extends App {
  database: DatabaseHandle;
  externals: ExternalHandle;
  worker: OutboxWorker | null;
  close(): Promise<void>;
}

export class StartupError extends Error {}

const SESSION_PURGE_MS = 10 * 60_000;

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

/** What a start-up step gets: the configuration and the database, shared by every node. */
export interface PrepareContext {
  config: Config;
  db: Db;
  log: Logger;
  actor: AuditActor;
}

export interface PrepareStep {
  name: string;
  /** Must be idempotent: it runs at every start, and must finish what an interrupted run began. */
  run(ctx: PrepareContext): Promise<void>;
}

// Reference data, then the first administrator, then demo data: add a step to this list.
// Steps run one node at a time (see preparePlatform), so each may check-then-create.
const PREPARE_STEPS: readonly PrepareStep[] = [
  {
    name: 'holiday schedules',
    async run({ db, log, actor }) {
      const holidays = await new CalendarService(db).syncPackageSchedules(actor);
      if (holidays.loaded.length) log.info({ years: holidays.loaded, source: holidays.source }, 'holiday schedules loaded');
      if (holidays.warning) log.warn({ calendar: true }, holidays.warning);
    },
  },
  {
    name: 'regions',
    async run({ config, db, log, actor }) {
      const regions = await new RegionService(db).ensureDataset(detailProvinces(config), actor);
      if (regions.loaded) log.info({ regions: regions.regions }, 'region data loaded');
    },
  },
  {
    name: 'bootstrap administrator',
    async run({ config, db, log }) {
      const admin = await new StaffService(db).bootstrapAdmin(config.nodeRegionCode);
      if (admin) {
        // Printed once: the hash is all that is stored, and the password must be changed at first login.
        log.warn({ loginName: admin.loginName, oneTimePassword: admin.password }, '已创建初始平台管理员，请使用此一次性密码登录并立即修改（仅显示这一次）');
      }
    },
  },
  certificateAuthorityStep,
  licenceCatalogueStep,
  {
    name: 'demo data',
    async run({ config, db, log }) {
      if (!config.demoData) return;
      const demo = await loadDemoData(db, config);
      if (demo.loaded) log.info(demo, 'demo data loaded');
    },
  },
  {
    name: 'demo seals',
    async run({ config, db, log }) {
      // With the demo catalogue only: the seals are for its licence-issuing items (tests build their own).
      if (!config.demoData || !config.demoCatalog || config.nodeRole === 'national') return;
      const seals = await loadDemoSeals(db, config);
      if (seals.issued) log.info(seals, 'demo seals issued for the departments that issue licences');
    },
  },
  {
    name: 'demo catalogue',
    async run({ config, db, log }) {
      if (!config.demoData || !config.demoCatalog || config.nodeRole === 'national') return;
      // Every entry goes through the catalogue's own lifecycle, so say why the first start pauses.
      log.info('loading the demo service catalogue (first start only, about 20 s)…');
      const catalog = await loadDemoCatalog(db, config.nodeRegionCode.slice(0, 2) + '0000');
      if (catalog.loaded) log.info(catalog, 'demo catalogue loaded');
    },
  },
];

// Not the migration lock (migrate.ts): "yiwp", for "prepare".
const PREPARE_LOCK_KEY = 0x7969_7770;

/**
 * Everything before serving: schema, reference data, first administrator, demo data. The
 * steps after the migrations run under an advisory lock, so nodes starting together on a
 * fresh database take turns instead of loading everything twice or colliding.
 */
export async function preparePlatform(config: Config, database: DatabaseHandle, log: Logger): Promise<void> {
  const applied = await migrate(database.db);
  if (applied.length) log.info({ applied }, 'migrations applied');
  const ctx: PrepareContext = { config, db: database.db, log, actor: { kind: 'system', id: 'startup' } };
  await database.exclusive(PREPARE_LOCK_KEY, async () => {
    for (const step of PREPARE_STEPS) await step.run(ctx);
  });
}

export interface StartOptions {
  listen?: boolean;
  /** How often expired sessions are deleted (default every 10 minutes). */
  purgeSessionsEveryMs?: number;
}

export async function startPlatform(config: Config, log: Logger, options: StartOptions = {}): Promise<Platform> {
  const database = await openPlatformDatabase(config, log);
  let built: App;
  let externals: ExternalHandle;
  try {
    await preparePlatform(config, database, log);
    externals = await openExternalServices(config);
    if (externals.simulators) log.warn({ simulators: externals.simulators.url }, '外部核验服务使用本地模拟器（VERIFIERS=embedded），仅供开发和演示');
  } catch (err) {
    await database.close().catch(() => undefined);
    throw err;
  }
  try {
    built = await buildApp({ config, db: database.db, logger: log, external: externals.external });
  } catch (err) {
    await externals.close().catch(() => undefined);
    await database.close().catch(() => undefined);
    throw err;
  }
  if (options.listen !== false) {
    try {
      await built.app.listen({ port: config.port, host: config.host });
    } catch (err) {
      await built.app.close().catch(() => undefined);
      await externals.close().catch(() => undefined);
      await database.close().catch(() => undefined);
      throw err;
    }
  }

  // Background work starts only once the node is serving.
  let worker: OutboxWorker | null = null;
  if (config.workerEnabled) {
    worker = new OutboxWorker(database.db, { log, onDelivered: (e) => built.metrics.outboxDelivered.inc({ topic: e.topic }) });
    for (const mod of modules) for (const h of mod.handlers?.(built.ctx) ?? []) worker.register(h);
    worker.start();
  }
  // 督办 of overdue cases and the sweep of uploads no case or draft refers to: both
  // idempotent, run by the nodes that do background work.
  const caseSchedules: CaseSchedules | null = config.workerEnabled ? startCaseSchedules(built.ctx) : null;
  // Peers' licence trust bundles (cross-region recognition), refreshed hourly.
  const peerBundleSchedule: PeerBundleSchedule | null = config.workerEnabled ? startPeerBundleSchedule(built.ctx) : null;
  // Idempotent, so every node may run it on its own timer.
  let purging: Promise<void> | null = null;
  const purgeTimer = setInterval(() => {
    purging ??= Promise.all([purgeExpiredSessions(database.db), purgeExpiredPayloads(database.db)])
      .then(
        ([n, tokens]) => void ((n > 0 || tokens > 0) && log.info({ sessions: n, ssoTokens: tokens }, 'expired sessions purged')),
        (err: unknown) => log.warn({ err }, 'purging expired sessions failed'),
      )
      .finally(() => (purging = null));
  }, options.purgeSessionsEveryMs ?? SESSION_PURGE_MS);
  purgeTimer.unref();

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      clearInterval(purgeTimer);
      await caseSchedules?.stop();
      await peerBundleSchedule?.stop();
      // New requests get 503 SHUTTING_DOWN; Fastify waits for the ones in flight.
      built.beginClosing();
      try {
        await built.app.close();
      } finally {
        try {
          await worker?.stop();
          await purging;
          await externals.close();
        } finally {
          await database.close();
        }
      }
    })());
  return { ...built, database, externals, worker, close };
}
