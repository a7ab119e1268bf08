// Staff login, logout, password change and the staff workbench entry page.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { access } from '../../platform/http/access.ts';
import { clearSessionCookie, setSessionCookie } from '../../platform/http/auth.ts';
import { AppError, isAppError, type FieldError } from '../../platform/http/errors.ts';
import type { AppContext } from '../../platform/module.ts';
import { safeLocalPath } from '../../platform/web/redirect.ts';
import { MIN_PASSWORD_LENGTH, type StaffService } from './service.ts';

const pages = 'modules/identity/pages';

/** Where to go after login: the platform's one same-site path rule, else the workbench. */
export function safeNext(next: unknown): string {
  return safeLocalPath(next, '/staff');
}

const LoginForm = Type.Object({
  loginName: Type.String({ maxLength: 64 }),
  password: Type.String({ maxLength: 256 }),
  next: Type.Optional(Type.String({ maxLength: 512 })),
});
const PasswordForm = Type.Object({
  currentPassword: Type.String({ maxLength: 256 }),
  newPassword: Type.String({ maxLength: 256 }),
  confirmPassword: Type.String({ maxLength: 256 }),
});

export function identityRoutes(app: FastifyInstance, ctx: AppContext, staff: StaffService): void {
  const { render, config } = ctx;
  const loginPage = (req: FastifyRequest, reply: FastifyReply, data: { errors?: FieldError[]; loginName?: string; next?: string; message?: string }, status = 200) =>
    render.page(req, reply, `${pages}/login.eta`, { errors: [], loginName: '', next: '', message: '', ...data }, { title: '工作人员登录', status });

  app.get('/staff/login', {
    config: { access: access.public() },
    schema: { hide: true, querystring: Type.Object({ next: Type.Optional(Type.String({ maxLength: 512 })) }) },
    handler: async (req, reply) => loginPage(req, reply, { next: (req.query as { next?: string }).next ?? '' }),
  });

  app.post('/staff/login', {
    config: { access: access.public(), rateLimit: { max: 20, timeWindow: '1 minute' } },
    schema: { hide: true, body: LoginForm },
    handler: async (req, reply) => {
      const body = req.body as { loginName: string; password: string; next?: string };
      const errors: FieldError[] = [];
      if (!body.loginName.trim()) errors.push({ field: 'loginName', message: '请输入账号' });
      if (!body.password) errors.push({ field: 'password', message: '请输入密码' });
      if (errors.length) return loginPage(req, reply, { errors, loginName: body.loginName, next: body.next }, 400);
      try {
        const { token, actor } = await staff.login(body.loginName.trim(), body.password, { ip: req.ip, userAgent: req.headers['user-agent'], requestId: String(req.id) });
        setSessionCookie(reply, config.cookieSecure, token);
        const target = actor.kind === 'staff' && actor.mustChangePassword ? '/staff/password' : safeNext(body.next);
        return reply.redirect(target, 303);
      } catch (err) {
        if (isAppError(err) && err.code === 'LOGIN_FAILED') {
          return loginPage(req, reply, { errors: [{ field: 'password', message: err.message }], loginName: body.loginName, next: body.next }, 401);
        }
        throw err;
      }
    },
  });

  app.post('/logout', {
    config: { access: { ...access.anyOf(access.staff([]), access.citizen(1), access.company()), duringPasswordChange: true } },
    schema: { hide: true },
    handler: async (req, reply) => {
      await staff.logout(req.actor, String(req.id));
      clearSessionCookie(reply, config.cookieSecure);
      return reply.redirect('/', 303);
    },
  });

  const passwordPage = (req: FastifyRequest, reply: FastifyReply, errors: FieldError[] = [], status = 200) =>
    render.page(req, reply, `${pages}/password.eta`, { errors, minLength: MIN_PASSWORD_LENGTH }, { title: '修改密码', status });

  app.get('/staff/password', {
    config: { access: { ...access.staff([]), duringPasswordChange: true } },
    schema: { hide: true },
    handler: async (req, reply) => passwordPage(req, reply),
  });

  app.post('/staff/password', {
    config: { access: { ...access.staff([]), duringPasswordChange: true }, rateLimit: { max: 10, timeWindow: '1 minute' } },
    schema: { hide: true, body: PasswordForm },
    handler: async (req, reply) => {
      const body = req.body as { currentPassword: string; newPassword: string; confirmPassword: string };
      if (body.newPassword !== body.confirmPassword) {
        return passwordPage(req, reply, [{ field: 'confirmPassword', message: '两次输入的新密码不一致' }], 400);
      }
      try {
        await staff.changePassword(req.actor, body.currentPassword, body.newPassword, String(req.id));
      } catch (err) {
        if (isAppError(err) && err.errors) return passwordPage(req, reply, err.errors, err.status);
        throw err;
      }
      return reply.redirect('/staff', 303);
    },
  });

  app.get('/staff', {
    config: { access: access.staff([]) },
    schema: { hide: true },
    handler: async (req, reply) => {
      if (req.actor.kind !== 'staff') throw new AppError('FORBIDDEN');
      return render.page(req, reply, `${pages}/workbench.eta`, { staff: req.actor }, { title: '工作台' });
    },
  });
}
