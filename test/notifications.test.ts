// Notifications: notify() writes in the caller's transaction, the SMS goes out once through the
// outbox (redelivery, outage and retry), and the message pages show each person only their own.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachBackend } from './support/backends.ts';
import { Browser, buildTestPlatform, type TestPlatform } from './support/platform.ts';
import { seedCitizen } from './support/people.ts';
import { licenceLogin } from './support/companies.ts';
import { DEMO_PASSWORD } from '../demo/load.ts';
import { sessionCookieName } from '../src/platform/http/auth.ts';
import { inTransaction } from '../src/platform/db/database.ts';
import { makeIdNumber } from '../src/platform/identifiers/id-number.ts';
import type { OutboxEvent } from '../src/platform/jobs/outbox.ts';
import { OutboxWorker } from '../src/platform/jobs/worker.ts';
import { notificationsModule, notify, SMS_GIVE_UP_AFTER, SMS_TOPIC } from '../src/modules/notifications/index.ts';
import { demoCompany } from '../simulators/index.ts';

describeEachBackend('notifications', (db) => {
  let p: TestPlatform;
  let people = 0;
  before(async () => {
    p = await buildTestPlatform(db());
  });
  after(async () => {
    await p?.app.close();
  });

  const citizen = async () => {
    const c = await seedCitizen(p.ctx, { level: 2, idNumber: makeIdNumber('320102', '19850101', 500 + ++people) });
    const b = new Browser(p.app);
    (b as unknown as { jar: Map<string, string> }).jar.set(sessionCookieName(p.config.cookieSecure), c.token);
    return { ...c, browser: b };
  };
  const smsEvents = async (notificationId: string) => {
    const rows = await p.ctx.db.selectFrom('outbox_event').selectAll().where('topic', '=', SMS_TOPIC).execute();
    return rows.filter((r) => (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload).notificationId === notificationId);
  };
  const asEvent = (row: Awaited<ReturnType<typeof smsEvents>>[number], attempts = 1): OutboxEvent => ({
    id: Number(row.id), topic: row.topic, payload: typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload,
    idempotencyKey: row.idempotency_key, regionCode: row.region_code, attempts, createdAt: row.created_at,
  });
  const handler = () => notificationsModule.handlers!(p.ctx)[0]!;
  const smsStatus = async (id: string) => (await p.ctx.db.selectFrom('notification').select('sms_status').where('id', '=', id).executeTakeFirstOrThrow()).sms_status;

  it('writes the message and its SMS event in the caller transaction, and neither when it rolls back', async () => {
    const c = await citizen();
    await assert.rejects(
      inTransaction(p.ctx.db, async (tx) => {
        await notify(p.ctx, tx, { recipient: { kind: 'citizen', accountId: c.id }, regionCode: '320102', topic: 'case.accepted', title: '回滚的消息', body: '…', sms: { mobile: c.mobile, text: '回滚' } });
        throw new Error('caller failed');
      }),
      /caller failed/,
    );
    assert.equal((await p.ctx.db.selectFrom('notification').select('id').where('recipient_id', '=', c.id).execute()).length, 0);
    const id = await inTransaction(p.ctx.db, (tx) =>
      notify(p.ctx, tx, { recipient: { kind: 'citizen', accountId: c.id }, regionCode: '320102', topic: 'case.accepted', title: '您的申请已受理', body: '办件编号 X1', link: '/account', sms: { mobile: c.mobile, text: '您的申请已受理' } }),
    );
    assert.equal(await smsStatus(id), 'queued');
    const events = await smsEvents(id);
    assert.equal(events.length, 1);
    // The outbox never holds a clear mobile.
    assert.ok(!JSON.stringify(events[0]!.payload).includes(c.mobile));
    await assert.rejects(inTransaction(p.ctx.db, (tx) => notify(p.ctx, tx, { recipient: { kind: 'citizen', accountId: c.id }, regionCode: '320102', topic: 'case.accepted', title: 'x', body: '', link: '//evil.example/' })), /不符合要求/);
  });

  it('sends the SMS once even when the event is delivered twice', async () => {
    const c = await citizen();
    const id = await inTransaction(p.ctx.db, (tx) => notify(p.ctx, tx, { recipient: { kind: 'citizen', accountId: c.id }, regionCode: '320102', topic: 'case.decided', title: '已办结', body: '', sms: { mobile: c.mobile, text: '您的申请已办结' } }));
    const [row] = await smsEvents(id);
    await inTransaction(p.ctx.db, (tx) => handler().handle(asEvent(row!), tx));
    await inTransaction(p.ctx.db, (tx) => handler().handle(asEvent(row!, 2), tx));
    const sent = p.externals.simulators!.smsMessages(c.mobile);
    assert.equal(sent.length, 1);
    assert.match(sent[0]!.content, /您的申请已办结/);
    assert.equal(await smsStatus(id), 'sent');
  });

  it('keeps the SMS queued through an outage and sends it on retry by the worker', async () => {
    const c = await citizen();
    const id = await inTransaction(p.ctx.db, (tx) => notify(p.ctx, tx, { recipient: { kind: 'citizen', accountId: c.id }, regionCode: '320102', topic: 'case.correction', title: '请补正材料', body: '', sms: { mobile: c.mobile, text: '请补正材料' } }));
    const sims = p.externals.simulators!;
    sims.control('sms', 'fail');
    try {
      const [row] = await smsEvents(id);
      await assert.rejects(inTransaction(p.ctx.db, (tx) => handler().handle(asEvent(row!), tx)), (err: Error) => err.name !== 'AssertionError' && /sms/.test(err.message));
      assert.equal(await smsStatus(id), 'queued');
      const worker = new OutboxWorker(p.ctx.db, { backoffMs: () => 0 }).register(handler());
      await worker.runOnce();
      assert.equal(await smsStatus(id), 'queued');
      const after1 = (await smsEvents(id))[0]!;
      assert.equal(after1.status, 'pending');
      assert.ok(after1.last_error);
      sims.control('sms', 'normal');
      await worker.runOnce();
      assert.equal(await smsStatus(id), 'sent');
      assert.equal((await smsEvents(id))[0]!.status, 'delivered');
      assert.equal(sims.smsMessages(c.mobile).length, 1);
    } finally {
      sims.control('sms', 'normal');
    }
  });

  it('marks the SMS failed, instead of retrying for ever, on the last attempt', async () => {
    const c = await citizen();
    const id = await inTransaction(p.ctx.db, (tx) => notify(p.ctx, tx, { recipient: { kind: 'citizen', accountId: c.id }, regionCode: '320102', topic: 'case.delivered', title: '已送达', body: '', sms: { mobile: c.mobile, text: '已送达' } }));
    const [row] = await smsEvents(id);
    p.externals.simulators!.control('sms', 'down');
    try {
      await assert.rejects(inTransaction(p.ctx.db, (tx) => handler().handle(asEvent(row!, SMS_GIVE_UP_AFTER - 1), tx)));
      await inTransaction(p.ctx.db, (tx) => handler().handle(asEvent(row!, SMS_GIVE_UP_AFTER), tx));
    } finally {
      p.externals.simulators!.control('sms', 'normal');
    }
    assert.equal(await smsStatus(id), 'failed');
    // Failed is final: a later redelivery does not text the person out of the blue.
    await inTransaction(p.ctx.db, (tx) => handler().handle(asEvent(row!, SMS_GIVE_UP_AFTER + 1), tx));
    assert.equal(p.externals.simulators!.smsMessages(c.mobile).length, 0);
  });

  it('lists messages newest first, opens and marks read, marks all read, and hides other people\'s', async () => {
    const c = await citizen();
    const other = await citizen();
    const send = (accountId: string, title: string) => inTransaction(p.ctx.db, (tx) => notify(p.ctx, tx, { recipient: { kind: 'citizen', accountId }, regionCode: '320102', topic: 'case.accepted', title, body: `${title}的正文`, link: '/account' }));
    const first = await send(c.id, '第一条消息');
    await new Promise((r) => setTimeout(r, 10));
    const second = await send(c.id, '第二条消息');
    const foreign = await send(other.id, '别人的消息');

    const list = await c.browser.get('/account/messages');
    assert.equal(list.statusCode, 200, String(list.headers.location) + list.body.slice(0, 500));
    assert.ok(list.body.indexOf('第二条消息') < list.body.indexOf('第一条消息') && list.body.indexOf('第一条消息') > 0);
    assert.ok(!list.body.includes('别人的消息'));
    assert.match(list.body, /未读 <strong>2<\/strong>/);

    const centre = await c.browser.get('/account');
    assert.match(centre.body, /第二条消息/);

    const opened = await c.browser.get(`/account/messages/${first}`);
    assert.equal(opened.statusCode, 200);
    assert.match(opened.body, /第一条消息的正文/);
    assert.match(opened.body, /href="\/account"/);
    assert.match((await c.browser.get('/account/messages')).body, /未读 <strong>1<\/strong>/);

    assert.equal((await c.browser.get(`/account/messages/${foreign}`)).statusCode, 404);
    assert.equal((await c.browser.get('/account/messages/not-a-uuid')).statusCode, 404);

    const page = await c.browser.get('/account/messages');
    assert.equal((await c.browser.submit('/account/messages/read-all', {}, 'forged')).statusCode, 403);
    const done = await c.browser.submit('/account/messages/read-all', {}, Browser.csrfFrom(page.body));
    assert.equal(done.statusCode, 303);
    assert.match((await c.browser.get('/account/messages?done=1')).body, /未读 <strong>0<\/strong>/);
    const readAt = await p.ctx.db.selectFrom('notification').select(['id', 'read_at']).where('id', 'in', [second, foreign]).execute();
    assert.ok(readAt.find((r) => r.id === second)!.read_at);
    assert.equal(readAt.find((r) => r.id === foreign)!.read_at, null);
  });

  it('gives companies their own message page, apart from people\'s', async () => {
    const b = await licenceLogin(p, demoCompany('扬州广陵文旅发展有限公司'), '周敏');
    const company = await p.ctx.db.selectFrom('company_account').select('id').where('credit_code', '=', demoCompany('扬州广陵文旅发展有限公司').creditCode).executeTakeFirstOrThrow();
    const id = await inTransaction(p.ctx.db, (tx) => notify(p.ctx, tx, { recipient: { kind: 'company', accountId: company.id }, regionCode: '321002', topic: 'case.delivered', title: '证照已寄出', body: '运单号 SF123456789012' }));
    const list = await b.get('/company/messages');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /证照已寄出/);
    assert.match((await b.get(`/company/messages/${id}`)).body, /运单号 SF123456789012/);
    // A company session is not a citizen's: the citizen pages are not its to read.
    assert.notEqual((await b.get('/account/messages')).statusCode, 200);
    const c = await citizen();
    assert.equal((await c.browser.get(`/account/messages/${id}`)).statusCode, 404);
  });

  it('gives staff their own message page', async () => {
    const staff = await p.ctx.db.selectFrom('staff_account').select('id').where('login_name', '=', 'nj-clerk').executeTakeFirstOrThrow();
    await inTransaction(p.ctx.db, (tx) => notify(p.ctx, tx, { recipient: { kind: 'staff', accountId: staff.id }, regionCode: '320100', topic: 'case.assigned', title: '新办件待受理', body: '' }));
    const b = new Browser(p.app);
    assert.equal((await b.login('nj-clerk', DEMO_PASSWORD)).statusCode, 303);
    const list = await b.get('/staff/messages');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /新办件待受理/);
    const anonymous = await new Browser(p.app).get('/account/messages');
    assert.ok([302, 303, 401].includes(anonymous.statusCode), String(anonymous.statusCode));
  });
});
