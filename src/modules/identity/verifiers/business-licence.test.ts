// E-business-licence login end to end: the wallet page (plain HTML form, no JavaScript),
// the redirect with the signed assertion, and every reason to refuse it.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { generateSm2KeyPair, sm2Sign, type Sm2KeyPair } from '../../../platform/crypto/sm2.ts';
import { DEMO_PIN, demoCompany, startSimulators, type DemoCompany, type RunningSimulators } from '../../../../simulators/index.ts';
import { BusinessLicenceRejectedError, createHttpVerifiers, VerifierUnavailableError, type ExternalVerifiers } from './index.ts';

const CALLBACK = 'https://yiwang.example/login/licence/callback?from=test';
let sims: RunningSimulators;
let verifiers: ExternalVerifiers;
let issuerKey: Sm2KeyPair;

/** What a browser does in the wallet: open the page, pick the licence, enter the PIN, follow the redirect. */
async function present(company: DemoCompany, holderName: string, nonce: string, pin = DEMO_PIN): Promise<Response> {
  const pageRes = await fetch(verifiers.businessLicence.authorizeUrl({ nonce, callbackUrl: CALLBACK }));
  assert.equal(pageRes.status, 200);
  const html = await pageRes.text();
  const holder = company.holders.find((h) => h.person.name === holderName)!;
  const value = `${company.licenceSerial}:${holder.person.idNumber}`;
  assert.ok(html.includes(`value="${value}"`), 'the wallet offers the licence');
  assert.ok(!/<script/i.test(html), 'works without JavaScript');
  const form = new URLSearchParams({ nonce, callback: CALLBACK, holder: value, pin, action: 'confirm' });
  return fetch(`${sims.url}/licence/authorize`, { method: 'POST', body: form, redirect: 'manual' });
}

async function assertionFor(company: DemoCompany, holderName: string, nonce: string): Promise<string> {
  const res = await present(company, holderName, nonce);
  assert.equal(res.status, 303);
  const location = new URL(res.headers.get('location')!);
  assert.equal(location.origin + location.pathname, 'https://yiwang.example/login/licence/callback');
  assert.equal(location.searchParams.get('from'), 'test', 'keeps the callback query');
  return location.searchParams.get('assertion')!;
}

async function rejected(promise: Promise<unknown>, reason: BusinessLicenceRejectedError['reason']): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof BusinessLicenceRejectedError, `expected a rejection, got ${String(err)}`);
    assert.equal(err.reason, reason);
    return true;
  });
}

