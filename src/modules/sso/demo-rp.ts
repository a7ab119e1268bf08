// A tiny relying party served by the platform itself under /demo-rp/, standing in for a
// business system (江苏省公积金业务系统) in demos and the browser test: authorization code
// with PKCE, ID token signature and nonce checked, userinfo shown, back-channel logout.
// Runtime code cannot use openid-client (a development dependency), so this is plain fetch.
import { createHash, createPublicKey, randomBytes, verify, type JsonWebKey } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { access } from '../../platform/http/access.ts';
import { AppError } from '../../platform/http/errors.ts';
import type { AppContext } from '../../platform/module.ts';
import { DEMO_CLIENT_NAME } from './service.ts';
import { OIDC_PREFIX } from './provider.ts';

const COOKIE = 'yw_demo_rp';
const PAGE = 'modules/sso/pages/demo-rp.eta';
const b64url = (b: Buffer) => b.toString('base64url');

/** Logout tokens received (newest last), for the demo page and tests. */
export const demoLogouts: { sub: string; sid?: string; at: Date }[] = [];

export async function verifyJwt(token: string, jwksUrl: string): Promise<Record<string, unknown>> {
  const [h, p, s] = token.split('.');
  if (!h || !p || !s) throw new Error('malformed JWT');
  const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as { alg: string; kid?: string };
  const { keys } = (await (await fetch(jwksUrl)).json()) as { keys: (JsonWebKey & { kid?: string })[] };
  const jwk = keys.find((k) => k.kid === header.kid);
  if (!jwk) throw new Error('unknown signing key');
  const key = createPublicKey({ key: jwk, format: 'jwk' });
  const data = Buffer.from(`${h}.${p}`);
  const ok =
    header.alg === 'ES256' ? verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'))
    : header.alg === 'RS256' ? verify('sha256', data, key, Buffer.from(s, 'base64url'))
    : false;
  if (!ok) throw new Error('bad signature');
  return JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
}

export function demoRpRoutes(app: FastifyInstance, ctx: AppContext): void {
  const base = ctx.config.publicUrl.replace(/\/$/, '');
  const issuer = `${base}${OIDC_PREFIX}`;
  const cookieOpts = { path: '/demo-rp/', httpOnly: true, sameSite: 'lax' as const, secure: ctx.config.cookieSecure };
  const clientId = async () => {
    const r = await ctx.db.selectFrom('sso_client').select('client_id').where('name', '=', DEMO_CLIENT_NAME).where('revoked_at', 'is', null).executeTakeFirst();
    if (!r) throw new AppError('SSO_CLIENT_NOT_FOUND', { detail: '演示业务系统尚未登记（演示数据未加载）' });
    return r.client_id;
  };
  const title = DEMO_CLIENT_NAME;

  app.get('/demo-rp/', { config: { access: access.public() }, schema: { hide: true } }, async (req, reply) =>
    ctx.render.page(req, reply, PAGE, { stage: 'start', title, logouts: demoLogouts.slice(-5) }, { title }),
  );

  app.get('/demo-rp/login', {
    config: { access: access.public() },
    schema: { hide: true, querystring: Type.Object({ acr: Type.Optional(Type.String({ maxLength: 300 })) }) },
    handler: async (req, reply) => {
      const { acr } = req.query as { acr?: string };
      const state = b64url(randomBytes(16));
      const nonce = b64url(randomBytes(16));
      const verifier = b64url(randomBytes(32));
      reply.setCookie(COOKIE, b64url(Buffer.from(JSON.stringify({ state, nonce, verifier }))), { ...cookieOpts, maxAge: 900 });
      const url = new URL(`${issuer}/auth`);
      url.search = new URLSearchParams({
        client_id: await clientId(),
        response_type: 'code',
        scope: 'openid profile realname',
        redirect_uri: `${base}/demo-rp/callback`,
        state,
        nonce,
        code_challenge: b64url(createHash('sha256').update(verifier).digest()),
        code_challenge_method: 'S256',
        ...(acr ? { acr_values: acr } : {}),
      }).toString();
      return reply.redirect(url.href, 303);
    },
  });

  app.get('/demo-rp/callback', {
    config: { access: access.public() },
    schema: { hide: true, querystring: Type.Object({ code: Type.Optional(Type.String({ maxLength: 500 })), state: Type.Optional(Type.String({ maxLength: 200 })), error: Type.Optional(Type.String({ maxLength: 200 })), error_description: Type.Optional(Type.String({ maxLength: 500 })) }) },
    handler: async (req, reply) => {
      const q = req.query as { code?: string; state?: string; error?: string; error_description?: string };
      const saved = req.cookies[COOKIE] ? (JSON.parse(Buffer.from(req.cookies[COOKIE], 'base64url').toString()) as { state: string; nonce: string; verifier: string }) : null;
      reply.clearCookie(COOKIE, cookieOpts);
      if (q.error) return ctx.render.page(req, reply, PAGE, { stage: 'error', title, error: q.error, description: q.error_description ?? '' }, { title, status: 400 });
      if (!saved || !q.code || q.state !== saved.state) return ctx.render.page(req, reply, PAGE, { stage: 'error', title, error: 'invalid_state', description: '登录状态不匹配，请重新登录' }, { title, status: 400 });
      const id = await clientId();
      const res = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'authorization_code', code: q.code, redirect_uri: `${base}/demo-rp/callback`, client_id: id, code_verifier: saved.verifier }),
      });
      const tokens = (await res.json()) as { id_token?: string; access_token?: string; error?: string; error_description?: string };
      if (!res.ok || !tokens.id_token) return ctx.render.page(req, reply, PAGE, { stage: 'error', title, error: tokens.error ?? 'token_error', description: tokens.error_description ?? '' }, { title, status: 400 });
      const claims = await verifyJwt(tokens.id_token, `${issuer}/jwks`);
      if (claims.iss !== issuer || claims.aud !== id || claims.nonce !== saved.nonce) throw new AppError('INVALID_TOKEN');
      const info = (await (await fetch(`${issuer}/me`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ access_token: tokens.access_token ?? '' }) })).json()) as Record<string, unknown>;
      const rows = (o: Record<string, unknown>) => Object.entries(o).map(([k, v]) => ({ k, v: typeof v === 'string' ? v : JSON.stringify(v) }));
      return ctx.render.page(req, reply, PAGE, { stage: 'done', title, idToken: rows(claims), userinfo: rows(info), logoutUrl: `${issuer}/session/end?client_id=${encodeURIComponent(id)}&post_logout_redirect_uri=${encodeURIComponent(`${base}/demo-rp/`)}` }, { title });
    },
  });

  // The provider posts logout tokens here; no cookie, so no CSRF token either.
  app.post('/demo-rp/backchannel', { config: { access: access.public(), csrf: false }, schema: { hide: true } }, async (req, reply) => {
    const token = (req.body as { logout_token?: string } | undefined)?.logout_token;
    if (!token) return reply.code(400).send({ error: 'invalid_request' });
    try {
      const claims = await verifyJwt(token, `${issuer}/jwks`);
      if (claims.iss !== issuer || !(claims.events as Record<string, unknown> | undefined)?.['http://schemas.openid.net/event/backchannel-logout']) throw new Error('not a logout token');
      demoLogouts.push({ sub: String(claims.sub), sid: claims.sid as string | undefined, at: new Date() });
      if (demoLogouts.length > 100) demoLogouts.shift();
      return reply.code(204).send();
    } catch {
      return reply.code(400).send({ error: 'invalid_request' });
    }
  });
}
