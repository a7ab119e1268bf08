import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { generateSm2KeyPair, sm2PublicKeyFromPem, sm2PublicKeyToPem, sm2Sign, sm2Verify } from '../../../platform/crypto/sm2.ts';
import { der } from './der.ts';
import { encodeSeal, encodeSignature, encodeTbsSign, parseSeal, parseSignature, SesError, signSeal, signSignature, verifySealStructure, verifySignatureStructure, type SealInfo, type VerifyFn } from './index.ts';

// Stand-in certificates: the SubjectPublicKeyInfo DER, so verify can recover the key. The
// real module passes X.509 certificates and the CA's verify; the structures do not care.
function keyWithCert() {
  const pair = generateSm2KeyPair();
  const pem = sm2PublicKeyToPem(pair.publicKey);
  const cert = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  return { ...pair, cert, sign: async (m: Buffer) => sm2Sign(m, pair.privateKey) };
}
const verify: VerifyFn = (cert, msg, sig) => {
  const pem = `-----BEGIN PUBLIC KEY-----\n${cert.toString('base64')}\n-----END PUBLIC KEY-----\n`;
  return sm2Verify(msg, sig, sm2PublicKeyFromPem(pem));
};

const maker = keyWithCert();
const signer = keyWithCert();

function sealInfo(extra: Partial<SealInfo> = {}): SealInfo {
  return {
    header: { id: 'ES', version: 4, vid: 'yiwang' },
    esId: '320100202600000001',
    property: {
      type: 1,
      name: '南京市市场监督管理局业务专用章',
      certList: { type: 1, certs: [signer.cert] },
      createDate: new Date('2026-03-01T02:00:00Z'),
      validStart: new Date('2026-03-01T00:00:00Z'),
      validEnd: new Date('2031-03-01T00:00:00Z'),
    },
    picture: { type: 'PNG', data: Buffer.from('89504e470d0a1a0a0000', 'hex'), width: 40, height: 40 },
    ...extra,
  };
}

