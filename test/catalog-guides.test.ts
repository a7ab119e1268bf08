// 办事指南 and 好办 end to end on both backends: a published implementation becomes one Guide
// object that the page, the PDF and the JSON API render; answers produce a personal guide;
// unknown, unpublished and withdrawn items are 404.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachBackend } from './support/backends.ts';
import { buildTestPlatform, type TestPlatform } from './support/platform.ts';
import { CatalogService } from '../src/modules/catalog/index.ts';
import { RegionService } from '../src/modules/regions/index.ts';
import { FOOD_LICENCE_BASIC } from './support/catalog-fixtures.ts';

const sys = { kind: 'system' as const, id: 'test' };
const basic = FOOD_LICENCE_BASIC;

function implementation(basicItemId: string, orgId: string) {
  return {
    basicItemId,
    name: basic.name,
    basicCode: basic.code,
    itemType: basic.itemType,
    legalBasis: basic.legalBasis,
    regionCode: '320100',
    orgId,
    subItems: [{ code: '01', name: '食品经营许可（新办）' }, { code: '02', name: '食品经营许可（延续）' }],
    acceptanceConditions: [{ text: '申请人已取得营业执照等合法主体资格' }, { text: '原许可证在有效期届满前 30 个工作日提出延续', when: { first: 'no' } }],
    processSteps: [{ name: '申请', description: '网上提交申请' }, { name: '审查', description: '材料审查和现场核查' }, { name: '决定', description: '作出许可决定' }],
    legalLimitDays: 20,
    promisedLimitDays: 5,
    materials: [
      { id: 'application', name: '食品经营许可申请书', form: 'electronic', count: 1, required: true, source: 'upload', blankFormUrl: 'https://example.gov.cn/blank.docx' },
      { id: 'licence', name: '营业执照', form: 'electronic', count: 1, required: true, source: 'licence', licenceType: '营业执照' },
      { id: 'id_card', name: '法定代表人身份证明', form: 'copy', count: 1, required: true, source: 'data', dataResource: '人口基础信息' },
      { id: 'old_permit', name: '原食品经营许可证', form: 'original', count: 1, required: true, source: 'upload', when: { first: 'no' } },
      { id: 'layout', name: '经营场所平面图', form: 'copy', count: 2, required: false, source: 'upload', when: { first: 'yes' }, note: '标明功能分区' },
    ],
    intermediaryServices: [{ name: '食品检验', basis: '《食品安全法》第八十四条' }],
    fees: [{ name: '工本费', amountFen: 1200, basis: '苏价费〔2020〕1号' }],
    place: { address: '南京市建邺区江东中路 265 号市民中心 2 楼', hours: '工作日 9:00-17:00' },
    phones: { consult: '025-12345', complaint: '12345' },
    channels: ['online', 'window'],
    visits: 0,
    onlineDepth: 4,
    minRealNameLevel: 3,
    formSchema: { type: 'object', properties: { shopName: { type: 'string', title: '店铺名称' } } },
    questions: [{ id: 'first', text: '是否首次申请？', options: [{ value: 'yes', label: '是，首次申请' }, { value: 'no', label: '否，办理延续' }] }],
  };
}

