// The simulators on their own: synthetic data that passes the national checks, the signed
// protocol's defences (unsigned, unknown, stale and replayed requests), the failure switch
// and the dev pages.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { generateSm2KeyPair, sm2Sign, sm2Verify } from '../src/platform/crypto/sm2.ts';
import { checkCreditCode } from '../src/platform/identifiers/credit-code.ts';
import { checkIdNumber, idNumberFacts } from '../src/platform/identifiers/id-number.ts';
import { DEMO_COMPANIES, DEMO_PEOPLE, facePhotoPng, isLuhnValid, startSimulators, type RunningSimulators } from './index.ts';
import { decodePngGrey } from './png.ts';
import { generatePopulation } from './population.ts';
import { HEADER, requestSigningInput, responseSigningInput } from './signing.ts';

describe('synthetic population and companies', () => {
  test('demo people have valid, distinct GB 11643 numbers in Jiangsu, Luhn-valid cards and mobiles', () => {
    assert.equal(DEMO_PEOPLE.length, 10);
    assert.equal(new Set(DEMO_PEOPLE.map((p) => p.idNumber)).size, 10);
    for (const p of DEMO_PEOPLE) {
      assert.equal(checkIdNumber(p.idNumber), null, p.name);
      assert.ok(p.idNumber.startsWith('32'), p.name);
      assert.equal(idNumberFacts(p.idNumber).sex, p.sex);
      assert.ok(isLuhnValid(p.bankCard), p.bankCard);
      assert.match(p.mobile, /^1[3-9]\d{9}$/);
    }
    assert.ok(DEMO_PEOPLE.some((p) => p.idNumber.endsWith('X')));
  });

  test('the generated crowd is deterministic and valid', () => {
    const a = generatePopulation(7, 300);
    assert.deepEqual(a, generatePopulation(7, 300));
    assert.notDeepEqual(a, generatePopulation(8, 300));
    for (const p of a) {
      assert.equal(checkIdNumber(p.idNumber), null, p.idNumber);
      assert.ok(isLuhnValid(p.bankCard));
      assert.match(p.name, /^\p{Script=Han}{2,3}$/u);
    }
  });

  test('companies: valid GB 32100 codes, demo-person representatives, one revoked and one expired', () => {
    for (const c of DEMO_COMPANIES) {
      assert.equal(checkCreditCode(c.creditCode), null, c.name);
      assert.ok(DEMO_PEOPLE.includes(c.legalRepresentative));
    }
    assert.equal(DEMO_COMPANIES.filter((c) => c.status === 'revoked').length, 1);
    assert.equal(DEMO_COMPANIES.filter((c) => new Date(c.validUntil) < new Date()).length, 1);
  });

  test('register photos are decodable PNGs, one per person', () => {
    const img = decodePngGrey(facePhotoPng(DEMO_PEOPLE[0]!.idNumber))!;
    assert.deepEqual([img.width, img.height], [96, 96]);
    assert.ok(!facePhotoPng(DEMO_PEOPLE[0]!.idNumber).equals(facePhotoPng(DEMO_PEOPLE[1]!.idNumber)));
  });
});

