// The HTTP adapters against the simulators over real HTTP on an ephemeral port.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { generateSm2KeyPair, sm2PublicKeyToPem, sm2PrivateKeyToPem } from '../../../platform/crypto/sm2.ts';
import { DEMO_PEOPLE, demoPerson, facePhotoPng, startSimulators, type RunningSimulators } from '../../../../simulators/index.ts';
import { createHttpVerifiers, VerifierUnavailableError, type ExternalServiceName, type ExternalVerifiers, type HttpVerifiersOptions } from './index.ts';

let sims: RunningSimulators;
let verifiers: ExternalVerifiers;
const zhang = demoPerson('张伟');
const wang = demoPerson('王芳');
const wu = demoPerson('吴磊');

function options(overrides: Partial<HttpVerifiersOptions> = {}): HttpVerifiersOptions {
  return {
    baseUrl: sims.url,
    servicePublicKey: sims.servicePublicKey,
    licenceIssuerPublicKey: sims.licenceIssuerPublicKey,
    licenceAudience: 'https://yiwang.example',
    clientId: sims.clientId,
    clientPrivateKey: sims.clientKeyPair.privateKey!,
    // Generous: a loaded CI machine must not turn a normal answer into a timeout; the timeout
    // test makes the upstream slower than this.
    timeoutMs: 3000,
    ...overrides,
  };
}

async function unavailable(promise: Promise<unknown>, service: ExternalServiceName, reason: VerifierUnavailableError['reason']): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof VerifierUnavailableError, `expected VerifierUnavailableError, got ${String(err)}`);
    assert.equal(err.service, service);
    assert.equal(err.reason, reason);
    return true;
  });
}