describe('SES_Seal (GB/T 38540 v4)', () => {
  test('round-trips every field and the maker signature verifies; any change to the info breaks it', async () => {
    const seal = await signSeal(sealInfo({ extDatas: [{ extnId: '1.2.156.112559.1', critical: true, extnValue: Buffer.from('x') }] }), maker.cert, maker.sign);
    const back = parseSeal(seal.der);
    assert.deepEqual(back.sealInfo, sealInfo({ extDatas: [{ extnId: '1.2.156.112559.1', critical: true, extnValue: Buffer.from('x') }] }));
    assert.equal(back.signAlgId, '1.2.156.10197.1.501');
    assert.deepEqual(back.cert, maker.cert);
    assert.deepEqual(await verifySealStructure(back, verify, new Date('2027-01-01T00:00:00Z')), { ok: true });
    assert.deepEqual(await verifySealStructure(back, verify, new Date('2032-01-01T00:00:00Z')), { ok: false, reason: 'expired' });

    const forged = parseSeal(encodeSeal({ sealInfoDer: Buffer.from(seal.sealInfoDer.toString('latin1').replace('yiwang', 'yiwanG'), 'latin1'), cert: maker.cert, signedValue: seal.signedValue }));
    assert.deepEqual(await verifySealStructure(forged, verify), { ok: false, reason: 'bad_signature' });
    const otherMaker = parseSeal(encodeSeal({ sealInfoDer: seal.sealInfoDer, cert: signer.cert, signedValue: seal.signedValue }));
    assert.deepEqual(await verifySealStructure(otherMaker, verify), { ok: false, reason: 'bad_signature' });
  });

  test('writes extDatas [0]-tagged and reads both the tagged and the untagged form', async () => {
    const ext = [{ extnId: '1.2.3.4', critical: false, extnValue: Buffer.from('v') }];
    const info = sealInfo({ extDatas: ext });
    const tagged = (await signSeal(info, maker.cert, maker.sign)).sealInfoDer;
    const plain = sealInfo();
    const body = der.seq(
      der.seq(der.ia5('ES'), der.int(4), der.ia5('yiwang')),
      der.ia5(plain.esId),
      der.seq(der.int(1), der.utf8(plain.property.name), der.int(1), der.seq(der.octets(signer.cert)), der.time(plain.property.createDate), der.time(plain.property.validStart), der.time(plain.property.validEnd)),
      der.seq(der.ia5('PNG'), der.octets(plain.picture.data), der.int(40), der.int(40)),
      der.seq(der.seq(der.oid('1.2.3.4'), der.octets(Buffer.from('v')))),
    );
    // Tagged: SES_SealInfo ends with A0 len { SEQUENCE OF ExtData }.
    const suffix = der.explicit0(der.seq(der.seq(der.oid('1.2.3.4'), der.octets(Buffer.from('v')))));
    assert.equal(suffix[0], 0xa0);
    assert.deepEqual(tagged.subarray(tagged.length - suffix.length), suffix, 'extDatas is written as [0] EXPLICIT');
    assert.deepEqual(parseSeal(encodeSeal({ sealInfoDer: tagged, cert: maker.cert, signedValue: await maker.sign(tagged) })).sealInfo.extDatas, ext);
    const fromUntagged = parseSeal(encodeSeal({ sealInfoDer: body, cert: maker.cert, signedValue: await maker.sign(body) }));
    assert.deepEqual(fromUntagged.sealInfo.extDatas, ext);
    assert.deepEqual(await verifySealStructure(fromUntagged, verify), { ok: true });
  });

  test('certListType 2 carries certificate digests', async () => {
    const digest = createHash('sm3').update(signer.cert).digest();
    const seal = await signSeal(sealInfo({ property: { ...sealInfo().property, certList: { type: 2, digests: [{ type: 'SM3', value: digest }] } } }), maker.cert, maker.sign);
    assert.deepEqual(parseSeal(seal.der).sealInfo.property.certList, { type: 2, digests: [{ type: 'SM3', value: digest }] });
  });

  test('refuses bad input with a clear error code', async () => {
    const seal = await signSeal(sealInfo(), maker.cert, maker.sign);
    const code = (input: Buffer) => {
      try {
        parseSeal(input);
        return 'parsed';
      } catch (err) {
        assert.ok(err instanceof SesError, `only SesError escapes, got ${String(err)}`);
        return err.code;
      }
    };
    assert.equal(code(seal.der.subarray(0, seal.der.length - 5)), 'truncated');
    assert.equal(code(Buffer.concat([seal.der, Buffer.from([0])])), 'trailing_bytes');
    assert.equal(code(Buffer.alloc(0)), 'truncated');
    const swap = (from: Buffer, to: Buffer) => Buffer.from(seal.der.toString('hex').replace(from.toString('hex'), to.toString('hex')), 'hex');
    assert.equal(code(swap(Buffer.concat([der.ia5('ES'), der.int(4)]), Buffer.concat([der.ia5('ES'), der.int(3)]))), 'wrong_version');
    assert.equal(code(swap(der.ia5('ES'), der.ia5('EX'))), 'wrong_header_id');
    assert.equal(code(swap(der.oid('1.2.156.10197.1.501'), der.oid('1.2.156.10197.1.502'))), 'bad_oid');
    assert.equal(code(swap(der.time(sealInfo().property.validEnd), Buffer.from('180f32303331303233303030303030305a', 'hex'))), 'bad_value'); // 20310230: no 30 February
    assert.equal(code(Buffer.from([0x30, 0x80, 0x00, 0x00])), 'malformed'); // indefinite length
    assert.equal(code(Buffer.from([0x30, 0x81, 0x05, 1, 2, 3, 4, 5])), 'malformed'); // non-minimal length
  });

  test('fuzz: flipped, truncated and spliced bytes never throw anything but SesError and never verify', async () => {
    const seal = await signSeal(sealInfo(), maker.cert, maker.sign);
    let state = 0x2545f491;
    const rand = (n: number) => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return (state >>> 0) % n;
    };
    let parsed = 0;
    for (let i = 0; i < 3000; i++) {
      const b = Buffer.from(seal.der);
      const mode = rand(3);
      let input: Buffer;
      if (mode === 0) {
        for (let k = 0, n = 1 + rand(3); k < n; k++) {
          const at = rand(b.length);
          b[at] = b[at]! ^ (1 << rand(8));
        }
        input = b;
      } else if (mode === 1) input = b.subarray(0, rand(b.length));
      else input = Buffer.concat([b.subarray(0, rand(b.length)), Buffer.from([rand(256)]), b.subarray(rand(b.length))]);
      if (input.equals(seal.der)) continue;
      try {
        const back = parseSeal(input);
        parsed++;
        assert.equal((await verifySealStructure(back, verify)).ok, false, `mutation ${i} still verifies`);
      } catch (err) {
        assert.ok(err instanceof SesError, `mutation ${i} threw ${String(err)}`);
      }
    }
    assert.ok(parsed > 0, 'some mutations (inside values) parse and must then fail verification');
  });
});

