// The field-by-field implementation editor and the synonym page, used like a browser without
// JavaScript: the posted fields are exactly those the page's form holds (plus the button pressed).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { describeEachBackend } from './support/backends.ts';
import { buildTestPlatform, Browser, type TestPlatform } from './support/platform.ts';
import { StaffService } from '../src/modules/identity/index.ts';
import { type CatalogService, type ImplementationContent } from '../src/modules/catalog/index.ts';
import { DEMO_PASSWORD } from '../demo/load.ts';
import { foodLicenceImplementation, publishedFoodLicence } from './support/catalog-fixtures.ts';

const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const attr = (tag: string, name: string) => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? unescape(m[1]!) : null;
};

/** What a browser would post from the page's form with `action`: inputs, checked boxes, selected options, textareas. */
function formFields(html: string, action: string): [string, string][] {
  const start = html.indexOf(`<form method="post" action="${action}"`);
  assert.ok(start >= 0, `form ${action} on the page`);
  const form = html.slice(start, html.indexOf('</form>', start));
  const out: [string, string][] = [];
  for (const m of form.matchAll(/<input\b[^>]*>/g)) {
    const name = attr(m[0], 'name');
    if (!name || (attr(m[0], 'type') === 'checkbox' && !/\schecked\b/.test(m[0]))) continue;
    out.push([name, attr(m[0], 'value') ?? (attr(m[0], 'type') === 'checkbox' ? 'on' : '')]);
  }
  for (const m of form.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
    const options = [...m[2]!.matchAll(/<option\b[^>]*>/g)].map((o) => o[0]);
    const chosen = options.find((o) => /\sselected\b/.test(o)) ?? options[0]!;
    out.push([attr(m[1]!, 'name')!, attr(chosen, 'value')!]);
  }
  for (const m of form.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) out.push([attr(m[1]!, 'name')!, unescape(m[2]!)]);
  return out;
}

const set = (fields: [string, string][], changes: Record<string, string>) => {
  const out = fields.map(([k, v]): [string, string] => [k, k in changes ? changes[k]! : v]);
  for (const [k, v] of Object.entries(changes)) if (!out.some(([n]) => n === k)) out.push([k, v]);
  return out;
};
const summaryOf = (html: string) => /<div class="error-summary"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '';

