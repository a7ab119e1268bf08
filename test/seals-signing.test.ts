// Signing PDFs with seals end to end, on both backends: a real seal issued through the seal
// lifecycle (SealService) by a test CA whose root is also the node's trust anchor; staff sign
// over HTTP; the public API and page verify; revocation counts at the signing time; the CLI
// verifies offline against a directory of exported CA certificates.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { multipart } from './support/multipart.ts';
import { describeEachBackend } from './support/backends.ts';
import { Browser, testConfig } from './support/platform.ts';
import { createLogger } from '../src/platform/logger.ts';
import { preparePlatform } from '../src/server.ts';
import { buildApp, type App } from '../src/app.ts';
import { openExternalServices } from '../src/external.ts';
import { modules } from '../src/modules.ts';
import { keyEncryptionKey, SoftwareKeyStore } from '../src/platform/crypto/keystore.ts';
import { certificateToPem, keyIdentifier, parseCertificate, randomSerial, signCertificate, signCrl } from '../src/platform/crypto/x509/index.ts';
import type { Actor } from '../src/platform/http/access.ts';
import { StaffService } from '../src/modules/identity/index.ts';
import { SealService, SigningService, signingRoutes, type SealCertificateIssuer, type SigningCa } from '../src/modules/seals/index.ts';
// eslint-disable-next-line no-restricted-imports -- a test fixture, not part of the module's public face
import { samplePdf } from '../src/modules/seals/pdf/test-fixtures.ts';
import type { Db } from '../src/platform/db/database.ts';

const PASSWORD = 'Seal-Signing-Password-2026';
const DAY = 86_400_000;

/** One self-signed CA in the real key store: maker of seals, issuer of signer and TSA certificates. */
async function testCa(keys: SoftwareKeyStore) {
  const key = await keys.generate('test signing CA', '320000');
  const name = { country: 'CN', organization: '一网通办测试', commonName: '签章测试 CA' };
  const der = await signCertificate(
    { serial: randomSerial(), issuer: name, subject: name, notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + 20 * 365 * DAY), publicKey: key.publicKey, ca: {}, keyUsage: ['keyCertSign', 'cRLSign', 'digitalSignature'], authorityKeyId: keyIdentifier(key.publicKey) },
    (tbs) => keys.sign(key.keyId, tbs),
  );
  const ca = parseCertificate(der);
  const issueLeaf = async (subject: { commonName: string; organization?: string }, publicKey: string, notBefore: Date, notAfter: Date) => {
    const serial = randomSerial();
    const cert = await signCertificate({ serial, issuer: ca.subjectDer, subject: { country: 'CN', ...subject }, notBefore, notAfter, publicKey, keyUsage: ['digitalSignature', 'nonRepudiation'], authorityKeyId: keyIdentifier(key.publicKey) }, (tbs) => keys.sign(key.keyId, tbs));
    return { serial, der: cert, certificate: parseCertificate(cert) };
  };
  const issuer: SealCertificateIssuer = {
    issue: (input) => issueLeaf({ commonName: input.subject.commonName, organization: input.subject.organization }, input.publicKey, input.notBefore, input.notAfter),
    maker: async () => ({ certDer: der, sign: (m: Buffer) => keys.sign(key.keyId, m) }),
  };
  const signing: SigningCa = {
    issue: async (_actor, input) => {
      const r = await issueLeaf(input.subject, input.publicKey, new Date(Date.now() - DAY), new Date(Date.now() + input.days * DAY));
      return r as never;
    },
    caCertificate: async () => der,
    crlDer: async () => signCrl({ issuer: ca.subjectDer, authorityKeyId: keyIdentifier(key.publicKey), crlNumber: 1, thisUpdate: new Date(Date.now() - DAY), nextUpdate: new Date(Date.now() + 7 * DAY), revoked: [] }, (tbs) => keys.sign(key.keyId, tbs)),
  };
  return { der, issuer, signing };
}

async function orgIn(db: Db, regionCode: string, name: string): Promise<string> {
  const row = await db.insertInto('organisation').values({ region_code: regionCode, name, kind: 'department' } as never).returning('id').executeTakeFirstOrThrow();
  return (row as { id: string }).id;
}

/** multipart/form-data by hand: inject has no FormData encoder for Buffers. */

