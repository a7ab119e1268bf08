// The catalogue's content model: what a basic item (基本目录) and an implementation (实施清单)
// contain. One TypeBox schema per shape validates API input, documents the OpenAPI, and
// types the code; versions store exactly these objects as JSON.
import { Type, type Static } from '@fastify/type-provider-typebox';

/** One of a list of codes, typed as their union (a string enum in the JSON Schema). */
function oneOf<T extends string>(values: readonly T[], options: { description?: string } = {}) {
  return Type.Unsafe<T>({ type: 'string', enum: [...values], ...options });
}

/** National item types (standards.md). 公共服务 is 11 here; other platforms use 20. */
export const ITEM_TYPES = {
  '01': '行政许可',
  '02': '行政处罚',
  '03': '行政强制',
  '04': '行政征收',
  '05': '行政给付',
  '06': '行政检查',
  '07': '行政确认',
  '08': '行政奖励',
  '09': '行政裁决',
  '10': '其他行政权力',
  '11': '公共服务',
} as const;
export type ItemType = keyof typeof ITEM_TYPES;
/** The 依申请 types citizens and companies apply for (plus public services). */
export const ON_APPLICATION_TYPES: readonly ItemType[] = ['01', '05', '07', '08', '09', '10', '11'];

/** Responsible department types: a basic item names one, an organisation belongs to one. */
export const DEPARTMENT_TYPES = {
  public_security: '公安',
  market_regulation: '市场监管',
  health: '卫生健康',
  human_resources: '人力资源社会保障',
  civil_affairs: '民政',
  housing: '住房城乡建设',
  natural_resources: '自然资源',
  transport: '交通运输',
  education: '教育',
  taxation: '税务',
  medical_insurance: '医疗保障',
  housing_fund: '住房公积金',
  ecology: '生态环境',
  culture_tourism: '文化和旅游',
  agriculture: '农业农村',
  government_services: '政务服务管理',
} as const;
export type DepartmentType = keyof typeof DEPARTMENT_TYPES;

const Code = (pattern: string, description: string) => Type.String({ pattern, description });

export const LegalBasis = Type.Object(
  {
    kind: Type.Union([Type.Literal('law'), Type.Literal('regulation'), Type.Literal('rule'), Type.Literal('normative')], { description: '法律 / 法规 / 规章 / 规范性文件' }),
    title: Type.String({ minLength: 2, maxLength: 200, description: '名称，如《中华人民共和国食品安全法》' }),
    article: Type.String({ minLength: 1, maxLength: 2000, description: '条款，如“第三十五条第一款”及其内容' }),
  },
  { additionalProperties: false },
);

export const BasicItemContent = Type.Object(
  {
    name: Type.String({ minLength: 2, maxLength: 100 }),
    code: Code('^\\d{2}-\\d{4}-\\d{3}$', '基本编码：事项类型-主项序号-子项序号（平台约定）'),
    nationalCode: Type.Optional(Type.String({ maxLength: 40, description: '国家统一赋码（如有）' })),
    itemType: oneOf(Object.keys(ITEM_TYPES) as ItemType[], { description: '事项类型代码' }),
    legalBasis: Type.Array(LegalBasis, { minItems: 1, maxItems: 30 }),
    exercisingLevels: Type.Array(Type.Union([Type.Literal('province'), Type.Literal('city'), Type.Literal('county'), Type.Literal('town'), Type.Literal('village')]), { minItems: 1, uniqueItems: true, description: '行使层级' }),
    departmentType: oneOf(Object.keys(DEPARTMENT_TYPES) as DepartmentType[], { description: '实施主体部门类型' }),
    audience: Type.Array(Type.Union([Type.Literal('person'), Type.Literal('company')]), { minItems: 1, uniqueItems: true, description: '服务对象：个人 / 法人' }),
    themes: Type.Array(Type.String({ pattern: '^[a-z][a-z0-9_]*$' }), { uniqueItems: true, description: '主题代码' }),
    keywords: Type.Array(Type.String({ minLength: 1, maxLength: 20 }), { maxItems: 30, description: '群众常用说法，参与搜索' }),
  },
  { additionalProperties: false },
);
export type BasicItemContent = Static<typeof BasicItemContent>;

export const Material = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9_]{1,40}$', description: '材料在本实施清单内的标识' }),
    name: Type.String({ minLength: 2, maxLength: 100 }),
    form: Type.Union([Type.Literal('original'), Type.Literal('copy'), Type.Literal('electronic')], { description: '原件 / 复印件 / 电子件' }),
    count: Type.Integer({ minimum: 1, maximum: 99 }),
    required: Type.Boolean(),
    source: Type.Union([Type.Literal('upload'), Type.Literal('licence'), Type.Literal('data')], { description: '申请人提交 / 电子证照复用 / 数据共享' }),
    licenceType: Type.Optional(Type.String({ maxLength: 40, description: '可复用的电子证照类型代码' })),
    dataResource: Type.Optional(Type.String({ maxLength: 80, description: '数据共享资源名称' })),
    blankFormUrl: Type.Optional(Type.String({ maxLength: 500 })),
    sampleUrl: Type.Optional(Type.String({ maxLength: 500 })),
    note: Type.Optional(Type.String({ maxLength: 500 })),
    /** Guided guide: the material applies only when every answer matches. */
    when: Type.Optional(Type.Record(Type.String(), Type.String())),
  },
  { additionalProperties: false },
);
export type Material = Static<typeof Material>;

