// The OpenID provider (oidc-provider) configured for the platform: our clients, our storage,
// our accounts and real-name levels, pairwise subjects, and a login check that re-reads the
// platform session on every authorization request.
import Provider, { interactionPolicy, type KoaContextLike, type ClientLike } from 'oidc-provider';
import type { AppContext } from '../../platform/module.ts';
import type { Actor, RealNameLevel } from '../../platform/http/access.ts';
import { hmacSm3 } from '../../platform/crypto/sm3.ts';
import { citizenServiceFor, findCitizenById } from '../identity/index.ts';
import { adapterFactory } from './adapter.ts';
import { decideLevel } from './levels.ts';
import { linkSession, rememberedGrant, signingKeys } from './store.ts';
import { escapeHtml, providerPage } from './html.ts';

export const OIDC_PREFIX = '/oidc';
export const ACR_VALUES = [1, 2, 3, 4, 5].map((l) => `urn:yiwang:acr:level${l}`);

/** The caller as the platform sees it, handed to the provider on the raw request. */
export const ACTOR_KEY = 'yiwangActor';

export function actorOf(ctx: KoaContextLike): Actor {
  return (ctx.req[ACTOR_KEY] as Actor | undefined) ?? { kind: 'anonymous' };
}

/** Which factors stand behind a level (RFC 8176 amr values, by the level's definition). */
export function amrForLevel(level: RealNameLevel): string[] {
  if (level >= 4) return ['pwd', 'face', 'mfa'];
  if (level === 3) return ['pwd', 'otp', 'mfa'];
  if (level === 2) return ['pwd', 'sms'];
  return ['sms'];
}

