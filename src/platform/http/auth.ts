// Resolves who is calling (session cookie or bearer token), enforces each route's declared
// AccessRule, and checks CSRF tokens on every state-changing request made by a browser.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/database.ts';
import { hmacSm3 } from '../crypto/sm3.ts';
import { checkGrant, checkRegion, type AccessRule, type Actor } from './access.ts';
import { AppError } from './errors.ts';
import { touchSession, type SessionRecord } from './session.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: AccessRule;
    /** false only for endpoints authenticated by something other than cookies. */
    csrf?: boolean;
  }
  interface FastifyRequest {
    actor: Actor;
    session: SessionRecord | null;
    /** The CSRF token to put in this response's forms (`_csrf` field). */
    csrfToken(reply: FastifyReply): string;
    /**
     * Throws CSRF_INVALID unless `sent` is this caller's token. For routes with `csrf: false`
     * whose body is parsed after the usual check runs (multipart uploads).
     */
    assertCsrf(sent: unknown): void;
  }
}

export interface ActorResolvers {
  fromSession(db: Db, session: SessionRecord): Promise<Actor | null>;
  fromBearer(db: Db, token: string): Promise<Actor | null>;
}

export interface AuthOptions {
  db: Db;
  sessionSecret: Buffer;
  cookieSecure: boolean;
  resolvers: ActorResolvers;
}

export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function sessionCookieName(secure: boolean): string {
  // __Host- forbids Domain and requires Secure and Path=/, so no subdomain can plant it.
  return secure ? '__Host-yw_sid' : 'yw_sid';
}
/** The anonymous CSRF binding (before login), prefixed like the session cookie. */
export function csrfCookieName(secure: boolean): string {
  return secure ? '__Host-yw_csrf' : 'yw_csrf';
}

/**
 * The attributes of both auth cookies. Clearing must repeat them: a browser ignores a
 * Set-Cookie for a __Host- name that lacks Secure, so a bare clear would leave it in place.
 */
export function authCookieOptions(secure: boolean) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure };
}

/** Static files need no caller: skipping the lookup spares a database query per asset. */
const ASSET_PREFIX = '/assets/';

function bearerToken(req: FastifyRequest): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  return m ? m[1]! : null;
}

export function installAuth(app: FastifyInstance, options: AuthOptions): void {
  const { db, sessionSecret, resolvers } = options;
  const cookieName = sessionCookieName(options.cookieSecure);
  const csrfCookie = csrfCookieName(options.cookieSecure);
  const cookieOptions = authCookieOptions(options.cookieSecure);
  const csrfFor = (binding: string) => hmacSm3(sessionSecret, `csrf|${binding}`).toString('base64url');

  app.decorateRequest('actor', null as never);
  app.decorateRequest('session', null);
  app.decorateRequest('csrfToken', function (this: FastifyRequest, reply: FastifyReply) {
    return csrfFor(csrfBinding(this, reply));
  });
  app.decorateRequest('assertCsrf', function (this: FastifyRequest, sent: unknown) {
    assertCsrfMatches(this, typeof sent === 'string' ? sent : undefined);
  });

  function assertCsrfMatches(req: FastifyRequest, sent: string | undefined): void {
    const binding = req.session ? req.session.id : req.cookies[csrfCookie];
    const expected = binding ? Buffer.from(csrfFor(binding)) : null;
    // Compare bytes: a token with multi-byte characters has more bytes than characters.
    const given = sent === undefined ? null : Buffer.from(sent);
    if (!given || !expected || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new AppError('CSRF_INVALID');
    }
  }

  // The anonymous binding lives in its own cookie, created the first time a form needs it.
  function csrfBinding(req: FastifyRequest, reply: FastifyReply): string {
    if (req.session) return req.session.id;
    let value = req.cookies[csrfCookie];
    if (!value) {
      value = randomBytes(18).toString('base64url');
      req.cookies[csrfCookie] = value;
      reply.setCookie(csrfCookie, value, cookieOptions);
    }
    return value;
  }

  app.addHook('onRequest', async (req, reply) => {
    req.actor = { kind: 'anonymous' };
    if (req.url.startsWith(ASSET_PREFIX)) return;
    // The OIDC endpoints read their own access tokens (userinfo); ours are for API clients.
    const bearer = req.url.startsWith('/oidc/') ? null : bearerToken(req);
    if (bearer) {
      const actor = await resolvers.fromBearer(db, bearer);
      if (!actor) throw new AppError('INVALID_TOKEN');
      req.actor = actor;
      return;
    }
    const token = req.cookies[cookieName];
    if (!token) return;
    const session = await touchSession(db, token);
    if (!session) {
      reply.clearCookie(cookieName, cookieOptions);
      return;
    }
    const actor = await resolvers.fromSession(db, session);
    if (!actor) return;
    req.session = session;
    req.actor = actor;
  });

  // Before validation: who may call at all, and the CSRF token. The body is still raw here,
  // so nothing below may assume its shape.
  app.addHook('preValidation', async (req) => {
    // No route matched: the 404 handler answers, whatever the method.
    if (!req.routeOptions.url) return;
    const config = req.routeOptions.config;
    if (!SAFE_METHODS.has(req.method) && req.actor.kind !== 'client' && config.csrf !== false) {
      const body = req.body !== null && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : null;
      const header = req.headers['x-csrf-token'];
      const sent = typeof header === 'string' ? header : typeof body?._csrf === 'string' ? body._csrf : undefined;
      assertCsrfMatches(req, sent);
      if (body && '_csrf' in body) delete body._csrf;
    }
    // Every route has a rule (app.ts refuses to start otherwise).
    if (config.access) checkGrant(config.access, req.actor, req.method === 'GET' ? req.url : undefined);
  });

  // After validation: a region-scoped rule reads the request, which now matches its schema.
  app.addHook('preHandler', async (req) => {
    const rule = req.routeOptions.url ? req.routeOptions.config.access : undefined;
    if (rule) checkRegion(rule, req.actor, req);
  });
}

export function setSessionCookie(reply: FastifyReply, secure: boolean, token: string): void {
  reply.setCookie(sessionCookieName(secure), token, authCookieOptions(secure));
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(sessionCookieName(secure), authCookieOptions(secure));
}
