// Federation between two real nodes, each with its own database and listening server:
// node A (南京, city) is the peer identity provider, node B (the province) trusts it. A person
// signed in at A signs in at B through A's /oidc and confirms the account found by ID number;
// B pushes registrations to A acting as the national node, signed with SM2.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachBackend, type TestDatabase } from './support/backends.ts';
import { buildTestPlatform, type TestPlatform } from './support/platform.ts';
import { freePort } from '../scripts/postgres-cluster.ts';
import { createSsoClient } from '../src/modules/sso/index.ts';
import { addPeer, countRegistrations, federationModule, nodeIdentity, REGISTRATIONS_PATH, setPeerEnabled } from '../src/modules/federation/index.ts';
import { emitEvent, type OutboxEvent } from '../src/platform/jobs/outbox.ts';
import { OutboxWorker } from '../src/platform/jobs/worker.ts';
import { inTransaction } from '../src/platform/db/database.ts';
import { sm2Sign } from '../src/platform/crypto/sm2.ts';
import type { RealNameLevel } from '../src/platform/http/access.ts';
import { Jar } from './support/jar.ts';
import { seedCitizen } from './support/people.ts';

const ID_NUMBER = '320102199003070017';
const SYSTEM = { kind: 'system' as const, id: 'test' };


const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;

