// The licence catalogue pushed to the national node (issue 8 item 7), between two real nodes
// with their own databases and listening servers: P (江苏, province) pushes every
// `licence_type.changed` through the outbox to N (the national node), signed with SM2; N
// stores the latest definition per (node, code) once, refuses unsigned and forged pushes,
// and its public listing flags a type code whose definition differs between nodes.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachBackend, type TestDatabase } from './support/backends.ts';
import { buildTestPlatform, type TestPlatform } from './support/platform.ts';
import { freePort } from '../scripts/postgres-cluster.ts';
import { addPeer, nodeIdentity, pushSigned, setPeerEnabled, type FederationPeer } from '../src/modules/federation/index.ts';
import { DEMO_LICENCE_TYPES, definitionSm3, LICENCE_TYPES_PATH, licenceServiceFor, nationalPushHandler, type LicenceType } from '../src/modules/licences/index.ts';
import type { OutboxEvent } from '../src/platform/jobs/outbox.ts';
import { OutboxWorker } from '../src/platform/jobs/worker.ts';
import { inTransaction } from '../src/platform/db/database.ts';
import { generateSm2KeyPair, sm2Sign } from '../src/platform/crypto/sm2.ts';
import { canonicalJson } from '../src/platform/audit/audit.ts';

const SYSTEM = { kind: 'system' as const, id: 'test' };
const FOOD = DEMO_LICENCE_TYPES.find((t) => t.key === 'food_business')!;
const MARRIAGE = DEMO_LICENCE_TYPES.find((t) => t.key === 'marriage')!;

interface Listed {
  code: string;
  consistent: boolean;
  versions: { sm3: string; nodes: { node: string; own: boolean }[] }[];
}