describeEachBackend('guides (办事指南, 好办)', (getDb) => {
  let p: TestPlatform;
  let catalog: CatalogService;
  let basicId: string;
  let implId: string;
  let draftId: string;
  const html = { accept: 'text/html' };

  before(async () => {
    const db = getDb();
    p = await buildTestPlatform(db);
    const regions = new RegionService(db.db);
    catalog = new CatalogService(db.db, regions);
    const org = (await regions.organisations('320100')).find((o) => o.name === '南京市市场监督管理局')!;
    basicId = (await catalog.createBasicItem(basic, '320000', sys)).id;
    await catalog.submit(basicId, sys);
    await catalog.approve(basicId, sys);
    implId = (await catalog.createImplementation(implementation(basicId, org.id) as never, sys)).id;
    await catalog.submit(implId, sys);
    await catalog.approve(implId, sys);
    draftId = (await catalog.createImplementation(implementation(basicId, org.id) as never, sys)).id;
  });
  after(async () => {
    await p?.app.close();
  });

  test('the page shows every element of the guide', async () => {
    const res = await p.app.inject({ url: `/guides/${implId}`, headers: html });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.body;
    const entry = await catalog.get(implId);
    for (const text of [
      '<h1>食品经营许可', entry.code, '行政许可', '《中华人民共和国食品安全法》', '第三十五条', '南京市市场监督管理局', '江苏省南京市',
      '食品经营许可（新办）', '申请人已取得营业执照等合法主体资格', '原许可证在有效期届满前',
      '食品经营许可申请书', '电子件 1 份', '必须提交', '申请人提交', '电子证照免提交（营业执照）', '数据共享免提交（人口基础信息）', '复印件 2 份', '按需提交', '标明功能分区', '空白表格',
      '<strong>审查</strong>：材料审查和现场核查', '20 个工作日', '5 个工作日', '工本费：¥12.00', '苏价费〔2020〕1号', '食品检验',
      '市民中心 2 楼', '工作日 9:00-17:00', 'tel:025-12345', '12345', '网上办理、窗口办理', '0 次（不见面办理，零跑动）', '四级：全程网办', 'L3 ', `/cases/apply/${implId}`,
      `/guides/${implId}/qr.svg`, `/guides/${implId}.pdf`, 'media="print"', '<legend>是否首次申请？</legend>', 'type="radio"',
    ]) {
      assert.ok(body.includes(text), `page lacks ${text}`);
    }
    assert.ok(!body.includes('请注意'), 'no review notice for an unrevised item');
    assert.match(body, /未回答时列出全部情形/);
  });

  test('the JSON API returns the same object the page and PDF render', async () => {
    const api = await p.app.inject({ url: `/api/v1/catalog/guides/${implId}` });
    assert.equal(api.statusCode, 200, api.body);
    const guide = api.json();
    // Rebuild the data source the page used, through the route's own code path, and compare
    // field for field (a schema that dropped a field would fail here).
    const { buildGuide } = await import('../src/modules/catalog/guides/guide.ts');
    const found = (await catalog.published(implId))!;
    const regions = new RegionService(getDb().db);
    const org = await regions.organisation(found.entry.org_id!);
    const expected = buildGuide({ entry: found.entry, content: found.content as never, organisation: { id: org.id, name: org.name, creditCode: org.creditCode }, regionPath: await regions.path('320100'), publicUrl: p.config.publicUrl });
    assert.deepEqual(guide, JSON.parse(JSON.stringify(expected)));
    assert.equal(guide.fees.items[0].amountText, '¥12.00');
    assert.equal(guide.materials.length, 5);
    assert.equal(guide.links.mobile, `${p.config.publicUrl.replace(/\/$/, '')}/guides/${implId}`);
    assert.deepEqual(guide.onlineApplication, { offered: true, available: true, message: null });
    const spec = (await p.app.inject('/openapi.json')).json();
    assert.ok(spec.paths['/api/v1/catalog/guides/{id}'], 'the API is documented');
  });

  test('the PDF is A4 with the embedded Chinese font and the QR image', async () => {
    const res = await p.app.inject({ url: `/guides/${implId}.pdf` });
    assert.equal(res.statusCode, 200, res.body.slice(0, 200));
    assert.match(String(res.headers['content-type']), /application\/pdf/);
    const bytes = res.rawPayload;
    assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
    const text = bytes.toString('latin1');
    assert.match(text, /\/FontFile3?/);
    assert.match(text, /NotoSansHans-Regular/);
    assert.match(text, /NotoSansHans-Bold/);
    assert.match(text, /\/ToUnicode/, 'the Chinese text is extractable');
    assert.match(text, /\/Subtype \/Image/);
    assert.match(text, /\/MediaBox \[0 0 595\.28 841\.89\]/);
    assert.ok(bytes.length > 20_000, `PDF is ${bytes.length} bytes`);
  });

  test('the QR code is a valid SVG of the mobile address', async () => {
    const res = await p.app.inject({ url: `/guides/${implId}/qr.svg` });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /image\/svg\+xml/);
    assert.match(res.body, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*viewBox="0 0 \d+ \d+"/);
    assert.match(res.body, /<path[^>]+d="M/);
    assert.match(res.body, /<\/svg>\s*$/);
  });

  test('好办: answers give a shareable personal guide with only the matching items', async () => {
    const renew = await p.app.inject({ url: `/guides/${implId}?first=no`, headers: html });
    assert.equal(renew.statusCode, 200);
    assert.match(renew.body, /这是按您的情形生成的指南/);
    assert.match(renew.body, /原食品经营许可证/);
    assert.match(renew.body, /原许可证在有效期届满前/);
    assert.doesNotMatch(renew.body, /经营场所平面图/);
    assert.match(renew.body, /value="no" checked/);
    assert.match(renew.body, new RegExp(`href="/guides/${implId}\\?first=no"`));
    const fresh = await p.app.inject({ url: `/guides/${implId}?first=yes`, headers: html });
    assert.match(fresh.body, /经营场所平面图/);
    assert.doesNotMatch(fresh.body, /原食品经营许可证|原许可证在有效期届满前/);

    const api = (await p.app.inject({ url: `/api/v1/catalog/guides/${implId}?first=yes` })).json();
    assert.deepEqual(api.materials.map((m: { id: string }) => m.id), ['application', 'licence', 'id_card', 'layout']);
    assert.equal(api.personalisation.personalised, true);
    assert.equal(api.links.shareable, `/guides/${implId}?first=yes`);
    const pdf = await p.app.inject({ url: `/guides/${implId}.pdf?first=yes` });
    assert.equal(pdf.statusCode, 200);
  });

  test('好办: an invalid answer is a 400 with a field error on the form', async () => {
    const page = await p.app.inject({ url: `/guides/${implId}?first=maybe`, headers: html });
    assert.equal(page.statusCode, 400);
    assert.match(page.body, /class="error-summary"/);
    assert.match(page.body, /href="#answer-first"/);
    assert.match(page.body, /id="answer-first"/);
    assert.match(page.body, /aria-invalid="true"/);
    const api = await p.app.inject({ url: `/api/v1/catalog/guides/${implId}?first=maybe` });
    assert.equal(api.statusCode, 400);
    assert.equal(api.json().code, 'VALIDATION_FAILED');
    assert.equal(api.json().errors[0].field, 'first');
  });

  test('unknown, unpublished and basic-item ids are 404: a page for browsers, problem+json for the API', async () => {
    for (const id of ['00000000-0000-0000-0000-000000000000', 'not-a-uuid', draftId, basicId]) {
      const page = await p.app.inject({ url: `/guides/${id}`, headers: html });
      assert.equal(page.statusCode, 404, id);
      assert.match(String(page.headers['content-type']), /text\/html/);
      const api = await p.app.inject({ url: `/api/v1/catalog/guides/${id}` });
      assert.equal(api.statusCode, 404, id);
      assert.match(String(api.headers['content-type']), /application\/problem\+json/);
      assert.equal(api.json().code, 'CATALOG_ENTRY_NOT_FOUND');
      assert.equal((await p.app.inject({ url: `/guides/${id}.pdf` })).statusCode, 404);
      assert.equal((await p.app.inject({ url: `/guides/${id}/qr.svg` })).statusCode, 404);
    }
  });

  test('a revised basic item shows the needs-review notice; a withdrawn guide is gone', async () => {
    const current = await catalog.get(basicId);
    await catalog.update(basicId, { ...basic, keywords: [...basic.keywords, '开小吃店'] }, current.lockVersion, sys);
    await catalog.submit(basicId, sys);
    await catalog.approve(basicId, sys);
    const page = await p.app.inject({ url: `/guides/${implId}`, headers: html });
    assert.match(page.body, /请注意/);
    assert.match(page.body, /正在复核本指南/);
    assert.equal((await p.app.inject({ url: `/api/v1/catalog/guides/${implId}` })).json().needsReview, true);

    await catalog.withdraw(implId, sys, '事项调整');
    assert.equal((await p.app.inject({ url: `/guides/${implId}`, headers: html })).statusCode, 404);
    assert.equal((await p.app.inject({ url: `/api/v1/catalog/guides/${implId}` })).statusCode, 404);
  });
});