describe('SES_Signature (GB/T 38540 v4)', () => {
  test('signs DER(TBS_Sign), round-trips, and checks the seal, the signature and the data hash', async () => {
    const seal = await signSeal(sealInfo(), maker.cert, maker.sign);
    const dataHash = createHash('sm3').update('Doc_0/Signs/Sign_0/Signature.xml').digest();
    const sig = await signSignature({ seal, timeInfo: new Date('2026-04-01T08:00:00Z'), dataHash, propertyInfo: '/Doc_0/Signs/Sign_0/Signature.xml' }, signer.cert, signer.sign);
    const back = parseSignature(sig.der);
    assert.equal(back.toSign.version, 4);
    assert.equal(back.toSign.seal.sealInfo.esId, '320100202600000001');
    assert.equal(back.toSign.propertyInfo, '/Doc_0/Signs/Sign_0/Signature.xml');
    assert.deepEqual(back.toSign.timeInfo, new Date('2026-04-01T08:00:00Z'));
    assert.deepEqual(await verifySignatureStructure(back, verify, dataHash), { ok: true });
    assert.deepEqual(await verifySignatureStructure(back, verify, Buffer.alloc(32)), { ok: false, reason: 'hash_mismatch' });
    const wrongSigner = parseSignature(encodeSignature({ toSignDer: back.toSignDer, cert: maker.cert, signature: back.signature }));
    assert.deepEqual(await verifySignatureStructure(wrongSigner, verify), { ok: false, reason: 'bad_signature' });
  });

  test('timeStamp and extDatas: written [0]-tagged, read tagged or untagged', async () => {
    const seal = await signSeal(sealInfo(), maker.cert, maker.sign);
    const ext = [{ extnId: '1.2.3', critical: false, extnValue: Buffer.from('e') }];
    const tbs = { seal, timeInfo: new Date('2026-04-01T08:00:00Z'), dataHash: Buffer.alloc(32, 7), propertyInfo: 'p', extDatas: ext };
    const toSignDer = encodeTbsSign(tbs);
    const signature = await signer.sign(toSignDer);
    const tagged = encodeSignature({ toSignDer, cert: signer.cert, signature, timeStamp: Buffer.from('ts') });
    assert.equal(tagged[tagged.length - 7], 0xa0, 'timeStamp is [0] EXPLICIT');
    const a = parseSignature(tagged);
    assert.deepEqual(a.timeStamp, Buffer.from('ts'));
    assert.deepEqual(a.toSign.extDatas, ext);
    const untaggedTbs = der.seq(der.int(4), seal.der, der.time(tbs.timeInfo), der.bits(tbs.dataHash), der.ia5('p'), der.seq(der.seq(der.oid('1.2.3'), der.octets(Buffer.from('e')))));
    const untagged = der.seq(untaggedTbs, der.octets(signer.cert), der.oid('1.2.156.10197.1.501'), der.bits(await signer.sign(untaggedTbs)), der.bits(Buffer.from('ts')));
    const b = parseSignature(untagged);
    assert.deepEqual(b.timeStamp, Buffer.from('ts'));
    assert.deepEqual(b.toSign.extDatas, ext);
    assert.deepEqual(await verifySignatureStructure(b, verify), { ok: true });
    const v3 = Buffer.from(untagged.toString('hex').replace(untaggedTbs.subarray(0, 7).toString('hex'), Buffer.concat([untaggedTbs.subarray(0, 4), Buffer.from([0x02, 0x01, 0x03])]).toString('hex')), 'hex');
    assert.throws(() => parseSignature(v3), (e) => e instanceof SesError && e.code === 'wrong_version');
  });
});
