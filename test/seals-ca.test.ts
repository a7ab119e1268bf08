// The certificate authority end to end on both database backends: CA creation at start-up,
// issuing, the DER and status endpoints, revocation and suspension by region admins with a
// fresh CRL each time, the chain judged by our validator and by openssl, and the key store.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import type { LightMyRequestResponse } from 'fastify';
import { describeEachBackend } from './support/backends.ts';
import { buildTestPlatform, Browser, type TestPlatform } from './support/platform.ts';
import { opensslSkip, opensslWorkspace } from './support/openssl.ts';
import { DEMO_PASSWORD } from '../demo/load.ts';
import { StaffService } from '../src/modules/identity/index.ts';
import { caServiceFor, issueCertificate, caChain } from '../src/modules/seals/index.ts';
import { generateSm2KeyPair, sm2PublicKeyToPem, sm2Verify } from '../src/platform/crypto/sm2.ts';
import { keyEncryptionKey, SoftwareKeyStore } from '../src/platform/crypto/keystore.ts';
import { certificateToPem, parseCertificate, parseCrl, verifyChain, verifyCrl } from '../src/platform/crypto/x509/index.ts';
import { AppError } from '../src/platform/http/errors.ts';

interface StaffClient {
  post(url: string, body?: unknown): Promise<LightMyRequestResponse>;
}

async function staffClient(p: TestPlatform, loginName: string): Promise<StaffClient> {
  const b = new Browser(p.app);
  assert.equal((await b.login(loginName, DEMO_PASSWORD)).statusCode, 303, `login ${loginName}`);
  const csrf = Browser.csrfFrom((await b.get('/staff')).body);
  return {
    post: (url, body) =>
      p.app.inject({
        method: 'POST', url, payload: JSON.stringify(body ?? {}),
        headers: { cookie: b.cookieHeader, 'x-csrf-token': csrf, accept: 'application/json', 'content-type': 'application/json' },
      }),
  };
}

const system = { kind: 'system', id: 'test' } as const;
const sealSubject = { organization: '南京市市场监督管理局', commonName: '南京市市场监督管理局行政审批专用章', serialNumber: '11320100MB1234567X' };

