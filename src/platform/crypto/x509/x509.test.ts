import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { oid, seq, bool } from './der.ts';
import { CHAIN_FAILURE_TEXT, X509Error, extension, keyIdentifier, parseCertificate, parseCrl, randomSerial, signCrl, verifyCertificateSignature, verifyChain, verifyCrl } from './index.ts';
import { makeCert, makePki, NOW, signer, YEAR } from '../../../../test/support/pki.ts';

describe('X.509 certificates with SM2', () => {
  test('build, parse and verify: fields, Chinese names, extensions', async () => {
    const { root, issuing, leaf } = await makePki();
    assert.equal(leaf.cert.subject.text, 'C=CN, O=南京市市场监督管理局, CN=南京市市场监督管理局行政审批专用章, SERIALNUMBER=11320100MB1234567X');
    assert.equal(leaf.cert.issuer.text, issuing.cert.subject.text);
    assert.match(leaf.cert.serial, /^[4-7][0-9a-f]{31}$/);
    assert.deepEqual(leaf.cert.basicConstraints, { ca: false, pathLength: null });
    assert.deepEqual(leaf.cert.keyUsage, ['digitalSignature', 'nonRepudiation']);
    assert.deepEqual(issuing.cert.basicConstraints, { ca: true, pathLength: 0 });
    assert.deepEqual(issuing.cert.keyUsage, ['keyCertSign', 'cRLSign']);
    assert.deepEqual(leaf.cert.subjectKeyId, keyIdentifier(leaf.keys.publicKey));
    assert.deepEqual(leaf.cert.authorityKeyId, issuing.cert.subjectKeyId);
    assert.deepEqual(leaf.cert.crlDistributionPoints, ['http://localhost/ca/crl']);
    assert.equal(leaf.cert.publicKey, leaf.keys.publicKey);
    assert.ok(leaf.cert.extensions.find((e) => e.oid === '2.5.29.19')?.critical);
    assert.equal(verifyCertificateSignature(leaf.cert, issuing.keys.publicKey), true);
    assert.equal(verifyCertificateSignature(leaf.cert, root.keys.publicKey), false);
    assert.equal(verifyCertificateSignature(leaf.cert, issuing.keys.publicKey, '8765432187654321'), false);
    const ok = verifyChain({ certificate: leaf.der, intermediates: [issuing.der], anchors: [root.der], at: NOW });
    assert.equal(ok.valid, true);
    if (ok.valid) assert.deepEqual(ok.chain.map((c) => c.subject.commonName), ['南京市市场监督管理局行政审批专用章', '南京市一网通办签发CA', '江苏省一网通办根CA']);
  });

  test('chain failures carry a reason code', async () => {
    const { root, issuing, leaf } = await makePki();
    const base = { certificate: leaf.der, intermediates: [issuing.der], anchors: [root.der], at: NOW };
    const reason = (r: ReturnType<typeof verifyChain>) => (r.valid ? 'valid' : r.reason);
    assert.equal(reason(verifyChain({ ...base, at: new Date(NOW.getTime() + 2 * YEAR) })), 'expired');
    assert.equal(reason(verifyChain({ ...base, at: new Date(NOW.getTime() - 2 * 86_400_000) })), 'not_yet_valid');
    assert.equal(reason(verifyChain({ ...base, intermediates: [] })), 'issuer_not_trusted');
    const otherRoot = await makeCert({ country: 'CN', commonName: '别的根CA' }, null, { ca: {}, keyUsage: ['keyCertSign', 'cRLSign'] });
    assert.equal(reason(verifyChain({ ...base, anchors: [otherRoot.der] })), 'issuer_not_trusted');
    // A look-alike issuer with the same name and key identifier but another key: the signature fails.
    const impostor = await makeCert(
      { country: 'CN', organization: '江苏省一网通办', organizationalUnit: '南京市', commonName: '南京市一网通办签发CA' },
      root,
      { ca: { pathLength: 0 }, keyUsage: ['keyCertSign', 'cRLSign'] },
    );
    const forged = await makeCert({ country: 'CN', commonName: '伪造' }, { ...impostor, cert: { ...impostor.cert, subjectKeyId: issuing.cert.subjectKeyId } }, { authorityKeyId: issuing.cert.subjectKeyId! });
    assert.equal(reason(verifyChain({ ...base, certificate: forged.der })), 'signature_invalid');
    // An end-entity certificate cannot issue.
    const child = await makeCert({ country: 'CN', commonName: '下级' }, leaf);
    assert.equal(reason(verifyChain({ ...base, certificate: child.der, intermediates: [issuing.der, leaf.der] })), 'not_a_ca');
    // pathLength 0 on the issuing CA forbids another CA below it.
    const sub = await makeCert({ country: 'CN', commonName: '再下级CA' }, issuing, { ca: {}, keyUsage: ['keyCertSign'] });
    const grandchild = await makeCert({ country: 'CN', commonName: '孙' }, sub);
    assert.equal(reason(verifyChain({ ...base, certificate: grandchild.der, intermediates: [issuing.der, sub.der] })), 'path_length_exceeded');
    // A CA without keyCertSign.
    const noSign = await makeCert({ country: 'CN', commonName: '无签发权CA' }, root, { ca: {}, keyUsage: ['cRLSign'] });
    const underNoSign = await makeCert({ country: 'CN', commonName: '某证书' }, noSign);
    assert.equal(reason(verifyChain({ ...base, certificate: underNoSign.der, intermediates: [noSign.der] })), 'key_usage');
    const bad = verifyChain({ ...base, at: new Date(NOW.getTime() + 2 * YEAR) });
    assert.ok(!bad.valid && bad.message.startsWith(CHAIN_FAILURE_TEXT.expired) && bad.subject?.includes('专用章'));
  });

  test('tampered signature, corrupt and truncated DER, trailing bytes: clear errors, never valid', async () => {
    const { root, issuing, leaf } = await makePki();
    const tampered = Buffer.from(leaf.der);
    tampered[tampered.length - 5]! ^= 0x01;
    const t = verifyChain({ certificate: tampered, intermediates: [issuing.der], anchors: [root.der], at: NOW });
    assert.ok(!t.valid && ['signature_invalid', 'malformed'].includes(t.reason));
    // A changed subject keeps the signature's shape but not its validity.
    const renamed = Buffer.from(leaf.der.toString('latin1').replace('11320100MB1234567X', '11320100MB1234567Y'), 'latin1');
    assert.equal(verifyCertificateSignature(parseCertificate(renamed), issuing.keys.publicKey), false);
    assert.throws(() => parseCertificate(leaf.der.subarray(0, leaf.der.length - 10)), (e: unknown) => e instanceof X509Error && e.code === 'MALFORMED');
    assert.throws(() => parseCertificate(Buffer.concat([leaf.der, Buffer.from([0])])), /多余字节/);
    assert.throws(() => parseCertificate(Buffer.alloc(0)), X509Error);
    assert.throws(() => parseCertificate(Buffer.from('not a certificate at all')), X509Error);
    const r = verifyChain({ certificate: Buffer.from([0x30, 0x80, 0, 0]), anchors: [root.der], at: NOW });
    assert.ok(!r.valid && r.reason === 'malformed');
    // Random corruption anywhere: only X509Error or a verdict, never another exception, never valid.
    for (let i = 0; i < 300; i++) {
      const mutated = Buffer.from(leaf.der);
      const at = Math.floor(Math.random() * mutated.length);
      mutated[at] = randomBytes(1)[0]!;
      if (mutated.equals(leaf.der)) continue;
      const input = i % 3 === 0 ? mutated.subarray(0, at) : mutated;
      try {
        parseCertificate(input);
      } catch (err) {
        assert.ok(err instanceof X509Error, `byte ${at}: ${String(err)}`);
      }
      const v = verifyChain({ certificate: input, intermediates: [issuing.der], anchors: [root.der], at: NOW });
      if (v.valid) assert.fail(`corrupted certificate accepted (byte ${at})`);
    }
  });

  test('unknown critical extension is refused; unknown non-critical is kept', async () => {
    const { issuing } = await makePki();
    const critical = await makeCert({ country: 'CN', commonName: '带未知关键扩展' }, issuing, { extraExtensions: [extension('1.2.3.4.5', true, seq(bool(true)))] }).catch((e: unknown) => e);
    assert.ok(critical instanceof X509Error && critical.code === 'UNKNOWN_CRITICAL_EXTENSION', String(critical));
    const mild = await makeCert({ country: 'CN', commonName: '带未知普通扩展' }, issuing, { extraExtensions: [extension('1.2.3.4.5', false, oid('1.2.3'))] });
    assert.equal(mild.cert.extensions.find((e) => e.oid === '1.2.3.4.5')?.critical, false);
  });
});

