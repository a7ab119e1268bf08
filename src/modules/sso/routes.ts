// /oidc: oidc-provider (a Koa app) mounted on Fastify, and our own interaction pages (login
// hand-over to the platform session, step-up, the level-required page, consent).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type Provider from 'oidc-provider';
import type { InteractionDetails } from 'oidc-provider';
import { access, type RealNameLevel } from '../../platform/http/access.ts';
import { AppError } from '../../platform/http/errors.ts';
import type { AppContext } from '../../platform/module.ts';
import { LEVEL_NAMES } from '../identity/index.ts';
import { decideLevel } from './levels.ts';
import { ACTOR_KEY, amrForLevel, OIDC_PREFIX } from './provider.ts';
import { PROVIDER_HEADERS } from './html.ts';
import { findClient, rememberConsent } from './store.ts';

const PAGES = 'modules/sso/pages';
const UidParams = Type.Object({ uid: Type.String({ pattern: '^[A-Za-z0-9_-]{10,64}$' }) });
const CLAIM_LABELS: Record<string, string> = {
  openid: '在本系统的用户标识（每个业务系统各不相同）',
  profile: '姓名',
  realname: '身份证号码（脱敏）与实名认证等级',
  offline_access: '在您离开后保持登录（刷新令牌）',
  federation: '完整的身份证号码（仅提供给可信的其他地区政务服务节点，用于关联您在该地的账户）',
};

/** Mounts the provider: every /oidc/* path not claimed by our interaction routes below. */
export function mountProvider(app: FastifyInstance, provider: Provider): void {
  const callback = provider.callback();
  app.register(async (scope) => {
    // The provider reads its own request bodies: leave the stream unread here.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));
    const handler = (req: FastifyRequest, reply: FastifyReply) => {
      reply.hijack();
      const raw = req.raw as FastifyRequest['raw'] & { originalUrl?: string; [ACTOR_KEY]?: unknown };
      raw.originalUrl = raw.url;
      raw.url = raw.url!.slice(OIDC_PREFIX.length) || '/';
      raw[ACTOR_KEY] = req.actor;
      for (const [k, v] of Object.entries(PROVIDER_HEADERS)) reply.raw.setHeader(k, v);
      reply.raw.setHeader('x-request-id', req.id);
      callback(raw, reply.raw);
    };
    // Protocol endpoints authenticate clients and tokens themselves; they carry no form of ours.
    scope.all(`${OIDC_PREFIX}/*`, { config: { access: access.public(), csrf: false }, schema: { hide: true } }, handler);
  });
}