describeEachBackend('signing PDFs with seals', (getDb) => {
  let app: App;
  let seals: SealService;
  let caDer: Buffer;
  let esId: string;
  const admin: Actor = { kind: 'staff', accountId: '00000000-0000-7000-8000-000000000001', displayName: '南京区划管理员', roles: ['region_admin'], orgId: null, regionCode: '320100', sessionId: 's', mustChangePassword: false };

  const login = async (name: string) => {
    const b = new Browser(app.app);
    assert.equal((await b.login(name, PASSWORD)).statusCode, 303, `login ${name}`);
    return { b, csrf: Browser.csrfFrom((await b.get('/seals/sign')).body) };
  };
  const signApi = async (who: { b: Browser; csrf: string }, pdf: Buffer) => {
    const form = multipart({ esId, page: '1', x: '150', y: '240', document: { file: pdf, name: 'notice.pdf' } });
    return app.app.inject({ method: 'POST', url: '/api/v1/seals/sign', payload: form.payload, headers: { ...form.headers, cookie: who.b.cookieHeader, 'x-csrf-token': who.csrf, accept: 'application/json' } });
  };
  const verifyApi = async (pdf: Buffer, sig?: Buffer) => {
    const form = multipart({ document: { file: pdf, name: 'signed.pdf' }, ...(sig ? { signature: { file: sig, name: 'signed.sig' } } : {}) });
    const res = await app.app.inject({ method: 'POST', url: '/api/v1/seals/verify', payload: form.payload, headers: form.headers });
    assert.equal(res.statusCode, 200, res.body);
    return res.json<{ valid: boolean; reason?: { code: string; message: string }; seal?: { esId: string }; time?: string }>();
  };

  before(async () => {
    const database = getDb();
    const config = testConfig();
    await preparePlatform(config, database, createLogger('silent'));
    const externals = await openExternalServices(config);
    const keys = new SoftwareKeyStore(database.db, keyEncryptionKey(config, {}));
    const ca = await testCa(keys);
    caDer = ca.der;
    seals = new SealService(database.db, keys, ca.issuer);
    const signing = new SigningService({ db: database.db, config, keys, ca: ca.signing, sealStatusAt: (id, at) => seals.statusAt(id, at) });
    app = await buildApp({
      config, db: database.db, logger: createLogger('silent'), external: externals.external, onClose: () => externals.close(),
      modules: [...modules.filter((m) => m.name !== 'seals'), { name: 'seals-signing-test', routes: (a, ctx) => signingRoutes(a, ctx, signing) }],
    });
    const njOrg = await orgIn(database.db, '320100', '南京市市场监督管理局');
    const otherOrg = await orgIn(database.db, '320100', '南京市公安局');
    const staff = new StaffService(database.db);
    const sys = { kind: 'system', id: 'test' } as const;
    await staff.createStaff({ loginName: 'nj-signer', displayName: '南京市场监管窗口', password: PASSWORD, orgId: njOrg, regionCode: '320100', roles: ['window_clerk'], mustChangePassword: false }, sys);
    await staff.createStaff({ loginName: 'nj-police', displayName: '南京公安窗口', password: PASSWORD, orgId: otherOrg, regionCode: '320100', roles: ['window_clerk'], mustChangePassword: false }, sys);
    const dept: Actor = { ...admin, roles: ['dept_admin'], orgId: njOrg };
    const requestId = await seals.request(dept, { orgId: njOrg, kind: 'business' });
    esId = (await seals.approve(admin, requestId)).esId;
  });
  after(async () => {
    await app?.app.close();
  });

  test('staff sign over the API; the public API and page say valid; tampering says altered', async () => {
    const signer = await login('nj-signer');
    const res = await signApi(signer, await samplePdf(1, 'Business licence approval'));
    assert.equal(res.statusCode, 200, res.body);
    const out = res.json<{ signedPdf: string; signature: string; byteRange: [number, number] }>();
    const signed = Buffer.from(out.signedPdf, 'base64');
    const ok = await verifyApi(signed);
    assert.equal(ok.valid, true, JSON.stringify(ok));
    assert.equal(ok.seal?.esId, esId);
    assert.equal((await verifyApi(signed.subarray(0, out.byteRange[1]), Buffer.from(out.signature, 'base64'))).valid, true, 'detached .sig with the stamped PDF');

    const flipped = Buffer.from(signed);
    flipped[Math.floor(out.byteRange[1] / 2)]! ^= 0x20;
    assert.equal((await verifyApi(flipped)).reason?.code, 'data_hash_mismatch');
    const appended = Buffer.concat([signed, Buffer.from('9 0 obj\n<< >>\nendobj\nstartxref\n0\n%%EOF\n')]);
    const altered = await verifyApi(appended);
    assert.equal(altered.reason?.code, 'altered_after_signing');
    assert.match(altered.reason?.message ?? '', /签章后被修改/);

    // The public page: a form without JavaScript, the answer in plain Chinese.
    const visitor = new Browser(app.app);
    const form = await visitor.get('/seals/verify');
    assert.equal(form.statusCode, 200);
    const csrf = Browser.csrfFrom(form.body);
    const post = async (pdf: Buffer) => {
      const m = multipart({ _csrf: csrf, document: { file: pdf, name: 'a.pdf' } });
      return app.app.inject({ method: 'POST', url: '/seals/verify', payload: m.payload, headers: { ...m.headers, cookie: visitor.cookieHeader } });
    };
    const good = await post(signed);
    assert.equal(good.statusCode, 200);
    assert.match(good.body, /签章有效/);
    assert.match(good.body, new RegExp(esId));
    const bad = await post(appended);
    assert.match(bad.body, /签章无效/);
    assert.match(bad.body, /签章后被修改/);
    const none = await post(Buffer.from('%PDF-1.7\ncut'));
    assert.match(none.body, /PDF 文档不完整或已损坏/);
  });

  test('only staff of the seal organisation may sign; bad documents get clear errors', async () => {
    const police = await login('nj-police');
    const refused = await signApi(police, await samplePdf(1));
    assert.equal(refused.statusCode, 409);
    assert.equal(refused.json<{ code: string }>().code, 'SEAL_SIGNING_REFUSED');
    const signer = await login('nj-signer');
    const truncated = await signApi(signer, (await samplePdf(1)).subarray(0, 300));
    assert.equal(truncated.statusCode, 400);
    assert.equal(truncated.json<{ code: string }>().code, 'SEAL_SIGN_DOCUMENT_INVALID');
    // The staff page: the form lists the organisation's seals and hands back the signed PDF.
    const page = await signer.b.get('/seals/sign');
    assert.match(page.body, new RegExp(`<option value="${esId}"`));
    const pageForm = multipart({ _csrf: signer.csrf, esId, page: '1', x: '150', y: '240', document: { file: await samplePdf(1, 'page'), name: 'p.pdf' } });
    const download = await app.app.inject({ method: 'POST', url: '/seals/sign', payload: pageForm.payload, headers: { ...pageForm.headers, cookie: signer.b.cookieHeader } });
    assert.equal(download.statusCode, 200, download.body.slice(0, 300));
    assert.equal(download.headers['content-type'], 'application/pdf');
    assert.equal((await verifyApi(download.rawPayload)).valid, true);
    const offPage = multipart({ _csrf: signer.csrf, esId, page: '1', x: '1', y: '1', document: { file: await samplePdf(1), name: 'p.pdf' } });
    const offPageRes = await app.app.inject({ method: 'POST', url: '/seals/sign', payload: offPage.payload, headers: { ...offPage.headers, cookie: signer.b.cookieHeader } });
    assert.equal(offPageRes.statusCode, 400);
    assert.match(offPageRes.body, /印章位置超出页面范围/);
    const anonymous = await app.app.inject({ method: 'POST', url: '/api/v1/seals/sign', ...multipart({ esId }) });
    assert.ok([401, 403].includes(anonymous.statusCode), `anonymous: ${anonymous.statusCode}`);
  });

  test('revocation counts at signing time: earlier documents stay valid, later signing is refused', async () => {
    const signer = await login('nj-signer');
    const before = Buffer.from((await signApi(signer, await samplePdf(1, 'before'))).json<{ signedPdf: string }>().signedPdf, 'base64');
    await new Promise((r) => setTimeout(r, 1100)); // GeneralizedTime has whole seconds
    await seals.revoke(admin, esId, '注销');
    const still = await verifyApi(before);
    assert.equal(still.valid, true, JSON.stringify(still));
    const after = await signApi(signer, await samplePdf(1, 'after'));
    assert.equal(after.statusCode, 409);
    assert.match(after.json<{ detail?: string }>().detail ?? '', /注销/);

    // Offline: the CLI with the exported CA certificate, and with an unrelated one.
    const dir = mkdtempSync(path.join(tmpdir(), 'yiwang-seal-'));
    writeFileSync(path.join(dir, 'signed.pdf'), before);
    const trust = path.join(dir, 'trust');
    const stranger = path.join(dir, 'stranger');
    for (const d of [trust, stranger]) spawnSync('mkdir', ['-p', d]);
    writeFileSync(path.join(trust, 'ca.pem'), certificateToPem(caDer));
    const other = await testCa(new SoftwareKeyStore(getDb().db, keyEncryptionKey(testConfig(), {})));
    writeFileSync(path.join(stranger, 'ca.der'), other.der);
    const cli = (...args: string[]) => spawnSync(process.execPath, ['src/cli.ts', 'seal:verify', ...args], { encoding: 'utf8', env: { ...process.env, NODE_ENV: 'test' } });
    const valid = cli(path.join(dir, 'signed.pdf'), '--trust', trust);
    assert.equal(valid.status, 0, valid.stdout + valid.stderr);
    assert.match(valid.stdout, /^有效/);
    const untrusted = cli(path.join(dir, 'signed.pdf'), '--trust', stranger);
    assert.equal(untrusted.status, 1);
    assert.match(untrusted.stdout, /证书不是由受信任的机构签发/);
    writeFileSync(path.join(dir, 'cut.pdf'), before.subarray(0, before.length - 30));
    const cut = cli(path.join(dir, 'cut.pdf'), '--trust', trust);
    assert.equal(cut.status, 1);
    assert.match(cut.stdout, /不完整或已损坏/);
    assert.equal(cli().status, 2);
  });
});
