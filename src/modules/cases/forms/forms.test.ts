// The form building block on hand-made schemas: which input each schema shape becomes, type
// coercion of posted strings, Chinese errors under the right input names, pre-fill
// provenance tags, read-only identity fields and escaping.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderForm } from './render.ts';
import { parseForm } from './parse.ts';
import { cachedValidators, validateAnswers, validatorFor } from './validate.ts';
import { controlsOf, submitted, unlabelled } from './test-support.ts';
import type { Schema } from './schema.ts';

const str = (title: string, extra: Schema = {}): Schema => ({ type: 'string', title, ...extra });
const FORM: Schema = {
  type: 'object',
  title: '测试申请表',
  additionalProperties: false,
  properties: {
    note: str('备注', { maxLength: 500, description: '可写明特殊情况' }),
    applicantName: str('申请人姓名', { minLength: 1, maxLength: 30 }),
    idNumber: str('公民身份号码', { pattern: '^\\d{17}[\\dX]$' }),
    birthDate: str('出生日期', { format: 'date' }),
    email: str('电子邮箱', { format: 'email' }),
    kind: { type: 'string', title: '办理类型', enum: ['new', 'renew'], enumNames: ['首次申领', '换领'] },
    level: { type: 'string', title: '等级', enum: ['a', 'b'], 'x-enumNames': ['甲级', '乙级'] },
    city: { type: 'string', title: '城市', oneOf: ['南京', '无锡', '徐州', '常州', '苏州', '南通'].map((c, i) => ({ const: `32${i}`, title: c })) },
    rooms: { type: 'integer', title: '房间数', minimum: 1, maximum: 20 },
    area: { type: 'number', title: '面积（平方米）', minimum: 0 },
    agree: { type: 'boolean', title: '同意承诺' },
    ceremony: { type: 'boolean', title: '是否参加颁证仪式' },
    scope: { type: 'array', title: '经营范围', minItems: 1, uniqueItems: true, items: { type: 'string', enum: ['零售', '批发', '餐饮'] } },
    address: { type: 'object', title: '住所', required: ['city'], properties: { city: str('所在城市', { maxLength: 10 }), street: str('街道门牌') } },
    members: { type: 'array', title: '随迁人员', maxItems: 3, items: { type: 'object', title: '随迁人员', required: ['name'], properties: { name: str('姓名', { maxLength: 5 }), age: { type: 'integer', title: '年龄', minimum: 0, maximum: 150 } } } },
  },
  required: ['applicantName', 'idNumber', 'kind', 'agree', 'scope'],
};

test('field kinds: text, date, email, textarea, radios, select, number, checkbox, yes/no, checkboxes, groups', () => {
  const html = renderForm({ schema: FORM });
  const byId = new Map(controlsOf(html).map((c) => [c.attrs.id, c]));
  assert.equal(byId.get('birthDate')!.attrs.type, 'date');
  assert.equal(byId.get('email')!.attrs.type, 'email');
  assert.equal(byId.get('idNumber')!.attrs.pattern, '^\\d{17}[\\dX]$');
  assert.equal(byId.get('applicantName')!.attrs.maxlength, '30');
  assert.equal(byId.get('note')!.tag, 'textarea');
  assert.match(html, /<p class="hint" id="note-hint">可写明特殊情况<\/p>/);
  assert.match(byId.get('note')!.attrs['aria-describedby']!, /note-hint/);
  assert.equal(byId.get('kind')!.attrs.type, 'radio');
  assert.match(html, /<legend>办理类型（必填）<\/legend>/);
  assert.match(html, /value="renew"[^>]*>换领<\/label>/);
  assert.match(html, /value="b"[^>]*>乙级<\/label>/);
  assert.equal(byId.get('city')!.tag, 'select', 'six options become a select');
  assert.match(html, /<option value="325">南通<\/option>/);
  assert.deepEqual([byId.get('rooms')!.attrs.type, byId.get('rooms')!.attrs.inputmode, byId.get('rooms')!.attrs.min, byId.get('rooms')!.attrs.max], ['number', 'numeric', '1', '20']);
  assert.equal(byId.get('area')!.attrs.step, 'any');
  assert.equal(byId.get('agree')!.attrs.type, 'radio', 'a required boolean asks yes or no');
  assert.match(html, /<legend>同意承诺（必填）<\/legend>/);
  assert.equal(byId.get('ceremony')!.attrs.type, 'checkbox', 'an optional boolean is one checkbox');
  assert.equal(byId.get('scope')!.attrs.type, 'checkbox');
  assert.equal(controlsOf(html).filter((c) => c.attrs.name === 'scope').length, 3);
  assert.match(html, /<legend>住所<\/legend>/);
  assert.equal(byId.get('address.city')!.attrs.name, 'address.city');
  assert.match(html, /<label for="address.city">所在城市（必填）<\/label>/);
  assert.match(html, /<legend>随迁人员（第 1 项）<\/legend>/);
  assert.deepEqual(unlabelled(html), []);
  // Order: required fields first in the required list's order, then the rest.
  const order = controlsOf(html).filter((c) => c.attrs.id && !c.attrs.id.includes('-')).map((c) => c.attrs.id);
  assert.deepEqual(order.slice(0, 5), ['applicantName', 'idNumber', 'kind', 'agree', 'scope']);
  assert.equal(order[5], 'note');
});