describeEachBackend('licence catalogue pushed to the national node', (getDb, backend) => {
  let n: TestPlatform;
  let p: TestPlatform;
  let dbN: TestDatabase;
  let baseN: string;
  let nationalPeer: FederationPeer;
  const zhejiang = generateSm2KeyPair();

  const rowsAtN = (node = '320000') => n.ctx.db.selectFrom('national_licence_type').selectAll().where('node', '=', node).orderBy('code').execute();
  const auditsAtN = (action: string) => n.ctx.db.selectFrom('audit_log' as never).selectAll().where('action' as never, '=', action as never).execute();
  const listing = async (): Promise<Listed[]> => {
    const res = await fetch(`${baseN}/api/v1/national/licence-types`, { headers: { accept: 'application/json' } });
    assert.equal(res.status, 200);
    return ((await res.json()) as { items: Listed[] }).items;
  };
  const workerAtP = () => new OutboxWorker(p.ctx.db, { pollMs: 50, backoffMs: () => 0 }).register(nationalPushHandler(p.ctx));
  const pendingPushes = async () =>
    Number((await p.ctx.db.selectFrom('outbox_event').select((eb) => eb.fn.countAll<string>().as('n')).where('topic', '=', 'licence_type.changed').where('status', '=', 'pending').executeTakeFirstOrThrow()).n);

  before(async () => {
    dbN = await backend.open();
    const [portN, portP] = [await freePort(), await freePort()];
    baseN = `http://127.0.0.1:${portN}`;
    const baseP = `http://127.0.0.1:${portP}`;
    n = await buildTestPlatform(dbN, { PUBLIC_URL: baseN, COOKIE_SECURE: 'false', NODE_ROLE: 'national', NODE_REGION_CODE: '100000' });
    p = await buildTestPlatform(getDb(), { PUBLIC_URL: baseP, COOKIE_SECURE: 'false' });
    await n.app.listen({ port: portN, host: '127.0.0.1' });
    await p.app.listen({ port: portP, host: '127.0.0.1' });

    // Each side lists the other with its SM2 key, as the administrators would.
    const keyN = await nodeIdentity(n.ctx, n.ctx.db);
    const keyP = await nodeIdentity(p.ctx, p.ctx.db);
    await addPeer(p.ctx, SYSTEM, { peerId: '100000', name: '国家政务服务平台', kind: 'national', regionCode: '100000', issuer: `${baseN}/oidc`, clientId: 'unused', publicKey: keyN.publicKey });
    await addPeer(n.ctx, SYSTEM, { peerId: '320000', name: '江苏省', kind: 'province', regionCode: '320000', issuer: `${baseP}/oidc`, clientId: 'unused', publicKey: keyP.publicKey });
    await addPeer(n.ctx, SYSTEM, { peerId: '330000', name: '浙江省', kind: 'province', regionCode: '330000', issuer: 'http://127.0.0.1:9/oidc', clientId: 'unused', publicKey: zhejiang.publicKey });
    nationalPeer = { peerId: '100000', name: '国家', kind: 'national', regionCode: '100000', issuer: `${baseN}/oidc`, clientId: 'unused', clientSecretSealed: null, publicKey: keyN.publicKey, enabled: true, createdAt: new Date() };
  });
  after(async () => {
    await p?.app.close();
    await n?.app.close();
    await dbN?.close();
  });

  it('pushes the start-up catalogue once, and a change replaces the stored definition', async () => {
    // Start-up left one event per type in P's outbox, waiting for this handler.
    assert.equal(await pendingPushes(), DEMO_LICENCE_TYPES.length);
    const worker = workerAtP();
    assert.equal(await worker.runOnce(), DEMO_LICENCE_TYPES.length);
    assert.equal(await pendingPushes(), 0);
    const rows = await rowsAtN();
    assert.equal(rows.length, DEMO_LICENCE_TYPES.length);
    const food = rows.find((r) => r.code === FOOD.code)!;
    assert.equal(food.content_sm3, definitionSm3(FOOD));
    assert.deepEqual(food.definition, JSON.parse(JSON.stringify(FOOD)));
    assert.equal((await auditsAtN('licence.national_type.receive')).length, DEMO_LICENCE_TYPES.length);

    // Same source, same definitions: every type code is consistent between N's own and P's.
    for (const item of await listing()) {
      assert.equal(item.consistent, true, item.code);
      assert.deepEqual(item.versions[0]!.nodes.map((x) => x.node).sort(), ['100000', '320000']);
    }

    // The province changes the food licence: one new event, one replacement at N, audited.
    const changed: LicenceType = { ...FOOD, validity: { kind: 'years', years: 3 } };
    const catalogue = DEMO_LICENCE_TYPES.map((t) => (t.code === FOOD.code ? changed : t));
    assert.deepEqual(await licenceServiceFor(p.ctx).syncCatalogue(catalogue, SYSTEM), [FOOD.code]);
    assert.equal(await worker.runOnce(), 1);
    const after = (await rowsAtN()).find((r) => r.code === FOOD.code)!;
    assert.equal(after.content_sm3, definitionSm3(changed));
    assert.ok(after.changed_at.getTime() > food.changed_at.getTime());
    const updates = await auditsAtN('licence.national_type.update');
    assert.equal(updates.length, 1);
    const flagged = (await listing()).find((i) => i.code === FOOD.code)!;
    assert.equal(flagged.consistent, false, 'N still holds the 5-year definition, P now uses 3 years');
    assert.deepEqual(flagged.versions.map((v) => v.nodes.map((x) => x.node)).sort(), [['100000'], ['320000']]);
  });

  it('stores nothing new for a redelivery, and never lets an older definition undo a newer one', async () => {
    const handler = nationalPushHandler(p.ctx);
    const current = (await rowsAtN()).find((r) => r.code === FOOD.code)!;
    // A redelivery of the latest change (an acknowledgement lost on the way back).
    const replay = { id: 0, topic: 'licence_type.changed', payload: { code: FOOD.code, key: FOOD.key, name: FOOD.name, definition: current.definition }, idempotencyKey: 'x', regionCode: null, attempts: 2, createdAt: current.changed_at } as OutboxEvent;
    await inTransaction(p.ctx.db, (tx) => handler.handle(replay, tx));
    const audits = (await auditsAtN('licence.national_type.update')).length + (await auditsAtN('licence.national_type.receive')).length;

    // The original definition, delivered late after a retry: older, so refused as stale.
    const identity = await nodeIdentity(p.ctx, p.ctx.db);
    const old = { node: '320000', code: FOOD.code, key: FOOD.key, name: FOOD.name, definition: FOOD, sm3: definitionSm3(FOOD), changedAt: new Date(current.changed_at.getTime() - 60_000).toISOString() };
    assert.deepEqual(await pushSigned(identity, nationalPeer, LICENCE_TYPES_PATH, old), { status: 'ok', outcome: 'stale', duplicate: false });
    const again = { ...old, definition: current.definition, sm3: current.content_sm3, changedAt: current.changed_at.toISOString() };
    assert.deepEqual(await pushSigned(identity, nationalPeer, LICENCE_TYPES_PATH, again), { status: 'ok', outcome: 'duplicate', duplicate: true });

    const now = (await rowsAtN()).find((r) => r.code === FOOD.code)!;
    assert.equal(now.content_sm3, current.content_sm3);
    assert.equal(now.received_at.getTime(), current.received_at.getTime(), 'the row was not rewritten');
    assert.equal((await rowsAtN()).length, DEMO_LICENCE_TYPES.length);
    assert.equal((await auditsAtN('licence.national_type.update')).length + (await auditsAtN('licence.national_type.receive')).length, audits);
  });

  it('retries through the outbox while the national node is down, then delivers', async () => {
    // The national node moves to an address where nothing answers.
    const keyN = await nodeIdentity(n.ctx, n.ctx.db);
    await setPeerEnabled(p.ctx, SYSTEM, '100000', false);
    await addPeer(p.ctx, SYSTEM, { peerId: 'nation-down', name: '国家节点（停机）', kind: 'national', regionCode: '100000', issuer: `http://127.0.0.1:${await freePort()}/oidc`, clientId: 'x', publicKey: keyN.publicKey });
    const changed: LicenceType = { ...MARRIAGE, template: { ...MARRIAGE.template, title: '中华人民共和国结婚证（电子）' } };
    await licenceServiceFor(p.ctx).syncCatalogue(DEMO_LICENCE_TYPES.map((t) => (t.code === MARRIAGE.code ? changed : t.code === FOOD.code ? { ...FOOD, validity: { kind: 'years', years: 3 } } : t)), SYSTEM);
    const worker = workerAtP();
    assert.equal(await worker.runOnce(), 1);
    const failed = await p.ctx.db.selectFrom('outbox_event').select(['status', 'attempts', 'last_error']).where('topic', '=', 'licence_type.changed').orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.deepEqual([failed.status, failed.attempts], ['pending', 1]);
    assert.ok(failed.last_error, 'the failure is recorded for the operator');
    assert.notEqual((await rowsAtN()).find((r) => r.code === MARRIAGE.code)!.content_sm3, definitionSm3(changed));

    // Back up: the same event goes through on the next attempt.
    await setPeerEnabled(p.ctx, SYSTEM, 'nation-down', false);
    await setPeerEnabled(p.ctx, SYSTEM, '100000', true);
    assert.equal(await worker.runOnce(), 1);
    assert.equal(await pendingPushes(), 0);
    assert.equal((await rowsAtN()).find((r) => r.code === MARRIAGE.code)!.content_sm3, definitionSm3(changed));
  });

  it('skips the push without a national peer, and on the national node itself', async () => {
    const event = { id: 0, topic: 'licence_type.changed', payload: { code: FOOD.code, key: FOOD.key, name: FOOD.name, definition: FOOD }, idempotencyKey: 'y', regionCode: null, attempts: 1, createdAt: new Date() } as OutboxEvent;
    await setPeerEnabled(p.ctx, SYSTEM, '100000', false);
    await inTransaction(p.ctx.db, (tx) => nationalPushHandler(p.ctx).handle(event, tx));
    await setPeerEnabled(p.ctx, SYSTEM, '100000', true);
    // A national-kind entry on N (nobody listens there): N must not try to push to it.
    await addPeer(n.ctx, SYSTEM, { peerId: 'above', name: '不存在的上级', kind: 'national', regionCode: '100000', issuer: `http://127.0.0.1:${await freePort()}/oidc`, clientId: 'x', publicKey: zhejiang.publicKey });
    await inTransaction(n.ctx.db, (tx) => nationalPushHandler(n.ctx).handle(event, tx));
    await setPeerEnabled(n.ctx, SYSTEM, 'above', false);
  });

  it('refuses unsigned, forged and inconsistent pushes', async () => {
    const before = await n.ctx.db.selectFrom('national_licence_type').selectAll().execute();
    const message = { node: '320000', code: FOOD.code, key: FOOD.key, name: FOOD.name, definition: { ...FOOD, name: '伪造' }, sm3: definitionSm3({ ...FOOD, name: '伪造' }), changedAt: new Date().toISOString() };
    const post = (headers: Record<string, string>, body: unknown) =>
      fetch(`${baseN}${LICENCE_TYPES_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: canonicalJson(body) });
    const signedBy = (privateKey: string, sender: string, body: unknown) => {
      const ts = String(Date.now());
      const nonce = 'cd'.repeat(16);
      const signature = sm2Sign(Buffer.from(`YW-FED-REQ\nPOST\n${LICENCE_TYPES_PATH}\n${sender}\n${ts}\n${nonce}\n${canonicalJson(body)}`), privateKey).toString('base64');
      return { 'x-yw-client': sender, 'x-yw-timestamp': ts, 'x-yw-nonce': nonce, 'x-yw-signature': signature };
    };
    assert.equal((await post({}, message)).status, 401, 'unsigned');
    const stranger = generateSm2KeyPair();
    assert.equal((await post(signedBy(stranger.privateKey, '320000', message), message)).status, 401, 'signed with a key that is not P’s');
    assert.equal((await post(signedBy(stranger.privateKey, 'stranger', { ...message, node: 'stranger' }), { ...message, node: 'stranger' })).status, 401, 'unknown sender');
    const keyP = await nodeIdentity(p.ctx, p.ctx.db);
    const signedHeaders = signedBy(keyP.privateKey, '320000', message);
    assert.equal((await post(signedHeaders, { ...message, name: '另一个' })).status, 401, 'body changed after signing');
    // Correctly signed but not self-consistent: the hash must be the definition's, the node the sender.
    const wrongHash = { ...message, sm3: definitionSm3(FOOD) };
    const res = await post(signedBy(keyP.privateKey, '320000', wrongHash), wrongHash);
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { code: string }).code, 'FEDERATION_MESSAGE_INVALID');
    const asOther = { ...message, node: '330000' };
    assert.equal((await post(signedBy(keyP.privateKey, '320000', asOther), asOther)).status, 400, 'P may not file for another node');
    assert.deepEqual(await n.ctx.db.selectFrom('national_licence_type').selectAll().execute(), before);
  });

  it('flags a type code that a second node defines differently', async () => {
    const zj = { id: '330000', privateKey: zhejiang.privateKey, publicKey: zhejiang.publicKey };
    const ours = (await listing()).find((i) => i.code === MARRIAGE.code)!;
    assert.equal(ours.consistent, false, 'N still has its own marriage-certificate template');
    const birth = DEMO_LICENCE_TYPES.find((t) => t.key === 'birth_certificate')!;
    const same = { node: '330000', code: birth.code, key: birth.key, name: birth.name, definition: birth, sm3: definitionSm3(birth), changedAt: new Date().toISOString() };
    assert.equal(((await pushSigned(zj, nationalPeer, LICENCE_TYPES_PATH, same)) as { outcome: string }).outcome, 'created');
    let item = (await listing()).find((i) => i.code === birth.code)!;
    assert.equal(item.consistent, true);
    assert.deepEqual(item.versions[0]!.nodes.map((x) => x.node).sort(), ['100000', '320000', '330000']);

    const different = { ...birth, fields: birth.fields.filter((f) => f.key !== 'birthDate') };
    const push = { ...same, definition: different, sm3: definitionSm3(different), changedAt: new Date(Date.now() + 1000).toISOString() };
    assert.equal(((await pushSigned(zj, nationalPeer, LICENCE_TYPES_PATH, push)) as { outcome: string }).outcome, 'updated');
    item = (await listing()).find((i) => i.code === birth.code)!;
    assert.equal(item.consistent, false);
    assert.deepEqual(item.versions.map((v) => [v.sm3, v.nodes.map((x) => x.node).sort()]), [
      [definitionSm3(birth), ['100000', '320000']],
      [definitionSm3(different), ['330000']],
    ]);
  });
});
