// Second factors end to end over the pages: a person enrols a TOTP app (codes computed here
// with otplib, as the phone app would) and a passkey (a software authenticator built on
// node:crypto ES256 produces real attestation and assertion structures), then uses each to
// step a password session of a level-3 account up to level 3. A TOTP code is good once,
// wrong codes are throttled, and a passkey assertion cannot be replayed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createSign, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { authenticator } from 'otplib';
import { describeEachBackend } from './support/backends.ts';
import { Browser, buildTestPlatform, type TestPlatform } from './support/platform.ts';
import { DEMO_PEOPLE } from '../simulators/index.ts';
import { smsCode } from './support/people.ts';

const PASSWORD = 'Factor-Test-2026';

/**
 * Registers, verifies name + ID (L2) and carrier (L3). Returns the registration's session
 * (SMS code + password: L3, allowed to manage factors) and a fresh password-only session
 * (L2 of an L3 account, which must step up).
 */
async function level3Person(platform: TestPlatform, index: number): Promise<{ first: Browser; b: Browser }> {
  const person = DEMO_PEOPLE[index]!;
  const first = new Browser(platform.app);
  let csrf = Browser.csrfFrom((await first.get('/account/register')).body);
  await first.submit('/account/code', { mobile: person.mobile, purpose: 'register' }, csrf);
  const reg = await first.submit('/account/register', { mobile: person.mobile, code: smsCode(platform, person.mobile), password: PASSWORD, confirmPassword: PASSWORD }, csrf);
  assert.equal(reg.statusCode, 303, reg.body.slice(0, 500));
  csrf = Browser.csrfFrom((await first.get('/account/realname')).body);
  assert.equal((await first.submit('/account/realname/identity', { name: person.name, idNumber: person.idNumber }, csrf)).statusCode, 303);
  csrf = Browser.csrfFrom((await first.get('/account/realname')).body);
  assert.equal((await first.submit('/account/realname/carrier', {}, csrf)).statusCode, 303);
  const b = new Browser(platform.app);
  csrf = Browser.csrfFrom((await b.get('/account/login')).body);
  assert.equal((await b.submit('/account/login', { mobile: person.mobile, password: PASSWORD }, csrf)).statusCode, 303);
  assert.equal(await sessionLevel(b), 2);
  return { first, b };
}

async function sessionLevel(b: Browser): Promise<number> {
  return Number(/本次登录<\/dt><dd>L(\d)/.exec((await b.get('/account')).body)?.[1]);
}

/** The TOTP code of the time-step `offset` steps from now. */
const codeAt = (secret: string, offset: number) => authenticator.clone({ epoch: Date.now() + offset * 30_000 }).generate(secret);

// --- a minimal CBOR encoder and an ES256 software authenticator ---

function cborHead(major: number, n: number): Buffer {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 256) return Buffer.from([(major << 5) | 24, n]);
  const b = Buffer.alloc(3);
  b[0] = (major << 5) | 25;
  b.writeUInt16BE(n, 1);
  return b;
}
function cbor(v: unknown): Buffer {
  if (typeof v === 'number') return v >= 0 ? cborHead(0, v) : cborHead(1, -1 - v);
  if (typeof v === 'string') return Buffer.concat([cborHead(3, Buffer.byteLength(v)), Buffer.from(v)]);
  if (Buffer.isBuffer(v)) return Buffer.concat([cborHead(2, v.length), v]);
  const entries = v instanceof Map ? [...v.entries()] : Object.entries(v as object);
  return Buffer.concat([cborHead(5, entries.length), ...entries.flatMap(([k, x]) => [cbor(k), cbor(x)])]);
}

