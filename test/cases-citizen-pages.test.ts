// The citizen's application pages, driven as a browser without JavaScript: the wizard with
// field errors, drafts, uploads checked by content, pre-fill provenance that the body cannot
// override, a double click making one case, material reuse from an earlier case, the case page
// with correction and resubmission, 再来一单, other people's 404s and the public progress lookup.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { multipart as multipartBody } from './support/multipart.ts';
import { describeEachBackend } from './support/backends.ts';
import { Browser, buildTestPlatform, type TestPlatform } from './support/platform.ts';
import { publishedNanjingFoodLicence } from './support/catalog-fixtures.ts';
import { signedInCitizen } from './support/people.ts';
import { fileStoreFromConfig } from '../src/platform/files/index.ts';
import { DEMO_PASSWORD } from '../demo/load.ts';
import { formatCaseNumber, isCaseNumber } from '../src/modules/cases/index.ts';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const PDF2 = Buffer.from('%PDF-1.4\n% corrected\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const FAKE_PDF = Buffer.from('MZ\x90\x00 this is a program, not a pdf');

interface Person {
  browser: Browser;
  csrf: string;
  mobile: string;
  idNumber: string;
  id: string;
}

describeEachBackend('citizen case pages: apply wizard, my cases, case page, progress lookup', (getDb) => {
  let p: TestPlatform;
  let implId: string;
  let me: Person;
  let stranger: Person;
  let caseId: string;
  let caseNumber: string;

  const signedIn = (level: 1 | 2): Promise<Person> => signedInCitizen(p, { level, name: '张三' });

  /** A multipart form post, as a browser sends a form with file inputs. */
  /** A multipart form post, as a browser sends a form with file inputs. */
  async function multipart(who: Person, url: string, fields: Record<string, string>, files: Record<string, { name: string; bytes: Buffer }> = {}): Promise<LightMyRequestResponse> {
    const form = multipartBody({ _csrf: who.csrf, ...fields, ...Object.fromEntries(Object.entries(files).map(([k, f]) => [k, { file: f.bytes, name: f.name }])) });
    return who.browser.setCookiesFrom(await p.app.inject({ method: 'POST', url, payload: form.payload, headers: { ...form.headers, accept: 'text/html', cookie: who.browser.cookieHeader } }));
  }


  const openDraft = async (who: Person) =>
    p.ctx.db.selectFrom('case_draft').selectAll().where('applicant_id', '=', who.id).where('implementation_id', '=', implId).where('case_id', 'is', null).executeTakeFirst();

  before(async () => {
    p = await buildTestPlatform(getDb());
    implId = (await publishedNanjingFoodLicence(p.ctx.db, {
        formSchema: {
          type: 'object',
          properties: {
            applicantName: { type: 'string', title: '申请人姓名', maxLength: 50 },
            idNumber: { type: 'string', title: '公民身份号码', pattern: '^\\d{17}[\\dX]$' },
            phone: { type: 'string', title: '手机号码', pattern: '^1\\d{10}$' },
            shopName: { type: 'string', title: '店铺名称', maxLength: 50 },
            seats: { type: 'integer', title: '座位数', minimum: 0, maximum: 500 },
            remark: { type: 'string', title: '备注', maxLength: 100 },
          },
          required: ['applicantName', 'idNumber', 'phone', 'shopName', 'seats'],
        },
        materials: [
          { id: 'application', name: '食品经营许可申请书', form: 'electronic', count: 1, required: true, source: 'upload' },
          { id: 'floor_plan', name: '经营场所平面图', form: 'electronic', count: 1, required: false, source: 'upload' },
        ],
      })).implId;
    me = await signedIn(2);
    stranger = await signedIn(2);
  });
  after(async () => {
    await p.app.close();
  });

  test('a session below the item\'s real-name level is sent to step up and back', async () => {
    const weak = await signedIn(1);
    const res = await weak.browser.get(`/cases/apply/${implId}`);
    assert.equal(res.statusCode, 303);
    assert.match(res.headers.location as string, new RegExp(`^/account/step-up\\?level=2&next=${encodeURIComponent(`/cases/apply/${implId}`)}`));
  });

  test('step 1: pre-filled with provenance, field errors keep what was typed, identity cannot be overridden, draft resumes', async () => {
    const page = await me.browser.get(`/cases/apply/${implId}`);
    assert.equal(page.statusCode, 200, page.body.slice(0, 500));
    assert.match(page.body, /步骤 1\/3/);
    assert.match(page.body, /aria-current="step"/);
    assert.match(page.body, /来自实名信息/);
    assert.match(page.body, /来自个人资料/);
    assert.ok(page.body.includes(`value="${me.idNumber}" readonly`), 'the ID number is shown read-only');
    assert.ok(page.body.includes(`value="${me.mobile}"`), 'the phone comes from the profile');

    // Errors are per field, in the summary and beside the field; what was typed stays.
    const bad = await me.browser.submit(`/cases/apply/${implId}/form`, { applicantName: '李四', idNumber: '320102199001010011', phone: me.mobile, shopName: '', seats: '很多', remark: '靠窗的位置', action: 'next' }, me.csrf);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /class="error-summary"/);
    assert.match(bad.body, /href="#shopName">请填写“店铺名称”（必填）/);
    assert.match(bad.body, /href="#seats">“座位数”应为整数/);
    assert.ok(bad.body.includes('value="很多"'), 'the junk typed is shown again');
    assert.ok(bad.body.includes('靠窗的位置'));
    assert.ok(!bad.body.includes('李四'), 'a read-only value posted by the body is ignored');

    // 保存草稿: leave and resume from 我的办件.
    const saved = await me.browser.submit(`/cases/apply/${implId}/form`, { applicantName: '李四', idNumber: '320102199001010011', phone: me.mobile, shopName: '知味小馆', seats: '', action: 'save' }, me.csrf);
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, '/cases/mine?saved=1');
    const draft = await openDraft(me);
    assert.deepEqual(draft!.answers, { applicantName: '张三', idNumber: me.idNumber, phone: me.mobile, shopName: '知味小馆' });
    assert.equal(draft!.step, 1);
    const mine = await me.browser.get('/cases/mine?saved=1');
    assert.match(mine.body, /草稿已保存/);
    assert.ok(mine.body.includes(`href="/cases/apply/${implId}"`));
    assert.match(mine.body, /继续填写/);
    const resumed = await me.browser.get(`/cases/apply/${implId}`);
    assert.ok(resumed.body.includes('value="知味小馆"'));
    // Step 2 cannot be reached before step 1 is complete.
    assert.match((await me.browser.get(`/cases/apply/${implId}?step=3`)).body, /步骤 1\/3/);

    const ok = await me.browser.submit(`/cases/apply/${implId}/form`, { applicantName: '李四', idNumber: '320102199001010011', phone: me.mobile, shopName: '知味小馆', seats: '２０', action: 'next' }, me.csrf);
    assert.equal(ok.statusCode, 303, ok.body.slice(0, 800));
    assert.equal(ok.headers.location, `/cases/apply/${implId}?step=2`);
    const after = await openDraft(me);
    assert.equal((after!.answers as Record<string, unknown>).applicantName, '张三');
    assert.equal((after!.answers as Record<string, unknown>).seats, 20);
  });

  test('step 2: a program named .pdf is refused and nothing is kept; a real PDF is stored', async () => {
    const page = await me.browser.get(`/cases/apply/${implId}?step=2`);
    assert.match(page.body, /步骤 2\/3/);
    assert.match(page.body, /enctype="multipart\/form-data"/);
    // Without the CSRF token nothing is accepted.
    const forged = await multipart({ ...me, csrf: 'forged' }, `/cases/apply/${implId}/materials`, { action: 'next' }, { 'materials.application': { name: '申请书.pdf', bytes: PDF } });
    assert.equal(forged.statusCode, 403);

    const files = fileStoreFromConfig(p.config);
    const res = await multipart(me, `/cases/apply/${implId}/materials`, { action: 'next', 'choice.application': 'upload' }, { 'materials.application': { name: '申请书.pdf', bytes: FAKE_PDF } });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /href="#materials.application">文件内容与扩展名不符/);
    assert.equal(await files.has(createHash('sha256').update(FAKE_PDF).digest('hex')), false, 'the refused file was not stored');
    assert.deepEqual((await openDraft(me))!.materials, {});

    const good = await multipart(me, `/cases/apply/${implId}/materials`, { action: 'next', 'choice.application': 'upload' }, { 'materials.application': { name: '申请书.pdf', bytes: PDF } });
    assert.equal(good.statusCode, 303, good.body.slice(0, 800));
    assert.equal(good.headers.location, `/cases/apply/${implId}?step=3`);
    const sha = createHash('sha256').update(PDF).digest('hex');
    assert.equal(await files.has(sha), true);
    assert.deepEqual((await openDraft(me))!.materials, { application: { source: 'upload', fileHash: sha, fileName: '申请书.pdf', mime: 'application/pdf', sizeBytes: PDF.length } });
  });

  test('step 3: a double click on 提交 makes one case, and its number is shown at once', async () => {
    const review = await me.browser.get(`/cases/apply/${implId}?step=3`);
    assert.match(review.body, /步骤 3\/3/);
    assert.match(review.body, /知味小馆/);
    const first = await me.browser.submit(`/cases/apply/${implId}/submit`, {}, me.csrf);
    const second = await me.browser.submit(`/cases/apply/${implId}/submit`, {}, me.csrf);
    assert.equal(first.statusCode, 303, first.body.slice(0, 800));
    assert.equal(second.statusCode, 303);
    assert.equal(second.headers.location, first.headers.location);
    const rows = await p.ctx.db.selectFrom('service_case').select(['id', 'case_number']).where('applicant_id', '=', me.id).execute();
    assert.equal(rows.length, 1);
    caseId = rows[0]!.id;
    caseNumber = rows[0]!.case_number;
    assert.equal(first.headers.location, `/cases/${caseId}/submitted`);
    const done = await me.browser.get(first.headers.location as string);
    assert.ok(done.body.includes(caseNumber), 'the confirmation shows the case number');
    assert.equal(await openDraft(me), undefined, 'the draft is closed');
    const mine = await me.browser.get('/cases/mine');
    assert.ok(mine.body.includes(caseNumber));
    assert.match(mine.body, /已提交，待受理/);
  });

  test('another person cannot see or act on my case or my draft', async () => {
    // Start a draft to try to delete.
    await me.browser.get(`/cases/apply/${implId}`);
    const draft = (await openDraft(me))!;
    for (const url of [`/cases/${caseId}`, `/cases/${caseId}/correction`, `/cases/${caseId}/submitted`]) {
      assert.equal((await stranger.browser.get(url)).statusCode, 404, url);
    }
    assert.equal((await stranger.browser.submit(`/cases/${caseId}/withdraw`, { version: '1' }, stranger.csrf)).statusCode, 404);
    assert.equal((await stranger.browser.submit(`/cases/${caseId}/again`, {}, stranger.csrf)).statusCode, 404);
    assert.equal((await stranger.browser.submit(`/cases/drafts/${draft.id}/delete`, {}, stranger.csrf)).statusCode, 404);
    assert.ok(await openDraft(me), 'the draft is still there');
    const theirs = await stranger.browser.get('/cases/mine');
    assert.ok(!theirs.body.includes(caseNumber));
    // The owner can delete it.
    const del = await me.browser.submit(`/cases/drafts/${draft.id}/delete`, {}, me.csrf);
    assert.equal(del.statusCode, 303);
    assert.equal(await openDraft(me), undefined);
  });

  test('public progress lookup: the right phone tail shows progress; a wrong tail and a wrong number answer alike', async () => {
    const anon = new Browser(p.app);
    const csrf = Browser.csrfFrom((await anon.get('/cases/progress')).body);
    const ok = await anon.submit('/cases/progress', { caseNumber, phoneTail: me.mobile.slice(-4) }, csrf);
    assert.equal(ok.statusCode, 200, ok.body.slice(0, 500));
    assert.match(ok.body, /已提交，待受理/);
    assert.match(ok.body, /食品经营许可/);
    const tail = me.mobile.slice(-4) === '0000' ? '1111' : '0000';
    const wrongTail = await anon.submit('/cases/progress', { caseNumber, phoneTail: tail }, csrf);
    // A well-formed number (valid check character) that no case has.
    const unknown = formatCaseNumber(caseNumber.slice(0, 6), caseNumber.slice(6, 14), Number(caseNumber[14]), 999_999);
    assert.ok(isCaseNumber(unknown));
    const wrongNumber = await anon.submit('/cases/progress', { caseNumber: unknown, phoneTail: me.mobile.slice(-4) }, csrf);
    for (const res of [wrongTail, wrongNumber]) {
      assert.equal(res.statusCode, 404);
      assert.match(res.body, /没有查到这个办件/);
      assert.ok(!res.body.includes('已提交，待受理'));
    }
    const malformed = await anon.submit('/cases/progress', { caseNumber: '123', phoneTail: 'ab' }, csrf);
    assert.equal(malformed.statusCode, 400);
    assert.match(malformed.body, /href="#caseNumber"/);
    assert.match(malformed.body, /href="#phoneTail"/);
  });

  test('correction: the one-time notice is shown, answers and materials are replaced, the case is resubmitted', async () => {
    const clerk = new Browser(p.app);
    await clerk.login('nj-clerk', DEMO_PASSWORD);
    const clerkCsrf = Browser.csrfFrom((await clerk.get('/staff')).body);
    const res = await p.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/actions/request_correction`,
      payload: JSON.stringify({ version: 1, note: '申请书缺少签名', data: { items: [{ materialId: 'application', reason: '请上传签名后的申请书' }] } }),
      headers: { accept: 'application/json', 'content-type': 'application/json', 'x-csrf-token': clerkCsrf, cookie: clerk.cookieHeader },
    });
    assert.equal(res.statusCode, 200, res.body);
    const page = await me.browser.get(`/cases/${caseId}`);
    assert.match(page.body, /需要补正（一次性告知）/);
    assert.match(page.body, /申请书缺少签名/);
    assert.match(page.body, /请上传签名后的申请书/);
    // After submission the person's own ID and mobile numbers show masked.
    assert.ok(!page.body.includes(me.idNumber) && !page.body.includes(me.mobile), 'no full ID or mobile number on the case page');
    assert.ok(page.body.includes(`${me.idNumber.slice(0, 4)}**********${me.idNumber.slice(-4)}`));
    const form = await me.browser.get(`/cases/${caseId}/correction`);
    assert.equal(form.statusCode, 200);
    assert.ok(form.body.includes('value="知味小馆"'));
    const version = /name="version" value="(\d+)"/.exec(form.body)![1]!;

    // A bad file is refused, with the answers kept.
    const bad = await multipart(me, `/cases/${caseId}/correction`, { version, applicantName: '张三', idNumber: me.idNumber, phone: me.mobile, shopName: '知味小馆（新址）', seats: '30' }, { 'materials.application': { name: '申请书.pdf', bytes: FAKE_PDF } });
    assert.equal(bad.statusCode, 400);
    assert.ok(bad.body.includes('value="知味小馆（新址）"'));
    const ok = await multipart(me, `/cases/${caseId}/correction`, { version, applicantName: '王五', idNumber: me.idNumber, phone: me.mobile, shopName: '知味小馆（新址）', seats: '30' }, { 'materials.application': { name: '签名申请书.pdf', bytes: PDF2 } });
    assert.equal(ok.statusCode, 303, ok.body.slice(0, 800));
    const row = await p.ctx.db.selectFrom('service_case').select(['state', 'answers']).where('id', '=', caseId).executeTakeFirstOrThrow();
    assert.equal(row.state, 'submitted');
    assert.deepEqual(row.answers, { applicantName: '张三', idNumber: me.idNumber, phone: me.mobile, shopName: '知味小馆（新址）', seats: 30 });
    const mats = await p.ctx.db.selectFrom('case_material').select(['material_id', 'file_hash', 'file_name']).where('case_id', '=', caseId).execute();
    assert.deepEqual(mats, [{ material_id: 'application', file_hash: createHash('sha256').update(PDF2).digest('hex'), file_name: '签名申请书.pdf' }]);
    const after = await me.browser.get(`/cases/${caseId}?done=resubmit`);
    assert.match(after.body, /补正后重新提交/);
    assert.match(after.body, /一次性告知补正/);
  });

  test('withdraw, then 再来一单: a new draft from the case, tagged, offering its material for reuse', async () => {
    const page = await me.browser.get(`/cases/${caseId}`);
    const version = /name="version" value="(\d+)"/.exec(page.body)![1]!;
    const w = await me.browser.submit(`/cases/${caseId}/withdraw`, { version }, me.csrf);
    assert.equal(w.statusCode, 303, w.body.slice(0, 500));
    assert.match((await me.browser.get(`/cases/${caseId}`)).body, /已撤回/);

    const again = await me.browser.submit(`/cases/${caseId}/again`, {}, me.csrf);
    assert.equal(again.statusCode, 303);
    assert.equal(again.headers.location, `/cases/apply/${implId}`);
    const form = await me.browser.get(`/cases/apply/${implId}`);
    assert.ok(form.body.includes('value="知味小馆（新址）"'));
    assert.match(form.body, /来自上次申请/);
    const next = await me.browser.submit(`/cases/apply/${implId}/form`, { shopName: '知味小馆（新址）', seats: '30', phone: me.mobile, action: 'next' }, me.csrf);
    assert.equal(next.statusCode, 303, next.body.slice(0, 800));

    const step2 = await me.browser.get(`/cases/apply/${implId}?step=2`);
    const value = `previous|case:${caseNumber}`;
    assert.ok(step2.body.includes(`value="${value}"`), 'the earlier case\'s material is offered');
    assert.match(step2.body, /签名申请书\.pdf/);
    // A reference the source does not offer is refused (the hash is never taken from the form).
    const forged = await multipart(me, `/cases/apply/${implId}/materials`, { action: 'next', 'choice.application': 'previous|case:320100202601011000001X' });
    assert.equal(forged.statusCode, 400);
    const chosen = await multipart(me, `/cases/apply/${implId}/materials`, { action: 'next', 'choice.application': value });
    assert.equal(chosen.statusCode, 303, chosen.body.slice(0, 800));
    const submitted = await me.browser.submit(`/cases/apply/${implId}/submit`, {}, me.csrf);
    assert.equal(submitted.statusCode, 303, submitted.body.slice(0, 800));
    const newId = /^\/cases\/([0-9a-f-]{36})\/submitted$/.exec(submitted.headers.location as string)![1]!;
    assert.notEqual(newId, caseId);
    const mats = await p.ctx.db.selectFrom('case_material').select(['source', 'reference', 'file_hash']).where('case_id', '=', newId).execute();
    assert.deepEqual(mats, [{ source: 'upload', reference: `case:${caseNumber}`, file_hash: createHash('sha256').update(PDF2).digest('hex') }]);
  });

  test('the guide links 在线办理 to the wizard', async () => {
    const guide = await me.browser.get(`/guides/${implId}`);
    assert.equal(guide.statusCode, 200);
    assert.ok(guide.body.includes(`href="/cases/apply/${implId}"`));
  });

  test('我的办件 appears in the user centre', async () => {
    const centre = await me.browser.get('/account');
    assert.match(centre.body, /我的办件/);
    assert.ok(centre.body.includes(caseNumber));
  });
});
