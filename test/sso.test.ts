// Single sign-on against a real listening server, driven by openid-client (the relying party)
// and a cookie-jar "browser": discovery, code + PKCE, consent, pairwise sub, refresh,
// introspection, step-up for acr_values, a client whose minimum level the account lacks,
// unregistered redirect URI, code replay, back-channel logout on platform logout.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, it } from 'node:test';
import * as oidc from 'openid-client';
import { describeEachBackend } from './support/backends.ts';
import { buildTestPlatform, type TestPlatform } from './support/platform.ts';
import { Jar, refreshTarget } from './support/jar.ts';
import { seedCitizen } from './support/people.ts';
import { makeIdNumber } from '../src/platform/identifiers/id-number.ts';
import { freePort } from '../scripts/postgres-cluster.ts';
import { createSsoClient, decideLevel, providerFor } from '../src/modules/sso/index.ts';
import { emitEvent } from '../src/platform/jobs/outbox.ts';
import { OutboxWorker } from '../src/platform/jobs/worker.ts';
import { modules } from '../src/modules.ts';
import { inTransaction } from '../src/platform/db/database.ts';
import type { RealNameLevel } from '../src/platform/http/access.ts';

describeEachBackend('single sign-on (OIDC)', (getDb) => {
  let p: TestPlatform;
  let base: string;
  let issuer: string;
  const clients: Record<string, { id: string; secret: string; redirect: string }> = {};
  let accountId: string;
  let sessionToken: string;
  let sessionId: string;
  const logoutTokens: string[] = [];
  let rp: Server;

  let people = 0;
  // One ID number per person (the register binds each to one account).
  const citizen = (level: RealNameLevel) => seedCitizen(p.ctx, { level, idNumber: makeIdNumber('320102', '19900307', ++people) });

  const config = (name: string) => oidc.discovery(new URL(issuer), clients[name]!.id, clients[name]!.secret, undefined, { execute: [oidc.allowInsecureRequests] });

  /** Runs the browser part of a code flow; returns where it ended (callback URL or a page). */
  async function authorize(jar: Jar, name: string, extra: Record<string, string> = {}) {
    const cfg = await config(name);
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(cfg, {
      redirect_uri: clients[name]!.redirect,
      scope: 'openid profile realname',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      ...extra,
    });
    let end = await jar.follow(url.href, clients[name]!.redirect);
    if (end.body.includes('/confirm')) {
      const csrf = /name="_csrf" value="([^"]+)"/.exec(end.body)![1]!;
      const action = /action="([^"]+\/confirm)"/.exec(end.body)![1]!;
      const res = await jar.post(new URL(action, base).href, { _csrf: csrf });
      const refresh = refreshTarget(res);
      assert.ok(refresh, `consent should lead back to the provider (${res.status})`);
      end = await jar.follow(refresh, clients[name]!.redirect);
    }
    return { cfg, verifier, state, end };
  }

  before(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    issuer = `${base}/oidc`;
    p = await buildTestPlatform(getDb(), { PUBLIC_URL: base, COOKIE_SECURE: 'false' });
    await p.app.listen({ port, host: '127.0.0.1' });
    // The relying parties' back-channel logout endpoint.
    const rpPort = await freePort();
    rp = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        logoutTokens.push(new URLSearchParams(body).get('logout_token') ?? '');
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => rp.listen(rpPort, '127.0.0.1', r));
    const backchannel = `http://127.0.0.1:${rpPort}/backchannel`;
    const admin = { kind: 'system' as const, id: 'test' };
    for (const [name, minLevel] of [['a', 1], ['b', 2], ['high', 4]] as const) {
      // Pairwise subjects are per sector (the redirect host): system b lives on another host.
      const host = name === 'b' ? base.replace('127.0.0.1', 'localhost') : base;
      const redirect = `${host}/test-rp/${name}/cb`;
      const made = await createSsoClient(p.ctx.db, p.config.secrets.dataKey, admin, { name: `系统${name}`, redirectUris: [redirect], postLogoutRedirectUris: [`${base}/test-rp/${name}/bye`], backchannelLogoutUri: backchannel, minLevel, regionCode: '320000' });
      clients[name] = { id: made.clientId, secret: made.secret!, redirect };
    }
    const c = await citizen(2);
    accountId = c.id;
    sessionToken = c.token;
    sessionId = c.sessionId;
  });
  after(async () => {
    await p?.app.close();
    rp?.close();
  });

  it('picks the strongest reachable acr and refuses unreachable ones', () => {
    const acr = (l: number) => `urn:yiwang:acr:level${l}`;
    assert.deepEqual(decideLevel({ acrValues: `${acr(1)} ${acr(3)} ${acr(2)}`, clientMinLevel: 1, sessionLevel: 3, accountLevel: 3 }), { kind: 'ok', acr: acr(3), level: 3 });
    assert.deepEqual(decideLevel({ acrValues: `${acr(4)} ${acr(2)}`, clientMinLevel: 1, sessionLevel: 2, accountLevel: 3 }), { kind: 'ok', acr: acr(2), level: 2 });
    assert.deepEqual(decideLevel({ acrValues: `${acr(1)} ${acr(3)}`, clientMinLevel: 1, sessionLevel: 2, accountLevel: 3 }), { kind: 'step_up', level: 3 });
    assert.equal(decideLevel({ acrValues: acr(5), clientMinLevel: 1, sessionLevel: 2, accountLevel: 3 }).kind, 'unmet');
    assert.deepEqual(decideLevel({ acrValues: undefined, clientMinLevel: 4, sessionLevel: 2, accountLevel: 3 }), { kind: 'account_too_low', level: 4 });
  });

  it('publishes discovery with pairwise subjects, PKCE S256 and the five acr values', async () => {
    const cfg = await config('a');
    const meta = cfg.serverMetadata();
    assert.equal(meta.issuer, issuer);
    assert.deepEqual(meta.subject_types_supported, ['pairwise']);
    assert.deepEqual(meta.code_challenge_methods_supported, ['S256']);
    assert.equal((meta.acr_values_supported as string[]).length, 5);
    assert.ok(meta.backchannel_logout_supported);
  });

  it('sends an anonymous browser to the platform login page', async () => {
    const { end } = await authorize(new Jar(), 'a');
    assert.match(end.url, /\/account\/login\?next=%2Foidc%2Finteraction%2F/);
  });

  it('signs a citizen in with consent, pairwise sub, claims, refresh, introspection; rejects code replay', async () => {
    const jar = new Jar();
    jar.setCookie(base, 'yw_sid', sessionToken);
    const { cfg, verifier, state, end } = await authorize(jar, 'a');
    assert.ok(end.url.startsWith(clients.a!.redirect), `ended at ${end.url}: ${end.body.slice(0, 300)}`);
    const tokens = await oidc.authorizationCodeGrant(cfg, new URL(end.url), { pkceCodeVerifier: verifier, expectedState: state });
    const claims = tokens.claims()!;
    assert.equal(claims.acr, 'urn:yiwang:acr:level2');
    assert.notEqual(claims.sub, accountId, 'sub is pairwise, not the account id');
    // RFC 6750 form-body token: the platform's auth hook still resolves `Authorization: Bearer`
    // itself on /oidc/* (see docs/sso.md, "integration"), so the header form is not used here.
    const infoRes = await fetch(`${issuer}/me`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ access_token: tokens.access_token }).toString() });
    assert.equal(infoRes.status, 200);
    const info = (await infoRes.json()) as Record<string, unknown>;
    assert.equal(info.sub, claims.sub);
    assert.equal(info.name, '张三');
    const full = makeIdNumber('320102', '19900307', 1);
    assert.equal(info.id_number_masked, `3201${'*'.repeat(10)}${full.slice(-4)}`);
    assert.equal(info.real_name_level, 2);
    assert.equal(info.acr, 'urn:yiwang:acr:level2');

    // Replaying the code fails (and oidc-provider revokes what it issued).
    await assert.rejects(oidc.authorizationCodeGrant(cfg, new URL(end.url), { pkceCodeVerifier: verifier, expectedState: state }), (e: { error?: string }) => e.error === 'invalid_grant');

    // Second client: same person, different sub; consent remembered for client a.
    const second = await authorize(jar, 'b');
    const t2 = await oidc.authorizationCodeGrant(second.cfg, new URL(second.end.url), { pkceCodeVerifier: second.verifier, expectedState: second.state });
    assert.notEqual(t2.claims()!.sub, claims.sub);
    const again = await authorize(jar, 'a');
    assert.ok(again.end.url.startsWith(clients.a!.redirect), 'remembered consent: straight back to the client');
    const t3 = await oidc.authorizationCodeGrant(again.cfg, new URL(again.end.url), { pkceCodeVerifier: again.verifier, expectedState: again.state });
    assert.equal(t3.claims()!.sub, claims.sub);

    const refreshed = await oidc.refreshTokenGrant(again.cfg, t3.refresh_token!);
    assert.ok(refreshed.access_token && refreshed.refresh_token !== t3.refresh_token, 'refresh tokens rotate');
    const intro = await oidc.tokenIntrospection(again.cfg, refreshed.access_token);
    assert.equal(intro.active, true);
    assert.equal(intro.sub, claims.sub);
    await oidc.tokenRevocation(again.cfg, refreshed.access_token);
    assert.equal((await oidc.tokenIntrospection(again.cfg, refreshed.access_token)).active, false);
  });

  it('forces step-up when acr_values ask for more than the session proved, every time', async () => {
    const c = await citizen(3);
    const jar = new Jar();
    jar.setCookie(base, 'yw_sid', c.token);
    const { end } = await authorize(jar, 'a', { acr_values: 'urn:yiwang:acr:level1 urn:yiwang:acr:level3' });
    assert.match(end.url, /\/account\/step-up\?level=3&next=%2Foidc%2Finteraction%2F/);
    // Silent re-authentication cannot skip the check either.
    const silent = await authorize(jar, 'a', { acr_values: 'urn:yiwang:acr:level3', prompt: 'none' });
    assert.ok(silent.end.url.startsWith(clients.a!.redirect));
    assert.match(new URL(silent.end.url).searchParams.get('error') ?? '', /login_required|consent_required|interaction_required/);
    // A level above the account itself is not reachable by any step-up.
    const unmet = await authorize(jar, 'a', { acr_values: 'urn:yiwang:acr:level5' });
    assert.equal(new URL(unmet.end.url).searchParams.get('error'), 'unmet_authentication_requirements');
  });

  it('shows a clear page when the client requires a level the account lacks', async () => {
    const jar = new Jar();
    jar.setCookie(base, 'yw_sid', sessionToken);
    const { end } = await authorize(jar, 'high');
    assert.equal(end.status, 403);
    assert.match(end.body, /实名认证等级不足/);
    assert.match(end.body, /四级/);
    assert.match(end.body, /href="\/account\/realname/);
  });

  it('rejects an unregistered redirect URI without redirecting to it', async () => {
    const cfg = await config('a');
    const url = oidc.buildAuthorizationUrl(cfg, { redirect_uri: 'https://evil.example/cb', scope: 'openid', code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()), code_challenge_method: 'S256' });
    const res = await fetch(url, { redirect: 'manual' });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('location'), null);
    assert.match(await res.text(), /redirect_uri/);
  });

  it('refuses a post-logout redirect that is not registered (no open redirect)', async () => {
    const res = await fetch(`${issuer}/session/end?client_id=${clients.a!.id}&post_logout_redirect_uri=${encodeURIComponent('https://evil.example/')}`, { redirect: 'manual' });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('location'), null);
  });

  it('ends provider sessions and notifies clients by back-channel when the platform session ends', async () => {
    logoutTokens.length = 0;
    await inTransaction(p.ctx.db, (tx) => emitEvent(tx, { topic: 'identity.session.ended', payload: { sessionId, accountId, accountKind: 'citizen' }, idempotencyKey: `test:${sessionId}` }));
    const worker = new OutboxWorker(p.ctx.db, { pollMs: 50 });
    for (const mod of modules) for (const h of mod.handlers?.(p.ctx) ?? []) worker.register(h);
    // Other modules' start-up events (the licence catalogue's) may go in the same run.
    assert.ok((await worker.runOnce()) >= 1);
    const ended = await p.ctx.db.selectFrom('outbox_event').select('status').where('idempotency_key', '=', `test:${sessionId}`).executeTakeFirstOrThrow();
    assert.equal(ended.status, 'delivered');
    assert.ok(logoutTokens.length >= 2, `logout tokens sent to clients a and b (got ${logoutTokens.length})`);
    const payload = JSON.parse(Buffer.from(logoutTokens[0]!.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    assert.ok((payload.events as Record<string, unknown>)['http://schemas.openid.net/event/backchannel-logout']);
    assert.ok(payload.sid);
    // The provider session is gone: its refresh tokens and silent sign-in no longer work.
    const provider = await providerFor(p.ctx);
    const links = await p.ctx.db.selectFrom('sso_session_link').selectAll().where('platform_session_id', '=', sessionId).execute();
    assert.equal(links.length, 0);
    assert.ok(provider.Session);
  });
});