test('x-order decides the field order when given', () => {
  const html = renderForm({ schema: { ...FORM, 'x-order': ['email', 'note', 'nonexistent', 'applicantName'] } });
  const ids = controlsOf(html).map((c) => c.attrs.id).filter((id): id is string => !!id && !id.includes('-'));
  assert.deepEqual(ids.slice(0, 4), ['email', 'note', 'applicantName', 'idNumber']);
});

test('parse: urlencoded strings become the schema types; blanks are absent; junk is kept, never thrown', () => {
  const body = {
    applicantName: '  张三 ', idNumber: '３２０１０２１９９００３０７００１Ｘ', kind: 'renew', rooms: '１２', area: '1,234.5', agree: 'false', ceremony: ['false', 'true'],
    scope: ['零售', '餐饮'], 'address.city': '南京', 'address.street': '', 'members.0.name': '李四', 'members.0.age': '30', 'members.1.name': '', 'members.1.age': '',
    'members.2.name': '王五', note: 'a\r\nb', birthDate: '', _csrf: 'token', unknown: 'x',
  };
  assert.deepEqual(parseForm(FORM, body), {
    applicantName: '张三', idNumber: '32010219900307001X', kind: 'renew', agree: false, scope: ['零售', '餐饮'], note: 'a\nb', rooms: 12, area: 1234.5, ceremony: true,
    address: { city: '南京' }, members: [{ name: '李四', age: 30 }, { name: '王五' }],
  });
  assert.deepEqual(parseForm(FORM, { rooms: 'twelve', agree: 'maybe', ceremony: 'false' }), { rooms: 'twelve', agree: 'maybe', ceremony: false });
  for (const junk of [null, undefined, {}, { rooms: [] as string[] }, { __proto__: 'x', 'members.__proto__.name': 'x', 'members.99999999.name': 'x' }, { rooms: 5 as unknown as string, scope: { a: 1 } as unknown as string }]) {
    assert.doesNotThrow(() => parseForm(FORM, junk as never));
  }
  assert.equal(({} as Record<string, unknown>).name, undefined);
});

test('parse: read-only values the server knows replace what the body says', () => {
  const answers = parseForm(FORM, { applicantName: '冒名', idNumber: '000' }, { fixed: { applicantName: '张三', idNumber: '32010219900307001X', 'address.city': '南京' } });
  assert.equal(answers.applicantName, '张三');
  assert.equal(answers.idNumber, '32010219900307001X');
  assert.deepEqual(answers.address, { city: '南京' });
});

test('validate: one Chinese message per field, named as the rendered input, in form order', () => {
  const answers = parseForm(FORM, {
    applicantName: '', idNumber: '123', kind: 'other', rooms: '25', area: 'abc', birthDate: '2025-02-30', email: 'no-at', scope: ['零售', '赌场'], note: 'x'.repeat(501),
    'address.street': '某路1号', 'members.0.age': '200', 'members.1.name': '名字太长了啊啊',
  });
  const errors = validateAnswers(FORM, answers);
  const byField = Object.fromEntries(errors.map((e) => [e.field, e.message]));
  assert.deepEqual(byField, {
    applicantName: '请填写“申请人姓名”（必填）',
    idNumber: '“公民身份号码”格式不正确',
    kind: '“办理类型”请从选项中选择',
    agree: '请选择“同意承诺”（必填）',
    scope: '“经营范围”请从选项中选择',
    note: '“备注”不能超过 500 个字',
    birthDate: '“出生日期”应为有效日期，如 2025-01-31',
    email: '“电子邮箱”应为有效的电子邮箱地址，如 name@example.com',
    rooms: '“房间数”应在 1 到 20 之间',
    area: '“面积（平方米）”应为数字',
    'address.city': '请填写“住所：所在城市”（必填）',
    'members.0.name': '请填写“随迁人员（第 1 项）：姓名”（必填）',
    'members.0.age': '“随迁人员（第 1 项）：年龄”应在 0 到 150 之间',
    'members.1.name': '“随迁人员（第 2 项）：姓名”不能超过 5 个字',
  });
  assert.deepEqual(errors.slice(0, 5).map((e) => e.field), ['applicantName', 'idNumber', 'kind', 'agree', 'scope']);
  assert.deepEqual(validateAnswers(FORM, { ...answers, scope: [] }).find((e) => e.field === 'scope')?.message, '请至少选择或填写一项“经营范围”');
  assert.deepEqual(validateAnswers(FORM, { stray: 1 }).find((e) => e.field === 'stray')?.message, '申请表中没有“stray”这一项');
});