describe('CRLs', () => {
  test('build, parse, verify; revoked serials and reasons reach chain validation', async () => {
    const { root, issuing, leaf } = await makePki();
    const revokedAt = new Date(NOW.getTime() - 3_600_000);
    const other = randomSerial();
    const crlDer = await signCrl(
      {
        issuer: issuing.cert.subjectDer, authorityKeyId: issuing.cert.subjectKeyId!, crlNumber: 7, thisUpdate: NOW, nextUpdate: new Date(NOW.getTime() + 7 * 86_400_000),
        revoked: [{ serial: leaf.cert.serial, revokedAt, reason: 'keyCompromise' }, { serial: other, revokedAt, reason: 'unspecified' }],
      },
      signer(issuing.keys),
    );
    const crl = parseCrl(crlDer);
    assert.equal(crl.crlNumber, 7n);
    assert.equal(crl.issuer.text, issuing.cert.subject.text);
    assert.deepEqual(crl.revoked.get(leaf.cert.serial), { serial: leaf.cert.serial, revokedAt, reason: 'keyCompromise' });
    assert.equal(crl.revoked.get(other)?.reason, 'unspecified');
    assert.deepEqual(verifyCrl(crl, issuing.cert, NOW), { ok: true });
    assert.equal(verifyCrl(crl, root.cert, NOW).ok, false);
    const late = verifyCrl(crl, issuing.cert, new Date(NOW.getTime() + 8 * 86_400_000));
    assert.ok(!late.ok && late.reason === 'stale');
    const tampered = Buffer.from(crlDer);
    tampered[tampered.length - 3]! ^= 1;
    const t = verifyCrl(parseCrl(tampered), issuing.cert, NOW);
    assert.ok(!t.ok && t.reason === 'signature_invalid');
    assert.throws(() => parseCrl(crlDer.subarray(0, 40)), X509Error);

    const base = { certificate: leaf.der, intermediates: [issuing.der], anchors: [root.der], at: NOW };
    const revoked = verifyChain({ ...base, crls: [crlDer] });
    assert.ok(!revoked.valid && revoked.reason === 'revoked' && revoked.revocation?.reason === 'keyCompromise');
    // Before the revocation time the certificate was still good.
    assert.equal(verifyChain({ ...base, crls: [crlDer], at: new Date(revokedAt.getTime() - 1000) }).valid, true);
    // Required revocation checking without any source fails closed; the online status answers too.
    const unknown = verifyChain({ ...base, requireRevocationCheck: true });
    assert.ok(!unknown.valid && unknown.reason === 'revocation_unknown');
    assert.equal(verifyChain({ ...base, requireRevocationCheck: true, status: () => ({ status: 'good' }) }).valid, true);
    const held = verifyChain({ ...base, status: (c) => (c.serial === leaf.cert.serial ? { status: 'revoked', reason: 'certificateHold', revokedAt } : { status: 'good' }) });
    assert.ok(!held.valid && held.revocation?.reason === 'certificateHold');
  });
});