describe('HTTP verifiers against the simulators', () => {
  before(async () => {
    sims = await startSimulators();
    verifiers = createHttpVerifiers(options());
  });
  after(() => sims.close());
  beforeEach(() => sims.control('all', 'normal'));

  test('public security: name + ID number match, wrong name and unknown number do not', async () => {
    const ok = await verifiers.publicSecurity.checkNameId({ name: zhang.name, idNumber: zhang.idNumber });
    assert.equal(ok.match, true);
    assert.match(ok.reference, /^GA\d{8}[0-9A-F]{12}$/);
    assert.ok(ok.checkedAt instanceof Date && !Number.isNaN(ok.checkedAt.getTime()));
    assert.equal((await verifiers.publicSecurity.checkNameId({ name: '张伟伟', idNumber: zhang.idNumber })).match, false);
    assert.equal((await verifiers.publicSecurity.checkNameId({ name: wu.name, idNumber: wu.idNumber })).match, true, 'X check character');
    assert.equal((await verifiers.publicSecurity.checkNameId({ name: zhang.name, idNumber: '11010519491231002X' })).match, false);
  });

  test('carrier three elements and bank-card four elements', async () => {
    const { name, idNumber, mobile, bankCard } = wang;
    assert.equal((await verifiers.carrier.checkThreeElements({ name, idNumber, mobile })).match, true);
    assert.equal((await verifiers.carrier.checkThreeElements({ name, idNumber, mobile: zhang.mobile })).match, false);
    assert.equal((await verifiers.bankCard.checkFourElements({ name, idNumber, cardNumber: bankCard, mobile })).match, true);
    assert.equal((await verifiers.bankCard.checkFourElements({ name, idNumber, cardNumber: zhang.bankCard, mobile })).match, false);
    assert.equal((await verifiers.bankCard.checkFourElements({ name, idNumber, cardNumber: bankCard, mobile: zhang.mobile })).match, false);
  });

  test('face: register photo in a liveness session matches; another photo, a reused or foreign session do not', async () => {
    const session = await verifiers.face.startLiveness({ idNumber: zhang.idNumber });
    assert.ok(session.actions.length >= 2 && session.expiresAt.getTime() > Date.now());
    const ok = await verifiers.face.compare({ name: zhang.name, idNumber: zhang.idNumber, livenessSessionId: session.sessionId, image: facePhotoPng(zhang.idNumber) });
    assert.deepEqual([ok.match, ok.live, ok.score], [true, true, 100]);

    const reused = await verifiers.face.compare({ name: zhang.name, idNumber: zhang.idNumber, livenessSessionId: session.sessionId, image: facePhotoPng(zhang.idNumber) });
    assert.deepEqual([reused.match, reused.live], [false, false]);

    const s2 = await verifiers.face.startLiveness({ idNumber: zhang.idNumber });
    const other = await verifiers.face.compare({ name: zhang.name, idNumber: zhang.idNumber, livenessSessionId: s2.sessionId, image: facePhotoPng(wang.idNumber) });
    assert.equal(other.live, true);
    assert.equal(other.match, false);
    assert.ok(other.score < 80, `score ${other.score}`);

    const s3 = await verifiers.face.startLiveness({ idNumber: wang.idNumber });
    const foreign = await verifiers.face.compare({ name: zhang.name, idNumber: zhang.idNumber, livenessSessionId: s3.sessionId, image: facePhotoPng(zhang.idNumber) });
    assert.deepEqual([foreign.match, foreign.live], [false, false]);
    const none = await verifiers.face.compare({ name: zhang.name, idNumber: zhang.idNumber, livenessSessionId: 'f'.repeat(32), image: facePhotoPng(zhang.idNumber) });
    assert.deepEqual([none.match, none.live], [false, false]);
  });

  test('no two demo people pass as each other', async () => {
    for (const p of DEMO_PEOPLE.slice(0, 4)) {
      for (const q of DEMO_PEOPLE) {
        if (p === q) continue;
        const s = await verifiers.face.startLiveness({ idNumber: p.idNumber });
        const r = await verifiers.face.compare({ name: p.name, idNumber: p.idNumber, livenessSessionId: s.sessionId, image: facePhotoPng(q.idNumber) });
        assert.equal(r.match, false, `${q.name}'s photo accepted for ${p.name} (score ${r.score})`);
      }
    }
  });

  test('SMS: the sent message shows up in the mailbox JSON, newest first', async () => {
    const first = await verifiers.sms.send({ mobile: zhang.mobile, template: 'verification_code', params: { code: '314159' } });
    const second = await verifiers.sms.send({ mobile: zhang.mobile, template: 'notice', params: { text: '您的办件已受理。' } });
    const res = await fetch(`${sims.url}/sms/messages?mobile=${zhang.mobile}`);
    const { messages } = (await res.json()) as { messages: { messageId: string; content: string; mobile: string }[] };
    assert.deepEqual(messages.slice(0, 2).map((m) => m.messageId), [second.messageId, first.messageId]);
    assert.match(messages[1]!.content, /验证码为314159/);
    assert.ok(messages.every((m) => m.mobile === zhang.mobile));
  });

  test('slow upstream → timeout; 5xx → upstream_error; dropped connection → network; tampered answer → bad_signature', async () => {
    sims.control('publicSecurity', 'slow', 10_000);
    await unavailable(verifiers.publicSecurity.checkNameId({ name: zhang.name, idNumber: zhang.idNumber }), 'publicSecurity', 'timeout');
    sims.control('carrier', 'fail');
    await unavailable(verifiers.carrier.checkThreeElements(wang), 'carrier', 'upstream_error');
    sims.control('bankCard', 'down');
    await unavailable(verifiers.bankCard.checkFourElements({ ...wang, cardNumber: wang.bankCard }), 'bankCard', 'network');
    sims.control('face', 'garbage');
    await unavailable(verifiers.face.startLiveness({ idNumber: zhang.idNumber }), 'face', 'bad_signature');
    // A tampered mismatch (the simulator flips match:false to true after signing) never counts.
    sims.control('publicSecurity', 'garbage');
    await unavailable(verifiers.publicSecurity.checkNameId({ name: '冒名者', idNumber: zhang.idNumber }), 'publicSecurity', 'bad_signature');
    sims.control('sms', 'fail');
    await unavailable(verifiers.sms.send({ mobile: zhang.mobile, template: 'verification_code', params: { code: '1' } }), 'sms', 'upstream_error');
    // Only the switched services are affected, and switching back restores them.
    assert.equal((await verifiers.carrier.checkThreeElements(zhang).catch(() => null)), null);
    sims.control('all', 'normal');
    assert.equal((await verifiers.carrier.checkThreeElements(zhang)).match, true);
  });

  test('answers signed by another key are refused; a PEM-configured adapter works', async () => {
    const impostor = createHttpVerifiers(options({ servicePublicKey: generateSm2KeyPair().publicKey }));
    await unavailable(impostor.publicSecurity.checkNameId(zhang), 'publicSecurity', 'bad_signature');
    const pem = createHttpVerifiers(options({ servicePublicKey: sm2PublicKeyToPem(sims.servicePublicKey), clientPrivateKey: sm2PrivateKeyToPem(sims.clientKeyPair.privateKey!) }));
    assert.equal((await pem.publicSecurity.checkNameId(zhang)).match, true);
  });

  test('a client the upstream does not know is refused, and that is an outage, not a mismatch', async () => {
    const stranger = createHttpVerifiers(options({ clientPrivateKey: generateSm2KeyPair().privateKey }));
    await unavailable(stranger.publicSecurity.checkNameId(zhang), 'publicSecurity', 'upstream_error');
    const unknownId = createHttpVerifiers(options({ clientId: 'someone-else' }));
    await unavailable(unknownId.publicSecurity.checkNameId(zhang), 'publicSecurity', 'upstream_error');
  });

  test('nothing listening → network error', async () => {
    const dead = createHttpVerifiers(options({ baseUrl: 'http://127.0.0.1:9' }));
    await unavailable(dead.sms.send({ mobile: zhang.mobile, template: 'notice', params: { text: 'x' } }), 'sms', 'network');
  });
});

describe('liveness expiry', () => {
  test('an image sent after the liveness session expired fails liveness', async () => {
    const short = await startSimulators({ livenessTtlMs: 50 });
    try {
      const v = createHttpVerifiers({
        baseUrl: short.url, servicePublicKey: short.servicePublicKey, licenceIssuerPublicKey: short.licenceIssuerPublicKey, licenceAudience: 'https://yiwang.example',
        clientId: short.clientId, clientPrivateKey: short.clientKeyPair.privateKey!,
      });
      const s = await v.face.startLiveness({ idNumber: zhang.idNumber });
      await new Promise((r) => setTimeout(r, 120));
      const late = await v.face.compare({ name: zhang.name, idNumber: zhang.idNumber, livenessSessionId: s.sessionId, image: facePhotoPng(zhang.idNumber) });
      assert.deepEqual([late.live, late.match, late.score], [false, false, 0]);
    } finally {
      await short.close();
    }
  });
});
