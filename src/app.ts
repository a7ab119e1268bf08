// Builds the Fastify app from the platform mechanisms and the capability modules. The
// server (main.ts) and the tests use this same factory.
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { Db } from './platform/db/database.ts';
import { access, type AccessRule } from './platform/http/access.ts';
import { installAuth } from './platform/http/auth.ts';
import { AppError } from './platform/http/errors.ts';
import { createMetrics, installHealthRoutes, type Metrics } from './platform/http/health.ts';
import { installProblemHandlers } from './platform/http/problem.ts';
import type { AppContext, PlatformModule } from './platform/module.ts';
import { ASSETS_DIR, createRenderer } from './platform/web/render.ts';
import { modules } from './modules.ts';
import { identityResolvers } from './modules/identity/index.ts';

export interface BuildOptions {
  config: Config;
  db: Db;
  logger: Logger;
  /** Defaults to every capability module; tests may pass extra ones. */
  modules?: PlatformModule[];
}

export interface RouteInfo {
  method: string;
  url: string;
  access: AccessRule | undefined;
}

export interface App {
  app: FastifyInstance;
  ctx: AppContext;
  metrics: Metrics;
  /** Every route registered, with its declared access rule (see access-coverage test). */
  routes: RouteInfo[];
}

export async function buildApp(options: BuildOptions): Promise<App> {
  const { config, db, logger } = options;
  const app: FastifyInstance = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    genReqId: (req) => (req.headers['x-request-id'] as string | undefined)?.slice(0, 64) || crypto.randomUUID(),
    trustProxy: config.env === 'production',
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
  });

  const render = createRenderer(config);
  const metrics = createMetrics();
  const ctx: AppContext = { config, db, log: logger, render };
  const routes: RouteInfo[] = [];

  app.addHook('onRoute', (route) => {
    // Routes added by the API reference plugin serve static documentation.
    if (!route.config?.access && (route.url.startsWith('/docs') || route.url.startsWith('/assets'))) {
      route.config = { ...route.config, access: access.public() };
    }
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) routes.push({ method, url: route.url, access: route.config?.access });
  });

  await app.register(cookie);
  await app.register(formbody);
  await app.register(rateLimit, {
    max: config.rateLimitPerMinute,
    timeWindow: '1 minute',
    errorResponseBuilder: () => new AppError('RATE_LIMITED'),
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'yiwang 一网通办 API', version: '0.1.0', description: '一体化在线政务服务平台开放接口。错误以 application/problem+json 返回，code 字段为稳定错误码。' },
      servers: [{ url: config.publicUrl }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list' } });
  await app.register(fastifyStatic, { root: ASSETS_DIR, prefix: '/assets/', maxAge: config.env === 'production' ? '1d' : 0 });

  // Echo the request id so a citizen's screenshot or an integrator's log line finds the server log.
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  installProblemHandlers(app, (req, reply, problem) => render.errorPage(req, reply, problem));
  installAuth(app, { db, sessionSecret: config.secrets.sessionSecret, cookieSecure: config.cookieSecure, resolvers: identityResolvers });
  installHealthRoutes(app, db, metrics);

  app.get('/openapi.json', { config: { access: access.public() }, schema: { hide: true } }, async () => app.swagger());

  for (const mod of options.modules ?? modules) {
    await mod.routes?.(app, ctx);
  }

  await app.ready();
  const undeclared = routes.filter((r) => !r.access);
  if (undeclared.length > 0) {
    await app.close();
    throw new Error(`routes without an access rule: ${undeclared.map((r) => `${r.method} ${r.url}`).join(', ')}`);
  }
  return { app, ctx, metrics, routes };
}
