// Peers' licence trust bundles (cross-region recognition, issue 8 item 7): this node
// downloads each enabled federation peer's `/licences/trust-bundle` (here a bare Fastify app
// standing in for another province), stores the envelope as published, keeps the last good
// one with the error when a download fails, and hands only enabled peers' envelopes to the
// verifier. The refresh is for platform and region administrators.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import type { LightMyRequestResponse } from 'fastify';
import { describeEachBackend } from './support/backends.ts';
import { Browser, buildTestPlatform, type TestPlatform } from './support/platform.ts';
import { freePort } from '../scripts/postgres-cluster.ts';
import { DEMO_PASSWORD } from '../demo/load.ts';
import { addPeer, setPeerEnabled } from '../src/modules/federation/index.ts';
import { peerBundles, refreshPeerBundles, startPeerBundleSchedule, TRUST_BUNDLE_PATH } from '../src/modules/licences/index.ts';
import { generateSm2KeyPair, sm2Sign } from '../src/platform/crypto/sm2.ts';

const SYSTEM = { kind: 'system' as const, id: 'test' };
const key = generateSm2KeyPair();

/** Shaped like the seals trust list envelope and signed like one (the verifier checks it, not us). */
function envelope(version: number, nextUpdate: string) {
  const content = JSON.stringify({ format: 'yiwang-licence-bundle/1', issuer: { regionCode: '330000', url: 'https://zwfw.zj.example' }, issuedAt: new Date().toISOString(), nextUpdate, version, signers: [], intermediates: [], statuses: [] });
  return { content, signatureAlgorithm: 'SM2-with-SM3', signature: sm2Sign(Buffer.from(content), key.privateKey).toString('base64'), signerChain: ['MIIBszCCAVmgAwIBAgIUQ0E=', 'MIIBrjCCAVSgAwIBAgIUUk9PVA=='] };
}

type Who = { browser: Browser; csrf: string };