describeEachBackend('catalogue admin forms', (getDb) => {
  let p: TestPlatform;
  let catalog: CatalogService;
  let basicId: string;
  let njOrg: string;
  const b: Record<string, Browser> = {};

  async function postFields(who: Browser, url: string, fields: [string, string][]): Promise<LightMyRequestResponse> {
    return p.app.inject({ method: 'POST', url, payload: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', cookie: who.cookieHeader } });
  }

  before(async () => {
    const db = getDb();
    p = await buildTestPlatform(db);
    ({ catalog, basicId, njOrg } = await publishedFoodLicence(db.db));
    const sys = { kind: 'system' as const, id: 'test' };
    await new StaffService(db.db).createStaff({ loginName: 'nj-form', displayName: '表单', password: DEMO_PASSWORD, orgId: null, regionCode: '320100', roles: ['region_admin'], mustChangePassword: false }, sys);
    for (const name of ['nj-form', 'js-admin', 'js-auditor']) {
      b[name] = new Browser(p.app);
      await b[name].login(name, DEMO_PASSWORD);
    }
  });
  after(async () => {
    await p?.app.close();
  });

  test('edit an implementation field by field: change a time limit and add a material', async () => {
    const impl = await catalog.createImplementation(foodLicenceImplementation(basicId, '320100', njOrg, { acceptanceConditions: [{ text: '已取得营业执照' }, { text: '委托代办的，有授权委托书', when: { agent: 'yes' } }], questions: [{ id: 'agent', text: '是否委托代办？', options: [{ value: 'yes', label: '是' }, { value: 'no', label: '否' }] }] }), { kind: 'system', id: 'seed' });
    const url = `/admin/catalog/entries/${impl.id}/edit`;
    const editor = b['nj-form']!;
    const page = await editor.get(url);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<input id="promisedLimitDays" name="promisedLimitDays" type="number" value="5"/);
    assert.match(page.body, /<input type="checkbox" id="channels-online" name="channels" value="online" checked>/);
    assert.doesNotMatch(page.body, /id="mat_1_name"/);

    // "Add one more" is a submit button: the server answers with an extra, empty fieldset.
    const more = await postFields(editor, url, [...formFields(page.body, url), ['add', 'mat']]);
    assert.equal(more.statusCode, 200, more.body);
    assert.match(more.body, /<input id="mat_1_name" name="mat_1_name" type="text" value=""/);
    assert.equal((await catalog.get(impl.id)).lockVersion, impl.lockVersion, 'adding a row saves nothing');

    const saved = await postFields(editor, url, set(formFields(more.body, url), { promisedLimitDays: '3', mat_1_name: '营业执照', mat_1_id: 'business_licence', mat_1_source: 'licence', mat_1_licenceType: 'business_licence', mat_1_when: 'agent=yes' }));
    assert.equal(saved.statusCode, 303, summaryOf(saved.body));
    const content = (await catalog.get(impl.id)).content as ImplementationContent;
    assert.equal(content.promisedLimitDays, 3);
    assert.deepEqual(content.materials[1], { id: 'business_licence', name: '营业执照', form: 'original', count: 1, required: true, source: 'licence', licenceType: 'business_licence', when: { agent: 'yes' } });
    // Everything the form does not show in fields survives the round trip unchanged.
    const expected = foodLicenceImplementation(basicId, '320100', njOrg) as unknown as ImplementationContent;
    assert.deepEqual(content.formSchema, expected.formSchema);
    assert.deepEqual(content.acceptanceConditions, [{ text: '已取得营业执照' }, { text: '委托代办的，有授权委托书', when: { agent: 'yes' } }]);
    assert.deepEqual(content.channels, ['online', 'window']);
    assert.equal(content.materials[0]!.name, '食品经营许可申请书');
    assert.match((await editor.get(`/admin/catalog/entries/${impl.id}`)).body, /promisedLimitDays<\/code>：5 → 3/);
  });

  test('a negative time limit and a bad material count show next to their fields and in the summary', async () => {
    const impl = await catalog.createImplementation(foodLicenceImplementation(basicId, '320100', njOrg), { kind: 'system', id: 'seed' });
    const url = `/admin/catalog/entries/${impl.id}/edit`;
    const editor = b['nj-form']!;
    const page = await editor.get(url);
    const bad = await postFields(editor, url, set(formFields(page.body, url), { promisedLimitDays: '-2', mat_0_count: '0' }));
    assert.equal(bad.statusCode, 400);
    const summary = summaryOf(bad.body);
    assert.match(summary, /<a href="#promisedLimitDays">承诺时限（工作日）：不能小于 0<\/a>/);
    assert.match(summary, /<a href="#mat_0_count">第 1 项材料的份数：不能小于 1<\/a>/);
    assert.match(bad.body, /<p class="field-error" id="promisedLimitDays-error">[\s\S]*?不能小于 0<\/p>\s*<input id="promisedLimitDays" name="promisedLimitDays" type="number" value="-2"/);
    assert.match(bad.body, /aria-describedby="promisedLimitDays-hint promisedLimitDays-error" aria-invalid="true"/);
    const notNumber = await postFields(editor, url, set(formFields(page.body, url), { legalLimitDays: '十' }));
    assert.match(summaryOf(notNumber.body), /<a href="#legalLimitDays">法定时限（工作日）：应为整数<\/a>/);
    assert.equal((await catalog.get(impl.id)).lockVersion, impl.lockVersion, 'nothing saved');
  });

  test('a stale form is refused with the other version shown', async () => {
    const impl = await catalog.createImplementation(foodLicenceImplementation(basicId, '320100', njOrg), { kind: 'system', id: 'seed' });
    const url = `/admin/catalog/entries/${impl.id}/edit`;
    const first = await b['nj-form']!.get(url);
    const second = await b['js-admin']!.get(url);
    assert.equal((await postFields(b['nj-form']!, url, set(formFields(first.body, url), { promisedLimitDays: '4' }))).statusCode, 303);
    const stale = await postFields(b['js-admin']!, url, set(formFields(second.body, url), { promisedLimitDays: '2' }));
    assert.equal(stale.statusCode, 409);
    assert.match(summaryOf(stale.body), /别人保存了新的版本/);
    assert.match(stale.body, /<code>promisedLimitDays<\/code>：别人保存的 4，您填写的 2/);
    assert.match(stale.body, /<input id="promisedLimitDays" name="promisedLimitDays" type="number" value="2"/, 'the input is kept');
    assert.equal(((await catalog.get(impl.id)).content as ImplementationContent).promisedLimitDays, 4);
  });

  test('the synonym page adds, edits and deletes, with validation and duplicate messages', async () => {
    const admin = b['js-admin']!;
    const list = '/admin/catalog/synonyms';
    const page = await admin.get(list);
    assert.equal(page.statusCode, 200);
    const csrf = Browser.csrfFrom(page.body);
    assert.match((await admin.get('/admin/catalog/search-stats')).body, /href="\/admin\/catalog\/synonyms"/);
    assert.match((await admin.get('/admin/catalog')).body, /href="\/admin\/catalog\/synonyms"/);

    const invalid = await admin.submit(list, { phrase: '面', terms: '' }, csrf);
    assert.equal(invalid.statusCode, 400);
    assert.match(summaryOf(invalid.body), /<a href="#phrase">群众说法应为 2 到 40 个字<\/a>/);
    assert.match(summaryOf(invalid.body), /<a href="#terms">请填写至少一个规范名称<\/a>/);
    assert.match(invalid.body, /<p class="field-error" id="phrase-error">/);

    assert.equal((await admin.submit(list, { phrase: '开面馆', terms: '食品经营许可' }, csrf)).statusCode, 303);
    const added = await admin.get(`${list}?done=added`);
    assert.match(added.body, /已新增同义词/);
    assert.match(added.body, /<td>开面馆<\/td>\s*<td>食品经营许可<\/td>/);
    const duplicate = await admin.submit(list, { phrase: '开面馆', terms: '餐饮' }, csrf);
    assert.equal(duplicate.statusCode, 409);
    assert.match(summaryOf(duplicate.body), /<a href="#phrase">这个说法已有同义词设置：开面馆<\/a>/);

    const id = Number(/id="synonym-(\d+)">\s*<td>开面馆/.exec(added.body)![1]);
    const editPage = await admin.get(`${list}?edit=${id}`);
    assert.match(editPage.body, new RegExp(`<input id="phrase-${id}" name="phrase" type="text" value="开面馆"`));
    assert.equal((await admin.submit(`${list}/${id}`, { phrase: '开面馆', terms: '食品经营许可\n小餐饮登记' }, csrf)).statusCode, 303);
    assert.match((await admin.get(list)).body, /<td>开面馆<\/td>\s*<td>食品经营许可、小餐饮登记<\/td>/);
    const audited = await p.ctx.db.selectFrom('audit_log').select('action').where('action', '=', 'catalog.search.synonym.update').execute();
    assert.equal(audited.length, 1, 'the edit is audited');

    assert.equal((await admin.submit(list, { phrase: '开馄饨店', terms: '食品经营许可' }, csrf)).statusCode, 303);
    const other = Number(/id="synonym-(\d+)">\s*<td>开馄饨店/.exec((await admin.get(list)).body)![1]);
    const clash = await admin.submit(`${list}/${other}`, { phrase: '开面馆', terms: '食品经营许可' }, csrf);
    assert.equal(clash.statusCode, 409);
    assert.match(summaryOf(clash.body), new RegExp(`<a href="#phrase-${other}">这个说法已有同义词设置：开面馆</a>`));
    assert.match(clash.body, new RegExp(`<input id="phrase-${other}" name="phrase" type="text" value="开面馆"`), 'the edit form is shown again with the input');

    assert.equal((await admin.submit(`${list}/${id}/delete`, {}, csrf)).statusCode, 303);
    assert.doesNotMatch((await admin.get(list)).body, /<td>开面馆<\/td>/);

    // Auditors read the table but get no forms and cannot post.
    const auditor = b['js-auditor']!;
    const ro = await auditor.get(list);
    assert.equal(ro.statusCode, 200);
    assert.doesNotMatch(ro.body, /新增同义词/);
    assert.equal((await auditor.submit(list, { phrase: '开茶馆', terms: '食品经营许可' }, Browser.csrfFrom(ro.body))).statusCode, 403);
  });
});
