// Real-name upgrade (实名认证) and step-up (二次认证) pages. Every form returns to `next`
// once the level it was for is reached.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { Type } from '@fastify/type-provider-typebox';
import { access, type RealNameLevel } from '../../../platform/http/access.ts';
import { setSessionCookie } from '../../../platform/http/auth.ts';
import { AppError, type FieldError } from '../../../platform/http/errors.ts';
import type { AppContext } from '../../../platform/module.ts';
import { safeLocalPath } from '../../../platform/web/redirect.ts';
import { CitizenService } from './service.ts';
import { RealNameService, type UpgradeOutcome } from './realname.ts';
import { LEVEL_NAMES } from './levels.ts';
import * as store from './store.ts';
import { formErrors, requestMeta } from './routes.ts';
import { citizen, stepUpPageRenderer } from './step-up-page.ts';

const pages = 'modules/identity/people/pages';
const Next = Type.Optional(Type.String({ maxLength: 512 }));
const Level = Type.Integer({ minimum: 1, maximum: 5 });

export function realNameRoutes(app: FastifyInstance, ctx: AppContext, people: CitizenService): void {
  const { render, config } = ctx;
  const realName = new RealNameService(people);

  const realNamePage = async (req: FastifyRequest, reply: FastifyReply, view: { errors?: FieldError[]; message?: string; next?: string; welcome?: boolean }, status = 200) => {
    const { actor } = citizen(req);
    const claims = await people.claims(actor.kind === 'citizen' ? actor.accountId : '');
    const evidence = await store.listEvidence(people.db, claims!.accountId);
    return render.page(
      req,
      reply,
      `${pages}/realname.eta`,
      { errors: [], message: '', next: '', welcome: false, ...view, claims, evidence, levelNames: LEVEL_NAMES },
      { title: '实名认证', status, breadcrumbs: [{ href: '/account', label: '用户中心' }] },
    );
  };

  const stepUpPage = stepUpPageRenderer(render, people);

  /** A raised level: new session cookie, then back to where the person was going. */
  const done = (reply: FastifyReply, outcome: UpgradeOutcome, next: string | undefined, fallback: string) => {
    setSessionCookie(reply, config.cookieSecure, outcome.token);
    return reply.redirect(safeLocalPath(next, fallback), 303);
  };

  /** Runs an upgrade; a refused one re-renders `page` with the reason next to the right field. */
  const attempt = async (req: FastifyRequest, reply: FastifyReply, next: string | undefined, field: string, run: () => Promise<UpgradeOutcome>, page: (errors: FieldError[], status: number) => Promise<unknown>) => {
    try {
      return done(reply, await run(), next, '/account/realname');
    } catch (err) {
      const errors = formErrors(err, field);
      if (!errors) throw err;
      return page(errors, (err as AppError).status);
    }
  };

  app.get('/account/realname', {
    config: { access: access.citizen(1) },
    schema: { hide: true, querystring: Type.Object({ next: Next, welcome: Type.Optional(Type.String({ maxLength: 4 })) }) },
    handler: async (req, reply) => {
      const q = req.query as { next?: string; welcome?: string };
      return realNamePage(req, reply, { next: q.next ?? '', welcome: q.welcome === '1' });
    },
  });

  app.post('/account/realname/identity', {
    config: { access: access.citizen(1), rateLimit: { max: 10, timeWindow: '1 minute' } },
    schema: { hide: true, body: Type.Object({ name: Type.String({ maxLength: 40 }), idNumber: Type.String({ maxLength: 40 }), next: Next }) },
    handler: async (req, reply) => {
      const body = req.body as { name: string; idNumber: string; next?: string };
      const { actor, session } = citizen(req);
      return attempt(req, reply, body.next, 'idNumber', () => realName.verifyIdentity(actor, session, body, requestMeta(req)), (errors, status) => realNamePage(req, reply, { errors, next: body.next }, status));
    },
  });

  app.post('/account/realname/carrier', {
    config: { access: access.citizen(1), rateLimit: { max: 10, timeWindow: '1 minute' } },
    schema: { hide: true, body: Type.Object({ next: Next }) },
    handler: async (req, reply) => {
      const body = req.body as { next?: string };
      const { actor, session } = citizen(req);
      return attempt(req, reply, body.next, 'carrier', () => realName.verifyCarrier(actor, session, requestMeta(req)), (errors, status) => realNamePage(req, reply, { errors, next: body.next }, status));
    },
  });

  app.post('/account/realname/bank-card', {
    config: { access: access.citizen(1), rateLimit: { max: 10, timeWindow: '1 minute' } },
    schema: { hide: true, body: Type.Object({ cardNumber: Type.String({ maxLength: 40 }), mobile: Type.String({ maxLength: 20 }), next: Next, target: Type.Optional(Type.String({ maxLength: 1 })) }) },
    handler: async (req, reply) => {
      const body = req.body as { cardNumber: string; mobile: string; next?: string; target?: string };
      const { actor, session } = citizen(req);
      const back = (errors: FieldError[], status: number) =>
        body.target ? stepUpPage(req, reply, { target: Number(body.target) as RealNameLevel, next: body.next ?? '', errors }, status) : realNamePage(req, reply, { errors, next: body.next }, status);
      return attempt(req, reply, body.next, 'cardNumber', () => realName.verifyBankCard(actor, session, body, requestMeta(req)), back);
    },
  });

  // Face capture posts an image file: multipart only in this scope, fields as plain values.
  void app.register(async (scope) => {
    await scope.register(multipart, { attachFieldsToBody: 'keyValues', limits: { fileSize: 4 * 1024 * 1024, files: 1, fields: 5 } });

    scope.get('/account/realname/face', {
      config: { access: access.citizen(1) },
      schema: { hide: true, querystring: Type.Object({ next: Next }) },
      handler: async (req, reply) => {
        const { actor } = citizen(req);
        const next = (req.query as { next?: string }).next ?? '';
        try {
          const liveness = await realName.startFace(actor, requestMeta(req));
          return render.page(req, reply, `${pages}/face.eta`, { liveness, next, errors: [] }, { title: '人脸识别', breadcrumbs: [{ href: '/account/realname', label: '实名认证' }] });
        } catch (err) {
          const errors = formErrors(err, 'face');
          if (!errors) throw err;
          return realNamePage(req, reply, { errors, next }, (err as AppError).status);
        }
      },
    });

    scope.post('/account/realname/face', {
      // The multipart body is parsed after the global CSRF check, so the handler checks it.
      config: { access: access.citizen(1), csrf: false, rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: { hide: true },
      handler: async (req, reply) => {
        const body = (req.body ?? {}) as { livenessSessionId?: unknown; image?: unknown; next?: unknown; _csrf?: unknown };
        req.assertCsrf(body._csrf);
        const next = typeof body.next === 'string' ? body.next : '';
        const { actor, session } = citizen(req);
        if (typeof body.livenessSessionId !== 'string' || !Buffer.isBuffer(body.image) || body.image.length === 0) {
          return realNamePage(req, reply, { errors: [{ field: 'image', message: '请按提示完成动作后拍摄或选择一张本人正面照片' }], next }, 400);
        }
        const input = { livenessSessionId: body.livenessSessionId, image: body.image };
        return attempt(req, reply, next, 'image', () => realName.verifyFace(actor, session, input, requestMeta(req)), (errors, status) => realNamePage(req, reply, { errors, next }, status));
      },
    });
  });

  app.get('/account/step-up', {
    config: { access: access.citizen(1) },
    schema: { hide: true, querystring: Type.Object({ level: Level, next: Next }) },
    handler: async (req, reply) => {
      const q = req.query as { level: RealNameLevel; next?: string };
      const { actor } = citizen(req);
      // Already there (e.g. the back button): carry on.
      if (actor.kind === 'citizen' && actor.realNameLevel >= q.level) return reply.redirect(safeLocalPath(q.next, '/account'), 303);
      return stepUpPage(req, reply, { target: q.level, next: q.next ?? '' });
    },
  });

  app.post('/account/step-up/code', {
    config: { access: access.citizen(1), rateLimit: { max: 10, timeWindow: '1 minute' } },
    schema: { hide: true, body: Type.Object({ level: Level, next: Next }) },
    handler: async (req, reply) => {
      const body = req.body as { level: RealNameLevel; next?: string };
      try {
        const masked = await realName.sendStepUpCode(req.actor, requestMeta(req));
        return stepUpPage(req, reply, { target: body.level, next: body.next ?? '', message: `验证码已发送至 ${masked}，5 分钟内有效。` });
      } catch (err) {
        const errors = formErrors(err, 'code');
        if (!errors) throw err;
        return stepUpPage(req, reply, { target: body.level, next: body.next ?? '', errors }, (err as AppError).status);
      }
    },
  });

  app.post('/account/step-up', {
    config: { access: access.citizen(1), rateLimit: { max: 10, timeWindow: '1 minute' } },
    schema: {
      hide: true,
      body: Type.Object({
        level: Level,
        factor: Type.Union([Type.Literal('sms'), Type.Literal('password')]),
        code: Type.Optional(Type.String({ maxLength: 12 })),
        password: Type.Optional(Type.String({ maxLength: 256 })),
        next: Next,
      }),
    },
    handler: async (req, reply) => {
      const body = req.body as { level: RealNameLevel; factor: 'sms' | 'password'; code?: string; password?: string; next?: string };
      const { actor, session } = citizen(req);
      try {
        const outcome = await realName.addLocalFactor(actor, session, body.factor, body, requestMeta(req));
        setSessionCookie(reply, config.cookieSecure, outcome.token);
        const reached = outcome.actor.kind === 'citizen' && outcome.actor.realNameLevel >= body.level;
        // Not there yet (one factor more is needed): the same page, with what is left.
        if (!reached) return reply.redirect(`/account/step-up?level=${body.level}&next=${encodeURIComponent(body.next ?? '')}`, 303);
        return reply.redirect(safeLocalPath(body.next, '/account'), 303);
      } catch (err) {
        const errors = formErrors(err, body.factor === 'sms' ? 'code' : 'password');
        if (!errors) throw err;
        return stepUpPage(req, reply, { target: body.level, next: body.next ?? '', errors }, (err as AppError).status);
      }
    },
  });
}