describe('e-business-licence login', () => {
  before(async () => {
    issuerKey = generateSm2KeyPair();
    sims = await startSimulators({ issuerKey });
    verifiers = createHttpVerifiers({
      baseUrl: sims.url, servicePublicKey: sims.servicePublicKey, licenceIssuerPublicKey: sims.licenceIssuerPublicKey, licenceAudience: 'https://yiwang.example',
      clientId: sims.clientId, clientPrivateKey: sims.clientKeyPair.privateKey!, timeoutMs: 200,
    });
  });
  after(() => sims.close());
  beforeEach(() => sims.control('all', 'normal'));

  test('the legal representative logs in; the assertion carries company, representative and holder', async () => {
    const company = demoCompany('昆山玉山精密机械有限公司');
    const facts = await verifiers.businessLicence.verifyAssertion(await assertionFor(company, '刘洋', 'nonce-0001-abcdef'), 'nonce-0001-abcdef');
    assert.equal(facts.creditCode, company.creditCode);
    assert.equal(facts.companyName, company.name);
    assert.deepEqual(facts.legalRepresentative, { name: '刘洋', idNumber: company.legalRepresentative.idNumber });
    assert.deepEqual(facts.holder, { name: '刘洋', idNumber: company.legalRepresentative.idNumber, role: 'legal_representative' });
    assert.equal(facts.licenceSerial, company.licenceSerial);
    assert.ok(facts.validFrom < new Date() && facts.validUntil > new Date());
    assert.equal(facts.nonce, 'nonce-0001-abcdef');
  });

  test('an authorised holder presents the licence as such', async () => {
    const company = demoCompany('苏州姑苏云帆信息技术有限公司');
    const facts = await verifiers.businessLicence.verifyAssertion(await assertionFor(company, '王芳', 'nonce-holder-01'), 'nonce-holder-01');
    assert.equal(facts.holder.role, 'authorised_holder');
    assert.equal(facts.holder.name, '王芳');
    assert.equal(facts.legalRepresentative.name, '李强');
  });

  test('a tampered assertion, another nonce, a revoked or an expired licence are refused with the reason', async () => {
    const good = demoCompany('扬州广陵文旅发展有限公司');
    const assertion = await assertionFor(good, '周敏', 'nonce-tamper-01');
    const [body, sig] = assertion.split('.') as [string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = `${Buffer.from(JSON.stringify({ ...payload, companyName: '别家公司' })).toString('base64url')}.${sig}`;
    await rejected(verifiers.businessLicence.verifyAssertion(forged, 'nonce-tamper-01'), 'signature');
    await rejected(verifiers.businessLicence.verifyAssertion(assertion, 'nonce-other-01'), 'nonce');
    await rejected(verifiers.businessLicence.verifyAssertion(assertion, ''), 'nonce');
    await rejected(verifiers.businessLicence.verifyAssertion('not-an-assertion', 'nonce-tamper-01'), 'malformed');

    const revoked = demoCompany('无锡梁溪恒通商贸有限公司');
    await rejected(verifiers.businessLicence.verifyAssertion(await assertionFor(revoked, '陈静', 'nonce-revoked-1'), 'nonce-revoked-1'), 'revoked');
    const expired = demoCompany('常州天宁瑞丰建材有限公司');
    await rejected(verifiers.businessLicence.verifyAssertion(await assertionFor(expired, '黄建国', 'nonce-expired-1'), 'nonce-expired-1'), 'expired');
  });

  test('assertions signed by someone else, stale ones and bad credit codes are refused', async () => {
    const company = demoCompany('南京玄武知味餐饮管理有限公司');
    const base = JSON.parse(Buffer.from((await assertionFor(company, '张伟', 'nonce-forge-001')).split('.')[0]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    const sign = (payload: object, key: Sm2KeyPair) => {
      const b = Buffer.from(JSON.stringify(payload)).toString('base64url');
      return `${b}.${sm2Sign(b, key.privateKey).toString('base64url')}`;
    };
    await rejected(verifiers.businessLicence.verifyAssertion(sign(base, generateSm2KeyPair()), 'nonce-forge-001'), 'signature');
    // Signed by the real issuer key, the checks after the signature decide.
    assert.equal((await verifiers.businessLicence.verifyAssertion(sign(base, issuerKey), 'nonce-forge-001')).creditCode, company.creditCode);
    // Made out to another site that uses the same wallet: not accepted here.
    await rejected(verifiers.businessLicence.verifyAssertion(sign({ ...base, aud: 'https://evil.example' }, issuerKey), 'nonce-forge-001'), 'audience');
    const old = new Date(Date.now() - 10 * 60_000).toISOString();
    await rejected(verifiers.businessLicence.verifyAssertion(sign({ ...base, issuedAt: old }, issuerKey), 'nonce-forge-001'), 'stale');
    const badCode = company.creditCode.slice(0, 17) + (company.creditCode.endsWith('0') ? '1' : '0');
    await rejected(verifiers.businessLicence.verifyAssertion(sign({ ...base, creditCode: badCode }, issuerKey), 'nonce-forge-001'), 'credit_code');
    const future = new Date(Date.now() + 86_400_000).toISOString();
    await rejected(verifiers.businessLicence.verifyAssertion(sign({ ...base, validFrom: future }, issuerKey), 'nonce-forge-001'), 'not_yet_valid');
  });

  test('when the revocation service cannot answer, nobody is let in', async () => {
    const company = demoCompany('昆山玉山精密机械有限公司');
    const assertion = await assertionFor(company, '刘洋', 'nonce-outage-01');
    sims.control('businessLicence', 'slow', 1000);
    await assert.rejects(verifiers.businessLicence.verifyAssertion(assertion, 'nonce-outage-01'), (e: unknown) => e instanceof VerifierUnavailableError && e.reason === 'timeout');
    sims.control('businessLicence', 'garbage');
    await assert.rejects(verifiers.businessLicence.verifyAssertion(assertion, 'nonce-outage-01'), (e: unknown) => e instanceof VerifierUnavailableError && e.reason === 'bad_signature');
  });

  test('the wallet refuses a wrong PIN and lets the holder cancel', async () => {
    const company = demoCompany('昆山玉山精密机械有限公司');
    const wrong = await present(company, '刘洋', 'nonce-pin-00001', '000000');
    assert.equal(wrong.status, 400);
    assert.match(await wrong.text(), /PIN 码不正确/);
    const cancel = await fetch(`${sims.url}/licence/authorize`, {
      method: 'POST', redirect: 'manual', body: new URLSearchParams({ nonce: 'nonce-pin-00001', callback: CALLBACK, action: 'cancel' }),
    });
    assert.equal(cancel.status, 303);
    assert.equal(new URL(cancel.headers.get('location')!).searchParams.get('error'), 'access_denied');
    const bad = await fetch(`${sims.url}/licence/authorize?nonce=x&callback=javascript:alert(1)`);
    assert.equal(bad.status, 400);
  });
});