describeEachBackend('federation between nodes', (getDb, backend) => {
  let a: TestPlatform;
  let b: TestPlatform;
  let dbA: TestDatabase;
  let baseA: string;
  let baseB: string;
  let sessionAtA: string;
  let localAtB: string;

  const citizen = (p: TestPlatform, level: RealNameLevel, factors: Record<string, number>, idNumber = ID_NUMBER) => seedCitizen(p.ctx, { level, factors, idNumber });

  before(async () => {
    dbA = await backend.open();
    const [portA, portB] = [await freePort(), await freePort()];
    // Different host names, so the two nodes' cookies stay apart as in a real browser.
    baseA = `http://127.0.0.1:${portA}`;
    baseB = `http://localhost:${portB}`;
    a = await buildTestPlatform(dbA, { PUBLIC_URL: baseA, COOKIE_SECURE: 'false', NODE_ROLE: 'city', NODE_REGION_CODE: '320100' });
    b = await buildTestPlatform(getDb(), { PUBLIC_URL: baseB, COOKIE_SECURE: 'false' });
    await a.app.listen({ port: portA, host: '127.0.0.1' });
    await b.app.listen({ port: portB, host: '127.0.0.1' });

    // A registers B as a federation partner; B adds A to its trust list.
    const client = await createSsoClient(a.ctx.db, a.config.secrets.dataKey, SYSTEM, { name: '江苏省政务服务网（省节点）', redirectUris: [`${baseB}/federation/callback`], minLevel: 2, regionCode: '320100', federation: true });
    const keyA = await nodeIdentity(a.ctx, a.ctx.db);
    const peerA = { name: '南京市政务服务网', regionCode: '320100', issuer: `${baseA}/oidc`, clientId: client.clientId, clientSecret: client.secret!, publicKey: keyA.publicKey };
    await addPeer(b.ctx, SYSTEM, { ...peerA, peerId: '320100', kind: 'city' });
    await addPeer(b.ctx, SYSTEM, { ...peerA, peerId: 'off', kind: 'city', name: '已停用的节点' });
    await setPeerEnabled(b.ctx, SYSTEM, 'off', false);
    // For the pushes: A plays the national node for B, and trusts B's key.
    await addPeer(b.ctx, SYSTEM, { ...peerA, peerId: 'nation', kind: 'national', name: '国家政务服务平台' });
    const keyB = await nodeIdentity(b.ctx, b.ctx.db);
    await addPeer(a.ctx, SYSTEM, { peerId: '320000', name: '江苏省', kind: 'province', regionCode: '320000', issuer: `${baseB}/oidc`, clientId: 'unused', publicKey: keyB.publicKey });

    sessionAtA = (await citizen(a, 3, { password: Date.now(), totp: Date.now() })).token;
    localAtB = (await citizen(b, 4, { password: Date.now() })).id;
  });
  after(async () => {
    await a?.app.close();
    await b?.app.close();
    await dbA?.close();
  });

  async function signedInAtA() {
    const jar = new Jar({ consent: true });
    jar.setCookie(baseA, 'yw_sid', sessionAtA);
    return jar;
  }

  it('signs in at B with the account at A after confirmation, never above the level A asserted', async () => {
    const jar = await signedInAtA();
    const end = await jar.follow(`${baseB}/federation/login/320100?next=%2Faccount%2Fsecurity`);
    assert.equal(end.url, `${baseB}/federation/confirm`, `ended at ${end.url} (${end.status}): ${end.body.slice(0, 400)}`);
    assert.match(end.body, /将使用“南京市政务服务网”的认证结果登录您在本平台的账户/);
    assert.match(end.body, /张\*（3201\*+0017）/);
    assert.doesNotMatch(end.body, new RegExp(ID_NUMBER));

    // Without the page's CSRF token nothing happens.
    assert.equal((await jar.post(`${baseB}/federation/confirm`, {})).status, 403);
    const done = await jar.post(`${baseB}/federation/confirm`, { _csrf: csrfOf(end.body) });
    assert.equal(done.status, 303);
    assert.equal(done.headers.get('location'), '/account/security');
    assert.ok(jar.cookieHeader(baseB).includes('yw_sid='), 'B opened its own session');

    const login = await b.ctx.db.selectFrom('login_event').select(['level', 'account_id']).where('method', '=', 'federation:320100').executeTakeFirstOrThrow();
    assert.equal(login.account_id, localAtB);
    assert.equal(login.level, 3, 'min(A asserted 3, local account 4)');
    const link = await b.ctx.db.selectFrom('federation_link').selectAll().where('account_id', '=', localAtB).executeTakeFirstOrThrow();
    assert.equal(link.peer_id, '320100');
    const audit = await b.ctx.db.selectFrom('audit_log' as never).selectAll().where('action' as never, '=', 'federation.login' as never).execute();
    assert.equal(audit.length, 1);

    // The pending sign-in is spent, and the old form's token died with the anonymous binding.
    assert.equal(await b.ctx.db.selectFrom('federation_login').select('handle_hash').executeTakeFirst(), undefined);
    assert.equal((await jar.post(`${baseB}/federation/confirm`, { _csrf: csrfOf(end.body) })).status, 403);
  });

  it('creates a linked account (mobile proven here, level from the peer) when B has none', async () => {
    const other = await citizen(a, 3, { password: Date.now(), totp: Date.now() }, '32010519850101002X');
    const jar = new Jar({ consent: true });
    jar.setCookie(baseA, 'yw_sid', other.token);
    const page = await jar.follow(`${baseB}/federation/login/320100`);
    assert.equal(page.url, `${baseB}/federation/confirm`);
    assert.match(page.body, /本平台还没有与该身份证号码对应的账户/);
    const mobile = '13912345678';
    const sent = await jar.post(`${baseB}/federation/code`, { _csrf: csrfOf(page.body), mobile });
    assert.equal(sent.status, 200);
    const sms = /验证码为(\d{6})/.exec(b.externals.simulators!.smsMessages(mobile)[0]?.content ?? '')![1]!;
    const wrong = await jar.post(`${baseB}/federation/create`, { _csrf: csrfOf(page.body), mobile, code: '000000' });
    assert.equal(wrong.status, 400);
    const done = await jar.post(`${baseB}/federation/create`, { _csrf: csrfOf(page.body), mobile, code: sms });
    assert.equal(done.status, 303, await done.text());
    const evidence = await b.ctx.db.selectFrom('real_name_evidence').select(['account_id', 'level', 'reference']).where('method', '=', 'federation').executeTakeFirstOrThrow();
    assert.equal(evidence.level, 3);
    assert.match(evidence.reference, /^320100:/);
    const account = await b.ctx.db.selectFrom('citizen_account').select(['real_name_level', 'region_code']).where('id', '=', evidence.account_id).executeTakeFirstOrThrow();
    assert.deepEqual([account.real_name_level, account.region_code], [3, '320105']);
    const event = await b.ctx.db.selectFrom('outbox_event').select('topic').where('idempotency_key', '=', `identity.citizen.registered:${evidence.account_id}`).executeTakeFirst();
    assert.ok(event, 'the new account is pushed to the national node like any registration');
    await b.ctx.db.deleteFrom('outbox_event').where('idempotency_key', '=', `identity.citizen.registered:${evidence.account_id}`).execute();
  });

  it('releases the full ID number only to federation clients', async () => {
    const plain = await createSsoClient(a.ctx.db, a.config.secrets.dataKey, SYSTEM, { name: '普通业务系统', redirectUris: [`${baseB}/federation/callback`], minLevel: 2, regionCode: '320100' });
    await addPeer(b.ctx, SYSTEM, { peerId: 'plain', name: '普通系统冒充节点', kind: 'city', regionCode: '320100', issuer: `${baseA}/oidc`, clientId: plain.clientId, clientSecret: plain.secret!, publicKey: (await nodeIdentity(a.ctx, a.ctx.db)).publicKey });
    const jar = await signedInAtA();
    const end = await jar.follow(`${baseB}/federation/login/plain`);
    assert.equal(end.status, 401, 'no id_number released, so no link is possible');
    await setPeerEnabled(b.ctx, SYSTEM, 'plain', false);
  });

  it('refuses unknown and disabled peers', async () => {
    const jar = await signedInAtA();
    assert.equal((await jar.fetch(`${baseB}/federation/login/nobody`)).status, 404);
    assert.equal((await jar.fetch(`${baseB}/federation/login/off`)).status, 404);
  });

  it('refuses a tampered state, and a nonce that does not match the ID token', async () => {
    const jar = await signedInAtA();
    const cb = await jar.follow(`${baseB}/federation/login/320100`, `${baseB}/federation/callback`);
    const tampered = new URL(cb.url);
    tampered.searchParams.set('state', 'forged-state');
    assert.equal((await jar.fetch(tampered.href)).status, 401);
    // The failed attempt ended that sign-in: the genuine code is no use any more.
    assert.equal((await jar.fetch(cb.url)).status, 400);

    const again = await jar.follow(`${baseB}/federation/login/320100`, `${baseB}/federation/callback`);
    await b.ctx.db.updateTable('federation_login').set({ nonce: 'not-the-nonce-sent' }).execute();
    assert.equal((await jar.fetch(again.url)).status, 401);
    assert.equal(await b.ctx.db.selectFrom('federation_login').select('handle_hash').executeTakeFirst(), undefined);
  });

  it('pushes a registration to the national node once, signed, and retries when it is down', async () => {
    await inTransaction(b.ctx.db, (tx) => emitEvent(tx, { topic: 'identity.citizen.registered', payload: { accountId: localAtB }, idempotencyKey: `identity.citizen.registered:${localAtB}` }));
    const worker = new OutboxWorker(b.ctx.db, { pollMs: 50 });
    for (const h of federationModule.handlers!(b.ctx)) worker.register(h);
    assert.equal(await worker.runOnce(), 1);
    assert.equal(await countRegistrations(a.ctx.db, '320000'), 1);
    const row = await a.ctx.db.selectFrom('federation_registration').selectAll().executeTakeFirstOrThrow();
    assert.deepEqual([row.account_ref, row.region_code, row.level], [localAtB, '320102', 4]);

    // Delivered twice (a retry after a lost acknowledgement): stored once.
    const [handler] = federationModule.handlers!(b.ctx);
    const event = { id: 0, topic: 'identity.citizen.registered', payload: { accountId: localAtB }, idempotencyKey: 'x', regionCode: null, attempts: 1, createdAt: new Date() } as OutboxEvent;
    await inTransaction(b.ctx.db, (tx) => handler!.handle(event, tx as never));
    assert.equal(await countRegistrations(a.ctx.db, '320000'), 1);

    // A bad signature (a changed body) and an untrusted sender are refused.
    const keyB = await nodeIdentity(b.ctx, b.ctx.db);
    const body = JSON.stringify({ account: 'forged', level: 5, node: '320000', region: '320102', registeredAt: new Date().toISOString() });
    const ts = String(Date.now());
    const nonce = 'ab'.repeat(16);
    const sig = sm2Sign(Buffer.from(`YW-FED-REQ\nPOST\n${REGISTRATIONS_PATH}\n320000\n${ts}\n${nonce}\n${body.replace('forged', 'other')}`), keyB.privateKey).toString('base64');
    const headers = { 'content-type': 'application/json', 'x-yw-client': '320000', 'x-yw-timestamp': ts, 'x-yw-nonce': nonce, 'x-yw-signature': sig };
    assert.equal((await fetch(`${baseA}${REGISTRATIONS_PATH}`, { method: 'POST', headers, body })).status, 401);
    assert.equal((await fetch(`${baseA}${REGISTRATIONS_PATH}`, { method: 'POST', headers: { ...headers, 'x-yw-client': 'stranger' }, body })).status, 401);
    assert.equal(await countRegistrations(a.ctx.db, '320000'), 1);

    // The national node down: the handler throws, so the outbox retries later.
    await setPeerEnabled(b.ctx, SYSTEM, 'nation', false);
    await addPeer(b.ctx, SYSTEM, { peerId: 'nation-down', name: '国家节点（停机）', kind: 'national', regionCode: '100000', issuer: `http://127.0.0.1:${await freePort()}/oidc`, clientId: 'x', publicKey: keyB.publicKey });
    await assert.rejects(inTransaction(b.ctx.db, (tx) => handler!.handle(event, tx as never)));
    // No national node at all: nothing to send, and that is not a failure.
    await setPeerEnabled(b.ctx, SYSTEM, 'nation-down', false);
    await inTransaction(b.ctx.db, (tx) => handler!.handle(event, tx as never));
  });

  it('keeps the trust list page from anonymous visitors', async () => {
    const res = await b.app.inject({ method: 'GET', url: '/admin/federation/peers', headers: { accept: 'text/html' } });
    assert.notEqual(res.statusCode, 200, 'anonymous visitors are sent to log in');
  });
});
