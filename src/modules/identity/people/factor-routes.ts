// Pages and endpoints for second factors: enrol and remove a TOTP app or a passkey on the
// security page, and use either on /account/step-up. TOTP works as plain forms; passkeys
// need the browser's WebAuthn API, so their ceremonies are JSON endpoints driven by
// /assets/passkey.js (CSRF in the x-csrf-token header), an enhancement beside SMS and TOTP.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import QRCode from 'qrcode';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { access, type RealNameLevel } from '../../../platform/http/access.ts';
import { setSessionCookie } from '../../../platform/http/auth.ts';
import { AppError, type FieldError } from '../../../platform/http/errors.ts';
import type { AppContext } from '../../../platform/module.ts';
import { safeLocalPath } from '../../../platform/web/redirect.ts';
import { CitizenService } from './service.ts';
import { FactorService, type TotpEnrolment } from './factors.ts';
import { formErrors, requestMeta } from './routes.ts';
import { citizen, stepUpPageRenderer } from './step-up-page.ts';

const pages = 'modules/identity/people/pages';
const Next = Type.Optional(Type.String({ maxLength: 512 }));
const Level = Type.Integer({ minimum: 1, maximum: 5 });
const security = { breadcrumbs: [{ href: '/account', label: '用户中心' }, { href: '/account/security', label: '账户安全' }] };

/**
 * Adding or removing a second factor needs a session that has proven as much as the account
 * allows (up to level 3): otherwise whoever has only the password could enrol their own
 * authenticator and step up with it, or remove the owner's.
 */
function requireSteppedUp(req: FastifyRequest) {
  const { actor, session } = citizen(req);
  if (actor.kind !== 'citizen') throw new AppError('FORBIDDEN');
  const needed = Math.min(actor.accountLevel, 3) as RealNameLevel;
  if (actor.realNameLevel < needed) {
    throw new AppError('STEP_UP_REQUIRED', {
      detail: `管理二次认证方式需要先完成二次认证（L${needed}）`,
      location: `/account/step-up?level=${needed}&next=${encodeURIComponent('/account/security')}`,
    });
  }
  return { actor, session };
}