describeEachBackend('certificate authority', (getDb) => {
  let p: TestPlatform;
  let admin: StaffClient;
  let clerk: StaffClient;
  let szAdmin: StaffClient;
  let root: Buffer;
  let issuing: Buffer;

  before(async () => {
    p = await buildTestPlatform(getDb());
    await new StaffService(getDb().db).createStaff(
      { loginName: 'ca-sz-admin', displayName: '苏州区划管理员（测试）', password: DEMO_PASSWORD, orgId: null, regionCode: '320500', roles: ['region_admin'], mustChangePassword: false },
      system,
    );
    admin = await staffClient(p, 'js-admin');
    clerk = await staffClient(p, 'nj-clerk');
    szAdmin = await staffClient(p, 'ca-sz-admin');
    const r = await p.app.inject({ url: '/ca/root.crt' });
    const i = await p.app.inject({ url: '/ca/issuing.crt' });
    root = r.rawPayload;
    issuing = i.rawPayload;
  });
  after(async () => {
    await p?.app.close();
  });

  test('start-up created the node root and issuing CA once; the DER endpoints serve them', async () => {
    const r = await p.app.inject({ url: '/ca/root.crt' });
    assert.equal(r.statusCode, 200);
    assert.equal(r.headers['content-type'], 'application/pkix-cert');
    const rootCert = parseCertificate(root);
    const issuingCert = parseCertificate(issuing);
    assert.equal(rootCert.subject.commonName, '一网通办根CA 320000');
    assert.deepEqual(rootCert.basicConstraints, { ca: true, pathLength: 1 });
    assert.deepEqual(issuingCert.basicConstraints, { ca: true, pathLength: 0 });
    assert.ok(issuingCert.notAfter.getUTCFullYear() - issuingCert.notBefore.getUTCFullYear() >= 9);
    assert.ok(rootCert.notAfter.getUTCFullYear() - rootCert.notBefore.getUTCFullYear() >= 19);
    assert.deepEqual(issuingCert.crlDistributionPoints, [`${p.config.publicUrl}/ca/root.crl`]);
    assert.equal(verifyChain({ certificate: issuing, anchors: [root] }).valid, true);
    assert.deepEqual(await caServiceFor(p.ctx).ensureNodeCa(), { created: [] });
    const [chainIssuing, chainRoot] = await caChain(p.ctx);
    assert.deepEqual([chainIssuing, chainRoot], [issuing, root]);
    const crl = await p.app.inject({ url: '/ca/crl' });
    assert.equal(crl.headers['content-type'], 'application/pkix-crl');
    assert.deepEqual(verifyCrl(parseCrl(crl.rawPayload), issuingCert), { ok: true });
    assert.deepEqual(verifyCrl(parseCrl((await p.app.inject({ url: '/ca/root.crl' })).rawPayload), rootCert), { ok: true });
  });

  test('issues seal and signer certificates that chain to the root; bad requests are refused clearly', async () => {
    const holder = generateSm2KeyPair();
    const issued = await issueCertificate(p.ctx, system, { kind: 'seal', subject: sealSubject, publicKey: sm2PublicKeyToPem(holder.publicKey), days: 365, regionCode: '320100' });
    assert.equal(issued.certificate.publicKey, holder.publicKey);
    assert.equal(issued.certificate.subject.text, 'C=CN, O=南京市市场监督管理局, CN=南京市市场监督管理局行政审批专用章, SERIALNUMBER=11320100MB1234567X');
    assert.deepEqual(issued.certificate.keyUsage, ['digitalSignature', 'nonRepudiation']);
    assert.deepEqual(issued.certificate.crlDistributionPoints, [`${p.config.publicUrl}/ca/crl`]);
    const crl = (await p.app.inject({ url: '/ca/crl' })).rawPayload;
    const rootCrl = (await p.app.inject({ url: '/ca/root.crl' })).rawPayload;
    const judged = verifyChain({ certificate: issued.der, intermediates: [issuing], anchors: [root], crls: [crl, rootCrl], requireRevocationCheck: true });
    assert.equal(judged.valid, true, JSON.stringify(judged));
    const res = await p.app.inject({ url: `/api/v1/ca/certificates/${issued.serial.toUpperCase()}/status` });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().status, 'good');
    const audit = await getDb().db.selectFrom('audit_log').select(['action', 'target_id']).where('action', '=', 'ca.certificate.issue').where('target_id', '=', issued.serial).execute();
    assert.equal(audit.length, 1);

    const refuse = async (input: Partial<Parameters<typeof issueCertificate>[2]>, field: string) => {
      const err = await issueCertificate(p.ctx, system, { kind: 'signer', subject: { commonName: '张三' }, publicKey: holder.publicKey, days: 30, regionCode: '320100', ...input }).catch((e: unknown) => e);
      assert.ok(err instanceof AppError && err.code === 'CERTIFICATE_REQUEST_INVALID' && err.errors?.[0]?.field === field, `${field}: ${String(err)}`);
    };
    await refuse({ publicKey: '04' + 'ab'.repeat(64) }, 'publicKey'); // not on the curve
    await refuse({ days: 20 * 366 }, 'days');
    await refuse({ subject: { commonName: '' } }, 'subject');
    const outside = await issueCertificate(p.ctx, system, { kind: 'signer', subject: { commonName: '李四' }, publicKey: holder.publicKey, days: 30, regionCode: '110100' }).catch((e: unknown) => e);
    assert.ok(outside instanceof AppError && outside.code === 'OUT_OF_REGION');
  });

  test('revocation: region admins only, in their region, audited, CRL republished; suspension can be lifted', async () => {
    const holder = generateSm2KeyPair();
    const nj = await issueCertificate(p.ctx, system, { kind: 'signer', subject: { organization: '南京市政务服务中心', commonName: '王五' }, publicKey: holder.publicKey, days: 90, regionCode: '320100' });
    const url = `/api/v1/ca/certificates/${nj.serial}`;
    const anonymous = await p.app.inject({ method: 'POST', url: `${url}/revoke`, payload: { reason: 'keyCompromise' }, headers: { accept: 'application/json' } });
    assert.ok([401, 403].includes(anonymous.statusCode), String(anonymous.statusCode));
    assert.equal((await p.app.inject({ url: `${url}/status` })).json().status, 'good');
    assert.equal((await clerk.post(`${url}/revoke`, { reason: 'keyCompromise' })).statusCode, 403);
    const other = await szAdmin.post(`${url}/revoke`, { reason: 'keyCompromise' });
    assert.equal(other.statusCode, 403);
    assert.equal(other.json().code, 'OUT_OF_REGION');
    const badReason = await admin.post(`${url}/revoke`, { reason: 'because' });
    assert.equal(badReason.statusCode, 400);

    const held = await admin.post(`${url}/revoke`, { reason: 'certificateHold' });
    assert.equal(held.statusCode, 200, held.body);
    assert.equal(held.json().reason, 'certificateHold');
    let crl = parseCrl((await p.app.inject({ url: '/ca/crl' })).rawPayload);
    assert.equal(crl.revoked.get(nj.serial)?.reason, 'certificateHold');
    const released = await admin.post(`${url}/release`);
    assert.equal(released.json().status, 'good');
    const afterRelease = parseCrl((await p.app.inject({ url: '/ca/crl' })).rawPayload);
    assert.equal(afterRelease.revoked.has(nj.serial), false);
    assert.ok(afterRelease.crlNumber > crl.crlNumber);

    const revoked = await admin.post(`${url}/revoke`, { reason: 'keyCompromise' });
    assert.equal(revoked.statusCode, 200);
    assert.equal(revoked.json().status, 'revoked');
    const status = (await p.app.inject({ url: `${url}/status` })).json();
    assert.equal(status.status, 'revoked');
    assert.equal(status.reason, 'keyCompromise');
    assert.ok(Date.parse(status.revokedAt) <= Date.now());
    assert.equal((await admin.post(`${url}/revoke`, { reason: 'superseded' })).statusCode, 409);
    assert.equal((await admin.post(`${url}/release`)).statusCode, 409);
    crl = parseCrl((await p.app.inject({ url: '/ca/crl' })).rawPayload);
    assert.equal(crl.revoked.get(nj.serial)?.reason, 'keyCompromise');
    const judged = verifyChain({ certificate: nj.der, intermediates: [issuing], anchors: [root], crls: [crl.der] });
    assert.ok(!judged.valid && judged.reason === 'revoked');
    const actions = await getDb().db.selectFrom('audit_log').select('action').where('target_id', '=', nj.serial).orderBy('id').execute();
    assert.deepEqual(actions.map((a) => a.action), ['ca.certificate.issue', 'ca.certificate.suspend', 'ca.certificate.release', 'ca.certificate.revoke']);

    assert.equal((await p.app.inject({ url: '/api/v1/ca/certificates/0badc0de/status' })).json().status, 'unknown');
    assert.equal((await p.app.inject({ url: '/api/v1/ca/certificates/not-hex/status' })).statusCode, 400);
    assert.equal((await admin.post('/api/v1/ca/certificates/0badc0de/revoke', { reason: 'superseded' })).statusCode, 404);
  });

  test('openssl verifies each link of an issued chain and reads the published CRL', { skip: opensslSkip }, async () => {
    const ws = opensslWorkspace('seals-ca-');
    try {
      const leaf = await issueCertificate(p.ctx, system, { kind: 'seal', subject: sealSubject, publicKey: generateSm2KeyPair().publicKey, days: 30, regionCode: '320100' });
      writeFileSync(ws.file('root.pem'), certificateToPem(root));
      writeFileSync(ws.file('issuing.pem'), certificateToPem(issuing));
      writeFileSync(ws.file('leaf.pem'), certificateToPem(leaf.der));
      const gone = await issueCertificate(p.ctx, system, { kind: 'signer', subject: { commonName: '赵六' }, publicKey: generateSm2KeyPair().publicKey, days: 30, regionCode: '320100' });
      await caServiceFor(p.ctx).revoke(system, gone.serial, 'keyCompromise');
      writeFileSync(ws.file('ca.crl'), (await p.app.inject({ url: '/ca/crl' })).rawPayload);
      const distid = ['-vfyopt', 'distid:1234567812345678'];
      const upper = ws.run(['verify', '-x509_strict', ...distid, '-CAfile', 'root.pem', 'issuing.pem']);
      assert.equal(upper.status, 0, upper.stdout + upper.stderr);
      const lower = ws.run(['verify', '-x509_strict', '-partial_chain', ...distid, '-CAfile', 'issuing.pem', 'leaf.pem']);
      assert.equal(lower.status, 0, lower.stdout + lower.stderr);
      const crl = ws.run(['crl', '-inform', 'DER', '-in', 'ca.crl', '-noout', '-text']);
      assert.equal(crl.status, 0, crl.stderr);
      assert.match(crl.stdout, /X509v3 CRL Number:/);
      assert.match(crl.stdout, /Key Compromise/);
      assert.match(crl.stdout.replace(/:/g, ''), new RegExp(`Serial Number ${gone.serial}`, 'i'));
    } finally {
      ws.remove();
    }
  });

  test('the key store: keys sealed under the KEK and bound to their row', async () => {
    const db = getDb().db;
    const kek = keyEncryptionKey(p.config, {});
    const keys = new SoftwareKeyStore(db, kek);
    const { keyId, publicKey } = await keys.generate('test key', '320100');
    assert.equal(await keys.publicKey(keyId), publicKey);
    const sig = await keys.sign(keyId, Buffer.from('消息'));
    assert.equal(sm2Verify(Buffer.from('消息'), sig, publicKey), true);
    assert.equal(sm2Verify(Buffer.from('消息'), await keys.sign(keyId, Buffer.from('消息'), 'alice@yiwang'), publicKey, { userId: 'alice@yiwang' }), true);
    const row = await db.selectFrom('key_material').selectAll().where('id', '=', keyId).executeTakeFirstOrThrow();
    assert.ok(row.sealed_private_key.length > 32);
    // Another KEK cannot use it, and a sealed key moved to another row does not open there.
    await assert.rejects(new SoftwareKeyStore(db, Buffer.alloc(16, 7)).sign(keyId, Buffer.from('x')), /authentication/);
    const second = await keys.generate('second', '320100');
    await db.updateTable('key_material').set({ sealed_private_key: row.sealed_private_key }).where('id', '=', second.keyId).execute();
    await assert.rejects(keys.sign(second.keyId, Buffer.from('x')), /authentication/);
    await assert.rejects(keys.sign('00000000-0000-0000-0000-000000000000', Buffer.from('x')), /not in the key store/);
    // Configuration: explicit hex, derived outside production, refused in production.
    assert.deepEqual(keyEncryptionKey(p.config, { KEY_ENCRYPTION_KEY: 'ab'.repeat(16) }), Buffer.alloc(16, 0xab));
    assert.throws(() => keyEncryptionKey(p.config, { KEY_ENCRYPTION_KEY: 'xyz' }), /KEY_ENCRYPTION_KEY/);
    assert.throws(() => keyEncryptionKey({ ...p.config, env: 'production' }, {}), /KEY_ENCRYPTION_KEY/);
    assert.notDeepEqual(kek, p.config.secrets.dataKey);
  });
});