describeEachBackend('peer licence trust bundles', (getDb) => {
  let p: TestPlatform;
  let peer: FastifyInstance;
  let malformed: FastifyInstance | undefined;
  let peerPort: number;
  let serving: { status: number; body: unknown };
  const staff: Record<string, Who> = {};

  const call = (who: Who | null, method: 'GET' | 'POST', url: string): Promise<LightMyRequestResponse> =>
    p.app.inject({ method, url, headers: { accept: 'application/json', ...(who ? { 'x-csrf-token': who.csrf, cookie: who.browser.cookieHeader } : {}) } });
  const row = (peerId: string) => p.ctx.db.selectFrom('licence_peer_bundle').selectAll().where('peer_id', '=', peerId).executeTakeFirstOrThrow();

  async function startPeer(): Promise<void> {
    peer = Fastify();
    peer.get(TRUST_BUNDLE_PATH, async (_req, reply) => reply.code(serving.status).send(serving.body));
    await peer.listen({ port: peerPort, host: '127.0.0.1' });
  }

  before(async () => {
    p = await buildTestPlatform(getDb());
    peerPort = await freePort();
    serving = { status: 200, body: envelope(1, '2031-01-02T00:00:00.000Z') };
    await startPeer();
    const otherPort = await freePort();
    malformed = Fastify();
    malformed.get(TRUST_BUNDLE_PATH, async () => ({ content: '{}', signature: 'c2ln' }));
    await malformed.listen({ port: otherPort, host: '127.0.0.1' });
    const base = { clientId: 'unused', publicKey: key.publicKey };
    await addPeer(p.ctx, SYSTEM, { ...base, peerId: '330000', name: '浙江省', kind: 'province', regionCode: '330000', issuer: `http://127.0.0.1:${peerPort}/oidc` });
    await addPeer(p.ctx, SYSTEM, { ...base, peerId: '340000', name: '安徽省', kind: 'province', regionCode: '340000', issuer: `http://127.0.0.1:${otherPort}/oidc` });
    await addPeer(p.ctx, SYSTEM, { ...base, peerId: 'off', name: '已停用', kind: 'city', regionCode: '330100', issuer: `http://127.0.0.1:${peerPort}/oidc` });
    await setPeerEnabled(p.ctx, SYSTEM, 'off', false);
    for (const name of ['js-admin', 'nj-clerk']) {
      const b = new Browser(p.app);
      await b.login(name, DEMO_PASSWORD);
      staff[name] = { browser: b, csrf: Browser.csrfFrom((await b.get('/staff')).body) };
    }
  });
  after(async () => {
    await peer?.close();
    await malformed?.close();
    await p?.app.close();
  });

  it('lets only platform and region administrators refresh', async () => {
    // Without a session there is no CSRF token either: refused before the access check.
    assert.equal((await call(null, 'POST', '/api/v1/licences/peer-bundles/refresh')).statusCode, 403);
    assert.equal((await call(null, 'GET', '/api/v1/licences/peer-bundles')).statusCode, 401);
    assert.equal((await call(staff['nj-clerk']!, 'POST', '/api/v1/licences/peer-bundles/refresh')).statusCode, 403);
    assert.equal((await call(staff['nj-clerk']!, 'GET', '/api/v1/licences/peer-bundles')).statusCode, 403);
    assert.equal(await p.ctx.db.selectFrom('licence_peer_bundle').select('peer_id').executeTakeFirst(), undefined, 'nothing was fetched');
  });

  it('stores each enabled peer’s envelope as published and refuses a malformed one', async () => {
    const res = await call(staff['js-admin']!, 'POST', '/api/v1/licences/peer-bundles/refresh');
    assert.equal(res.statusCode, 200, res.body);
    const results = (res.json() as { results: { peerId: string; ok: boolean; error?: string; url: string }[] }).results.sort((a, b) => a.peerId.localeCompare(b.peerId));
    assert.deepEqual(results.map((r) => [r.peerId, r.ok, r.error]), [
      ['330000', true, undefined],
      ['340000', false, '信任包格式错误：缺少 signerChain'],
    ]);
    assert.equal(results[0]!.url, `http://127.0.0.1:${peerPort}${TRUST_BUNDLE_PATH}`);
    const stored = await row('330000');
    assert.deepEqual(stored.envelope, serving.body);
    assert.equal(stored.next_update?.toISOString(), '2031-01-02T00:00:00.000Z');
    assert.equal(stored.last_error, null);
    const bad = await row('340000');
    assert.equal(bad.envelope, null);
    assert.equal(bad.last_error, '信任包格式错误：缺少 signerChain');
    assert.deepEqual(await peerBundles(p.ctx).bundles(), [serving.body]);
    const audit = await p.ctx.db.selectFrom('audit_log' as never).selectAll().where('action' as never, '=', 'licence.peer_bundles.refresh' as never).execute();
    assert.equal(audit.length, 1);
  });

  it('replaces the bundle with a newer one, and keeps the last good one when the peer fails or is down', async () => {
    const v2 = envelope(2, '2031-02-03T00:00:00.000Z');
    serving = { status: 200, body: v2 };
    await refreshPeerBundles(p.ctx, { peerId: '330000' });
    assert.deepEqual((await row('330000')).envelope, v2);

    serving = { status: 500, body: { error: 'internal' } };
    const [failed] = await refreshPeerBundles(p.ctx, { peerId: '330000' });
    assert.deepEqual([failed!.ok, failed!.error], [false, '对方返回 HTTP 500']);
    let kept = await row('330000');
    assert.deepEqual(kept.envelope, v2, 'the last good bundle stays');
    assert.equal(kept.last_error, '对方返回 HTTP 500');
    assert.ok(kept.last_attempt_at.getTime() >= kept.fetched_at!.getTime());

    serving = { status: 200, body: 'not json at all' };
    assert.equal((await refreshPeerBundles(p.ctx, { peerId: '330000' }))[0]!.ok, false);

    await peer.close();
    const [down] = await refreshPeerBundles(p.ctx, { peerId: '330000' });
    assert.equal(down!.ok, false);
    kept = await row('330000');
    assert.deepEqual(kept.envelope, v2);
    assert.match(kept.last_error ?? '', /^无法连接对方节点/, 'the connection failure is recorded');
    assert.deepEqual(await peerBundles(p.ctx).bundles(), [v2]);

    const listed = await call(staff['js-admin']!, 'GET', '/api/v1/licences/peer-bundles');
    assert.equal(listed.statusCode, 200);
    const zj = (listed.json() as { items: { peerId: string; lastError: string | null; fetchedAt: string | null }[] }).items.find((i) => i.peerId === '330000')!;
    assert.equal(zj.lastError, kept.last_error);
    assert.equal(zj.fetchedAt, kept.fetched_at!.toISOString());

    // Back up: the scheduled refresh picks up the new bundle and clears the error.
    const v3 = envelope(3, '2031-03-04T00:00:00.000Z');
    serving = { status: 200, body: v3 };
    await startPeer();
    const schedule = startPeerBundleSchedule(p.ctx, { firstRunMs: 3_600_000 });
    await schedule.runOnce();
    await schedule.stop();
    kept = await row('330000');
    assert.deepEqual([kept.envelope, kept.last_error], [v3, null]);
  });

  it('hands the verifier only the bundles of peers still enabled', async () => {
    await setPeerEnabled(p.ctx, SYSTEM, '330000', false);
    assert.deepEqual(await peerBundles(p.ctx).bundles(), []);
    const results = await refreshPeerBundles(p.ctx);
    assert.deepEqual(results.map((r) => r.peerId), ['340000'], 'a disabled peer is not fetched either');
    await setPeerEnabled(p.ctx, SYSTEM, '330000', true);
    assert.equal((await peerBundles(p.ctx).bundles()).length, 1);
  });
});