test('errors render beside their field with aria-invalid and aria-describedby, keeping what was typed', () => {
  const body = { applicantName: '张三', rooms: '25', kind: 'other', 'members.0.age': '200' };
  const values = parseForm(FORM, body);
  const errors = validateAnswers(FORM, values);
  const html = renderForm({ schema: FORM, values, errors });
  const byId = new Map(controlsOf(html).map((c) => [c.attrs.id, c]));
  for (const id of ['rooms', 'members.0.age']) {
    assert.equal(byId.get(id)!.attrs['aria-invalid'], 'true', id);
    assert.match(byId.get(id)!.attrs['aria-describedby']!, new RegExp(`${id.replace('.', '\\.')}-error`));
    assert.match(html, new RegExp(`id="${id.replace('.', '\\.')}-error"><span class="visually-hidden">错误：</span>`));
  }
  assert.equal(byId.get('rooms')!.value, '25');
  assert.equal(byId.get('members.0.age')!.value, '200');
  assert.match(html, /<fieldset class="guide-radios field--error" aria-describedby="kind-error">/);
  // Every error names an element of the page, so the error summary's links land on it.
  for (const e of errors) assert.ok(byId.has(e.field), e.field);
});

test('pre-filled values carry their provenance tag; empty ones do not', () => {
  const html = renderForm({
    schema: FORM,
    values: { applicantName: '张三', idNumber: '32010219900307001X', email: 'a@b.cn', rooms: 3, 'address': { city: '南京' } },
    provenance: { applicantName: { source: 'identity' }, email: { source: 'profile' }, rooms: { source: 'previous' }, 'address.city': { source: 'licence', label: '来自电子证照《营业执照》' }, note: { source: 'previous' } },
  });
  assert.match(html, /id="applicantName-source"><strong class="tag tag--grey">来自实名信息<\/strong>/);
  assert.match(html, /id="email-source"><strong class="tag tag--grey">来自个人资料<\/strong>/);
  assert.match(html, /id="rooms-source"><strong class="tag tag--grey">来自上次申请<\/strong>/);
  assert.match(html, /id="address.city-source"><strong class="tag tag--grey">来自电子证照《营业执照》<\/strong>/);
  assert.doesNotMatch(html, /note-source/);
  const byId = new Map(controlsOf(html).map((c) => [c.attrs.id, c]));
  assert.equal(byId.get('rooms')!.attrs['aria-describedby'], 'rooms-source');
  assert.equal(byId.get('rooms')!.value, '3');
});

test('read-only identity fields: shown, not editable, with the reason; the value still posts', () => {
  const values = { applicantName: '张三', idNumber: '32010219900307001X', kind: 'renew' };
  const html = renderForm({ schema: FORM, values, provenance: { applicantName: { source: 'identity' }, idNumber: { source: 'identity' } }, readOnly: ['applicantName', 'idNumber', 'kind'], readOnlyReasons: { kind: '按上次申请办理' } });
  const controls = controlsOf(html);
  const visible = controls.find((c) => c.attrs.id === 'idNumber')!;
  assert.ok('readonly' in visible.attrs);
  assert.equal(visible.attrs.name, undefined, 'the display is not what is posted');
  assert.equal(visible.value, '32010219900307001X');
  assert.match(visible.attrs['aria-describedby']!, /idNumber-source idNumber-readonly/);
  assert.match(html, /id="idNumber-readonly">已按实名认证信息填写，不能修改/);
  assert.equal(controls.find((c) => c.attrs.id === 'kind')!.value, '换领', 'a fixed choice shows its label');
  assert.match(html, /id="kind-readonly">按上次申请办理/);
  assert.equal(controls.filter((c) => c.attrs.name === 'kind' && c.attrs.type === 'radio').length, 0);
  assert.deepEqual(unlabelled(html), []);
  const posted = parseForm(FORM, submitted(html));
  assert.deepEqual({ applicantName: posted.applicantName, idNumber: posted.idNumber, kind: posted.kind }, values);
  // Without a value there is nothing to fix: the field stays editable.
  assert.equal(controlsOf(renderForm({ schema: FORM, readOnly: ['applicantName'] })).find((c) => c.attrs.id === 'applicantName')!.attrs.name, 'applicantName');
});

