import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { der } from '../ses/der.ts';
import { encodeSignature, parseSignature } from '../ses/index.ts';
import { signBatch, signPdf } from '../signing.ts';
import { verifyDocument, type VerificationResult } from '../verification.ts';
import { samplePdf } from './test-fixtures.ts';
import { testCa, testSetup, type TestSetup } from './test-pki.ts';

const placement = { page: 1, x: 150, y: 240 };
const sign = async (s: TestSetup, pdf?: Buffer) =>
  signPdf({ pdf: pdf ?? (await samplePdf(1)), seal: s.seal, picture: { png: s.png, width: 40, height: 40 }, placement, signerCertificate: s.signerCert, sign: (m) => s.keys.sign(s.signerKeyId, m), timestamps: s.timestamps });
const reason = (r: VerificationResult) => (r.valid ? 'valid' : r.reason.code);

describe('signing and verifying PDFs', () => {
  test('sign → verify valid, embedded and detached; the signed bytes are the stamped PDF', async () => {
    const s = await testSetup();
    const out = await sign(s);
    const anchors = [s.ca.der];
    const r = await verifyDocument(out.signedPdf, { trustAnchors: anchors });
    assert.equal(r.valid, true, JSON.stringify(r));
    if (!r.valid) return;
    assert.equal(r.seal.esId, '320100202600000001');
    assert.equal(r.seal.name, '南京市市场监督管理局业务专用章');
    assert.match(r.signer.subject, /南京市市场监督管理局/);
    assert.equal(r.timeSource, 'timestamp');
    assert.deepEqual(r.byteRange, [0, out.byteRangeEnd]);
    assert.deepEqual(r.time, out.time);
    const stamped = out.signedPdf.subarray(0, out.byteRangeEnd);
    assert.equal(reason(await verifyDocument({ pdf: stamped, sig: out.signature }, { trustAnchors: anchors })), 'valid');
    assert.equal(reason(await verifyDocument({ pdf: out.signedPdf, sig: out.signature }, { trustAnchors: anchors })), 'valid');
    assert.equal(parseSignature(out.signature).toSign.propertyInfo, `PDF;ByteRange=0,${out.byteRangeEnd};SM3`);
  });

  test('one flipped byte in the covered range, or anything appended, is "altered"', async () => {
    const s = await testSetup();
    const out = await sign(s);
    const opts = { trustAnchors: [s.ca.der] };
    for (const at of [20, Math.floor(out.byteRangeEnd / 2), out.byteRangeEnd - 1]) {
      const flipped = Buffer.from(out.signedPdf);
      flipped[at]! ^= 0x01;
      assert.equal(reason(await verifyDocument(flipped, opts)), at < 5 ? 'not_pdf' : 'data_hash_mismatch', `byte ${at}`);
    }
    const appended = Buffer.concat([out.signedPdf, Buffer.from('4 0 obj\n<< /Type /Annot /Subtype /Text >>\nendobj\nxref\n0 1\n0000000000 65535 f \ntrailer\n<< >>\nstartxref\n0\n%%EOF\n')]);
    assert.equal(reason(await verifyDocument(appended, opts)), 'altered_after_signing');
    const changedTail = Buffer.from(out.signedPdf);
    changedTail.write('9', changedTail.lastIndexOf('/Prev ') + 6, 'latin1');
    assert.equal(reason(await verifyDocument(changedTail, opts)), 'altered_after_signing');
    // The detached .sig against another document.
    assert.equal(reason(await verifyDocument({ pdf: await samplePdf(1, 'other'), sig: out.signature }, opts)), 'data_hash_mismatch');
  });

  test('the seal being revoked or suspended counts at the signing time', async () => {
    const s = await testSetup();
    const out = await sign(s);
    const opts = (since: Date) => ({ trustAnchors: [s.ca.der], sealStatus: (_esId: string, at: Date) => (at >= since ? { status: 'revoked' as const, since } : { status: 'valid' as const }) });
    assert.equal(reason(await verifyDocument(out.signedPdf, opts(new Date(out.time.getTime() + 1000)))), 'valid', 'revoked after signing');
    assert.equal(reason(await verifyDocument(out.signedPdf, opts(new Date(out.time.getTime() - 1000)))), 'seal_revoked', 'revoked before signing');
    const suspended = { trustAnchors: [s.ca.der], sealStatus: () => ({ status: 'suspended' as const, since: new Date(0) }) };
    assert.equal(reason(await verifyDocument(out.signedPdf, suspended)), 'seal_suspended');
  });

  test('certificates: expired at signing time, unknown issuer, unknown critical extension, wrong curve', async () => {
    const expired = await testSetup({ signerCert: (ca, _k, id) => ca.issue({ commonName: '过期证书' }, id, { notBefore: new Date('2020-01-01'), notAfter: new Date('2021-01-01') }) });
    assert.equal(reason(await verifyDocument((await sign(expired)).signedPdf, { trustAnchors: [expired.ca.der] })), 'certificate_expired');

    const s = await testSetup();
    const out = await sign(s);
    const stranger = await testCa(s.keys, '陌生 CA');
    assert.equal(reason(await verifyDocument(out.signedPdf, { trustAnchors: [stranger.der] })), 'issuer_not_trusted');
    assert.equal(reason(await verifyDocument(out.signedPdf, { trustAnchors: [] })), 'issuer_not_trusted', 'the TSA is not trusted either');

    const critical = der.seq(der.oid('1.2.156.112559.99'), der.bool(true), der.octets(Buffer.from([5, 0])));
    const odd = await testSetup({ signerCert: (ca, _k, id) => ca.issue({ commonName: '奇怪扩展' }, id, { extraExtensions: [critical] }) });
    const oddResult = await verifyDocument((await sign(odd)).signedPdf, { trustAnchors: [odd.ca.der] });
    assert.equal(reason(oddResult), 'certificate_invalid');

    const p256 = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', '/dev/null', '-subj', '/CN=p256', '-days', '1', '-outform', 'DER'], { encoding: 'buffer' });
    if (p256.status === 0) {
      const sig = parseSignature(out.signature);
      const forged = encodeSignature({ toSignDer: sig.toSignDer, cert: p256.stdout, signature: sig.signature, timeStamp: sig.timeStamp! });
      const stamped = out.signedPdf.subarray(0, out.byteRangeEnd);
      const r = await verifyDocument({ pdf: stamped, sig: forged }, { trustAnchors: [s.ca.der] });
      assert.equal(reason(r), 'certificate_invalid');
      assert.match(!r.valid ? (r.reason.detail ?? '') : '', /SM2|椭圆|曲线/);
    }
  });

  test('forged parts: another signer key, a tampered timestamp, a signer not named by the seal', async () => {
    const s = await testSetup();
    const out = await sign(s);
    const stamped = out.signedPdf.subarray(0, out.byteRangeEnd);
    const sig = parseSignature(out.signature);
    const opts = { trustAnchors: [s.ca.der] };
    s.keys.add('mallory');
    const badSig = encodeSignature({ toSignDer: sig.toSignDer, cert: sig.cert, signature: await s.keys.sign('mallory', sig.toSignDer), timeStamp: sig.timeStamp! });
    assert.equal(reason(await verifyDocument({ pdf: stamped, sig: badSig }, opts)), 'signer_signature_invalid');
    const ts = Buffer.from(sig.timeStamp!);
    ts[ts.length - 5]! ^= 1;
    assert.equal(reason(await verifyDocument({ pdf: stamped, sig: encodeSignature({ toSignDer: sig.toSignDer, cert: sig.cert, signature: sig.signature, timeStamp: ts }) }, opts)), 'timestamp_invalid');
    assert.equal(reason(await verifyDocument({ pdf: stamped, sig: encodeSignature({ toSignDer: sig.toSignDer, cert: sig.cert, signature: sig.signature }) }, opts)), 'timestamp_missing');
    const otherCert = await s.ca.issue({ commonName: '未授权签章人' }, 'mallory');
    const notListed = encodeSignature({ toSignDer: sig.toSignDer, cert: otherCert, signature: await s.keys.sign('mallory', sig.toSignDer), timeStamp: sig.timeStamp! });
    assert.equal(reason(await verifyDocument({ pdf: stamped, sig: notListed }, opts)), 'signer_not_in_seal');
  });

  test('corrupt DER, truncated and non-PDF input give a clear reason, never a crash or "valid"', async () => {
    const s = await testSetup();
    const out = await sign(s);
    const stamped = out.signedPdf.subarray(0, out.byteRangeEnd);
    const opts = { trustAnchors: [s.ca.der] };
    assert.equal(reason(await verifyDocument({ pdf: stamped, sig: out.signature.subarray(0, 100) }, opts)), 'signature_corrupt');
    assert.equal(reason(await verifyDocument({ pdf: stamped, sig: Buffer.from('garbage') }, opts)), 'signature_corrupt');
    for (const cut of [out.byteRangeEnd + 40, out.byteRangeEnd + 200, out.signedPdf.length - 3]) assert.equal(reason(await verifyDocument(out.signedPdf.subarray(0, cut), opts)), 'pdf_corrupt', `cut at ${cut}`);
    assert.equal(reason(await verifyDocument(out.signedPdf.subarray(0, 1000), opts)), 'pdf_corrupt');
    assert.equal(reason(await verifyDocument(Buffer.from('not a pdf at all'), opts)), 'not_pdf');
    assert.equal(reason(await verifyDocument(stamped, opts)), 'not_signed');
    // Fuzz the DER inside the PDF: every outcome is a verdict, never valid.
    let state = 0x1234567;
    const rand = (n: number) => ((state = (state * 1103515245 + 12345) & 0x7fffffff) % n);
    const derAt = out.signedPdf.indexOf(out.signature);
    for (let i = 0; i < 60; i++) {
      const b = Buffer.from(out.signedPdf);
      b[derAt + rand(out.signature.length)]! ^= 1 << rand(8);
      const r = await verifyDocument(b, opts);
      assert.equal(r.valid, false, `mutation ${i}`);
    }
  });

  test('batch signing: per-document results, a bad document does not stop the rest', async () => {
    const s = await testSetup();
    const prepared = { seal: s.seal, picture: { png: s.png, width: 40, height: 40 }, signerCertificate: s.signerCert, sign: (m: Buffer) => s.keys.sign(s.signerKeyId, m) };
    const results = await signBatch(prepared, [
      { name: 'a.pdf', pdf: await samplePdf(1, 'A'), placement },
      { name: 'broken.pdf', pdf: Buffer.from('%PDF-1.7\nbroken'), placement },
      { name: 'c.pdf', pdf: await samplePdf(2, 'C'), placement: { page: 2, x: 100, y: 100 } },
    ], s.timestamps);
    assert.deepEqual(results.map((r) => [r.name, r.ok]), [['a.pdf', true], ['broken.pdf', false], ['c.pdf', true]]);
    for (const r of results) if (r.ok) assert.equal(reason(await verifyDocument(r.signed.signedPdf, { trustAnchors: [s.ca.der] })), 'valid');
    assert.match(!results[1]!.ok ? results[1]!.error : '', /不完整|截断/);
  });
});
