// Companies and authorisations end to end: e-business-licence login through the simulated
// wallet over real HTTP (nonce replay, revoked and expired licences, wallet outage), agent
// grants by the legal representative (switch in, withdraw, expiry, no re-delegation), and
// 代办 between two people with the on-behalf audit trail.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from './support/backends.ts';
import { Browser, buildTestPlatform, type TestPlatform } from './support/platform.ts';
import { demoCompany, demoPerson } from '../simulators/index.ts';
import { canonicalJson, verifyAuditChain } from '../src/platform/audit/audit.ts';
import { sm3Hex } from '../src/platform/crypto/sm3.ts';
import { assertProxyScope, assertCompanyScope } from '../src/modules/identity/index.ts';
import type { Actor } from '../src/platform/http/access.ts';
import { smsCode } from './support/people.ts';
import { licenceLogin, walletAssertion } from './support/companies.ts';

/** A registered person at real-name level 2 (public-security check), signed in. */
async function verifiedPerson(platform: TestPlatform, name: string): Promise<Browser> {
  const person = demoPerson(name);
  const b = new Browser(platform.app);
  const csrf = Browser.csrfFrom((await b.get('/account/register')).body);
  assert.equal((await b.submit('/account/code', { mobile: person.mobile, purpose: 'register' }, csrf)).statusCode, 200);
  const password = 'Jiangsu-2026';
  const reg = await b.submit('/account/register', { mobile: person.mobile, code: smsCode(platform, person.mobile), password, confirmPassword: password }, csrf);
  assert.equal(reg.statusCode, 303, reg.body.slice(0, 400));
  const csrf2 = Browser.csrfFrom((await b.get('/account/realname')).body);
  const res = await b.submit('/account/realname/identity', { name: person.name, idNumber: person.idNumber }, csrf2);
  assert.equal(res.statusCode, 303, res.body.slice(0, 400));
  return b;
}

const inDays = (n: number) => new Date(Date.now() + n * 86_400_000 + 8 * 3600_000).toISOString().slice(0, 10);