test('everything is escaped: titles, descriptions, options, values, errors, provenance labels', () => {
  const evil = '"><script>alert(1)</script>';
  const schema: Schema = {
    type: 'object',
    properties: {
      [`x${evil}`]: str(`标题${evil}`, { description: evil }),
      pick: { type: 'string', title: evil, enum: [evil, 'b'] },
      many: { type: 'string', title: evil, enum: [evil, '2', '3', '4', '5', '6'] },
    },
    required: [],
  };
  const html = renderForm({ schema, values: { [`x${evil}`]: evil, pick: evil, many: evil }, errors: [{ field: 'pick', message: evil }], provenance: { pick: { source: 'previous', label: evil } } });
  assert.doesNotMatch(html, /<script/i);
  assert.match(html, /&lt;script&gt;/);
  assert.deepEqual(unlabelled(html), []);
  assert.equal(parseForm(schema, submitted(html)).pick, evil, 'the escaped value posts back unchanged');
});

test('validators are compiled once per schema content, whatever the key order', () => {
  const a = validatorFor({ type: 'object', properties: { x: { type: 'string' }, y: { type: 'integer' } } });
  const before = cachedValidators();
  const b = validatorFor({ properties: { y: { type: 'integer' }, x: { type: 'string' } }, type: 'object' });
  assert.equal(a, b);
  assert.equal(cachedValidators(), before);
  assert.doesNotThrow(() => validatorFor({ $id: 'https://example.com/f', type: 'object', properties: { z: { type: 'string' } } }));
  assert.doesNotThrow(() => validatorFor({ $id: 'https://example.com/f', type: 'object', properties: { w: { type: 'string' } } }));
});

test('a 一件事 merged form (prefixed variant names, ISO date-time) round-trips', () => {
  const merged: Schema = {
    type: 'object', additionalProperties: false, required: ['applicantName', '11-0301-000:kind'],
    properties: {
      applicantName: str('申请人姓名', { maxLength: 30 }),
      '11-0301-000:kind': { type: 'string', title: '办理类型（出生医学证明）', enum: ['首次签发', '补发'] },
      '07-0104-000:kind': { type: 'string', title: '登记类型（出生登记）', enum: ['随父', '随母'] },
      accidentTime: str('事故发生时间', { format: 'date-time' }),
    },
  };
  const answers = { applicantName: '张三', '11-0301-000:kind': '补发', '07-0104-000:kind': '随母', accidentTime: '2025-06-30T09:30:00+08:00' };
  const html = renderForm({ schema: merged, values: answers });
  const time = controlsOf(html).find((c) => c.attrs.id === 'accidentTime')!;
  assert.deepEqual([time.attrs.type, time.value], ['text', '2025-06-30 09:30']);
  assert.match(html, /id="accidentTime-hint">例如 2025-06-30 09:30</);
  assert.equal(parseForm(merged, { accidentTime: '２０２５-０６-３０ ０９:３０' }).accidentTime, '2025-06-30T09:30:00+08:00');
  assert.equal(parseForm(merged, { accidentTime: '2025-06-30T09:30:15' }).accidentTime, '2025-06-30T09:30:15+08:00');
  const parsed = parseForm(merged, submitted(html));
  assert.deepEqual(parsed, answers);
  assert.deepEqual(validateAnswers(merged, parsed), []);
  assert.deepEqual(validateAnswers(merged, { applicantName: '张三' }).map((e) => e.field), ['11-0301-000:kind']);
});

test('a free list of strings is a textarea, one item per line; item errors land on the textarea', () => {
  const schema: Schema = { type: 'object', properties: { plates: { type: 'array', title: '车牌', maxItems: 2, items: { type: 'string', maxLength: 3 } } }, required: ['plates'] };
  const html = renderForm({ schema, values: { plates: ['苏A1', '苏B2'] } });
  const area = controlsOf(html).find((c) => c.attrs.id === 'plates')!;
  assert.deepEqual([area.tag, area.value], ['textarea', '苏A1\n苏B2']);
  assert.match(html, /id="plates-hint">每行填写一项/);
  assert.deepEqual(parseForm(schema, submitted(html)), { plates: ['苏A1', '苏B2'] });
  const answers = parseForm(schema, { plates: '苏A1\r\n\r\n苏B22222\n苏C3' });
  assert.deepEqual(answers, { plates: ['苏A1', '苏B22222', '苏C3'] });
  assert.deepEqual(validateAnswers(schema, answers), [{ field: 'plates', message: '“车牌”最多 2 项' }]);
  assert.deepEqual(validateAnswers(schema, { plates: ['苏B22222'] }).map((e) => e.field), ['plates']);
  assert.deepEqual(validateAnswers(schema, {}), [{ field: 'plates', message: '请填写“车牌”（必填）' }]);
});
