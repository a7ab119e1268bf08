// Builds the Fastify app from the platform mechanisms and the capability modules. The
// server (main.ts) and the tests use this same factory.
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RouteOptions } from 'fastify';
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
import { installSecurityHeaders } from './platform/http/security-headers.ts';
import type { AppContext, ExternalServices, PlatformModule } from './platform/module.ts';
import { ASSETS_DIR, createRenderer } from './platform/web/render.ts';
import { modules } from './modules.ts';
import { identityResolvers, unavailableVerifiers } from './modules/identity/index.ts';

export interface BuildOptions {
  config: Config;
  db: Db;
  logger: Logger;
  /** Defaults to every capability module; tests may pass extra ones. */
  modules?: PlatformModule[];
  /** Adapters to outside systems; by default none is configured and each check is an outage. */
  external?: ExternalServices;
  /** Runs when the app closes, after the requests in flight (e.g. stopping embedded simulators). */
  onClose?: () => Promise<void>;
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
  /** From now on, answer new requests 503 SHUTTING_DOWN (called just before app.close()). */
  beginClosing(): void;
}

/** An incoming x-request-id is kept only if it is a short plain token (it reaches logs and headers). */
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export function requestId(header: unknown): string {
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : crypto.randomUUID();
}

/**
 * Fastify's own hop count trusts nothing (it cannot tell the proxy from a direct client), so a
 * count is passed as a function with the usual meaning: the nearest `hops` peers are proxies.
 */
function proxyTrust(setting: Config['trustProxy']): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof setting !== 'number') return setting;
  return (_address, hop) => hop < setting;
}

export async function buildApp(options: BuildOptions): Promise<App> {
  const { config, db, logger } = options;
  const app: FastifyInstance = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    genReqId: (req) => requestId(req.headers['x-request-id']),
    trustProxy: proxyTrust(config.trustProxy),
    bodyLimit: 1024 * 1024,
    // Our own onRequest hook answers with a problem+json SHUTTING_DOWN instead.
    return503OnClosing: false,
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
  });

  const render = createRenderer(config);
  const metrics = createMetrics();
  const ctx: AppContext = { config, db, log: logger, render, external: options.external ?? { identity: unavailableVerifiers() } };
  // The route options objects themselves: access rules are read after app.ready(), so a
  // hook that fills them in (the documentation scope below) may run before or after this one.
  const registered: RouteOptions[] = [];
  app.addHook('onRoute', (route) => {
    registered.push(route);
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

  // Echo the request id so a citizen's screenshot or an integrator's log line finds the server log.
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  // Set just before app.close(): Fastify finishes the requests in flight, new ones are told to retry.
  let closing = false;
  app.addHook('onRequest', async () => {
    if (closing) throw new AppError('SHUTTING_DOWN');
  });
  installProblemHandlers(app, (req, reply, problem) => render.errorPage(req, reply, problem));
  installSecurityHeaders(app, { https: config.publicUrl.startsWith('https:') });
  installAuth(app, { db, sessionSecret: config.secrets.sessionSecret, cookieSecure: config.cookieSecure, resolvers: identityResolvers(ctx) });
  installHealthRoutes(app, db, metrics);

  // The API reference and the static assets are public, and only they: their plugins'
  // routes get the rule in a scope of their own, so no URL prefix grants access elsewhere.
  // Registered after the hooks above, so those apply to these routes too.
  await app.register(async (scope) => {
    scope.addHook('onRoute', (route) => {
      route.config ??= {};
      route.config.access ??= access.public();
    });
    await scope.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list' } });
    await scope.register(fastifyStatic, { root: ASSETS_DIR, prefix: '/assets/', maxAge: config.env === 'production' ? '1d' : 0 });
  });

  app.get('/openapi.json', { config: { access: access.public() }, schema: { hide: true } }, async () => app.swagger());

  for (const mod of options.modules ?? modules) {
    await mod.routes?.(app, ctx);
  }
  if (options.onClose) {
    const onClose = options.onClose;
    app.addHook('onClose', async () => onClose());
  }

  await app.ready();
  const routes: RouteInfo[] = registered.flatMap((route) =>
    (Array.isArray(route.method) ? route.method : [route.method]).map((method) => ({ method, url: route.url, access: route.config?.access })),
  );
  const undeclared = routes.filter((r) => !r.access);
  if (undeclared.length > 0) {
    await app.close();
    throw new Error(`routes without an access rule: ${undeclared.map((r) => `${r.method} ${r.url}`).join(', ')}`);
  }
  return {
    app,
    ctx,
    metrics,
    routes,
    beginClosing() {
      closing = true;
    },
  };
}