class SoftAuthenticator {
  readonly credentialId = randomBytes(32);
  private readonly key: KeyObject;
  private readonly publicJwk: { x: string; y: string };
  private counter = 0;
  constructor() {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.key = pair.privateKey;
    this.publicJwk = pair.publicKey.export({ format: 'jwk' }) as { x: string; y: string };
  }
  private authData(rpId: string, attested: boolean): Buffer {
    const count = Buffer.alloc(4);
    count.writeUInt32BE(this.counter);
    const parts: Buffer[] = [createHash('sha256').update(rpId).digest(), Buffer.from([attested ? 0x45 : 0x05]), count];
    if (attested) {
      const len = Buffer.alloc(2);
      len.writeUInt16BE(this.credentialId.length);
      const cose = new Map<number, unknown>([[1, 2], [3, -7], [-1, 1], [-2, Buffer.from(this.publicJwk.x, 'base64url')], [-3, Buffer.from(this.publicJwk.y, 'base64url')]]);
      parts.push(Buffer.alloc(16), len, this.credentialId, cbor(cose));
    }
    return Buffer.concat(parts);
  }
  private clientData(type: string, challenge: string, origin: string): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }
  create(options: { challenge: string; rp: { id: string } }, origin: string) {
    const attestationObject = cbor({ fmt: 'none', attStmt: {}, authData: this.authData(options.rp.id, true) });
    const id = this.credentialId.toString('base64url');
    return { id, rawId: id, type: 'public-key', clientExtensionResults: {}, response: { clientDataJSON: this.clientData('webauthn.create', options.challenge, origin).toString('base64url'), attestationObject: attestationObject.toString('base64url'), transports: ['internal'] } };
  }
  get(options: { challenge: string; rpId: string }, origin: string) {
    this.counter += 1;
    const authenticatorData = this.authData(options.rpId, false);
    const clientDataJSON = this.clientData('webauthn.get', options.challenge, origin);
    const signature = createSign('sha256').update(Buffer.concat([authenticatorData, createHash('sha256').update(clientDataJSON).digest()])).sign(this.key);
    const id = this.credentialId.toString('base64url');
    return { id, rawId: id, type: 'public-key', clientExtensionResults: {}, response: { clientDataJSON: clientDataJSON.toString('base64url'), authenticatorData: authenticatorData.toString('base64url'), signature: signature.toString('base64url') } };
  }
}

async function postJson(platform: TestPlatform, b: Browser, url: string, csrf: string, body: unknown) {
  const res = await platform.app.inject({ method: 'POST', url, payload: JSON.stringify(body), headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrf, cookie: b.cookieHeader } });
  b.setCookiesFrom(res);
  return res;
}

