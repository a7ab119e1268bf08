// People's sign-in pages: register, log in by password or SMS code, request a code.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { access } from '../../../platform/http/access.ts';
import { setSessionCookie } from '../../../platform/http/auth.ts';
import { isAppError, type FieldError } from '../../../platform/http/errors.ts';
import type { AppContext } from '../../../platform/module.ts';
import { safeLocalPath } from '../../../platform/web/redirect.ts';
import { MIN_CITIZEN_PASSWORD, type CitizenService, type RequestMeta } from './service.ts';
import { realNameRoutes } from './realname-routes.ts';
import { accountRoutes } from './account-routes.ts';
import { loginOptions } from './login-options.ts';
import { factorRoutes } from './factor-routes.ts';

const pages = 'modules/identity/people/pages';
const Next = Type.Optional(Type.String({ maxLength: 512 }));

export function requestMeta(req: FastifyRequest): RequestMeta {
  return { ip: req.ip, userAgent: req.headers['user-agent'], requestId: String(req.id) };
}

/** Where to go after sign-in: a same-site path, else the user centre. */
export function afterLogin(next: unknown): string {
  return safeLocalPath(next, '/account');
}

/** Field errors of a refused form, or a page-level message under a pseudo-field. */
export function formErrors(err: unknown, field = 'form'): FieldError[] | null {
  if (!isAppError(err) || err.status >= 500 && err.code !== 'SMS_UNAVAILABLE' && err.code !== 'VERIFIER_UNAVAILABLE') return null;
  if (err.errors?.length) return err.errors;
  return [{ field, message: err.detail ? `${err.message}（${err.detail}）` : err.message }];
}

interface LoginView {
  method: 'password' | 'code';
  errors: FieldError[];
  mobile: string;
  next: string;
  message: string;
}

