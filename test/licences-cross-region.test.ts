// Cross-region recognition (跨区域互认) and licences as case materials: a Zhejiang node issues
// a 食品经营许可证 to a Jiangsu applicant; Jiangsu does not believe its QR code until the
// Zhejiang root is on the trust list and Zhejiang's licence bundle has been fetched; then the
// code verifies online and is accepted as a case material (recorded by its identifier), but
// not from someone else; once Zhejiang revokes it, Jiangsu refuses it from its next bundle
// refresh on. This node's own licences are accepted by identifier only from their holder,
// only when valid and only for a material of their type.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend, type TestDatabase } from './support/backends.ts';
import { buildTestPlatform, type TestPlatform } from './support/platform.ts';
import { licenceBed, type LicenceBed } from './support/licences.ts';
import { foodLicenceImplementation } from './support/catalog-fixtures.ts';
import Fastify from 'fastify';
import { freePort } from '../scripts/postgres-cluster.ts';
import { makeCreditCode } from '../src/platform/identifiers/credit-code.ts';
import { inTransaction } from '../src/platform/db/database.ts';
import { PersonalDataCipher } from '../src/platform/crypto/personal-data.ts';
import { fileStoreFromConfig } from '../src/platform/files/index.ts';
import type { Actor } from '../src/platform/http/access.ts';
import { addPeer } from '../src/modules/federation/index.ts';
import { createCatalogService } from '../src/modules/catalog/index.ts';
import { RegionService } from '../src/modules/regions/index.ts';
import { caServiceFor, sealServiceFor, trustServiceFor } from '../src/modules/seals/index.ts';
import { DEMO_LICENCE_TYPES, licenceCatalogueStep, licenceServiceFor, qrTextFromPdf, refreshPeerBundles } from '../src/modules/licences/index.ts';
// eslint-disable-next-line no-restricted-imports -- the other node issues directly through its one issuing path
import { issueLicence } from '../src/modules/licences/issue.ts';
import { generateSm2KeyPair } from '../src/platform/crypto/sm2.ts';

const SYSTEM = { kind: 'system' as const, id: 'test' };

