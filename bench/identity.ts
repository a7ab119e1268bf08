// The identity and single sign-on endpoints of `npm run bench`: password login, userinfo
// (/oidc/me) and token introspection. bench/seed-identity.ts writes the citizens and a
// confidential business system before the app starts; here, against the running app, one
// citizen goes through a real code flow (login, authorisation request with PKCE, consent,
// token exchange) to get the access token the userinfo and introspection loads use.
//
// The app runs with TRUST_PROXY=loopback, as behind the TLS-terminating reverse proxy of a
// deployment, and every request here says `x-forwarded-proto: https`: PUBLIC_URL (and so the
// provider's issuer) is https, production cookies are `__Host-` and Secure, and oidc-provider
// only treats a request as secure when a trusted proxy says so. The login load also gives each
// request its own `x-forwarded-for`: POST /account/login allows 30 attempts a minute per
// address, which one load-generator address would otherwise hit in a second.
import { Jar } from '../test/support/jar.ts';
import { createHash, randomBytes } from 'node:crypto';
import type { Endpoint } from './stats.ts';

/** bench/seed-identity.ts prints its IdentitySeed on a stdout line starting with this. */
export const IDENTITY_PREFIX = 'BENCH_IDENTITY ';
/** Never contacted: the code flow stops when the provider redirects there. */
export const BENCH_RP_REDIRECT = 'https://rp.bench.invalid/callback';
const PUBLIC_ORIGIN = 'https://bench.yiwang.invalid';
const PROXIED = { 'x-forwarded-proto': 'https' };

export interface IdentitySeed {
  /** Citizen accounts with an Argon2id password, all the same password. */
  mobiles: string[];
  password: string;
  clientId: string;
  clientSecret: string;
  /** Hashing the passwords and registering the client. */
  seedSeconds: number;
}

export function parseIdentitySeed(output: string): IdentitySeed | null {
  const line = output.split('\n').reverse().find((l) => l.startsWith(IDENTITY_PREFIX));
  return line ? (JSON.parse(line.slice(IDENTITY_PREFIX.length)) as IdentitySeed) : null;
}

/** A minimal browser: keeps cookies, sends them over plain http to the app behind "its proxy". */
/**
 * A browser for the token flow: absolute URLs on the public origin, or on https:// plus our
 * own host (the provider builds some from the request, which the proxy headers call https),
 * go to the app under test.
 */
function benchJar(base: string): Jar {
  const own = new URL(base);
  const rewrite = (url: string) => {
    const u = new URL(url, base);
    if (u.origin === PUBLIC_ORIGIN || (u.protocol === 'https:' && u.host === own.host)) return own.origin + u.pathname + u.search;
    return u.href;
  };
  return new Jar({ rewrite, headers: PROXIED });
}

const csrfIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1];

/** The login form's CSRF cookie and token: a pair every login request of the load may reuse. */
async function loginForm(jar: Jar): Promise<{ cookie: string; token: string }> {
  const res = await jar.fetch(`${PUBLIC_ORIGIN}/account/login`);
  const token = csrfIn(await res.text());
  const cookie = jar.cookieHeader(`${PUBLIC_ORIGIN}/`).split('; ').find((c) => c.split('=')[0]!.endsWith('yw_csrf'));
  if (res.status !== 200 || !token || !cookie) throw new Error(`GET /account/login: HTTP ${res.status}, no CSRF token or cookie`);
  return { cookie, token };
}

/** A full code flow for the first seeded citizen; the access token it ends with. */
async function accessToken(base: string, seed: IdentitySeed): Promise<string> {
  const jar = benchJar(base);
  const form = await loginForm(jar);
  const login = await jar.post(`${PUBLIC_ORIGIN}/account/login`, { mobile: seed.mobiles[0]!, password: seed.password, _csrf: form.token });
  await login.body?.cancel();
  if (login.status !== 303) throw new Error(`POST /account/login: HTTP ${login.status}`);
  const verifier = randomBytes(32).toString('base64url');
  const params = new URLSearchParams({
    client_id: seed.clientId,
    redirect_uri: BENCH_RP_REDIRECT,
    response_type: 'code',
    scope: 'openid profile',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    state: randomBytes(8).toString('hex'),
  });
  let end = await jar.follow(`${PUBLIC_ORIGIN}/oidc/auth?${params}`, BENCH_RP_REDIRECT);
  const action = /action="([^"]+\/confirm)"/.exec(end.body)?.[1];
  if (action) {
    const res = await jar.post(action, { _csrf: csrfIn(end.body) ?? '' });
    await res.body?.cancel();
    const refresh = /^0;url=(.+)$/.exec(res.headers.get('refresh') ?? '')?.[1] ?? res.headers.get('location');
    if (!refresh) throw new Error(`consent: HTTP ${res.status}, no way back to the provider`);
    end = await jar.follow(new URL(refresh, PUBLIC_ORIGIN).href, BENCH_RP_REDIRECT);
  }
  const code = end.url.startsWith(BENCH_RP_REDIRECT) ? new URL(end.url).searchParams.get('code') : null;
  if (!code) throw new Error(`authorisation ended at ${end.url} without a code: ${end.body.slice(0, 300)}`);
  const res = await fetch(`${base}/oidc/token`, {
    method: 'POST',
    headers: { ...PROXIED, authorization: basic(seed), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: BENCH_RP_REDIRECT, code_verifier: verifier }).toString(),
  });
  const tokens = (await res.json()) as { access_token?: string };
  if (!tokens.access_token) throw new Error(`token exchange: HTTP ${res.status} ${JSON.stringify(tokens)}`);
  return tokens.access_token;
}

function basic(seed: IdentitySeed): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(seed.clientId)}:${encodeURIComponent(seed.clientSecret)}`).toString('base64')}`;
}

/** The three endpoints, ready to load: needs the app running on `base`. */
export async function identityEndpoints(base: string, seed: IdentitySeed): Promise<Endpoint[]> {
  const token = await accessToken(base, seed);
  const form = await loginForm(benchJar(base));
  const loginBody = (i: number) => new URLSearchParams({ mobile: seed.mobiles[i % seed.mobiles.length]!, password: seed.password, _csrf: form.token }).toString();
  let n = 0;
  const formHeaders = { ...PROXIED, 'content-type': 'application/x-www-form-urlencoded' };
  return [
    {
      name: 'POST /account/login (password, Argon2id)',
      path: '/account/login',
      method: 'POST',
      headers: { ...formHeaders, cookie: form.cookie, 'x-forwarded-for': '198.18.0.1' },
      body: loginBody(0),
      status: 303,
      contentType: '',
      // Round-robin over the accounts, and a new client address every request (see above).
      setupRequest: (req) => {
        n++;
        req.body = loginBody(n);
        req.headers = { ...req.headers, 'x-forwarded-for': `198.18.${(n >> 8) & 255}.${n & 255}` };
        return req;
      },
    },
    { name: 'GET /oidc/me (userinfo)', path: '/oidc/me', headers: { ...PROXIED, accept: 'application/json', authorization: `Bearer ${token}` }, contentType: 'application/json' },
    {
      name: 'POST /oidc/token/introspection',
      path: '/oidc/token/introspection',
      method: 'POST',
      headers: { ...formHeaders, accept: 'application/json', authorization: basic(seed) },
      body: new URLSearchParams({ token }).toString(),
      contentType: 'application/json',
    },
  ];
}
