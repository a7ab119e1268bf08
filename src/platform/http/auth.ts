// Resolves who is calling (session cookie or bearer token), enforces each route's declared
// AccessRule, and checks CSRF tokens on every state-changing request made by a browser.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/database.ts';
import { hmacSm3 } from '../crypto/sm3.ts';
import { checkAccess, type AccessRule, type Actor } from './access.ts';
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
export const CSRF_COOKIE = 'yw_csrf';

function bearerToken(req: FastifyRequest): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  return m ? m[1]! : null;
}

export function installAuth(app: FastifyInstance, options: AuthOptions): void {
  const { db, sessionSecret, resolvers } = options;
  const cookieName = sessionCookieName(options.cookieSecure);
  const csrfFor = (binding: string) => hmacSm3(sessionSecret, `csrf|${binding}`).toString('base64url');

  app.decorateRequest('actor', null as never);
  app.decorateRequest('session', null);
  app.decorateRequest('csrfToken', function (this: FastifyRequest, reply: FastifyReply) {
    return csrfFor(csrfBinding(this, reply));
  });

  // The anonymous binding lives in its own cookie, created the first time a form needs it.
  function csrfBinding(req: FastifyRequest, reply: FastifyReply): string {
    if (req.session) return req.session.id;
    let value = req.cookies[CSRF_COOKIE];
    if (!value) {
      value = randomBytes(18).toString('base64url');
      req.cookies[CSRF_COOKIE] = value;
      reply.setCookie(CSRF_COOKIE, value, { path: '/', httpOnly: true, sameSite: 'lax', secure: options.cookieSecure });
    }
    return value;
  }

  app.addHook('onRequest', async (req, reply) => {
    req.actor = { kind: 'anonymous' };
    const bearer = bearerToken(req);
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
      reply.clearCookie(cookieName, { path: '/' });
      return;
    }
    const actor = await resolvers.fromSession(db, session);
    if (!actor) return;
    req.session = session;
    req.actor = actor;
  });

  app.addHook('preValidation', async (req) => {
    const config = req.routeOptions.config;
    if (!SAFE_METHODS.has(req.method) && req.actor.kind !== 'client' && config.csrf !== false) {
      const body = req.body as Record<string, unknown> | undefined;
      const sent = (req.headers['x-csrf-token'] as string | undefined) ?? (typeof body?._csrf === 'string' ? body._csrf : undefined);
      const binding = req.session ? req.session.id : req.cookies[CSRF_COOKIE];
      const expected = binding ? Buffer.from(csrfFor(binding)) : null;
      if (!sent || !expected || sent.length !== expected.length || !timingSafeEqual(Buffer.from(sent), expected)) {
        throw new AppError('CSRF_INVALID');
      }
      if (body && '_csrf' in body) delete body._csrf;
    }
    // Routes without a rule never reach here (app.ts refuses to start), except Fastify's 404.
    if (config.access) checkAccess(config.access, req.actor, req);
  });
}

export function setSessionCookie(reply: FastifyReply, secure: boolean, token: string): void {
  reply.setCookie(sessionCookieName(secure), token, { path: '/', httpOnly: true, sameSite: 'lax', secure });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(sessionCookieName(secure), { path: '/' });
}
