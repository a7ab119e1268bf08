// HTTP of federation: the sign-in with a peer node (start, callback, confirm or create) and the
// signed endpoint where other nodes push registrations.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { access } from '../../platform/http/access.ts';
import { authCookieOptions, setSessionCookie } from '../../platform/http/auth.ts';
import { AppError, isAppError, type FieldError } from '../../platform/http/errors.ts';
import { safeLocalPath } from '../../platform/web/redirect.ts';
import type { AppContext } from '../../platform/module.ts';
import { citizenServiceFor, LEVEL_NAMES } from '../identity/index.ts';
import { CALLBACK_PATH, CREATE_LEVEL_CAP, LOGIN_TTL_MS, confirmLogin, handleHash, createAndLogin, finishCallback, pendingIdentity, startLogin } from './login.ts';
import { REGISTRATIONS_PATH, parseRegistration, receiveRegistration } from './push.ts';
import { signedEndpoint } from './signed-endpoint.ts';
import { maskIdNumber, maskName } from '../../platform/crypto/personal-data.ts';
import * as store from './store.ts';

const PAGES = 'modules/federation/pages';
const CRUMBS = [{ label: '首页', href: '/' }, { label: '登录', href: '/account/login' }];

export function federationCookieName(secure: boolean): string {
  return secure ? '__Host-yw_fed' : 'yw_fed';
}

function meta(req: FastifyRequest) {
  return { ip: req.ip, userAgent: req.headers['user-agent'], requestId: req.id };
}

export function loginRoutes(app: FastifyInstance, ctx: AppContext): void {
  const secure = ctx.config.cookieSecure;
  const cookie = federationCookieName(secure);
  const handleOf = (req: FastifyRequest) => {
    const h = req.cookies[cookie];
    if (!h) throw new AppError('FEDERATION_LOGIN_EXPIRED');
    return h;
  };
  const finish = (reply: FastifyReply, token: string, next: string) => {
    reply.clearCookie(cookie, authCookieOptions(secure));
    setSessionCookie(reply, secure, token);
    return reply.redirect(safeLocalPath(next, '/account'), 303);
  };
  const createPage = async (req: FastifyRequest, reply: FastifyReply, view: { errors?: FieldError[]; mobile?: string; message?: string }, status = 200) => {
    const { identity } = await pendingIdentity(ctx, ctx.db, handleOf(req));
    const level = Math.min(identity.assertedLevel, CREATE_LEVEL_CAP) as 1 | 2 | 3;
    return ctx.render.page(
      req,
      reply,
      `${PAGES}/create.eta`,
      { peerName: identity.peerName, name: maskName(identity.name), idNumber: maskIdNumber(identity.idNumber), levelName: LEVEL_NAMES[level], csrf: req.csrfToken(reply), errors: view.errors ?? [], mobile: view.mobile ?? '', message: view.message ?? '' },
      { title: '创建本平台账户', breadcrumbs: CRUMBS, status },
    );
  };

  app.get('/federation/login/:peerId', {
    config: { access: access.public() },
    schema: { hide: true, params: Type.Object({ peerId: Type.String({ maxLength: 64 }) }), querystring: Type.Object({ next: Type.Optional(Type.String({ maxLength: 512 })) }) },
    handler: async (req, reply) => {
      const { peerId } = req.params as { peerId: string };
      const { next } = req.query as { next?: string };
      const started = await startLogin(ctx, peerId, safeLocalPath(next, '/account'));
      reply.setCookie(cookie, started.handle, { ...authCookieOptions(secure), maxAge: LOGIN_TTL_MS / 1000 });
      return reply.redirect(started.url, 303);
    },
  });

  app.get(CALLBACK_PATH, {
    config: { access: access.public() },
    schema: { hide: true },
    handler: async (req, reply) => {
      await finishCallback(ctx, handleOf(req), new URL(req.url, ctx.config.publicUrl), meta(req));
      // A page of its own: reloading it never re-runs the single-use code exchange.
      return reply.redirect('/federation/confirm', 303);
    },
  });

  app.get('/federation/confirm', {
    config: { access: access.public() },
    schema: { hide: true },
    handler: async (req, reply) => {
      const { identity, local } = await pendingIdentity(ctx, ctx.db, handleOf(req));
      if (!local) return createPage(req, reply, {});
      const sessionLevel = Math.min(local.level, identity.assertedLevel) as 1 | 2 | 3 | 4 | 5;
      return ctx.render.page(
        req,
        reply,
        `${PAGES}/confirm.eta`,
        { peerName: identity.peerName, name: local.maskedName, idNumber: local.maskedIdNumber, levelName: LEVEL_NAMES[sessionLevel], csrf: req.csrfToken(reply) },
        { title: '确认登录', breadcrumbs: CRUMBS },
      );
    },
  });

  app.post('/federation/confirm', {
    config: { access: access.public() },
    schema: { hide: true, body: Type.Object({}) },
    handler: async (req, reply) => {
      const opened = await confirmLogin(ctx, handleOf(req), meta(req));
      return finish(reply, opened.token, opened.next);
    },
  });

  app.post('/federation/cancel', {
    config: { access: access.public() },
    schema: { hide: true, body: Type.Object({}) },
    handler: async (req, reply) => {
      const h = req.cookies[cookie];
      if (h) await store.deleteLogin(ctx.db, handleHash(h));
      reply.clearCookie(cookie, authCookieOptions(secure));
      return reply.redirect('/account/login', 303);
    },
  });

  app.post('/federation/code', {
    config: { access: access.public() },
    schema: { hide: true, body: Type.Object({ mobile: Type.String({ maxLength: 32 }) }) },
    handler: async (req, reply) => {
      const { mobile } = req.body as { mobile: string };
      handleOf(req);
      try {
        await citizenServiceFor(ctx).requestCode(mobile, 'register', meta(req));
        return createPage(req, reply, { mobile, message: '验证码已发送，5 分钟内有效。' });
      } catch (err) {
        if (isAppError(err) && err.status < 500) return createPage(req, reply, { mobile, errors: err.errors?.length ? err.errors : [{ field: 'mobile', message: err.message }] }, err.status);
        throw err;
      }
    },
  });

  app.post('/federation/create', {
    config: { access: access.public() },
    schema: { hide: true, body: Type.Object({ mobile: Type.String({ maxLength: 32 }), code: Type.String({ maxLength: 12 }) }) },
    handler: async (req, reply) => {
      const body = req.body as { mobile: string; code: string };
      try {
        const opened = await createAndLogin(ctx, handleOf(req), body, meta(req));
        return finish(reply, opened.token, opened.next);
      } catch (err) {
        if (isAppError(err) && err.status < 500 && err.code !== 'FEDERATION_LOGIN_EXPIRED') {
          return createPage(req, reply, { mobile: body.mobile, errors: err.errors?.length ? err.errors : [{ field: 'mobile', message: err.message }] }, err.status);
        }
        throw err;
      }
    },
  });
}

/** Registrations pushed by a trusted node (signed-endpoint.ts). */
export function apiRoutes(app: FastifyInstance, ctx: AppContext): void {
  signedEndpoint(app, ctx, { path: REGISTRATIONS_PATH, parse: parseRegistration, receive: async (tx, msg) => ({ duplicate: !(await receiveRegistration(tx, msg)) }) });
}
