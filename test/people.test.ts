// People's accounts end to end through the pages, against the embedded simulators over
// real HTTP: register with an SMS code, real-name levels 2–4, outages that change nothing,
// login throttling, step-up, and the security page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from './support/backends.ts';
import { Browser, buildTestPlatform, type TestPlatform } from './support/platform.ts';
import { registerPerson, smsCode } from './support/people.ts';
import { DEMO_PEOPLE, facePhotoPng } from '../simulators/index.ts';

async function level(b: Browser): Promise<{ account: number; session: number }> {
  const page = await b.get('/account');
  assert.equal(page.statusCode, 200);
  const account = Number(/实名等级<\/dt><dd>[^<]*?([一二三四五])级/.exec(page.body)?.[1]?.replace(/[一二三四五]/, (c) => String('一二三四五'.indexOf(c) + 1)));
  const session = Number(/本次登录<\/dt><dd>L(\d)/.exec(page.body)?.[1]);
  return { account, session };
}

function multipart(fields: Record<string, string>, file: { name: string; filename: string; type: string; data: Buffer }) {
  const boundary = '----yiwang' + Math.random().toString(16).slice(2);
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${file.filename}"\r\nContent-Type: ${file.type}\r\n\r\n`), file.data, Buffer.from('\r\n'));
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

describeEachBackend('people: register, real-name levels, step-up', (getDb) => {
  let platform: TestPlatform;
  before(async () => {
    platform = await buildTestPlatform(getDb());
  });
  after(async () => {
    await platform.app.close();
  });

  test('a person registers with an SMS code and climbs to level 4 with real checks', async () => {
    const person = DEMO_PEOPLE[0]!;
    const b = await registerPerson(platform, person.mobile);
    assert.deepEqual(await level(b), { account: 1, session: 1 });

    let page = await b.get('/account/realname');
    let csrf = Browser.csrfFrom(page.body);
    // A wrong name is refused by the register, and nothing changes.
    let res = await b.submit('/account/realname/identity', { name: '张三丰', idNumber: person.idNumber }, csrf);
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /核验未通过/);
    // A malformed number never reaches the register.
    res = await b.submit('/account/realname/identity', { name: person.name, idNumber: person.idNumber.slice(0, 17) + (person.idNumber.endsWith('1') ? '2' : '1') }, csrf);
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /校验位不正确/);
    res = await b.submit('/account/realname/identity', { name: person.name, idNumber: person.idNumber }, csrf);
    assert.equal(res.statusCode, 303, res.body.slice(0, 800));
    assert.deepEqual(await level(b), { account: 2, session: 2 });

    page = await b.get('/account/realname');
    csrf = Browser.csrfFrom(page.body);
    res = await b.submit('/account/realname/carrier', {}, csrf);
    assert.equal(res.statusCode, 303, res.body.slice(0, 800));
    // The account rises; this session already proved two factors (the registration's SMS
    // code and password), so it may use level 3 at once. The carrier check itself is no factor.
    assert.deepEqual(await level(b), { account: 3, session: 3 });

    page = await b.get('/account/realname/face');
    assert.equal(page.statusCode, 200, page.body.slice(0, 500));
    const livenessSessionId = /name="livenessSessionId" value="([^"]+)"/.exec(page.body)![1]!;
    csrf = Browser.csrfFrom(page.body);
    // The upload checks its CSRF token itself (multipart is parsed after the usual check).
    const forged = multipart({ _csrf: 'forged', livenessSessionId, next: '' }, { name: 'image', filename: 'me.png', type: 'image/png', data: facePhotoPng(person.idNumber) });
    res = await platform.app.inject({ method: 'POST', url: '/account/realname/face', payload: forged.body, headers: { 'content-type': forged.contentType, accept: 'application/json', cookie: b.cookieHeader } });
    assert.equal(res.json().code, 'CSRF_INVALID');
    const form = multipart({ _csrf: csrf, livenessSessionId, next: '' }, { name: 'image', filename: 'me.png', type: 'image/png', data: facePhotoPng(person.idNumber) });
    res = await platform.app.inject({ method: 'POST', url: '/account/realname/face', payload: form.body, headers: { 'content-type': form.contentType, accept: 'text/html', cookie: b.cookieHeader } });
    assert.equal(res.statusCode, 303, /<main[\s\S]*<\/main>/.exec(res.body)?.[0] ?? res.body);
    b.setCookiesFrom(res);
    assert.deepEqual(await level(b), { account: 4, session: 4 });

    // The profile shows the identity masked; the evidence of each level is listed.
    page = await b.get('/account');
    assert.match(page.body, new RegExp(person.idNumber.slice(0, 4) + '\\*{10}' + person.idNumber.slice(-4)));
    assert.doesNotMatch(page.body, new RegExp(person.idNumber));
    page = await b.get('/account/realname');
    for (const method of ['公安人口信息核验', '运营商三要素核验', '人脸识别', '短信验证手机号码']) assert.match(page.body, new RegExp(method));
  });

  test('an outage or a slow register never raises a level, and says so', async () => {
    const person = DEMO_PEOPLE[1]!;
    const b = await registerPerson(platform, person.mobile);
    const csrf = Browser.csrfFrom((await b.get('/account/realname')).body);
    const sims = platform.externals.simulators!;
    try {
      for (const mode of ['fail', 'slow', 'garbage', 'down'] as const) {
        sims.control('publicSecurity', mode, mode === 'slow' ? 3000 : undefined);
        const res = await b.submit('/account/realname/identity', { name: person.name, idNumber: person.idNumber }, csrf);
        assert.equal(res.statusCode, 503, `${mode}: ${res.body.slice(0, 300)}`);
        assert.match(res.body, /核验服务暂时不可用/);
        assert.equal((await level(b)).account, 1, mode);
      }
    } finally {
      sims.control('publicSecurity', 'normal');
    }
    const res = await b.submit('/account/realname/identity', { name: person.name, idNumber: person.idNumber }, csrf);
    assert.equal(res.statusCode, 303);
    // The same ID number cannot be bound to a second account.
    const other = await registerPerson(platform, '13900000001');
    const csrf2 = Browser.csrfFrom((await other.get('/account/realname')).body);
    const taken = await other.submit('/account/realname/identity', { name: person.name, idNumber: person.idNumber }, csrf2);
    assert.equal(taken.statusCode, 409);
    assert.match(taken.body, /已绑定其他账户/);
  });

  test('password login is throttled per account, and a correct password then waits too', async () => {
    const mobile = '13900000002';
    await registerPerson(platform, mobile, 'Right-Pass-1');
    const b = new Browser(platform.app);
    const csrf = Browser.csrfFrom((await b.get('/account/login')).body);
    for (let i = 0; i < 5; i++) {
      const res = await b.submit('/account/login', { mobile, password: `wrong-${i}` }, csrf);
      assert.equal(res.statusCode, 401);
      assert.match(res.body, /手机号码或密码不正确/);
    }
    // The sixth failure starts the backoff; from then on even the right password waits.
    await b.submit('/account/login', { mobile, password: 'wrong-6' }, csrf);
    const res = await b.submit('/account/login', { mobile, password: 'Right-Pass-1' }, csrf);
    assert.equal(res.statusCode, 429);
    assert.match(res.body, /失败次数过多/);
    // An unknown number answers exactly like a wrong password.
    const unknown = await b.submit('/account/login', { mobile: '13900009999', password: 'whatever-1' }, csrf);
    assert.equal(unknown.statusCode, 401);
    assert.match(unknown.body, /手机号码或密码不正确/);
  });

  test('step-up: a password session of a level-3 account adds an SMS code to reach level 3', async () => {
    const person = DEMO_PEOPLE[2]!;
    const first = await registerPerson(platform, person.mobile, 'Step-Up-2026');
    let csrf = Browser.csrfFrom((await first.get('/account/realname')).body);
    assert.equal((await first.submit('/account/realname/identity', { name: person.name, idNumber: person.idNumber }, csrf)).statusCode, 303);
    csrf = Browser.csrfFrom((await first.get('/account/realname')).body);
    assert.equal((await first.submit('/account/realname/carrier', {}, csrf)).statusCode, 303);

    const b = new Browser(platform.app);
    csrf = Browser.csrfFrom((await b.get('/account/login')).body);
    const login = await b.submit('/account/login', { mobile: person.mobile, password: 'Step-Up-2026', next: '/account/security' }, csrf);
    assert.equal(login.statusCode, 303);
    assert.equal(login.headers.location, '/account/security');
    assert.deepEqual(await level(b), { account: 3, session: 2 });

    let page = await b.get('/account/step-up?level=3&next=%2Faccount%2Fsecurity');
    assert.match(page.body, /发送验证码到本人手机/);
    csrf = Browser.csrfFrom(page.body);
    page = await b.submit('/account/step-up/code', { level: '3', next: '/account/security' }, csrf);
    assert.match(page.body, /验证码已发送至 139\*\*\*\*/);
    const wrong = await b.submit('/account/step-up', { level: '3', factor: 'sms', code: '000000', next: '/account/security' }, csrf);
    assert.equal(wrong.statusCode, 400);
    const res = await b.submit('/account/step-up', { level: '3', factor: 'sms', code: smsCode(platform, person.mobile), next: '/account/security' }, csrf);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/account/security');
    assert.deepEqual(await level(b), { account: 3, session: 3 });

    // Level 4 needs the account to be level 4 first: the page sends the person to upgrade.
    page = await b.get('/account/step-up?level=4&next=%2Faccount');
    assert.match(page.body, /需要先完成更高等级的实名认证/);

    // Two devices are signed in; the first one can end the second.
    const security = await first.get('/account/security');
    const rows = security.body.split('<tr>').filter((r) => r.includes('/account/sessions/'));
    assert.equal(rows.length, 2);
    const otherRow = rows.find((r) => !r.includes('本设备</span>'))!;
    const otherId = /\/account\/sessions\/([0-9a-f]{64})\/end/.exec(otherRow)![1]!;
    const ended = await first.submit(`/account/sessions/${otherId}/end`, {}, Browser.csrfFrom(security.body));
    assert.equal(ended.statusCode, 303);
    const after = await b.get('/account');
    assert.equal(after.statusCode, 303);
    assert.match(after.headers.location as string, /^\/account\/login\?next=/);
  });

  test('an SMS outage is a clear error, and bad numbers are refused before sending', async () => {
    const b = new Browser(platform.app);
    const csrf = Browser.csrfFrom((await b.get('/account/register')).body);
    const bad = await b.submit('/account/code', { mobile: '1234', purpose: 'register' }, csrf);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /11 位手机号码/);
    platform.externals.simulators!.control('sms', 'fail');
    try {
      const res = await b.submit('/account/code', { mobile: '13900000003', purpose: 'register' }, csrf);
      assert.equal(res.statusCode, 503);
      assert.match(res.body, /短信服务暂时不可用/);
    } finally {
      platform.externals.simulators!.control('sms', 'normal');
    }
  });
});