describeEachBackend('licences: cross-region recognition and licences as case materials', (getDb, backend) => {
  let js: TestPlatform;
  let zj: TestPlatform;
  let zjDb: TestDatabase;
  let bed: LicenceBed;
  let szImpl: string;
  let zjToken: string;
  let zjIdentifier: string;
  let zjApprover: Actor;

  before(async () => {
    js = await buildTestPlatform(getDb());
    bed = await licenceBed(js);
    await bed.issueSeal();
    // A Suzhou implementation whose second material is a food licence, given as an e-licence.
    const sz = (await new RegionService(js.ctx.db).organisations('320500')).find((o) => o.name === '苏州市市场监督管理局')!;
    const catalog = createCatalogService(js.ctx.db);
    const impl = await catalog.createImplementation(foodLicenceImplementation(bed.basicId, '320500', sz.id, {
      materials: [
        { id: 'application', name: '食品经营许可申请书', form: 'electronic', count: 1, required: true, source: 'upload' },
        { id: 'food_licence', name: '原食品经营许可证', form: 'electronic', count: 1, required: true, source: 'licence', licenceType: 'food_business' },
      ],
    }), SYSTEM);
    await catalog.submit(impl.id, SYSTEM);
    await catalog.approve(impl.id, SYSTEM);
    szImpl = impl.id;

    // The Zhejiang node, listening, with a bureau, its seal, and a licence for our applicant.
    zjDb = await backend.open();
    const port = await freePort();
    const zjBase = `http://127.0.0.1:${port}`;
    zj = await buildTestPlatform(zjDb, { PUBLIC_URL: zjBase, COOKIE_SECURE: 'false', NODE_ROLE: 'province', NODE_REGION_CODE: '330000' });
    await zj.app.listen({ port, host: '127.0.0.1' });
    await licenceCatalogueStep.run({ config: zj.config, db: zj.ctx.db, log: zj.ctx.log });
    const creditCode = makeCreditCode('1', '1', '330100', 'MA100001');
    const org = await zj.ctx.db.insertInto('organisation').values({ region_code: '330100', name: '杭州市市场监督管理局', kind: 'department', credit_code: creditCode } as never).returning('id').executeTakeFirstOrThrow();
    const orgId = (org as { id: string }).id;
    const zjAdmin: Actor = { kind: 'staff', accountId: '00000000-0000-7000-8000-0000000000a1', displayName: '浙江省区划管理员', roles: ['region_admin'], orgId: null, regionCode: '330000', sessionId: 's', mustChangePassword: false };
    zjApprover = { ...zjAdmin, roles: ['approver'] };
    const seals = sealServiceFor(zj.ctx);
    await seals.approve(zjAdmin, await seals.request({ ...zjAdmin, roles: ['dept_admin'], orgId }, { orgId, kind: 'business' }));
    const type = DEMO_LICENCE_TYPES.find((t) => t.key === 'food_business')!;
    const holder = { kind: 'person' as const, name: bed.applicant.name, code: bed.applicant.idNumber };
    const files = fileStoreFromConfig(zj.config);
    const licence = await inTransaction(zj.ctx.db, (tx) => issueLicence(tx, { config: zj.config, files, cipher: new PersonalDataCipher(zj.config.secrets) }, {
      type, holder, holderAccountId: null, issuer: { id: orgId, name: '杭州市市场监督管理局', creditCode, regionCode: '330100' }, regionCode: '330100', validFrom: '2026-11-01', caseId: null, origin: { test: true }, actor: SYSTEM,
      data: { shopName: '西湖醋鱼馆', holderName: holder.name, holderCode: holder.code, address: '杭州市西湖区湖滨路1号', businessType: '餐饮服务', issuerName: '杭州市市场监督管理局', caseNumber: '' },
    }));
    zjIdentifier = licence.identifier;
    zjToken = qrTextFromPdf((await files.get(licence.pdf_sha256))!)!;
    assert.ok(zjToken.startsWith('YWL1.'));

    // Jiangsu knows the Zhejiang node as a federation peer (where its bundle is published).
    await addPeer(js.ctx, SYSTEM, { peerId: '330000', name: '浙江省', kind: 'province', regionCode: '330000', issuer: `${zjBase}/oidc`, clientId: 'unused', publicKey: generateSm2KeyPair().publicKey });
  });
  after(async () => {
    await zj?.app.close();
    await zjDb?.close();
    await js?.app.close();
  });

  const submit = (who: LicenceBed['applicant'] | { browser: LicenceBed['applicant']['browser']; csrf: string }, reference: string) =>
    bed.call(who, 'POST', '/api/v1/cases', { implementationId: szImpl, answers: { shopName: '姑苏小馆' }, materials: [bed.upload, { materialId: 'food_licence', source: 'licence', reference }] });
  const verify = async (qr: string) => (await bed.call(null, 'POST', '/api/v1/licences/verify', { qr })).json() as { ok: boolean; status?: string; code?: string; signer?: { regionCode: string } };

  test('not trusted: the code does not verify and is not accepted as a material', async () => {
    await refreshPeerBundles(js.ctx, { peerId: '330000' });
    const r = await verify(zjToken);
    assert.equal(r.ok, false);
    assert.ok(r.code === 'bundle_invalid' || r.code === 'unknown_signer' || r.code === 'signer_untrusted', r.code);
    const res = await submit(bed.applicant, zjToken);
    assert.equal(res.statusCode, 400, res.body);
    assert.match(res.body, /电子证照无法核验/);
  });

  test('trusted: verifies through the Zhejiang bundle and is accepted, recorded by its identifier', async () => {
    const trust = trustServiceFor(js.ctx);
    const admin: Actor = { kind: 'staff', accountId: '00000000-0000-7000-8000-0000000000a9', displayName: '江苏省区划管理员', roles: ['region_admin'], orgId: null, regionCode: js.config.nodeRegionCode, sessionId: 's', mustChangePassword: false };
    const anchor = await trust.propose(admin, { peerName: '浙江省政务服务网', regionCode: '330000', certificate: await caServiceFor(zj.ctx).caCertificate('root') });
    await trust.confirm(admin, anchor.id);
    const [fetched] = await refreshPeerBundles(js.ctx, { peerId: '330000' });
    assert.equal(fetched!.ok, true, JSON.stringify(fetched));

    const r = await verify(zjToken);
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.equal(r.status, 'valid');
    assert.equal(r.signer?.regionCode, '330000');

    const res = await submit(bed.applicant, `${zj.config.publicUrl}/licences/verify?qr=${zjToken}`);
    assert.equal(res.statusCode, 201, res.body);
    const material = await js.ctx.db.selectFrom('case_material').select(['source', 'reference']).where('case_id', '=', res.json().id).where('material_id', '=', 'food_licence').executeTakeFirstOrThrow();
    assert.deepEqual(material, { source: 'licence', reference: zjIdentifier });

    const other = await bed.otherCitizen('李四');
    const refused = await submit(other, zjToken);
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /持证人不是申请人本人/);
  });

  test('revoked in Zhejiang: still accepted until the next bundle refresh, refused after it', async () => {
    await licenceServiceFor(zj.ctx).revoke(zjApprover, zjIdentifier, 'withdrawn', '违法经营，依法吊销');
    assert.equal((await verify(zjToken)).status, 'valid', 'Jiangsu still holds the earlier bundle');
    await refreshPeerBundles(js.ctx, { peerId: '330000' });
    const r = await verify(zjToken);
    assert.equal(r.ok, true);
    assert.equal(r.status, 'revoked');
    const res = await submit(bed.applicant, zjToken);
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /已注销或吊销/);
  });

  test("this node's licences: by identifier, the holder's own, valid, of the material's type", async () => {
    const { identifier } = await bed.issuedLicence({ shopName: '金陵面馆' });
    const ok = await submit(bed.applicant, identifier);
    assert.equal(ok.statusCode, 201, ok.body);
    const other = await bed.otherCitizen('赵六');
    const notHis = await submit(other, identifier);
    assert.equal(notHis.statusCode, 400);
    assert.match(notHis.body, /没有找到您名下的这张电子证照/);
    const forged = await submit(bed.applicant, `${identifier.slice(0, -1)}${identifier.endsWith('A') ? 'B' : 'A'}`);
    assert.equal(forged.statusCode, 400);
    const garbage = await submit(bed.applicant, 'YWL1.not-a-token');
    assert.equal(garbage.statusCode, 400);
    assert.match(garbage.body, /电子证照无法核验/);
    const missing = await bed.call(bed.applicant, 'POST', '/api/v1/cases', { implementationId: szImpl, answers: { shopName: '姑苏小馆' }, materials: [bed.upload, { materialId: 'food_licence', source: 'licence' }] });
    assert.equal(missing.statusCode, 400);
    await bed.call(bed.staff['nj-approver'], 'POST', `/api/v1/licences/${identifier}/suspend`, { reason: '核查' });
    const suspended = await submit(bed.applicant, identifier);
    assert.equal(suspended.statusCode, 400);
    assert.match(suspended.body, /已中止/);
  });

  test('a verified peer bundle is not replaced by a tampered or an older one', async () => {
    const zjUrl = `${zj.config.publicUrl}/licences/trust-bundle`;
    const older = await (await fetch(zjUrl)).json() as { content: string };
    await new Promise((r) => setTimeout(r, 5));
    const newer = await (await fetch(zjUrl)).json() as { content: string };
    let serving: unknown = newer;
    const mirror = Fastify();
    mirror.get('/licences/trust-bundle', async () => serving);
    const port = await freePort();
    await mirror.listen({ port, host: '127.0.0.1' });
    try {
      await addPeer(js.ctx, SYSTEM, { peerId: '330099', name: '浙江省（镜像）', kind: 'province', regionCode: '330000', issuer: `http://127.0.0.1:${port}/oidc`, clientId: 'unused', publicKey: generateSm2KeyPair().publicKey });
      const refresh = async () => (await refreshPeerBundles(js.ctx, { peerId: '330099' }))[0]!;
      const stored = async () => (await js.ctx.db.selectFrom('licence_peer_bundle').select('envelope').where('peer_id', '=', '330099').executeTakeFirstOrThrow()).envelope as { content: string };
      assert.equal((await refresh()).ok, true);
      serving = { ...newer, content: newer.content.replace('"statuses":[', '"statuses":[ ') };
      const tampered = await refresh();
      assert.equal(tampered.ok, false);
      assert.match(tampered.error ?? '', /信任包验证失败/);
      serving = older;
      const replayed = await refresh();
      assert.equal(replayed.ok, false);
      assert.match(replayed.error ?? '', /比已保存的旧/);
      assert.equal((await stored()).content, newer.content, 'the verified newer bundle stays');
    } finally {
      await mirror.close();
    }
  });
});
