// Trust across regions with two live nodes, each with its own database and CA: Zhejiang
// (330000) issues a seal and signs a PDF; Jiangsu (320000) finds it not trusted until its
// region administrator adds Zhejiang's root — fetched from Zhejiang's /ca/root.crt, fingerprint
// shown, then confirmed — and not trusted again once it is removed. The list Jiangsu publishes
// verifies with Jiangsu's chain and fails when one byte changes; wrong certificates give field
// errors; other staff and other regions' administrators are refused.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, it } from 'node:test';
import { multipart } from './support/multipart.ts';
import { describeEachBackend, type TestDatabase } from './support/backends.ts';
import { Browser, buildTestPlatform, type TestPlatform } from './support/platform.ts';
import { makeCert, makePki, signer } from './support/pki.ts';
import { generateSm2KeyPair } from '../src/platform/crypto/sm2.ts';
import { opensslSkip, opensslWorkspace } from './support/openssl.ts';
import { freePort } from '../scripts/postgres-cluster.ts';
import { DEMO_PASSWORD } from '../demo/load.ts';
import { StaffService } from '../src/modules/identity/index.ts';
import { caServiceFor, sealServiceFor, signingServiceFor, trustAnchors, verifyAcrossRegions, verifyTrustList, type TrustListEnvelope, type TrustListContent } from '../src/modules/seals/index.ts';
// eslint-disable-next-line no-restricted-imports -- test fixture of the seals module
import { samplePdf } from '../src/modules/seals/pdf/test-fixtures.ts';
import { certificateToPem, extension, keyIdentifier, randomSerial, signCertificate } from '../src/platform/crypto/x509/index.ts';
import { sm3 } from '../src/platform/crypto/sm3.ts';
import type { Actor } from '../src/platform/http/access.ts';

const NOW = new Date();
const DAY = 86_400_000;


const grouped = (der: Buffer) => sm3(der).toString('hex').toUpperCase().replace(/(.{4})(?!$)/g, '$1 ');