/** The otpauth:// QR as inline SVG (the secret must not travel in an image URL). */
async function qrSvg(otpauthUrl: string): Promise<string> {
  const svg = await QRCode.toString(otpauthUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return svg.replace('<svg ', '<svg class="totp-qr" width="192" height="192" role="img" aria-label="动态口令绑定二维码" ');
}

/** "ABCD EFGH …": easier to read out and type by hand. */
const grouped = (secret: string) => secret.replace(/(.{4})/g, '$1 ').trim();

export function factorRoutes(app: FastifyInstance, ctx: AppContext, people: CitizenService): void {
  const { render, config } = ctx;
  const factors = new FactorService(people, config.publicUrl);

  const totpPage = async (req: FastifyRequest, reply: FastifyReply, enrolment: TotpEnrolment, view: { errors?: FieldError[]; label?: string }, status = 200) =>
    render.page(
      req,
      reply,
      `${pages}/totp.eta`,
      { errors: [], label: '', ...view, ticket: enrolment.ticket, secret: grouped(enrolment.secret), qr: await qrSvg(enrolment.otpauthUrl) },
      { title: '绑定动态口令', status, ...security },
    );

  const stepUpPage = stepUpPageRenderer(render, people);

  /** After a factor is proven: the new session cookie, then on to `next` or back to step-up. */
  const afterStepUp = (outcome: { token: string; actor: { kind: string; realNameLevel?: number } }, reply: FastifyReply, level: number, next: string | undefined): string => {
    setSessionCookie(reply, config.cookieSecure, outcome.token);
    const reached = outcome.actor.kind === 'citizen' && (outcome.actor.realNameLevel ?? 0) >= level;
    return reached ? safeLocalPath(next, '/account') : `/account/step-up?level=${level}&next=${encodeURIComponent(next ?? '')}`;
  };

  app.get('/account/security/totp', {
    config: { access: access.citizen(1) },
    schema: { hide: true },
    handler: async (req, reply) => totpPage(req, reply, await factors.startTotp(requireSteppedUp(req).actor), {}),
  });

  app.post('/account/security/totp', {
    config: { access: access.citizen(1), rateLimit: { max: 10, timeWindow: '1 minute' } },
    schema: { hide: true, body: Type.Object({ ticket: Type.String({ maxLength: 1024 }), totpCode: Type.String({ maxLength: 12 }), label: Type.Optional(Type.String({ maxLength: 100 })) }) },
    handler: async (req, reply) => {
      const body = req.body as { ticket: string; totpCode: string; label?: string };
      const { actor } = requireSteppedUp(req);
      try {
        await factors.confirmTotp(actor, { ticket: body.ticket, code: body.totpCode, label: body.label ?? '' }, requestMeta(req));
        return reply.redirect('/account/security?added=totp', 303);
      } catch (err) {
        const errors = formErrors(err, 'totpCode');
        if (!errors) throw err;
        // A stale or foreign ticket starts over with a new secret; a wrong code keeps the scanned one.
        const enrolment = factors.enrolmentFrom(actor, body.ticket) ?? (await factors.startTotp(actor));
        return totpPage(req, reply, enrolment, { errors, label: body.label }, (err as AppError).status);
      }
    },
  });

  app.post('/account/security/factors/:factorId/delete', {
    config: { access: access.citizen(1) },
    schema: { hide: true, params: Type.Object({ factorId: Type.String({ format: 'uuid' }) }) },
    handler: async (req, reply) => {
      await factors.removeFactor(requireSteppedUp(req).actor, (req.params as { factorId: string }).factorId, requestMeta(req));
      return reply.redirect('/account/security?removed=1', 303);
    },
  });

  app.post('/account/step-up/totp', {
    config: { access: access.citizen(1), rateLimit: { max: 10, timeWindow: '1 minute' } },
    schema: { hide: true, body: Type.Object({ level: Level, totpCode: Type.String({ maxLength: 12 }), next: Next }) },
    handler: async (req, reply) => {
      const body = req.body as { level: RealNameLevel; totpCode: string; next?: string };
      const { actor, session } = citizen(req);
      try {
        const outcome = await factors.stepUpTotp(actor, session, body.totpCode, requestMeta(req));
        return reply.redirect(afterStepUp(outcome, reply, body.level, body.next), 303);
      } catch (err) {
        const errors = formErrors(err, 'totpCode');
        if (!errors) throw err;
        return stepUpPage(req, reply, { target: body.level, next: body.next ?? '', errors }, (err as AppError).status);
      }
    },
  });

  // --- passkeys ---

  app.get('/account/security/passkey', {
    config: { access: access.citizen(1) },
    schema: { hide: true },
    handler: async (req, reply) => {
      requireSteppedUp(req);
      return render.page(req, reply, `${pages}/passkey.eta`, { errors: [] }, { title: '注册通行密钥', ...security });
    },
  });

  app.post('/account/security/passkey/options', {
    config: { access: access.citizen(1), rateLimit: { max: 20, timeWindow: '1 minute' } },
    schema: { hide: true },
    handler: async (req) => factors.passkeyRegistrationOptions(requireSteppedUp(req).actor),
  });

  app.post('/account/security/passkey', {
    config: { access: access.citizen(1), rateLimit: { max: 20, timeWindow: '1 minute' } },
    schema: { hide: true, body: Type.Object({ response: Type.Object({}, { additionalProperties: true }), label: Type.Optional(Type.String({ maxLength: 100 })) }) },
    handler: async (req) => {
      const body = req.body as { response: RegistrationResponseJSON; label?: string };
      const id = await factors.registerPasskey(requireSteppedUp(req).actor, body.response, body.label ?? '', requestMeta(req));
      return { id, redirect: '/account/security?added=passkey' };
    },
  });

  app.post('/account/step-up/passkey/options', {
    config: { access: access.citizen(1), rateLimit: { max: 20, timeWindow: '1 minute' } },
    schema: { hide: true },
    handler: async (req) => factors.passkeyAuthenticationOptions(citizen(req).actor),
  });

  app.post('/account/step-up/passkey', {
    config: { access: access.citizen(1), rateLimit: { max: 20, timeWindow: '1 minute' } },
    schema: { hide: true, body: Type.Object({ response: Type.Object({}, { additionalProperties: true }), level: Level, next: Next }) },
    handler: async (req, reply) => {
      const body = req.body as { response: AuthenticationResponseJSON; level: RealNameLevel; next?: string };
      const { actor, session } = citizen(req);
      const outcome = await factors.stepUpPasskey(actor, session, body.response, requestMeta(req));
      return { redirect: afterStepUp(outcome, reply, body.level, body.next) };
    },
  });
}