export const Question = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9_]{1,40}$' }),
    text: Type.String({ minLength: 2, maxLength: 200, description: '如：是否首次申请？' }),
    options: Type.Array(Type.Object({ value: Type.String({ maxLength: 40 }), label: Type.String({ maxLength: 100 }) }, { additionalProperties: false }), { minItems: 2, maxItems: 10 }),
  },
  { additionalProperties: false },
);

const Condition = Type.Object({ text: Type.String({ minLength: 2, maxLength: 1000 }), when: Type.Optional(Type.Record(Type.String(), Type.String())) }, { additionalProperties: false });

export const ImplementationContent = Type.Object(
  {
    basicItemId: Type.String({ format: 'uuid' }),
    // 三级四同: these four must equal the basic item's.
    name: Type.String({ minLength: 2, maxLength: 100 }),
    basicCode: Code('^\\d{2}-\\d{4}-\\d{3}$', '基本编码'),
    itemType: oneOf(Object.keys(ITEM_TYPES) as ItemType[]),
    legalBasis: Type.Array(LegalBasis, { minItems: 1, maxItems: 30 }),
    regionCode: Code('^\\d{6}(\\d{3}){0,2}$', '实施区划代码'),
    orgId: Type.String({ format: 'uuid', description: '实施机构' }),
    sequence: Type.Integer({ minimum: 1, maximum: 999, description: '实施编码中的 3 位序号' }),
    subItems: Type.Array(Type.Object({ code: Code('^\\d{2}$', '业务办理项序号'), name: Type.String({ minLength: 2, maxLength: 100 }) }, { additionalProperties: false }), { maxItems: 50 }),
    acceptanceConditions: Type.Array(Condition, { maxItems: 50 }),
    processSteps: Type.Array(Type.Object({ name: Type.String({ minLength: 1, maxLength: 40 }), description: Type.String({ maxLength: 500 }) }, { additionalProperties: false }), { minItems: 1, maxItems: 20 }),
    legalLimitDays: Type.Integer({ minimum: 0, maximum: 3650, description: '法定办结时限（工作日）' }),
    promisedLimitDays: Type.Integer({ minimum: 0, maximum: 3650, description: '承诺办结时限（工作日）' }),
    materials: Type.Array(Material, { maxItems: 100 }),
    intermediaryServices: Type.Array(Type.Object({ name: Type.String({ maxLength: 100 }), basis: Type.String({ maxLength: 500 }) }, { additionalProperties: false }), { maxItems: 20 }),
    fees: Type.Array(Type.Object({ name: Type.String({ maxLength: 100 }), amountFen: Type.Integer({ minimum: 0 }), basis: Type.String({ maxLength: 500 }) }, { additionalProperties: false }), { maxItems: 20, description: '收费（分）；空表示不收费' }),
    place: Type.Object({ address: Type.String({ maxLength: 200 }), hours: Type.String({ maxLength: 200 }) }, { additionalProperties: false }),
    phones: Type.Object({ consult: Type.String({ maxLength: 40 }), complaint: Type.String({ maxLength: 40 }) }, { additionalProperties: false }),
    channels: Type.Array(Type.Union([Type.Literal('online'), Type.Literal('window'), Type.Literal('mobile')]), { minItems: 1, uniqueItems: true }),
    visits: Type.Integer({ minimum: 0, maximum: 9, description: '到现场次数（0 = 不见面）' }),
    onlineDepth: Type.Integer({ minimum: 1, maximum: 4, description: '网上办理深度：1 信息发布 2 表格下载 3 在线预审 4 全程网办' }),
    minRealNameLevel: Type.Integer({ minimum: 1, maximum: 5, description: '网上申请所需最低实名等级' }),
    formSchema: Type.Record(Type.String(), Type.Unknown(), { description: '申请表（JSON Schema）' }),
    questions: Type.Array(Question, { maxItems: 10, description: '好办：情形问题' }),
    commitmentApproval: Type.Optional(
      Type.Object(
        {
          allowed: Type.Boolean(),
          verifyWithinDays: Type.Integer({ minimum: 1, maximum: 365, description: '准予后多少个工作日内核查承诺' }),
          text: Type.String({ minLength: 2, maxLength: 2000, description: '告知承诺书内容' }),
        },
        { additionalProperties: false, description: '告知承诺制：申请人书面承诺符合条件的，当场准予，事后核查' },
      ),
    ),
  },
  { additionalProperties: false },
);
export type ImplementationContent = Static<typeof ImplementationContent>;

export const THEMES = {
  person: { birth: '生育', school: '入学', employment: '就业', marriage: '婚姻', housing: '住房', retirement: '退休', elderly: '养老', health: '医疗', travel: '出行', death: '身后事' },
  company: { company_start: '开办企业', construction: '工程建设', company_change: '变更', company_close: '注销', operations: '经营许可', tax: '纳税' },
} as const;
