// Liveness, readiness and Prometheus metrics for operations (运维监控).
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { ping, type Db } from '../db/database.ts';
import { pendingMigrations } from '../db/migrate.ts';
import { access } from './access.ts';
import { AppError, isDatabaseUnavailable } from './errors.ts';

export interface Metrics {
  registry: Registry;
  outboxDelivered: Counter<'topic'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'yiwang_' });
  return {
    registry,
    outboxDelivered: new Counter({ name: 'yiwang_outbox_delivered_total', help: 'Outbox events delivered', labelNames: ['topic'], registers: [registry] }),
  };
}

export function installHealthRoutes(app: FastifyInstance, db: Db, metrics: Metrics): void {
  const duration = new Histogram({
    name: 'yiwang_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [metrics.registry],
  });
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    duration.observe({ method: req.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  const ok = Type.Object({ status: Type.String() });
  app.get('/healthz', { config: { access: access.public() }, schema: { tags: ['operations'], summary: '存活检查', response: { 200: ok } } }, async () => ({ status: 'ok' }));

  app.get(
    '/readyz',
    { config: { access: access.public() }, schema: { tags: ['operations'], summary: '就绪检查：数据库可达且迁移为最新', response: { 200: ok } } },
    async () => {
      try {
        await ping(db);
        const pending = await pendingMigrations(db);
        if (pending.length > 0) throw new AppError('DATABASE_UNAVAILABLE', { detail: `待执行迁移: ${pending.join(', ')}` });
      } catch (err) {
        if (err instanceof AppError) throw err;
        if (isDatabaseUnavailable(err)) throw new AppError('DATABASE_UNAVAILABLE', { cause: err });
        throw new AppError('DATABASE_UNAVAILABLE', { detail: err instanceof Error ? err.message : String(err), cause: err });
      }
      return { status: 'ready' };
    },
  );

  app.get(
    '/metrics',
    { config: { access: access.anyOf(access.client('operations:metrics'), access.staff(['platform_admin'])) }, schema: { tags: ['operations'], summary: 'Prometheus 指标', hide: true } },
    async (_req, reply) => {
      reply.type(metrics.registry.contentType);
      return metrics.registry.metrics();
    },
  );
}