describeEachBackend('people: TOTP and passkey second factors', (getDb) => {
  let platform: TestPlatform;
  before(async () => {
    platform = await buildTestPlatform(getDb());
  });
  after(async () => {
    await platform.app.close();
  });

  test('TOTP: enrol with a first code, step up to L3, a replayed code and wrong codes are refused and throttled', async () => {
    const { first, b } = await level3Person(platform, 3);
    // A password-only session may not add a factor (it could then step up with its own).
    const refused = await b.get('/account/security/totp');
    assert.equal(refused.statusCode, 303);
    assert.equal(refused.headers.location, '/account/step-up?level=3&next=%2Faccount%2Fsecurity');
    let page = await first.get('/account/security/totp');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<svg class="totp-qr"[^>]*role="img"/);
    assert.doesNotMatch(page.body, /style=/);
    const secret = /<code class="totp-secret">([A-Z2-7 ]+)<\/code>/.exec(page.body)![1]!.replace(/ /g, '');
    const ticket = /name="ticket" value="([^"]+)"/.exec(page.body)![1]!;
    let csrf = Browser.csrfFrom(page.body);

    const wrongFirst = await first.submit('/account/security/totp', { ticket, totpCode: codeAt(secret, 5), label: '我的手机' }, csrf);
    assert.equal(wrongFirst.statusCode, 400);
    assert.match(wrongFirst.body, /动态口令不正确/);
    const enrolled = await first.submit('/account/security/totp', { ticket, totpCode: codeAt(secret, 0), label: '我的手机' }, csrf);
    assert.equal(enrolled.statusCode, 303, enrolled.body.slice(0, 500));
    const security = await first.get('/account/security');
    assert.match(security.body, /我的手机（动态口令）/);

    // The step-up page now offers the app; the enrolment code itself is already spent.
    page = await b.get('/account/step-up?level=3&next=%2Faccount%2Fsecurity');
    assert.match(page.body, /action="\/account\/step-up\/totp"/);
    csrf = Browser.csrfFrom(page.body);
    const spent = await b.submit('/account/step-up/totp', { level: '3', totpCode: codeAt(secret, 0), next: '/account/security' }, csrf);
    assert.equal(spent.statusCode, 400);
    assert.equal(await sessionLevel(b), 2);

    const next = codeAt(secret, 1);
    const ok = await b.submit('/account/step-up/totp', { level: '3', totpCode: next, next: '/account/security' }, csrf);
    assert.equal(ok.statusCode, 303, ok.body.slice(0, 500));
    assert.equal(ok.headers.location, '/account/security');
    assert.equal(await sessionLevel(b), 3);

    // The same code on another device of the same person: refused.
    const second = new Browser(platform.app);
    csrf = Browser.csrfFrom((await second.get('/account/login')).body);
    await second.submit('/account/login', { mobile: DEMO_PEOPLE[3]!.mobile, password: PASSWORD }, csrf);
    csrf = Browser.csrfFrom((await second.get('/account/step-up?level=3')).body);
    const replay = await second.submit('/account/step-up/totp', { level: '3', totpCode: next }, csrf);
    assert.equal(replay.statusCode, 400);
    assert.match(replay.body, /已使用/);
    assert.equal(await sessionLevel(second), 2);

    // Wrong codes: five more are free (the replay was the first), then the account waits.
    let last = replay;
    for (let i = 0; i < 5; i++) last = await second.submit('/account/step-up/totp', { level: '3', totpCode: String((Number(next) + 1 + i) % 1_000_000).padStart(6, '0') }, csrf);
    assert.equal(last.statusCode, 400);
    const blocked = await second.submit('/account/step-up/totp', { level: '3', totpCode: codeAt(secret, -1) }, csrf);
    assert.equal(blocked.statusCode, 429, blocked.body.slice(0, 300));
    assert.match(blocked.body, /失败次数过多/);
    assert.equal(await sessionLevel(second), 2);

    // Removal needs the CSRF token, then the factor is gone.
    const factorId = /\/account\/security\/factors\/([0-9a-f-]{36})\/delete/.exec(security.body)![1]!;
    const forged = await b.submit(`/account/security/factors/${factorId}/delete`, {});
    assert.equal(forged.statusCode, 403);
    csrf = Browser.csrfFrom((await b.get('/account/security')).body);
    assert.equal((await b.submit(`/account/security/factors/${factorId}/delete`, {}, csrf)).statusCode, 303);
    assert.doesNotMatch((await b.get('/account/security')).body, /我的手机（动态口令）/);
  });

  test('passkey: register with a software authenticator, step up to L3, an assertion cannot be replayed', async () => {
    const { first, b } = await level3Person(platform, 4);
    const origin = new URL(platform.config.publicUrl).origin;
    const auth = new SoftAuthenticator();
    let page = await first.get('/account/security/passkey');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<script src="\/assets\/passkey.js"/);
    let csrf = Browser.csrfFrom(page.body);

    let res = await postJson(platform, first, '/account/security/passkey/options', csrf, {});
    assert.equal(res.statusCode, 200, res.body);
    const creation = res.json() as { challenge: string; rp: { id: string } };
    assert.equal(creation.rp.id, new URL(platform.config.publicUrl).hostname);
    // An attestation for someone else's origin is refused, and spends the challenge.
    res = await postJson(platform, first, '/account/security/passkey', csrf, { response: auth.create(creation, 'https://evil.example'), label: '笔记本' });
    assert.equal(res.statusCode, 400);
    res = await postJson(platform, first, '/account/security/passkey', csrf, { response: auth.create(creation, origin), label: '笔记本' });
    assert.equal(res.statusCode, 400, 'a challenge is good for one ceremony');
    const fresh = (await postJson(platform, first, '/account/security/passkey/options', csrf, {})).json() as typeof creation;
    res = await postJson(platform, first, '/account/security/passkey', csrf, { response: auth.create(fresh, origin), label: '笔记本' });
    assert.equal(res.statusCode, 200, res.body);
    assert.match((await first.get('/account/security')).body, /笔记本（通行密钥）/);

    page = await b.get('/account/step-up?level=3&next=%2Faccount');
    assert.match(page.body, /data-passkey-step-up/);
    csrf = Browser.csrfFrom(page.body);
    const request = (await postJson(platform, b, '/account/step-up/passkey/options', csrf, {})).json() as { challenge: string; rpId: string };
    const assertion = auth.get(request, origin);
    res = await postJson(platform, b, '/account/step-up/passkey', csrf, { response: assertion, level: 3, next: '/account' });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal((res.json() as { redirect: string }).redirect, '/account');
    csrf = Browser.csrfFrom((await b.get('/account')).body);
    assert.equal(await sessionLevel(b), 3);

    // The same signed assertion again: its challenge is gone.
    res = await postJson(platform, b, '/account/step-up/passkey', csrf, { response: assertion, level: 3 });
    assert.equal(res.statusCode, 400);
    // A signature by another key over a fresh challenge is refused.
    const again = (await postJson(platform, b, '/account/step-up/passkey/options', csrf, {})).json() as { challenge: string; rpId: string };
    const impostor = new SoftAuthenticator();
    const forged = { ...impostor.get(again, origin), id: auth.credentialId.toString('base64url'), rawId: auth.credentialId.toString('base64url') };
    res = await postJson(platform, b, '/account/step-up/passkey', csrf, { response: forged, level: 3 });
    assert.equal(res.statusCode, 400);
  });
});