describeEachBackend('companies: licence login, agents, 代办', (getDb) => {
  let platform: TestPlatform;
  before(async () => {
    platform = await buildTestPlatform(getDb());
  });
  after(async () => {
    await platform.app.close();
  });
  const db = () => getDb().db;

  test('a legal representative logs in with the licence; the nonce cannot be replayed', async () => {
    const company = demoCompany('苏州姑苏云帆信息技术有限公司');
    const b = new Browser(platform.app);
    const login = await b.get('/company/login');
    assert.match(login.body, /电子营业执照/);
    const callback = await walletAssertion(platform, b, company, '李强');
    const cookiesAtCallback = b.cookieHeader;
    const res = await b.get(callback);
    assert.equal(res.statusCode, 303, res.body.slice(0, 600));
    const home = await b.get('/company');
    assert.equal(home.statusCode, 200);
    assert.match(home.body, /苏州姑苏云帆信息技术有限公司/);
    assert.match(home.body, new RegExp(company.creditCode));
    assert.match(home.body, /李\*（法定代表人）/);
    assert.match(home.body, /授权经办人/);

    const account = await db().selectFrom('company_account').selectAll().where('credit_code', '=', company.creditCode).executeTakeFirstOrThrow();
    assert.equal(account.region_code, '320508');
    assert.equal(account.name, company.name);
    assert.ok(!account.legal_rep_name_sealed.includes('李强'), 'the name is sealed');

    // The same assertion with the same nonce cookie (a captured redirect) is refused.
    const replay = await platform.app.inject({ method: 'GET', url: callback, headers: { accept: 'text/html', cookie: cookiesAtCallback } });
    assert.equal(replay.statusCode, 401);
    assert.match(replay.body, /已失效或已被使用过/);
    assert.match(replay.body, /href="\/company\/login"/);
    // And in another browser, without the nonce cookie, too.
    const other = await new Browser(platform.app).get(callback);
    assert.equal(other.statusCode, 401);

    const events = await db().selectFrom('login_event').select(['outcome', 'account_id']).where('account_kind', '=', 'company').execute();
    assert.ok(events.some((e) => e.outcome === 'success' && e.account_id === account.id));
    assert.ok(events.filter((e) => e.outcome === 'failure').length >= 2);
    const audits = await db().selectFrom('audit_log').select(['action']).where('action', 'in', ['company.login', 'company.login.failed']).execute();
    assert.ok(audits.some((a) => a.action === 'company.login') && audits.some((a) => a.action === 'company.login.failed'));
  });

  test('revoked and expired licences are refused with the reason; a wallet outage is a 503', async () => {
    for (const [name, holder, reason] of [['无锡梁溪恒通商贸有限公司', '陈静', /已被吊销或注销/], ['常州天宁瑞丰建材有限公司', '黄建国', /已过有效期/]] as const) {
      const b = new Browser(platform.app);
      const res = await b.get(await walletAssertion(platform, b, demoCompany(name), holder));
      assert.equal(res.statusCode, 401, name);
      assert.match(res.body, reason);
      assert.match(res.body, /重新登录/);
      assert.equal((await b.get('/company')).statusCode === 200, false);
    }
    const sims = platform.externals.simulators!;
    const b = new Browser(platform.app);
    const callback = await walletAssertion(platform, b, demoCompany('昆山玉山精密机械有限公司'), '刘洋');
    sims.control('businessLicence', 'fail');
    try {
      const res = await b.get(callback);
      assert.equal(res.statusCode, 503);
      assert.match(res.body, /暂时无法核验电子营业执照/);
    } finally {
      sims.control('businessLicence', 'normal');
    }
    const none = await db().selectFrom('company_account').select('id').where('credit_code', 'in', [demoCompany('无锡梁溪恒通商贸有限公司').creditCode, demoCompany('昆山玉山精密机械有限公司').creditCode]).execute();
    assert.equal(none.length, 0);
  });

  test('the legal representative authorises an agent, who acts for the company until withdrawn', async () => {
    const company = demoCompany('扬州广陵文旅发展有限公司');
    const rep = await licenceLogin(platform, company, '周敏');
    const agent = await verifiedPerson(platform, '张伟');
    const zhang = demoPerson('张伟');

    let home = await rep.get('/company');
    let csrf = Browser.csrfFrom(home.body);
    // An unknown person and a date beyond a year are refused on the form.
    let res = await rep.submit('/company/agents', { who: '13900009999', items: '全部', actions: 'apply', validUntil: inDays(30) }, csrf);
    assert.equal(res.statusCode, 404);
    assert.match(res.body, /没有找到该用户/);
    res = await rep.submit('/company/agents', { who: zhang.mobile, items: '全部', actions: 'apply', validUntil: inDays(400) }, csrf);
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /最长一年/);
    res = await rep.submit('/company/agents', { who: zhang.idNumber, items: '11-0001-000', actions: 'apply', validUntil: inDays(30) }, csrf);
    assert.equal(res.statusCode, 303, res.body.slice(0, 600));
    home = await rep.get('/company');
    assert.match(home.body, /张\*/);
    assert.match(home.body, /11-0001-000；可申报/);

    // The agent sees the company in the user centre and switches in.
    const list = await agent.get('/account/companies');
    assert.match(list.body, /扬州广陵文旅发展有限公司/);
    const grantId = /\/account\/companies\/([0-9a-f-]{36})\/act/.exec(list.body)![1]!;
    assert.match((await agent.get('/account')).body, /企业授权（经办人）[\s\S]*扬州广陵文旅发展有限公司/);
    res = await agent.submit(`/account/companies/${grantId}/act`, {}, Browser.csrfFrom(list.body));
    assert.equal(res.statusCode, 303);
    const agentHome = await agent.get('/company');
    assert.equal(agentHome.statusCode, 200);
    assert.match(agentHome.body, /张\*（经办人）/);
    assert.match(agentHome.body, /依据法定代表人的授权/);
    assert.doesNotMatch(agentHome.body, /授权经办人<\/h3>/);
    const session = await db().selectFrom('web_session').select(['data']).where('account_kind', '=', 'company').execute();
    assert.ok(session.some((s) => (s.data as { grantId?: string }).grantId === grantId && (s.data as { role: string }).role === 'agent'));

    // An agent cannot authorise other agents.
    res = await agent.submit('/company/agents', { who: zhang.mobile, items: '全部', actions: 'apply', validUntil: inDays(30) }, Browser.csrfFrom(agentHome.body));
    assert.equal(res.statusCode, 403);

    // Withdrawal ends the agent's company session at once.
    csrf = Browser.csrfFrom((await rep.get('/company')).body);
    res = await rep.submit(`/company/agents/${grantId}/withdraw`, {}, csrf);
    assert.equal(res.statusCode, 303);
    assert.notEqual((await agent.get('/company')).statusCode, 200);
    assert.match((await rep.get('/company')).body, /已撤回/);

    // An expired grant cannot be used.
    const again = await verifiedPersonLogin(platform, zhang.mobile);
    csrf = Browser.csrfFrom((await rep.get('/company')).body);
    res = await rep.submit('/company/agents', { who: zhang.mobile, items: '', actions: 'view', validUntil: inDays(10) }, csrf);
    assert.equal(res.statusCode, 303);
    const live = await db().selectFrom('company_agent_grant').select('id').where('revoked_at', 'is', null).executeTakeFirstOrThrow();
    await db().updateTable('company_agent_grant').set({ valid_from: new Date(Date.now() - 5 * 86_400_000), valid_until: new Date(Date.now() - 1000) }).where('id', '=', live.id).execute();
    const page = await again.get('/account/companies');
    assert.doesNotMatch(page.body, /扬州广陵文旅发展有限公司/);
    res = await again.submit(`/account/companies/${live.id}/act`, {}, Browser.csrfFrom(page.body));
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /已过期或已被撤回/);
  });

  test('代办: a parent authorises a child, who acts on her behalf (audited as such) until revoked', async () => {
    const parent = await verifiedPerson(platform, '赵秀英');
    const child = await verifiedPerson(platform, '黄建国');
    // The child has proven more (level 3); acting for the parent is capped at her level 2.
    const csrfC = Browser.csrfFrom((await child.get('/account/realname')).body);
    assert.equal((await child.submit('/account/realname/carrier', {}, csrfC)).statusCode, 303);

    let page = await parent.get('/account/proxies');
    let res = await parent.submit('/account/proxies', { who: demoPerson('黄建国').mobile, items: '11-0001-000, 11-0002-000', validUntil: inDays(90) }, Browser.csrfFrom(page.body));
    assert.equal(res.statusCode, 303, res.body.slice(0, 600));
    const grant = await db().selectFrom('proxy_grant').selectAll().executeTakeFirstOrThrow();

    page = await child.get('/account/proxies');
    assert.match(page.body, /替赵\*\*办事/);
    res = await child.submit(`/account/proxies/${grant.id}/act`, {}, Browser.csrfFrom(page.body));
    assert.equal(res.statusCode, 303);
    const account = await child.get('/account');
    assert.equal(account.statusCode, 200);
    assert.match(account.body, /黄\*\*（代赵\*\*）/);
    assert.match(account.body, /本次登录<\/dt><dd>L2/);

    // The profile view was audited by the child, on the parent's behalf, inside the chained change.
    const row = await db().selectFrom('audit_log').select(['actor_id', 'change_digest']).where('action', '=', 'citizen.profile.view').orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.equal(row.actor_id, grant.proxy_account_id);
    const onBehalfOf = { accountId: grant.principal_account_id, grantId: grant.id, proxyAccountId: grant.proxy_account_id };
    assert.equal(row.change_digest, sm3Hex(canonicalJson({ onBehalfOf })));
    assert.notEqual(row.change_digest, sm3Hex(canonicalJson({})));
    assert.deepEqual(await verifyAuditChain(db()).then((r) => r.ok), true);

    // While acting for someone, no grants can be made in anyone's name.
    page = await child.get('/account/proxies');
    assert.match(page.body, /结束代办/);
    res = await child.submit('/account/proxies', { who: demoPerson('赵秀英').mobile, items: '', validUntil: inDays(5) }, Browser.csrfFrom(page.body));
    assert.equal(res.statusCode, 403);

    // The parent revokes: the child's on-behalf session ends.
    page = await parent.get('/account/proxies');
    res = await parent.submit(`/account/proxies/${grant.id}/revoke`, {}, Browser.csrfFrom(page.body));
    assert.equal(res.statusCode, 303);
    assert.notEqual((await child.get('/account')).statusCode, 200);
    assert.match((await parent.get('/account/proxies')).body, /已撤销/);
  });

  test('scope checks for the case workflow', () => {
    const proxy: Actor = {
      kind: 'citizen', accountId: 'p', displayName: 'x', realNameLevel: 2, accountLevel: 2, sessionId: 's',
      onBehalfOf: { accountId: 'a', grantId: 'g', proxyAccountId: 'p', items: ['11-0001-000'] },
    };
    assert.doesNotThrow(() => assertProxyScope(proxy, '11-0001-000'));
    assert.doesNotThrow(() => assertProxyScope(proxy, '110001000-320100000000-001-11320100MB1234567X-1-00'));
    assert.throws(() => assertProxyScope(proxy, '11-0002-000'), /代办授权不包含/);
    const agent: Actor = {
      kind: 'company', accountId: 'c', displayName: 'x', creditCode: 'x', agentAccountId: null, sessionId: 's', role: 'agent', grantId: 'g',
      scopes: { items: 'all', actions: ['view'] },
    };
    assert.doesNotThrow(() => assertCompanyScope(agent, '11-0002-000', 'view'));
    assert.throws(() => assertCompanyScope(agent, '11-0002-000', 'apply'), /经办人授权不包含/);
  });
});

async function verifiedPersonLogin(platform: TestPlatform, mobile: string): Promise<Browser> {
  const b = new Browser(platform.app);
  const res = await b.submit('/account/login', { mobile, password: 'Jiangsu-2026' }, Browser.csrfFrom((await b.get('/account/login')).body));
  assert.equal(res.statusCode, 303, res.body.slice(0, 300));
  return b;
}