describe('simulator HTTP boundary', () => {
  let sims: RunningSimulators;
  const person = DEMO_PEOPLE[0]!;
  before(async () => {
    sims = await startSimulators();
  });
  after(() => sims.close());

  function signed(path: string, body: object, opts: { nonce?: string; timestamp?: string; key?: string; client?: string } = {}) {
    const raw = Buffer.from(JSON.stringify(body));
    const client = opts.client ?? sims.clientId;
    const timestamp = opts.timestamp ?? String(Date.now());
    const nonce = opts.nonce ?? randomBytes(16).toString('hex');
    const signature = sm2Sign(requestSigningInput('POST', path, client, timestamp, nonce, raw), opts.key ?? sims.clientKeyPair.privateKey!);
    return fetch(sims.url + path, {
      method: 'POST', body: raw,
      headers: { 'content-type': 'application/json', [HEADER.client]: client, [HEADER.timestamp]: timestamp, [HEADER.nonce]: nonce, [HEADER.signature]: signature.toString('base64') },
    });
  }
  const path = '/public-security/v1/name-id-checks';
  const body = { name: person.name, idNumber: person.idNumber };

  test('a signed request gets an answer signed by the service key over status, nonce and body', async () => {
    const nonce = randomBytes(16).toString('hex');
    const res = await signed(path, body, { nonce });
    assert.equal(res.status, 200);
    const raw = Buffer.from(await res.arrayBuffer());
    assert.equal(JSON.parse(raw.toString()).match, true);
    assert.equal(res.headers.get(HEADER.nonce), nonce);
    const input = responseSigningInput(200, nonce, res.headers.get(HEADER.timestamp)!, raw);
    assert.equal(sm2Verify(input, Buffer.from(res.headers.get(HEADER.signature)!, 'base64'), sims.servicePublicKey), true);
  });

  test('unsigned, unknown-client, wrongly signed, stale and replayed requests are refused', async () => {
    const problem = async (res: Response) => [res.status, ((await res.json()) as { detail: string }).detail];
    assert.deepEqual(await problem(await fetch(sims.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })), [401, 'missing_signature']);
    assert.deepEqual(await problem(await signed(path, body, { client: 'stranger' })), [401, 'unknown_client']);
    assert.deepEqual(await problem(await signed(path, body, { key: generateSm2KeyPair().privateKey })), [401, 'bad_signature']);
    assert.deepEqual(await problem(await signed(path, body, { timestamp: String(Date.now() - 10 * 60_000) })), [401, 'stale_timestamp']);
    const nonce = randomBytes(16).toString('hex');
    assert.equal((await signed(path, body, { nonce })).status, 200);
    assert.deepEqual(await problem(await signed(path, body, { nonce })), [401, 'replayed_nonce']);
  });

  test('control: JSON API, validation, and the HTML form without JavaScript', async () => {
    const post = (b: object) => fetch(`${sims.url}/control`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });
    assert.equal((await post({ service: 'sms', mode: 'fail' })).status, 200);
    const state = (await (await fetch(`${sims.url}/control`)).json()) as { services: Record<string, { mode: string }> };
    assert.equal(state.services.sms!.mode, 'fail');
    assert.equal(state.services.carrier!.mode, 'normal');
    assert.equal((await post({ service: 'sms', mode: 'explode' })).status, 400);
    assert.equal((await post({ service: 'nobody', mode: 'fail' })).status, 400);
    const form = await fetch(`${sims.url}/control`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ service: 'all', mode: 'normal' }) });
    assert.equal(form.status, 303);
    const html = await (await fetch(`${sims.url}/control/page`)).text();
    assert.match(html, /故障开关/);
    assert.match(html, /<select id="mode-sms" name="mode">/);
    assert.ok(!/<script|style="/i.test(html));
    // With the public-security check failing, it answers 503; the others are untouched.
    await post({ service: 'publicSecurity', mode: 'fail' });
    assert.equal((await signed(path, body)).status, 503);
    await post({ service: 'publicSecurity', mode: 'normal' });
    assert.equal((await signed(path, body)).status, 200);
  });

  test('the SMS mailbox page lists messages newest first in Chinese', async () => {
    const send = (code: string) => signed('/sms/v1/messages', { mobile: person.mobile, template: 'verification_code', params: { code } });
    assert.equal((await send('111111')).status, 200);
    assert.equal((await send('222222')).status, 200);
    const html = await (await fetch(`${sims.url}/sms/mailbox?mobile=${person.mobile}`)).text();
    assert.match(html, /<html lang="zh-CN">/);
    assert.match(html, /短信收件箱/);
    assert.ok(html.indexOf('222222') > 0 && html.indexOf('222222') < html.indexOf('111111'), 'newest first');
    assert.equal(sims.smsMessages(person.mobile)[0]!.content.includes('222222'), true);
    const bad = await signed('/sms/v1/messages', { mobile: '12345', template: 'verification_code', params: { code: '1' } });
    assert.equal(bad.status, 400);
  });

  test('the home page lists demo people and companies; photos are downloadable', async () => {
    const html = await (await fetch(`${sims.url}/`)).text();
    for (const p of DEMO_PEOPLE) assert.ok(html.includes(p.idNumber), p.name);
    for (const c of DEMO_COMPANIES) assert.ok(html.includes(c.creditCode), c.name);
    const photo = await fetch(sims.url + person.photoPath);
    assert.equal(photo.headers.get('content-type'), 'image/png');
    assert.ok(Buffer.from(await photo.arrayBuffer()).equals(facePhotoPng(person.idNumber)));
    assert.equal((await fetch(`${sims.url}/face/photos/110105194912310028.png`)).status, 404);
  });
});
