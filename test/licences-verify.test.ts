// Issue 8 items 5–6, verification: a licence issued on case completion verifies by identifier,
// by its QR token (online), by its PDF, and offline with the node's downloaded bundle and
// root (API, page without JavaScript, CLI). Revocation fails online at once; offline an old
// bundle still says valid until a fresh one is downloaded. Forged and altered input gets a
// clear error and no data. Every verification is a recorded use.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describeEachBackend } from './support/backends.ts';
import { Browser, buildTestPlatform, type TestPlatform } from './support/platform.ts';
import { licenceBed, type LicenceBed } from './support/licences.ts';
import { multipart } from './support/multipart.ts';
import { caChain } from '../src/modules/seals/index.ts';
import { DEMO_LICENCE_TYPES, encodeClaims, formatIdentifier, parseToken, produceLicenceFiles, qrTextFromPdf, runLicenceVerify, verifyQrOffline, type LicenceBundleEnvelope } from '../src/modules/licences/index.ts';
import { fileStoreFromConfig } from '../src/platform/files/index.ts';

describeEachBackend('licences: online and offline verification', (getDb) => {
  let p: TestPlatform;
  let bed: LicenceBed;
  let identifier: string;
  let pdf: Buffer;
  let token: string;
  let root: Buffer;
  let oldBundle: LicenceBundleEnvelope;
  const dirs: string[] = [];

  const verify = async (body: unknown) => {
    const res = await p.app.inject({ method: 'POST', url: '/api/v1/licences/verify', payload: body as object, headers: { accept: 'application/json' } });
    assert.equal(res.statusCode, 200, res.body);
    return { json: res.json(), body: res.body };
  };
  const verifyPdf = async (file: Buffer) => {
    const form = multipart({ document: { file, name: 'licence.pdf' } });
    const res = await p.app.inject({ method: 'POST', url: '/api/v1/licences/verify/pdf', payload: form.payload, headers: { ...form.headers, accept: 'application/json' } });
    assert.equal(res.statusCode, 200, res.body);
    return res.json();
  };
  const bundle = async (): Promise<LicenceBundleEnvelope> => {
    const res = await p.app.inject({ method: 'GET', url: '/licences/trust-bundle' });
    assert.equal(res.statusCode, 200, res.body);
    return res.json();
  };
  const uses = async (kind: string) => (await p.ctx.db.selectFrom('licence_use').select(['actor_kind', 'outcome']).where('identifier', '=', identifier).where('kind', '=', kind as never).execute());
  /** A --trust directory as an offline verifier would keep it. */
  const trustDir = (b: LicenceBundleEnvelope): string => {
    const dir = mkdtempSync(path.join(tmpdir(), 'licence-trust-'));
    dirs.push(dir);
    writeFileSync(path.join(dir, 'root.der'), root);
    writeFileSync(path.join(dir, 'jiangsu.json'), JSON.stringify(b));
    return dir;
  };
  const cli = async (args: string[]) => {
    const lines: string[] = [];
    const code = await runLicenceVerify(args, (l) => lines.push(l));
    return { code, text: lines.join('\n') };
  };

  before(async () => {
    p = await buildTestPlatform(getDb());
    bed = await licenceBed(p);
    await bed.issueSeal();
    ({ identifier } = await bed.issuedLicence({ shopName: '知味小馆' }));
    const res = await bed.call(bed.applicant, 'GET', `/api/v1/licences/${identifier}/pdf`);
    assert.equal(res.statusCode, 200);
    pdf = res.rawPayload;
    token = qrTextFromPdf(pdf)!;
    root = (await caChain(p.ctx))[1]!;
  });
  after(async () => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    await p.app.close();
  });

  test('the signed PDF carries a compact signed QR token naming the licence, with masked holder data', () => {
    assert.ok(token, 'token in the PDF metadata');
    assert.ok(token.length < 1000, `${token.length} characters`);
    const parsed = parseToken(token);
    assert.ok(parsed.ok);
    assert.equal(parsed.claims.id, identifier);
    assert.equal(parsed.claims.hn, '王**');
    assert.ok(!token.includes(bed.applicant.idNumber));
  });

  test('online: by identifier, by QR token and URL, by PDF → valid, masked; an altered PDF fails; each is a recorded use', async () => {
    const byId = await verify({ identifier });
    assert.equal(byId.json.ok, true);
    assert.equal(byId.json.status, 'valid');
    assert.equal(byId.json.licence.holderName, '', 'by identifier: no holder at all (identifiers can be enumerated)');
    assert.ok(!byId.body.includes(bed.applicant.idNumber) && !byId.body.includes('王小明'));

    const byQr = await verify({ qr: token });
    assert.equal(byQr.json.status, 'valid', byQr.body);
    assert.equal(byQr.json.source, 'live');
    assert.equal(byQr.json.licence.identifier, identifier);
    assert.equal(byQr.json.licence.typeName, '食品经营许可证');
    assert.equal((await verify({ qr: `${p.config.publicUrl}/licences/verify?qr=${encodeURIComponent(token)}` })).json.status, 'valid');

    const byPdf = await verifyPdf(pdf);
    assert.equal(byPdf.ok, true, JSON.stringify(byPdf));
    assert.equal(byPdf.status, 'valid');
    const altered = Buffer.from(pdf);
    const at = altered.indexOf('知味') >= 0 ? altered.indexOf('知味') : Math.floor(altered.length / 3);
    altered[at] = altered[at]! ^ 0x20;
    const bad = await verifyPdf(altered);
    assert.equal(bad.ok, false);
    assert.equal(bad.code, 'pdf_invalid');
    assert.equal(bad.licence, undefined);

    assert.deepEqual((await uses('verify_online')).map((u) => [u.actor_kind, u.outcome]), [['public', 'valid']]);
    assert.equal((await uses('verify_qr')).length, 2);
    assert.equal((await uses('verify_pdf')).length, 1);
  });

  test('offline: the downloaded bundle and the root verify the token, the URL and the PDF (CLI exit 0)', async () => {
    oldBundle = await bundle();
    const r = verifyQrOffline(token, { roots: [root], bundles: [oldBundle], now: new Date() });
    assert.ok(r.ok && r.status === 'valid', JSON.stringify(r));
    const dir = trustDir(oldBundle);
    const tokenFile = path.join(dir, 'qr.txt');
    writeFileSync(tokenFile, `${token}\n`);
    const pdfFile = path.join(dir, 'licence.pdf');
    writeFileSync(pdfFile, pdf);
    for (const subject of [token, tokenFile, pdfFile, `${p.config.publicUrl}/licences/verify?qr=${encodeURIComponent(token)}`]) {
      const out = await cli([subject, '--trust', dir]);
      assert.equal(out.code, 0, out.text);
      assert.match(out.text, /有效：证照状态 有效/);
      assert.match(out.text, /王\*\*/);
    }
    // Without the root nothing is trusted; a missing file or no argument is a usage error.
    const noRoot = mkdtempSync(path.join(tmpdir(), 'licence-trust-'));
    dirs.push(noRoot);
    writeFileSync(path.join(noRoot, 'b.json'), JSON.stringify(oldBundle));
    assert.equal((await cli([token, '--trust', noRoot])).code, 1);
    assert.equal((await cli([path.join(dir, 'missing.pdf'), '--trust', dir])).code, 2);
    assert.equal((await cli(['--trust', dir])).code, 2);
  });

  test('the page: ?qr= answers at once; the identifier form and the PDF upload work without JavaScript', async () => {
    const browser = new Browser(p.app);
    let res = await browser.get(`/licences/verify?qr=${encodeURIComponent(token)}`);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /status--green[^]*有效/);
    assert.match(res.body, /食品经营许可证/);
    assert.ok(res.body.includes('王**') && !res.body.includes('王小明') && !res.body.includes(bed.applicant.idNumber));
    const csrf = Browser.csrfFrom(res.body);
    res = await browser.submit('/licences/verify', { identifier }, csrf);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /核验结果：有效/);
    res = await browser.submit('/licences/verify', { identifier: 'not-an-identifier' }, csrf);
    assert.match(res.body, /无法核验/);
    res = await browser.submit('/licences/verify', { identifier: '' }, csrf);
    assert.equal(res.statusCode, 400);
    const form = multipart({ _csrf: csrf, document: { file: pdf, name: 'licence.pdf' } });
    res = await p.app.inject({ method: 'POST', url: '/licences/verify/pdf', payload: form.payload, headers: { ...form.headers, accept: 'text/html', cookie: browser.cookieHeader } });
    assert.equal(res.statusCode, 200, res.body);
    assert.match(res.body, /核验结果：有效/);
    res = await browser.get('/licences/verify');
    assert.match(res.body, /name="identifier"[^]*name="qr"[^]*name="document"/);
  });

  test('forged kid and altered payload: a clear error and no data', async () => {
    const parsed = parseToken(token);
    assert.ok(parsed.ok);
    const [, , sig] = token.split('.');
    const forgedKid = `${encodeClaims({ ...parsed.claims, k: '0123456789abcdef' }).claimsPart}.${sig}`;
    const altered = `${encodeClaims({ ...parsed.claims, u: '2099-12-31' }).claimsPart}.${sig}`;
    for (const [t, code] of [[`YWL1.${forgedKid}`, 'unknown_signer'], [`YWL1.${altered}`, 'bad_signature'], [token.slice(0, -12), 'truncated'], ['garbage', 'malformed']] as const) {
      const { json, body } = await verify({ qr: t });
      assert.equal(json.ok, false, body);
      assert.equal(json.code, code);
      assert.ok(json.message);
      assert.ok(!body.includes('知味') && !body.includes('王') && !body.includes(identifier), body);
      const page = await new Browser(p.app).get(`/licences/verify?qr=${encodeURIComponent(t)}`);
      assert.match(page.body, /无法核验/);
      assert.ok(!page.body.includes('王**'));
    }
  });

  test('batch: produceLicenceFiles signs every QR payload and PDF with the bureau seal; each verifies offline', async () => {
    const food = DEMO_LICENCE_TYPES.find((t) => t.key === 'food_business')!;
    const parsed = parseToken(token);
    assert.ok(parsed.ok);
    const issuerUscc = parsed.claims.iu;
    const faces = [1, 2].map((n) => ({
      type: food, identifier: formatIdentifier({ typeCode: food.code, issuerUscc, serial: `2019${String(90000000 + n)}`, version: '001' }), issuerName: '南京市市场监督管理局', validFrom: '2019-05-01', validUntil: '2024-04-30',
      data: { shopName: `老店${n}`, holderName: '李四', holderCode: '320102199001011237', issuerName: '南京市市场监督管理局' },
    }));
    const results = await produceLicenceFiles({ db: p.ctx.db, config: p.config, files: fileStoreFromConfig(p.config) }, { id: bed.njOrg, regionCode: '320100' }, faces);
    assert.equal(results.length, 2);
    const b = await bundle();
    for (const [i, r] of results.entries()) {
      assert.ok(r.ok, JSON.stringify(r));
      assert.equal(qrTextFromPdf(r.pdf), r.qr);
      const v = verifyQrOffline(r.qr, { roots: [root], bundles: [b], now: new Date() });
      assert.ok(v.ok && v.licence.identifier === faces[i]!.identifier && v.status === 'expired' && v.licence.holderName === '李*', JSON.stringify(v));
    }
  });

  test('revoked: online fails at once; offline the old bundle still says valid, a fresh one says revoked', async () => {
    const res = await bed.call(bed.staff['nj-approver'], 'POST', `/api/v1/licences/${identifier}/revoke`, { kind: 'withdrawn', reason: '违法经营，依法吊销' });
    assert.equal(res.statusCode, 200, res.body);
    for (const body of [{ qr: token }, { identifier }]) {
      const { json } = await verify(body);
      assert.equal(json.status, 'revoked');
      assert.equal(json.statusText, '已吊销');
    }
    assert.equal((await verifyPdf(pdf)).status, 'revoked');
    const page = await new Browser(p.app).get(`/licences/verify?qr=${encodeURIComponent(token)}`);
    assert.match(page.body, /status--red[^]*已吊销/);

    // Documented: offline verifiers learn of a revocation on their next bundle download.
    const stale = verifyQrOffline(token, { roots: [root], bundles: [oldBundle], now: new Date() });
    assert.ok(stale.ok && stale.status === 'valid');
    const fresh = await bundle();
    const now = verifyQrOffline(token, { roots: [root], bundles: [fresh], now: new Date() });
    assert.ok(now.ok && now.status === 'revoked' && now.revokeKind === 'withdrawn', JSON.stringify(now));
    assert.ok(!fresh.content.includes('王'), 'the bundle carries no holder data');
    assert.equal((await cli([token, '--trust', trustDir(oldBundle)])).code, 0);
    const out = await cli([token, '--trust', trustDir(fresh)]);
    assert.equal(out.code, 1);
    assert.match(out.text, /已吊销/);
  });
});
