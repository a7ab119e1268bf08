// Interop with the OpenSSL 3 command line: it must accept our chains and CRLs, and we must
// read (and judge correctly) certificates it makes.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import { sm2PrivateKeyFromPem, sm2PublicKeyFromPrivate } from '../sm2.ts';
import { certificateFromPem, certificateToPem, crlToPem, keyIdentifier, parseCertificate, randomSerial, signCrl, verifyCertificateSignature, verifyChain, X509Error } from './index.ts';
import { makePki, NOW, signer } from '../../../../test/support/pki.ts';
import { opensslSkip, opensslWorkspace } from '../../../../test/support/openssl.ts';

describe('X.509 interop with the OpenSSL command line', { skip: opensslSkip }, async () => {
  const ws = opensslWorkspace('x509-');
  after(() => ws.remove());
  const { root, issuing, leaf } = await makePki();
  writeFileSync(ws.file('root.pem'), certificateToPem(root.der));
  writeFileSync(ws.file('issuing.pem'), certificateToPem(issuing.der));
  writeFileSync(ws.file('leaf.pem'), certificateToPem(leaf.der));
  const attime = String(Math.floor(NOW.getTime() / 1000));

  // OpenSSL 3.0–3.5 apply `-vfyopt distid:` only to the certificate named on the command line and
  // check intermediates and CRLs with an empty SM2 ID (openssl/openssl#23471; 4.x defaults to
  // 1234567812345678). So on 3.x each link is verified as the command-line certificate, and the
  // one-command chain check is required to pass only from OpenSSL 4 on.
  const major = Number(/OpenSSL (\d+)\./.exec(ws.run(['version']).stdout)?.[1] ?? 0);
  const distid = ['-vfyopt', 'distid:1234567812345678'];

  test('openssl verify accepts every link of the chain with the GB/T 32918 default ID (-x509_strict)', () => {
    const upper = ws.run(['verify', '-x509_strict', '-attime', attime, ...distid, '-CAfile', 'root.pem', 'issuing.pem']);
    assert.equal(upper.status, 0, upper.stderr + upper.stdout);
    assert.match(upper.stdout, /issuing\.pem: OK/);
    const lower = ws.run(['verify', '-x509_strict', '-partial_chain', '-attime', attime, ...distid, '-CAfile', 'issuing.pem', 'leaf.pem']);
    assert.equal(lower.status, 0, lower.stderr + lower.stdout);
    // Signed with the default ID, so openssl's empty-ID default must refuse it: proof of which ID we used.
    const emptyId = ws.run(['verify', '-partial_chain', '-attime', attime, '-CAfile', 'issuing.pem', 'leaf.pem']);
    assert.match(emptyId.stdout + emptyId.stderr, /certificate signature failure/);
    const full = ws.run(['verify', '-x509_strict', '-attime', attime, ...distid, '-CAfile', 'root.pem', '-untrusted', 'issuing.pem', 'leaf.pem']);
    if (major >= 4) assert.equal(full.status, 0, full.stderr + full.stdout);
    else assert.match(full.stdout + full.stderr, /error 7 at 1 depth lookup: certificate signature failure/);
    // Refused without the issuing CA, and past the leaf's validity.
    const orphan = ws.run(['verify', '-attime', attime, ...distid, '-CAfile', 'root.pem', 'leaf.pem']);
    assert.match(orphan.stdout + orphan.stderr, /unable to get local issuer certificate/);
    const late = ws.run(['verify', '-partial_chain', '-attime', String(Math.floor(leaf.cert.notAfter.getTime() / 1000) + 60), ...distid, '-CAfile', 'issuing.pem', 'leaf.pem']);
    assert.notEqual(late.status, 0);
    assert.match(late.stdout + late.stderr, /expired/);
  });

  test('openssl x509 -text shows the algorithm, the Chinese names and the extensions', () => {
    const ca = ws.run(['x509', '-in', 'issuing.pem', '-noout', '-text', '-nameopt', 'utf8,sep_comma_plus_space']).stdout;
    assert.match(ca, /Signature Algorithm: SM2-with-SM3/);
    assert.match(ca, /Subject: C ?= ?CN, O ?= ?江苏省一网通办, OU ?= ?南京市, CN ?= ?南京市一网通办签发CA/);
    assert.match(ca, /X509v3 Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
    assert.match(ca, /X509v3 Key Usage: critical\s+Certificate Sign, CRL Sign/);
    assert.match(ca, /X509v3 Subject Key Identifier:/);
    assert.match(ca, /X509v3 Authority Key Identifier:/);
    assert.match(ca, /X509v3 CRL Distribution Points:[\s\S]*URI:http:\/\/localhost\/ca\/root\.crl/);
    assert.match(ca, /ASN1 OID: SM2/);
    const ee = ws.run(['x509', '-in', 'leaf.pem', '-noout', '-text']).stdout;
    assert.match(ee, /X509v3 Basic Constraints: critical\s+CA:FALSE/);
    assert.match(ee, /X509v3 Key Usage: critical\s+Digital Signature, Non Repudiation/);
    const serial = ws.run(['x509', '-in', 'leaf.pem', '-noout', '-serial']).stdout.trim();
    assert.equal(serial.toLowerCase(), `serial=${leaf.cert.serial}`);
  });

  test('openssl reads the CRL and verifies its SM2 signature with the default ID', async () => {
    const revoked = await signCrl(
      {
        issuer: issuing.cert.subjectDer, authorityKeyId: issuing.cert.subjectKeyId!, crlNumber: 3, thisUpdate: NOW, nextUpdate: new Date(NOW.getTime() + 7 * 86_400_000),
        revoked: [{ serial: leaf.cert.serial, revokedAt: NOW, reason: 'keyCompromise' }, { serial: randomSerial(), revokedAt: NOW, reason: 'certificateHold' }],
      },
      signer(issuing.keys),
    );
    const empty = await signCrl(
      { issuer: issuing.cert.subjectDer, authorityKeyId: issuing.cert.subjectKeyId!, crlNumber: 2, thisUpdate: NOW, nextUpdate: new Date(NOW.getTime() + 7 * 86_400_000), revoked: [] },
      signer(issuing.keys),
    );
    writeFileSync(ws.file('revoked.crl'), crlToPem(revoked));
    writeFileSync(ws.file('revoked.der'), revoked);
    writeFileSync(ws.file('empty.crl'), crlToPem(empty));
    const text = ws.run(['crl', '-in', 'revoked.crl', '-noout', '-text']);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /Version 2/);
    assert.match(text.stdout, /X509v3 CRL Number:\s+3/);
    assert.match(text.stdout, /X509v3 Authority Key Identifier:/);
    assert.match(text.stdout, /Key Compromise/);
    assert.match(text.stdout, /Certificate Hold/);
    assert.match(text.stdout, /Signature Algorithm: SM2-with-SM3/);
    assert.match(text.stdout.replace(/:/g, ''), new RegExp(`Serial Number ${leaf.cert.serial}`, 'i'));
    // The signature, checked by openssl alone: TBS and signature cut out by asn1parse, the
    // issuing CA's key from its certificate, verified with the default ID.
    const layout = ws.run(['asn1parse', '-inform', 'DER', '-in', 'revoked.der']).stdout.split('\n');
    const bitAt = layout.find((l) => /^\s*\d+:d=1 .*BIT STRING/.test(l))!.trim().split(':')[0]!;
    assert.equal(ws.run(['asn1parse', '-inform', 'DER', '-in', 'revoked.der', '-strparse', '4', '-noout', '-out', 'tbs.bin']).status, 0);
    assert.equal(ws.run(['asn1parse', '-inform', 'DER', '-in', 'revoked.der', '-strparse', bitAt, '-noout', '-out', 'sig.bin']).status, 0);
    writeFileSync(ws.file('issuing.pub'), ws.run(['x509', '-in', 'issuing.pem', '-noout', '-pubkey']).stdout);
    const verify = (pub: string) => ws.run(['pkeyutl', '-verify', '-pubin', '-inkey', pub, '-rawin', '-in', 'tbs.bin', '-digest', 'sm3', '-pkeyopt', 'distid:1234567812345678', '-sigfile', 'sig.bin']);
    assert.match(verify('issuing.pub').stdout, /Signature Verified Successfully/);
    writeFileSync(ws.file('root.pub'), ws.run(['x509', '-in', 'root.pem', '-noout', '-pubkey']).stdout);
    assert.notEqual(verify('root.pub').status, 0);
    if (major >= 4) {
      const bad = ws.run(['verify', '-attime', attime, '-crl_check', '-CRLfile', 'revoked.crl', '-CAfile', 'root.pem', '-untrusted', 'issuing.pem', 'leaf.pem']);
      assert.match(bad.stdout + bad.stderr, /certificate revoked/);
      const good = ws.run(['verify', '-attime', attime, '-crl_check', '-CRLfile', 'empty.crl', '-CAfile', 'root.pem', '-untrusted', 'issuing.pem', 'leaf.pem']);
      assert.equal(good.status, 0, good.stdout + good.stderr);
    }
  });

  test('certificates made by openssl: SM2 ones parse and verify here, with the same key identifier', () => {
    assert.equal(ws.run(['genpkey', '-algorithm', 'SM2', '-out', 'o.key']).status, 0);
    const r = ws.run(['req', '-x509', '-new', '-key', 'o.key', '-sm3', '-sigopt', 'distid:1234567812345678', '-subj', '/C=CN/O=对方节点/CN=对方根CA', '-utf8', '-days', '30',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-addext', 'subjectKeyIdentifier=hash', '-out', 'o.pem']);
    assert.equal(r.status, 0, r.stderr);
    const der = certificateFromPem(readFileSync(ws.file('o.pem'), 'utf8'));
    const cert = parseCertificate(der);
    const pub = sm2PublicKeyFromPrivate(sm2PrivateKeyFromPem(readFileSync(ws.file('o.key'), 'utf8')));
    assert.equal(cert.publicKey, pub);
    assert.equal(cert.subject.commonName, '对方根CA');
    assert.deepEqual(cert.subjectKeyId, keyIdentifier(pub));
    assert.equal(verifyCertificateSignature(cert, pub), true);
    assert.equal(verifyChain({ certificate: der, anchors: [der] }).valid, true);
  });

  test('a P-256 certificate and an unknown critical extension from openssl are refused with a clear reason', () => {
    ws.run(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'p256.key']);
    const p = ws.run(['req', '-x509', '-new', '-key', 'p256.key', '-sha256', '-subj', '/CN=p256', '-days', '30', '-out', 'p256.pem']);
    assert.equal(p.status, 0, p.stderr);
    const p256 = certificateFromPem(readFileSync(ws.file('p256.pem'), 'utf8'));
    assert.throws(() => parseCertificate(p256), (e: unknown) => e instanceof X509Error && e.code === 'WRONG_ALGORITHM');
    const wc = verifyChain({ certificate: p256, anchors: [root.der] });
    assert.ok(!wc.valid && wc.reason === 'wrong_algorithm', JSON.stringify(wc));

    const u = ws.run(['req', '-x509', '-new', '-key', 'o.key', '-sm3', '-sigopt', 'distid:1234567812345678', '-subj', '/CN=odd', '-days', '30', '-addext', '1.2.3.4.5=critical,DER:0500', '-out', 'odd.pem']);
    assert.equal(u.status, 0, u.stderr);
    const odd = certificateFromPem(readFileSync(ws.file('odd.pem'), 'utf8'));
    assert.throws(() => parseCertificate(odd), (e: unknown) => e instanceof X509Error && e.code === 'UNKNOWN_CRITICAL_EXTENSION');
    const uc = verifyChain({ certificate: odd, anchors: [odd] });
    assert.ok(!uc.valid && uc.reason === 'unknown_critical_extension');
  });
});
