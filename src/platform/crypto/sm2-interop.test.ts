// SM2 cross-checks beyond `openssl dgst` (sm2.test.ts): openssl pkeyutl over the raw message
// with the default distinguishing ID, and an independent JavaScript implementation (sm-crypto
// v1, jsbn-based, unrelated to the noble-curves code behind sm-crypto-v2), both directions.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, describe, test } from 'node:test';
import { generateSm2KeyPair, sm2PrivateKeyFromPem, sm2PrivateKeyToPem, sm2PublicKeyFromPrivate, sm2PublicKeyToPem, sm2Sign, sm2Verify } from './sm2.ts';
import { opensslSkip, opensslWorkspace } from '../../../test/support/openssl.ts';

interface SmCryptoV1 {
  sm2: {
    doSignature(msg: string | number[], privateKey: string, options: { hash: boolean; der: boolean; publicKey?: string; userId?: string }): string;
    doVerifySignature(msg: string | number[], signature: string, publicKey: string, options: { hash: boolean; der: boolean; userId?: string }): boolean;
  };
}
const smCrypto = createRequire(import.meta.url)('sm-crypto') as SmCryptoV1;

const message = Buffer.from('{"seal":"南京市市场监督管理局","at":"2026-03-01"} ✓');

describe('SM2 against an independent JavaScript implementation (sm-crypto v1)', () => {
  test('our signature verifies there, with the default ID only', () => {
    const keys = generateSm2KeyPair();
    const sig = sm2Sign(message, keys.privateKey).toString('hex');
    assert.equal(smCrypto.sm2.doVerifySignature([...message], sig, keys.publicKey, { hash: true, der: true }), true);
    assert.equal(smCrypto.sm2.doVerifySignature([...message], sig, keys.publicKey, { hash: true, der: true, userId: 'another-signer' }), false);
    assert.equal(smCrypto.sm2.doVerifySignature([...message, 0], sig, keys.publicKey, { hash: true, der: true }), false);
  });

  test('its signature verifies here; a custom signer ID must match on both sides', () => {
    const keys = generateSm2KeyPair();
    for (let i = 0; i < 5; i++) {
      const sig = Buffer.from(smCrypto.sm2.doSignature([...message], keys.privateKey, { hash: true, der: true, publicKey: keys.publicKey }), 'hex');
      assert.equal(sm2Verify(message, sig, keys.publicKey), true);
      assert.equal(sm2Verify(message.subarray(1), sig, keys.publicKey), false);
    }
    const custom = Buffer.from(smCrypto.sm2.doSignature([...message], keys.privateKey, { hash: true, der: true, userId: 'yiwang@320000' }), 'hex');
    assert.equal(sm2Verify(message, custom, keys.publicKey, { userId: 'yiwang@320000' }), true);
    assert.equal(sm2Verify(message, custom, keys.publicKey), false);
  });
});

describe('SM2 against openssl pkeyutl (raw message, distid)', { skip: opensslSkip }, () => {
  const ws = opensslWorkspace('sm2-pkeyutl-');
  after(() => ws.remove());
  writeFileSync(ws.file('msg.bin'), message);
  const distid = ['-pkeyopt', 'distid:1234567812345678'];

  test('ours → openssl pkeyutl -verify', () => {
    const keys = generateSm2KeyPair();
    writeFileSync(ws.file('ours.pub'), sm2PublicKeyToPem(keys.publicKey));
    writeFileSync(ws.file('ours.sig'), sm2Sign(message, keys.privateKey));
    const ok = ws.run(['pkeyutl', '-verify', '-pubin', '-inkey', 'ours.pub', '-rawin', '-in', 'msg.bin', '-digest', 'sm3', ...distid, '-sigfile', 'ours.sig']);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /Signature Verified Successfully/);
    const wrongId = ws.run(['pkeyutl', '-verify', '-pubin', '-inkey', 'ours.pub', '-rawin', '-in', 'msg.bin', '-digest', 'sm3', '-pkeyopt', 'distid:1234567812345679', '-sigfile', 'ours.sig']);
    assert.notEqual(wrongId.status, 0);
    // openssl also signs with our exported private key, and that verifies here.
    writeFileSync(ws.file('ours.key'), sm2PrivateKeyToPem(keys.privateKey));
    assert.equal(ws.run(['pkeyutl', '-sign', '-inkey', 'ours.key', '-rawin', '-in', 'msg.bin', '-digest', 'sm3', ...distid, '-out', 'ours-by-openssl.sig']).status, 0);
    assert.equal(sm2Verify(message, readFileSync(ws.file('ours-by-openssl.sig')), keys.publicKey), true);
  });

  test('openssl pkeyutl -sign → ours', () => {
    assert.equal(ws.run(['genpkey', '-algorithm', 'SM2', '-out', 'theirs.key']).status, 0);
    const pub = sm2PublicKeyFromPrivate(sm2PrivateKeyFromPem(readFileSync(ws.file('theirs.key'), 'utf8')));
    const r = ws.run(['pkeyutl', '-sign', '-inkey', 'theirs.key', '-rawin', '-in', 'msg.bin', '-digest', 'sm3', ...distid, '-out', 'theirs.sig']);
    assert.equal(r.status, 0, r.stderr);
    const sig = readFileSync(ws.file('theirs.sig'));
    assert.equal(sm2Verify(message, sig, pub), true);
    assert.equal(sm2Verify(message, sig, pub, { userId: '' }), false);
    assert.equal(sm2Verify(Buffer.concat([message, Buffer.from('.')]), sig, pub), false);
  });
});
