import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { sm2 } from 'sm-crypto-v2';
import {
  decodeSignature, encodeSignature, generateSm2KeyPair, sm2Digest, sm2PrivateKeyFromPem, sm2PrivateKeyToPem,
  sm2PublicKey, sm2PublicKeyFromPem, sm2PublicKeyFromPrivate, sm2PublicKeyToPem, sm2Sign, sm2Verify, sm2Z,
} from './sm2.ts';

// GM/T 0003.5-2012 Annex A on sm2p256v1 (also in OpenSSL's tests), from shared/docs/standards.md.
const VECTOR = {
  d: '3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8',
  k: '59276E27D506861A16680F3AD9C02DCCEF3CC1FA3CDBE4CE6D54B80DEAC1BC21',
  z: 'B2E14C5C79C6DF5B85F4FE7ED8DB7A262B9DA7E07CCB0EA9F4747B8CCDA8A4F3',
  r: 'F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3',
  s: 'B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA',
  message: 'message digest',
};

describe('SM2 (GB/T 32918)', () => {
  const pub = sm2PublicKeyFromPrivate(VECTOR.d);

  test('Z_A with the default ID matches the standard vector', () => {
    assert.equal(sm2Z(pub).toString('hex').toUpperCase(), VECTOR.z);
  });

  test('signing SM3(Z_A ‖ M) with the vector k gives the standard r, s, and our verify accepts it', () => {
    const kG = sm2PublicKeyFromPrivate(VECTOR.k);
    const x1 = BigInt('0x' + kG.slice(2, 66));
    const e = sm2Digest(VECTOR.message, sm2Z(pub));
    const rs = sm2.doSignature(e, VECTOR.d.toLowerCase(), { pointPool: [{ k: BigInt('0x' + VECTOR.k), x1 }] });
    assert.equal(rs.toUpperCase(), VECTOR.r + VECTOR.s);
    const der = encodeSignature(BigInt('0x' + VECTOR.r), BigInt('0x' + VECTOR.s));
    assert.equal(sm2Verify(VECTOR.message, der, pub), true);
    assert.equal(sm2Verify('message digesT', der, pub), false);
    // The same r, s under another ID (e.g. the empty ID Node's sign uses) must not verify.
    assert.equal(sm2Verify(VECTOR.message, der, pub, { userId: '' }), false);
  });

  test('sign/verify round trip, tampering and malformed signatures', () => {
    const keys = generateSm2KeyPair();
    assert.match(keys.privateKey, /^[0-9a-f]{64}$/);
    assert.match(keys.publicKey, /^04[0-9a-f]{128}$/);
    const msg = Buffer.from('一网通办 ✓');
    const sig = sm2Sign(msg, keys.privateKey);
    assert.ok(decodeSignature(sig));
    assert.equal(sm2Verify(msg, sig, keys.publicKey), true);
    assert.equal(sm2Verify(msg, sig, sm2PublicKey(keys.publicKey)), true);
    assert.equal(sm2Verify(Buffer.from('一网通办 x'), sig, keys.publicKey), false);
    assert.equal(sm2Verify(msg, sig, generateSm2KeyPair().publicKey), false);
    const flipped = Buffer.from(sig);
    flipped[flipped.length - 1]! ^= 1;
    assert.equal(sm2Verify(msg, flipped, keys.publicKey), false);
    assert.equal(sm2Verify(msg, Buffer.concat([sig, Buffer.from([0])]), keys.publicKey), false);
    assert.equal(sm2Verify(msg, Buffer.from('garbage'), keys.publicKey), false);
    assert.equal(sm2Verify(msg, sig, 'not a key'), false);
    assert.equal(decodeSignature(encodeSignature(0n, 1n)), null);
  });

  test('PEM encodings round-trip', () => {
    const keys = generateSm2KeyPair();
    const pubPem = sm2PublicKeyToPem(keys.publicKey);
    assert.match(pubPem, /^-----BEGIN PUBLIC KEY-----\n/);
    assert.equal(sm2PublicKeyFromPem(pubPem), keys.publicKey);
    assert.equal(sm2PrivateKeyFromPem(sm2PrivateKeyToPem(keys.privateKey)), keys.privateKey);
    assert.equal(sm2PublicKey(pubPem).hex, keys.publicKey);
    assert.throws(() => sm2PublicKeyFromPem('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----'));
    assert.throws(() => sm2PublicKeyFromPrivate('00'.repeat(32)));
  });
});

const openssl = spawnSync('openssl', ['version'], { encoding: 'utf8' });
const hasOpenssl = openssl.status === 0 && /OpenSSL 3/.test(openssl.stdout);

describe('SM2 interop with the OpenSSL command line', { skip: hasOpenssl ? false : 'openssl 3 command line not found: interop not checked' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'sm2-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const message = Buffer.from('{"match":true,"reference":"PS-0001"} 江苏');
  writeFileSync(join(dir, 'msg.bin'), message);

  test('a signature made here verifies with openssl dgst -sm3 -verify', () => {
    const keys = generateSm2KeyPair();
    writeFileSync(join(dir, 'ours.pub.pem'), sm2PublicKeyToPem(keys.publicKey));
    writeFileSync(join(dir, 'ours.sig'), sm2Sign(message, keys.privateKey));
    const out = run(['dgst', '-sm3', '-verify', 'ours.pub.pem', '-sigopt', 'distid:1234567812345678', '-signature', 'ours.sig', 'msg.bin']);
    assert.match(out, /Verified OK/);
    // openssl also reads our PKCS#8 private key as an SM2 key and derives the same public key.
    writeFileSync(join(dir, 'ours.key.pem'), sm2PrivateKeyToPem(keys.privateKey));
    assert.equal(sm2PublicKeyFromPem(run(['pkey', '-in', 'ours.key.pem', '-pubout'])), keys.publicKey);
    // A wrong ID must fail in openssl too, proving the default ID is what we signed with.
    assert.throws(() => run(['dgst', '-sm3', '-verify', 'ours.pub.pem', '-sigopt', 'distid:1234567812345679', '-signature', 'ours.sig', 'msg.bin']));
  });

  test('a signature made by openssl dgst -sm3 -sign verifies here', () => {
    run(['genpkey', '-algorithm', 'SM2', '-out', 'theirs.key.pem']);
    const pubPem = run(['pkey', '-in', 'theirs.key.pem', '-pubout']);
    run(['dgst', '-sm3', '-sign', 'theirs.key.pem', '-sigopt', 'distid:1234567812345678', '-out', 'theirs.sig', 'msg.bin']);
    const sig = readFileSync(join(dir, 'theirs.sig'));
    assert.equal(sm2Verify(message, sig, pubPem), true);
    assert.equal(sm2Verify(Buffer.concat([message, Buffer.from('!')]), sig, pubPem), false);
    // And we read openssl's private key: our signature verifies against its public key.
    const d = sm2PrivateKeyFromPem(readFileSync(join(dir, 'theirs.key.pem'), 'utf8'));
    assert.equal(sm2PublicKeyFromPrivate(d), sm2PublicKeyFromPem(pubPem));
  });
});