export function interactionRoutes(app: FastifyInstance, ctx: AppContext, provider: Provider): void {
  const here = (uid: string) => `${OIDC_PREFIX}/interaction/${uid}`;

  async function details(req: FastifyRequest, reply: FastifyReply): Promise<InteractionDetails> {
    try {
      return await provider.interactionDetails(req.raw, reply.raw);
    } catch {
      throw new AppError('SSO_INTERACTION_EXPIRED');
    }
  }

  /**
   * Back to the provider through a page rather than a redirect: the step before may have been
   * a form POST (login, step-up, consent), and browsers apply that page's CSP form-action to
   * every redirect that follows it, which would block the final hop to the client system.
   */
  async function resume(req: FastifyRequest, reply: FastifyReply, result: Record<string, unknown>, clientName: string) {
    const returnTo = await provider.interactionResult(req.raw, reply.raw, result, { mergeWithLastSubmission: true });
    reply.header('refresh', `0;url=${returnTo}`);
    return ctx.render.page(req, reply, `${PAGES}/continue.eta`, { returnTo, clientName }, { title: '正在返回业务系统' });
  }

  app.get('/oidc/interaction/:uid', {
    config: { access: access.public() },
    schema: { hide: true, params: UidParams },
    handler: async (req, reply) => {
      const { uid } = req.params as { uid: string };
      const d = await details(req, reply);
      const client = await findClient(ctx.db, d.params.client_id ?? '');
      if (!client || client.revokedAt) throw new AppError('NOT_FOUND');
      const actor = req.actor;
      if (actor.kind !== 'citizen') return reply.redirect(`/account/login?next=${encodeURIComponent(here(uid))}`, 303);
      const decision = decideLevel({ acrValues: d.params.acr_values, clientMinLevel: client.minLevel, sessionLevel: actor.realNameLevel, accountLevel: actor.accountLevel });
      if (decision.kind === 'account_too_low') {
        // Not a step-up: no factor in this session can lift the account itself. No loop back.
        return ctx.render.page(
          req,
          reply,
          `${PAGES}/level-required.eta`,
          { clientName: client.name, level: decision.level, levelName: LEVEL_NAMES[decision.level], accountLevel: actor.accountLevel, accountLevelName: LEVEL_NAMES[actor.accountLevel], next: here(uid) },
          { title: '实名认证等级不足', status: 403 },
        );
      }
      if (decision.kind === 'unmet') {
        return resume(req, reply, { error: 'unmet_authentication_requirements', error_description: decision.description }, client.name);
      }
      if (decision.kind === 'step_up') return reply.redirect(`/account/step-up?level=${decision.level}&next=${encodeURIComponent(here(uid))}`, 303);
      if (d.prompt.name === 'login') {
        return resume(req, reply, { login: { accountId: actor.accountId, acr: decision.acr, amr: amrForLevel(actor.realNameLevel), remember: true } }, client.name);
      }
      // Consent belongs to the person who signed in to the provider session, no one else.
      if (d.session?.accountId !== actor.accountId) return resume(req, reply, { login: { accountId: actor.accountId, acr: decision.acr, amr: amrForLevel(actor.realNameLevel), remember: true } }, client.name);
      const scopes = [...new Set([...(((d.prompt.details.missingOIDCScope as string[] | undefined) ?? [])), ...(d.params.scope ?? '').split(' ')])].filter((s) => s in CLAIM_LABELS);
      return ctx.render.page(req, reply, `${PAGES}/consent.eta`, { uid, client, scopes: scopes.map((s) => ({ scope: s, label: CLAIM_LABELS[s]! })), csrf: req.csrfToken(reply), minLevelName: LEVEL_NAMES[client.minLevel as RealNameLevel] }, { title: '授权登录' });
    },
  });

  app.post('/oidc/interaction/:uid/confirm', {
    config: { access: access.citizen() },
    schema: { hide: true, params: UidParams, body: Type.Object({}) },
    handler: async (req, reply) => {
      const d = await details(req, reply);
      const actor = req.actor;
      if (actor.kind !== 'citizen' || d.prompt.name !== 'consent' || d.session?.accountId !== actor.accountId) throw new AppError('FORBIDDEN');
      const clientId = d.params.client_id!;
      const grant = d.grantId ? await provider.Grant.find(d.grantId) : new provider.Grant({ accountId: actor.accountId, clientId });
      if (!grant) throw new AppError('SSO_INTERACTION_EXPIRED');
      const missing = d.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      // The level the sign-in proved is always told to the client (that is what acr is for).
      grant.addOIDCClaims([...(missing.missingOIDCClaims ?? []), 'acr', 'amr', 'auth_time']);
      for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(resource, scopes.join(' '));
      const grantId = await grant.save();
      await rememberConsent(ctx.db, actor.accountId, clientId, grantId);
      const client = await findClient(ctx.db, clientId);
      return resume(req, reply, { consent: { grantId } }, client?.name ?? clientId);
    },
  });

  app.post('/oidc/interaction/:uid/abort', {
    config: { access: access.public() },
    schema: { hide: true, params: UidParams, body: Type.Object({}) },
    handler: async (req, reply) => {
      const d = await details(req, reply);
      const client = await findClient(ctx.db, d.params.client_id ?? '');
      return resume(req, reply, { error: 'access_denied', error_description: '用户拒绝授权' }, client?.name ?? '');
    },
  });
}