describeEachBackend('trust across regions', (getDb, backend) => {
  let js: TestPlatform;
  let zj: TestPlatform;
  let zjDb: TestDatabase;
  let baseZj: string;
  let signedPdf: Buffer;
  let zjRoot: Buffer;
  let admin: { b: Browser; csrf: string };

  const login = async (p: TestPlatform, name: string, password = DEMO_PASSWORD) => {
    const b = new Browser(p.app);
    assert.equal((await b.login(name, password)).statusCode, 303, `login ${name}`);
    return b;
  };
  const propose = (fields: Record<string, string | { file: Buffer; name: string }>) => {
    const form = multipart({ _csrf: admin.csrf, peerName: '浙江省政务服务网', regionCode: '330000', ...fields });
    return js.app.inject({ method: 'POST', url: '/staff/trust/anchors', payload: form.payload, headers: { ...form.headers, cookie: admin.b.cookieHeader, accept: 'text/html' } });
  };
  const published = async () => {
    const res = await js.app.inject({ method: 'GET', url: '/ca/trust-list' });
    assert.equal(res.statusCode, 200, res.body);
    return res.json<TrustListEnvelope>();
  };

  before(async () => {
    zjDb = await backend.open();
    const port = await freePort();
    baseZj = `http://127.0.0.1:${port}`;
    js = await buildTestPlatform(getDb(), { COOKIE_SECURE: 'false' });
    zj = await buildTestPlatform(zjDb, { PUBLIC_URL: baseZj, COOKIE_SECURE: 'false', NODE_ROLE: 'province', NODE_REGION_CODE: '330000' });
    await zj.app.listen({ port, host: '127.0.0.1' });

    // Zhejiang: a seal for one of its departments, made by its own node CA, and a signed PDF.
    const org = await zj.ctx.db.insertInto('organisation').values({ region_code: '330100', name: '杭州市市场监督管理局', kind: 'department' } as never).returning('id').executeTakeFirstOrThrow();
    const orgId = (org as { id: string }).id;
    const zjAdmin: Actor = { kind: 'staff', accountId: '00000000-0000-7000-8000-0000000000a1', displayName: '浙江省区划管理员', roles: ['region_admin'], orgId: null, regionCode: '330000', sessionId: 's', mustChangePassword: false };
    const seals = sealServiceFor(zj.ctx);
    const esId = (await seals.approve(zjAdmin, await seals.request(zjAdmin, { orgId, kind: 'business' }))).esId;
    const clerk: Actor = { ...zjAdmin, accountId: '00000000-0000-7000-8000-0000000000a2', roles: ['window_clerk'], orgId, regionCode: '330100' };
    const signing = signingServiceFor(zj.ctx, (id, at) => seals.statusAt(id, at));
    signedPdf = (await signing.sign(clerk, { esId, pdf: await samplePdf(1, 'Zhejiang licence'), placement: { page: 1, x: 150, y: 240 } })).signedPdf;
    zjRoot = await caServiceFor(zj.ctx).caCertificate('root');

    admin = { b: await login(js, 'js-admin'), csrf: '' };
    admin.csrf = Browser.csrfFrom((await admin.b.get('/staff/trust')).body);
  });
  after(async () => {
    await zj?.app.close();
    await js?.app.close();
    await zjDb?.close();
  });

  it('a document sealed in Zhejiang verifies there, and is not trusted in Jiangsu with a clear reason', async () => {
    const atHome = await verifyAcrossRegions(zj.ctx, signedPdf);
    assert.equal(atHome.valid, true, JSON.stringify(atHome));
    const here = await verifyAcrossRegions(js.ctx, signedPdf);
    assert.equal(here.valid, false);
    if (here.valid) return;
    assert.equal(here.reason.code, 'issuer_not_trusted');
    assert.match(`${here.reason.message} ${here.reason.detail}`, /受信任/);
    assert.equal((await trustAnchors(js.ctx)).length, 1, 'only the node’s own root');
  });

  it('refuses other staff, and region administrators of other regions', async () => {
    assert.equal((await new Browser(js.app).get('/staff/trust')).statusCode, 303, 'anonymous: to the login page');
    assert.equal((await (await login(js, 'nj-clerk')).get('/staff/trust')).statusCode, 403);
    assert.equal((await (await login(js, 'js-auditor')).get('/staff/trust')).statusCode, 403);
    await new StaffService(js.ctx.db).createStaff({ loginName: 'nj-region-admin', displayName: '南京区划管理员', password: DEMO_PASSWORD, orgId: null, regionCode: '320100', roles: ['region_admin'], mustChangePassword: false }, { kind: 'system', id: 'test' });
    const nj = await login(js, 'nj-region-admin');
    assert.equal((await nj.get('/staff/trust')).statusCode, 403);
    // Not even with a valid token of its own session.
    const csrf = Browser.csrfFrom((await nj.get('/staff/seals')).body);
    const form = multipart({ _csrf: csrf, peerName: 'x', regionCode: '330000', source: 'url', url: baseZj });
    const res = await js.app.inject({ method: 'POST', url: '/staff/trust/anchors', payload: form.payload, headers: { ...form.headers, cookie: nj.cookieHeader } });
    assert.equal(res.statusCode, 403);
    assert.equal((await js.ctx.db.selectFrom('trust_anchor').select('id').execute()).length, 0);
  });

  it('refuses wrong certificates with field errors', async () => {
    const { leaf, issuing } = await makePki();
    const check = async (fields: Record<string, string | { file: Buffer; name: string }>, message: RegExp) => {
      const res = await propose(fields);
      assert.equal(res.statusCode, 400, res.body.slice(0, 300));
      assert.match(res.body, message);
      assert.match(res.body, /aria-invalid="true"/);
    };
    await check({ source: 'file', certificate: { file: Buffer.from('not a certificate at all'), name: 'x.crt' } }, /不是有效的 X\.509 证书/);
    await check({ source: 'file', certificate: { file: leaf.der, name: 'leaf.crt' } }, /不是 CA 证书/);
    // An issuing CA is a CA, but not a root: its PEM form is read too.
    await check({ source: 'file', certificate: { file: Buffer.from(certificateToPem(issuing.der)), name: 'issuing.pem' } }, /应为对方节点的根 CA 证书/);
    const expired = await makeCert({ country: 'CN', commonName: '过期的根CA' }, null, { ca: {}, keyUsage: ['keyCertSign'], notBefore: new Date(NOW.getTime() - 400 * DAY), notAfter: new Date(NOW.getTime() - DAY) });
    await check({ source: 'file', certificate: { file: expired.der, name: 'old.crt' } }, /过期/);
    // Built without makeCert: our own parser (rightly) refuses to read it back.
    const keys = generateSm2KeyPair();
    const name = { country: 'CN', commonName: '带未知关键扩展的根CA' };
    const critical = {
      der: await signCertificate({
        serial: randomSerial(), issuer: name, subject: name, notBefore: new Date(NOW.getTime() - DAY), notAfter: new Date(NOW.getTime() + 365 * DAY), publicKey: keys.publicKey, ca: {}, keyUsage: ['keyCertSign'],
        authorityKeyId: keyIdentifier(keys.publicKey), extraExtensions: [extension('1.2.3.4.5', true, Buffer.from([5, 0]))],
      }, signer(keys)),
    };
    await check({ source: 'file', certificate: { file: critical.der, name: 'crit.crt' } }, /无法识别的关键扩展/);
    await check({ source: 'file', certificate: { file: await caServiceFor(js.ctx).caCertificate('root'), name: 'own.crt' } }, /本节点自己的根 CA/);
    await check({ source: 'file', certificate: { file: zjRoot, name: 'zj.crt' }, regionCode: '32' }, /6 位行政区划代码/);
    await check({ source: 'url', url: 'ftp://example.invalid/' }, /https:\/\//);
    assert.equal((await js.ctx.db.selectFrom('trust_anchor').select('id').execute()).length, 0, 'nothing stored');
  });

  it('refuses a P-256 certificate (not SM2)', { skip: opensslSkip }, async () => {
    const ws = opensslWorkspace('trust-p256-');
    try {
      const made = ws.run(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=P256 Root', '-days', '30', '-keyout', 'k.pem', '-out', 'c.pem']);
      assert.equal(made.status, 0, made.stderr);
      const res = await propose({ source: 'file', certificate: { file: readFileSync(ws.file('c.pem')), name: 'p256.pem' } });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /不是 SM2 证书/);
    } finally {
      ws.remove();
    }
  });

  it('two steps: fetched from the peer, fingerprint shown, confirmed; then the document verifies', async () => {
    const before = Number(JSON.parse((await published()).content).version);
    const res = await propose({ source: 'url', url: baseZj });
    assert.equal(res.statusCode, 303, res.body.slice(0, 500));
    const location = res.headers.location as string;
    assert.match(location, /^\/staff\/trust\/anchors\/[0-9a-f-]{36}$/);
    const detail = await admin.b.get(location);
    assert.equal(detail.statusCode, 200);
    assert.ok(detail.body.includes(grouped(zjRoot)), 'the SM3 fingerprint, grouped for reading aloud');
    assert.match(detail.body, /一网通办根CA 330000/);
    assert.match(detail.body, new RegExp(`${baseZj}/ca/root.crt`));

    // Proposed is not trusted, and the same certificate cannot be proposed twice.
    assert.equal((await verifyAcrossRegions(js.ctx, signedPdf)).valid, false);
    const dup = await propose({ source: 'file', certificate: { file: zjRoot, name: 'zj.crt' } });
    assert.equal(dup.statusCode, 400);
    assert.match(dup.body, /已在信任列表中/);

    const csrf = Browser.csrfFrom(detail.body);
    const unchecked = await admin.b.submit(`${location}/confirm`, {}, csrf);
    assert.equal(unchecked.statusCode, 400);
    assert.match(unchecked.body, /核对证书指纹/);
    const done = await admin.b.submit(`${location}/confirm`, { checked: 'yes' }, csrf);
    assert.equal(done.statusCode, 303);
    assert.equal((await admin.b.submit(`${location}/confirm`, { checked: 'yes' }, csrf)).statusCode, 409, 'confirmed once');

    const ok = await verifyAcrossRegions(js.ctx, signedPdf);
    assert.equal(ok.valid, true, JSON.stringify(ok));
    if (ok.valid) assert.match(ok.seal.maker, /一网通办签发CA 330000/);
    const anchors = await trustAnchors(js.ctx);
    assert.equal(anchors.length, 2);
    assert.ok(anchors.some((a) => a.equals(zjRoot)));

    const list = JSON.parse((await published()).content) as TrustListContent;
    assert.ok(list.version > before, 'a new version after the change');
    assert.deepEqual(list.anchors.map((a) => [a.regionCode, a.own]), [['320000', true], ['330000', false]]);
    const audit = await js.ctx.db.selectFrom('audit_log' as never).select(['action' as never]).where('target_type' as never, '=', 'trust_anchor' as never).execute();
    assert.deepEqual((audit as { action: string }[]).map((a) => a.action).sort(), ['trust.anchor.activate', 'trust.anchor.propose']);
  });

  it('the published list verifies with the node’s chain and fails when one byte changes', async () => {
    const envelope = await published();
    const jsRoot = await caServiceFor(js.ctx).caCertificate('root');
    const good = verifyTrustList(envelope, { anchors: [jsRoot] });
    assert.equal(good.valid, true, JSON.stringify(good));
    if (good.valid) assert.equal(good.list.issuer.regionCode, '320000');

    const bytes = Buffer.from(envelope.content, 'utf8');
    bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
    const tampered = verifyTrustList({ ...envelope, content: bytes.toString('utf8') }, { anchors: [jsRoot] });
    assert.equal(tampered.valid, false);
    if (!tampered.valid) assert.equal(tampered.reason, 'signature_invalid');
    const sig = Buffer.from(envelope.signature, 'base64');
    sig[sig.length - 1]! ^= 0x01;
    assert.equal(verifyTrustList({ ...envelope, signature: sig.toString('base64') }, { anchors: [jsRoot] }).valid, false);

    const foreign = verifyTrustList(envelope, { anchors: [zjRoot] });
    assert.equal(foreign.valid, false);
    if (!foreign.valid) assert.equal(foreign.reason, 'signer_not_trusted');
    const late = verifyTrustList(envelope, { anchors: [jsRoot], at: new Date(Date.now() + 8 * DAY) });
    assert.equal(late.valid ? 'valid' : late.reason, 'stale');
  });

  it('removing the peer needs a reason, and the document is not trusted again', async () => {
    const row = await js.ctx.db.selectFrom('trust_anchor').select('id').where('status', '=', 'active').executeTakeFirstOrThrow();
    const page = await admin.b.get(`/staff/trust/anchors/${row.id}`);
    const csrf = Browser.csrfFrom(page.body);
    const noReason = await admin.b.submit(`/staff/trust/anchors/${row.id}/remove`, { reason: ' ' }, csrf);
    assert.equal(noReason.statusCode, 400);
    assert.match(noReason.body, /请填写移除理由/);
    assert.equal((await admin.b.submit(`/staff/trust/anchors/${row.id}/remove`, { reason: '对方节点更换根证书' }, csrf)).statusCode, 303);

    const after = await verifyAcrossRegions(js.ctx, signedPdf);
    assert.equal(after.valid ? 'valid' : after.reason.code, 'issuer_not_trusted');
    const list = JSON.parse((await published()).content) as TrustListContent;
    assert.deepEqual(list.anchors.map((a) => a.regionCode), ['320000']);
    const listPage = await admin.b.get('/staff/trust');
    assert.match(listPage.body, /对方节点更换根证书/);
    const audit = await js.ctx.db.selectFrom('audit_log' as never).select(['action' as never]).where('action' as never, '=', 'trust.anchor.remove' as never).execute();
    assert.equal(audit.length, 1);
    // Removed can be proposed again (a new entry, again two steps).
    assert.equal((await propose({ source: 'file', certificate: { file: zjRoot, name: 'zj.crt' } })).statusCode, 303);
    assert.equal((await trustAnchors(js.ctx)).length, 1);
  });
});
