// The QR payload and its offline verification, without a database: a throwaway PKI (root →
// issuing CA → seal signer), a bundle signed by the issuing CA like a node's, and every way a
// payload can be damaged or forged — none of which may answer "valid" or carry data.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { deflateRawSync } from 'node:zlib';
import { generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { generateSm2KeyPair, sm2PrivateKeyToPem, sm2Sign } from '../../platform/crypto/sm2.ts';
import { OID } from '../../platform/crypto/x509/index.ts';
import { makeCreditCode } from '../../platform/identifiers/credit-code.ts';
import { makePki, NOW, type TestCa } from '../../../test/support/pki.ts';
import { opensslSkip, opensslWorkspace } from '../../../test/support/openssl.ts';
import { DEMO_LICENCE_TYPES } from './catalogue.ts';
import { BUNDLE_FORMAT, verifyBundle, type LicenceBundleContent, type LicenceBundleEnvelope } from './bundle.ts';
import { formatIdentifier } from './identifier.ts';
import { assembleToken, claimsFor, encodeClaims, extractToken, kidOf, parseToken, qrUrl, QR_PREFIX, type QrClaims } from './qr.ts';
import { verifyQrOffline, type LicenceVerification } from './verification.ts';

const food = DEMO_LICENCE_TYPES.find((t) => t.key === 'food_business')!;
const issuerUscc = makeCreditCode('1', '1', '320100', 'MB123456');
const identifier = formatIdentifier({ typeCode: food.code, issuerUscc, serial: '202600000001', version: '001' });
const data = { shopName: '知味小馆', holderName: '王小明', holderCode: '320102199001011237', address: '南京市玄武区中山路1号', businessType: '餐饮服务', issuerName: '南京市市场监督管理局' };

let pki: { root: TestCa; issuing: TestCa; leaf: TestCa };
let claims: QrClaims;
let token: string;
let bundle: LicenceBundleEnvelope;

function signToken(c: QrClaims, privateKey: string, publicKey: string): string {
  const { claimsPart, signed } = encodeClaims(c);
  return assembleToken(claimsPart, sm2Sign(signed, privateKey, { publicKey }));
}

function envelope(content: Partial<LicenceBundleContent>, by: TestCa = pki.issuing): LicenceBundleEnvelope {
  const full: LicenceBundleContent = {
    format: BUNDLE_FORMAT, issuer: { regionCode: '320000', url: 'https://zwfw.example/licences/trust-bundle' }, issuedAt: NOW.toISOString(), nextUpdate: new Date(NOW.getTime() + 86_400_000).toISOString(),
    signers: [{ kid: kidOf(pki.leaf.der), certificate: pki.leaf.der.toString('base64'), esId: '32010020260000001', orgName: '南京市市场监督管理局' }],
    intermediates: [pki.issuing.der.toString('base64')], statuses: [], ...content,
  };
  const text = JSON.stringify(full);
  return { content: text, signatureAlgorithm: OID.sm3WithSm2, signature: sm2Sign(Buffer.from(text), by.keys.privateKey, { publicKey: by.keys.publicKey }).toString('base64'), signerChain: [by.der, pki.root.der].map((d) => d.toString('base64')) };
}

const offline = (t: string, bundles: unknown[] = [bundle], now = NOW): LicenceVerification => verifyQrOffline(t, { roots: [pki.root.der], bundles, now });

function assertRefused(r: LicenceVerification, code?: string): void {
  assert.equal(r.ok, false, JSON.stringify(r));
  if (!r.ok) {
    if (code) assert.equal(r.code, code, r.message);
    assert.ok(r.message.length > 0);
    assert.ok(!JSON.stringify(r).includes('王'), 'no licence data on a refusal');
  }
}

before(async () => {
  pki = await makePki();
  claims = claimsFor({ type: food, data, identifier, issuerName: '南京市市场监督管理局', validFrom: '2026-03-01', validUntil: '2031-02-28', issuedOn: '2026-03-01', signerCertificate: pki.leaf.der });
  token = signToken(claims, pki.leaf.keys.privateKey, pki.leaf.keys.publicKey);
  bundle = envelope({});
});

describe('licence QR payload', () => {
  test('claims are masked, compact and round-trip; the URL form carries the same token', () => {
    assert.equal(claims.hk, 'person');
    assert.equal(claims.hn, '王**');
    assert.equal(claims.hc, '3201**********1237');
    assert.equal(claims.iu, issuerUscc);
    assert.equal(claims.k, kidOf(pki.leaf.der));
    assert.ok(!token.includes('320102199001011237'));
    assert.ok(token.startsWith(QR_PREFIX));
    const url = qrUrl('https://zwfw.example/', token);
    assert.ok(url.length < 1000, `URL of ${url.length} characters`);
    assert.equal(extractToken(url), token);
    const parsed = parseToken(url);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.claims, claims);
  });

  test('offline: a good token against a good bundle and root is valid; a bundle status is believed; past its end it is expired', () => {
    const r = offline(token);
    assert.ok(r.ok && r.status === 'valid', JSON.stringify(r));
    assert.equal(r.signer?.esId, '32010020260000001');
    assert.deepEqual(r.warnings, []);
    const revoked = offline(token, [envelope({ statuses: [{ identifier, status: 'revoked', since: NOW.toISOString(), revokeKind: 'withdrawn' }] })]);
    assert.ok(revoked.ok && revoked.status === 'revoked' && revoked.revokeKind === 'withdrawn');
    const later = offline(token, [bundle], new Date('2031-03-05T00:00:00Z'));
    // The PKI's certificates have expired by then, but the chain is judged on the signing day.
    assert.ok(later.ok && later.status === 'expired' && later.warnings.includes('bundle_stale'), JSON.stringify(later));
  });

  test('tampering with any part, truncating, or another version is never valid', () => {
    const [, claimsPart, sigPart] = token.split('.') as [string, string, string];
    const bytes = Buffer.from(claimsPart, 'base64url');
    for (let i = 0; i < bytes.length; i += 7) {
      const copy = Buffer.from(bytes);
      copy[i] = copy[i]! ^ 0x01;
      assertRefused(offline(`${QR_PREFIX}${copy.toString('base64url')}.${sigPart}`));
    }
    const sig = Buffer.from(sigPart, 'base64url');
    for (const i of [4, 20, sig.length - 1]) {
      const copy = Buffer.from(sig);
      copy[i] = copy[i]! ^ 0x01;
      assertRefused(offline(`${QR_PREFIX}${claimsPart}.${copy.toString('base64url')}`));
    }
    assertRefused(offline(`YWL2.${claimsPart}.${sigPart}`), 'unsupported_version');
    assertRefused(offline(`XWL1.${claimsPart}.${sigPart}`), 'malformed');
    assertRefused(offline(token.slice(0, -10)), 'truncated');
    assertRefused(offline(token.slice(0, 40)), 'truncated');
    assertRefused(offline(`${QR_PREFIX}${claimsPart}.`), 'truncated');
    assertRefused(offline(''), 'malformed');
    assertRefused(offline('https://zwfw.example/licences/verify?id=x'), 'malformed');
    // Claims re-encoded with a changed field but the old signature.
    const forged = encodeClaims({ ...claims, u: '2099-12-31' }).claimsPart;
    assertRefused(offline(`${QR_PREFIX}${forged}.${sigPart}`), 'bad_signature');
  });

  test('another key, a swapped kid, a P-256 signature or an unknown signer are refused', async () => {
    const other = generateSm2KeyPair();
    assertRefused(offline(signToken(claims, other.privateKey, other.publicKey)), 'bad_signature');
    assertRefused(offline(signToken({ ...claims, k: '00112233aabbccdd' }, pki.leaf.keys.privateKey, pki.leaf.keys.publicKey)), 'unknown_signer');
    const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const { claimsPart, signed } = encodeClaims(claims);
    assertRefused(offline(assembleToken(claimsPart, nodeSign('sha256', signed, p256.privateKey))), 'bad_signature');
    // A second, untrusted PKI whose seal signs and whose own CA signs the bundle naming it.
    const rogue = await makePki();
    const rogueClaims = { ...claims, k: kidOf(rogue.leaf.der) };
    const rogueToken = signToken(rogueClaims, rogue.leaf.keys.privateKey, rogue.leaf.keys.publicKey);
    const rogueBundle = { ...envelope({ signers: [{ kid: kidOf(rogue.leaf.der), certificate: rogue.leaf.der.toString('base64'), esId: 'x', orgName: '伪造' }] }, rogue.issuing), signerChain: [rogue.issuing.der, rogue.root.der].map((d) => d.toString('base64')) };
    assertRefused(offline(rogueToken, [bundle, rogueBundle]), 'bundle_invalid');
    assertRefused(offline(rogueToken, [bundle]), 'unknown_signer');
    // Our trusted bundle naming the rogue seal certificate: the certificate does not chain.
    assertRefused(offline(rogueToken, [envelope({ signers: [{ kid: kidOf(rogue.leaf.der), certificate: rogue.leaf.der.toString('base64'), esId: 'x', orgName: 'x' }] })]), 'signer_untrusted');
    // A bundle whose kid entry lies about its certificate.
    assertRefused(offline(token, [envelope({ signers: [{ kid: kidOf(pki.leaf.der), certificate: rogue.leaf.der.toString('base64'), esId: 'x', orgName: 'x' }] })]), 'bundle_invalid');
    // No bundle, or only an altered one.
    assertRefused(offline(token, []), 'unknown_signer');
    assertRefused(offline(token, [{ ...bundle, content: bundle.content.replace('"statuses":[]', '"statuses":[ ]') }]), 'bundle_invalid');
  });

  test('verifyBundle: altered, wrong root, wrong format', () => {
    assert.equal(verifyBundle(bundle, { roots: [pki.root.der], now: NOW }).valid, true);
    assert.equal(verifyBundle({ ...bundle, signature: bundle.signature.slice(0, -4) + 'AAAA' }, { roots: [pki.root.der], now: NOW }).valid, false);
    assert.equal(verifyBundle(bundle, { roots: [pki.issuing.der.subarray(0, 10)], now: NOW }).valid, false);
    assert.equal(verifyBundle(envelope({ format: 'other' as typeof BUNDLE_FORMAT }), { roots: [pki.root.der], now: NOW }).valid, false);
    assert.equal(verifyBundle(null, { roots: [pki.root.der], now: NOW }).valid, false);
  });

  test('garbage that inflates, and claims with a bad shape, are malformed', () => {
    const junk = Buffer.from(deflateRawSync(Buffer.from('{"id":1}'))).toString('base64url');
    const sig = sm2Sign(Buffer.from(`${QR_PREFIX}${junk}`), pki.leaf.keys.privateKey).toString('base64url');
    assertRefused(offline(`${QR_PREFIX}${junk}.${sig}`), 'malformed');
  });
});

describe('licence QR payload against openssl', { skip: opensslSkip }, () => {
  const ws = opensslWorkspace('licence-qr-');
  after(() => ws.remove());

  test('an SM2 signature made by openssl pkeyutl over the payload verifies offline', () => {
    writeFileSync(ws.file('seal.key'), sm2PrivateKeyToPem(pki.leaf.keys.privateKey));
    const { claimsPart, signed } = encodeClaims(claims);
    writeFileSync(ws.file('payload.bin'), signed);
    const r = ws.run(['pkeyutl', '-sign', '-inkey', 'seal.key', '-rawin', '-in', 'payload.bin', '-digest', 'sm3', '-pkeyopt', 'distid:1234567812345678', '-out', 'payload.sig']);
    assert.equal(r.status, 0, r.stderr);
    const t = assembleToken(claimsPart, readFileSync(ws.file('payload.sig')));
    const res = offline(t);
    assert.ok(res.ok && res.status === 'valid', JSON.stringify(res));
  });
});