export async function createProvider(ctx: AppContext): Promise<Provider> {
  const { config, db } = ctx;
  const people = citizenServiceFor(ctx);
  const pairwiseKey = hmacSm3(config.secrets.blindIndexKey, 'yiwang sso pairwise v1');

  const policy = interactionPolicy.base();
  // Every request, silent or not, re-checks the platform session and the level it proves;
  // oidc-provider alone would reuse its own session whatever happened to ours meanwhile.
  policy.get('login').checks.add(
    new interactionPolicy.Check('platform_session', '需要有效的平台登录与足够的实名认证等级', 'login_required', async (kctx) => {
      const { oidc } = kctx;
      const actor = actorOf(kctx);
      if (actor.kind !== 'citizen' || oidc.session.accountId !== actor.accountId || !oidc.client) return true;
      const decision = decideLevel({
        acrValues: oidc.params.acr_values,
        clientMinLevel: (oidc.client.yiwang_min_level ?? 1) as RealNameLevel,
        sessionLevel: actor.realNameLevel,
        accountLevel: actor.accountLevel,
      });
      if (decision.kind !== 'ok' || oidc.session.acr !== decision.acr) return true;
      // Just signed in through our interaction page, which checked the session itself.
      if (oidc.result?.login) return false;
      const linked = await db.selectFrom('sso_session_link').select('platform_session_id').where('oidc_session_uid', '=', oidc.session.uid).executeTakeFirst();
      return linked?.platform_session_id !== actor.sessionId;
    }),
  );

  const provider = new Provider(`${config.publicUrl}${OIDC_PREFIX}`, {
    adapter: adapterFactory(db, config.secrets.dataKey),
    jwks: await signingKeys(db, config.secrets.dataKey),
    cookies: {
      keys: [hmacSm3(config.secrets.sessionSecret, 'yiwang oidc cookies v1').toString('base64url')],
      long: { signed: true, httpOnly: true, sameSite: 'lax' },
      short: { signed: true, httpOnly: true, sameSite: 'lax' },
    },
    acrValues: ACR_VALUES,
    scopes: ['openid', 'profile', 'realname', 'federation', 'offline_access'],
    // acr and amr under openid: every client is told the level the sign-in proved, not only
    // those that ask with the claims parameter (oidc-provider's default).
    claims: {
      sid: null,
      iss: null,
      openid: ['sub', 'acr', 'amr', 'auth_time'],
      profile: ['name'],
      realname: ['id_number_masked', 'real_name_level'],
      // The full ID number, released only to federation partners (findAccount below).
      federation: ['id_number'],
    },
    subjectTypes: ['pairwise'],
    // Keyed by the platform's blind-index key: a sub reveals nothing and differs per sector.
    pairwiseIdentifier: async (_ctx: unknown, accountId: string, client: ClientLike) =>
      hmacSm3(pairwiseKey, `${client.yiwang_sector ?? client.clientId}|${accountId}`).toString('base64url'),
    extraClientMetadata: { properties: ['yiwang_min_level', 'yiwang_sector', 'yiwang_federation'] },
    clientBasedCORS: () => false,
    // The only outgoing requests are back-channel logouts to URIs that staff registered, and
    // business systems on the government network sit at private addresses, which
    // oidc-provider's SSRF guard would refuse. Redirects are still not followed.
    fetch: (url: string, options: RequestInit & { dispatcher?: unknown }) => {
      const { dispatcher: _guard, ...rest } = options;
      return globalThis.fetch(url, { ...rest, redirect: 'manual' });
    },
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      introspection: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (kctx: KoaContextLike, form: string) => {
          kctx.type = 'html';
          kctx.body = providerPage(
            '退出登录',
            `<h1>退出统一身份认证</h1><p>是否同时退出在一网通办登录过的其他业务系统？</p>${form}
<div class="button-row"><button class="button" type="submit" form="op.logoutForm" name="logout" value="yes">全部退出</button>
<button class="button button--secondary" type="submit" form="op.logoutForm">仅退出此系统</button></div>`,
          );
        },
        postLogoutSuccessSource: async (kctx: KoaContextLike) => {
          kctx.type = 'html';
          kctx.body = providerPage('已退出', '<h1>您已退出</h1><p><a href="/">返回一网通办首页</a></p>');
        },
      },
    },
    interactions: {
      policy,
      url: (_ctx: unknown, interaction: { uid: string }) => `${OIDC_PREFIX}/interaction/${interaction.uid}`,
    },
    // Consent is remembered per person and client across sessions (sso_consent).
    loadExistingGrant: async (kctx: KoaContextLike) => {
      const { oidc } = kctx;
      const clientId = oidc.client!.clientId;
      const grantId =
        (oidc.result?.consent as { grantId?: string } | undefined)?.grantId ??
        oidc.session.authorizations?.[clientId]?.grantId ??
        (oidc.session.accountId ? await rememberedGrant(db, oidc.session.accountId, clientId) : null);
      if (!grantId) return undefined;
      const grant = await provider.Grant.find(grantId);
      return grant && grant.accountId === oidc.session.accountId && grant.clientId === clientId ? grant : undefined;
    },
    // The acr of the sign-in travels with the tokens, for userinfo and introspection.
    extraTokenClaims: async (kctx: KoaContextLike) => {
      const src = kctx.oidc.entities.AuthorizationCode ?? kctx.oidc.entities.RefreshToken;
      return src?.acr ? { acr: src.acr } : undefined;
    },
    findAccount: async (kctx: KoaContextLike, sub: string, token?: { extra?: { acr?: string } }) => {
      const claims = await people.claims(sub);
      if (!claims) return undefined;
      // Another node links accounts by ID number; no business system ever sees it in full.
      // Extra metadata keeps its snake_case name on oidc-provider's client (only standard keys are camel-cased).
      const partner = kctx.oidc?.client?.yiwang_federation === true;
      const sealed = partner ? (await findCitizenById(db, sub))?.idNumberSealed : null;
      return {
        accountId: sub,
        claims: async () => ({
          sub,
          name: claims.name ?? undefined,
          id_number_masked: claims.idNumberMasked ?? undefined,
          real_name_level: claims.accountLevel,
          ...(sealed ? { id_number: people.cipher.open('id_number', sealed) } : {}),
          ...(token?.extra?.acr ? { acr: token.extra.acr } : {}),
        }),
      };
    },
    issueRefreshToken: async (_kctx: unknown, client: { grantTypeAllowed(t: string): boolean }) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      IdToken: 600,
      Interaction: 900,
      RefreshToken: 8 * 3600,
      // Matches the platform session's upper bound (12 h): SSO never outlives a sign-in.
      Session: 12 * 3600,
      Grant: 180 * 86400,
    },
    renderError: async (kctx: KoaContextLike, out: Record<string, string>) => {
      kctx.type = 'html';
      kctx.body = providerPage(
        '统一身份认证出错',
        `<h1>无法完成登录</h1><p>${escapeHtml(out.error_description ?? out.error ?? '请求无效')}</p><p class="hint">错误代码：${escapeHtml(out.error ?? '')}</p><p><a href="/">返回一网通办首页</a></p>`,
      );
    },
  });
  provider.proxy = config.trustProxy !== false;

  // Which platform session a provider session came from, for logout (handlers.ts).
  provider.on('authorization.success', (kctx: KoaContextLike) => {
    const actor = actorOf(kctx);
    const { session } = kctx.oidc;
    if (actor.kind !== 'citizen' || !session.accountId) return;
    linkSession(db, session.uid, actor.sessionId, actor.accountId).catch((err: unknown) => ctx.log.error({ err }, 'sso session link failed'));
  });
  provider.on('server_error', (_kctx: unknown, err: unknown) => ctx.log.error({ err }, 'oidc provider error'));
  return provider;
}