export function peopleRoutes(app: FastifyInstance, ctx: AppContext, people: CitizenService): void {
  const { render, config } = ctx;
  // Only ever set when the simulators answer (never in production): the demo's SMS inbox.
  const mailbox = ctx.external.devLinks?.smsMailbox ?? '';

  const loginPage = async (req: FastifyRequest, reply: FastifyReply, view: Partial<LoginView>, status = 200) => {
    const others = await loginOptions(ctx, view.next || undefined);
    return render.page(req, reply, `${pages}/login.eta`, { method: 'password', errors: [], mobile: '', next: '', message: '', mailbox, others, ...view }, { title: '登录', status });
  };
  const registerPage = (req: FastifyRequest, reply: FastifyReply, view: { errors?: FieldError[]; mobile?: string; next?: string; message?: string }, status = 200) =>
    render.page(req, reply, `${pages}/register.eta`, { errors: [], mobile: '', next: '', message: '', minLength: MIN_CITIZEN_PASSWORD, mailbox, ...view }, { title: '注册', status });

  const signIn = (reply: FastifyReply, token: string, next: unknown) => {
    setSessionCookie(reply, config.cookieSecure, token);
    return reply.redirect(afterLogin(next), 303);
  };

  app.get('/login', {
    config: { access: access.public() },
    schema: { hide: true, querystring: Type.Object({ next: Next }) },
    handler: async (req, reply) => reply.redirect(`/account/login${req.query && (req.query as { next?: string }).next ? `?next=${encodeURIComponent((req.query as { next: string }).next)}` : ''}`, 303),
  });

  app.get('/account/login', {
    config: { access: access.public() },
    schema: { hide: true, querystring: Type.Object({ next: Next, method: Type.Optional(Type.Union([Type.Literal('password'), Type.Literal('code')])) }) },
    handler: async (req, reply) => {
      const q = req.query as { next?: string; method?: 'password' | 'code' };
      return loginPage(req, reply, { method: q.method ?? 'password', next: q.next ?? '' });
    },
  });

  app.post('/account/login', {
    config: { access: access.public(), rateLimit: { max: 30, timeWindow: '1 minute' } },
    schema: { hide: true, body: Type.Object({ mobile: Type.String({ maxLength: 32 }), password: Type.String({ maxLength: 256 }), next: Next }) },
    handler: async (req, reply) => {
      const body = req.body as { mobile: string; password: string; next?: string };
      try {
        const { token } = await people.loginWithPassword(body, requestMeta(req));
        return signIn(reply, token, body.next);
      } catch (err) {
        const errors = formErrors(err, 'password');
        if (!errors) throw err;
        return loginPage(req, reply, { errors, mobile: body.mobile, next: body.next }, (err as { status: number }).status);
      }
    },
  });

  app.post('/account/login/code', {
    config: { access: access.public(), rateLimit: { max: 30, timeWindow: '1 minute' } },
    schema: { hide: true, body: Type.Object({ mobile: Type.String({ maxLength: 32 }), code: Type.String({ maxLength: 12 }), next: Next }) },
    handler: async (req, reply) => {
      const body = req.body as { mobile: string; code: string; next?: string };
      try {
        const { token } = await people.loginWithCode(body, requestMeta(req));
        return signIn(reply, token, body.next);
      } catch (err) {
        const errors = formErrors(err, 'code');
        if (!errors) throw err;
        return loginPage(req, reply, { method: 'code', errors, mobile: body.mobile, next: body.next }, (err as { status: number }).status);
      }
    },
  });

  // The 获取验证码 button of the register and code-login forms posts here (no JavaScript needed).
  app.post('/account/code', {
    config: { access: access.public(), rateLimit: { max: 10, timeWindow: '1 minute' } },
    schema: {
      hide: true,
      body: Type.Object({ mobile: Type.String({ maxLength: 32 }), purpose: Type.Union([Type.Literal('register'), Type.Literal('login')]), next: Next }, { additionalProperties: true }),
    },
    handler: async (req, reply) => {
      const body = req.body as { mobile: string; purpose: 'register' | 'login'; next?: string };
      const show = (view: { errors?: FieldError[]; message?: string }, status = 200) =>
        body.purpose === 'register'
          ? registerPage(req, reply, { ...view, mobile: body.mobile, next: body.next }, status)
          : loginPage(req, reply, { ...view, method: 'code', mobile: body.mobile, next: body.next }, status);
      try {
        await people.requestCode(body.mobile, body.purpose, requestMeta(req));
      } catch (err) {
        const errors = formErrors(err, 'mobile');
        if (!errors) throw err;
        return show({ errors }, (err as { status: number }).status);
      }
      return show({ message: '验证码已发送，5 分钟内有效。没有收到？请 60 秒后重新获取。' });
    },
  });

  app.get('/account/register', {
    config: { access: access.public() },
    schema: { hide: true, querystring: Type.Object({ next: Next }) },
    handler: async (req, reply) => registerPage(req, reply, { next: (req.query as { next?: string }).next ?? '' }),
  });

  app.post('/account/register', {
    config: { access: access.public(), rateLimit: { max: 20, timeWindow: '1 minute' } },
    schema: {
      hide: true,
      body: Type.Object({ mobile: Type.String({ maxLength: 32 }), code: Type.String({ maxLength: 12 }), password: Type.String({ maxLength: 256 }), confirmPassword: Type.String({ maxLength: 256 }), next: Next }),
    },
    handler: async (req, reply) => {
      const body = req.body as { mobile: string; code: string; password: string; confirmPassword: string; next?: string };
      if (body.password !== body.confirmPassword) {
        return registerPage(req, reply, { errors: [{ field: 'confirmPassword', message: '两次输入的密码不一致' }], mobile: body.mobile, next: body.next }, 400);
      }
      try {
        const { token } = await people.register(body, requestMeta(req));
        setSessionCookie(reply, config.cookieSecure, token);
        // A new account is level 1: most services need the identity check next.
        return reply.redirect(`/account/realname?welcome=1${body.next ? `&next=${encodeURIComponent(afterLogin(body.next))}` : ''}`, 303);
      } catch (err) {
        const errors = formErrors(err, 'code');
        if (!errors) throw err;
        return registerPage(req, reply, { errors, mobile: body.mobile, next: body.next }, (err as { status: number }).status);
      }
    },
  });

  realNameRoutes(app, ctx, people);
  accountRoutes(app, ctx, people);
  factorRoutes(app, ctx, people);
}
