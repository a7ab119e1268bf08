// Shared builders for the demo catalogue: regions and their halls, legal-basis shorthands,
// the standard process steps, common materials and questions, application-form schemas, and
// impl(), which fills in each region's place and phones.
import type { BasicItemContent, Condition, DemoImplementationSpec, ImplementationDetails, LegalBasis, Material, ProcessStep, Question } from './types.ts';

// ── Regions ────────────────────────────────────────────────────────────────────────────────
export const PROVINCE = '320000';
export const NANJING = '320100';
export const WUXI = '320200';
export const XUZHOU = '320300';
export const CHANGZHOU = '320400';
export const SUZHOU = '320500';
export const NANTONG = '320600';
export const LIANYUNGANG = '320700';
export const HUAIAN = '320800';
export const YANCHENG = '320900';
export const YANGZHOU = '321000';
export const ZHENJIANG = '321100';
export const TAIZHOU = '321200';
export const SUQIAN = '321300';
export const XUANWU = '320102';
export const JIANGNING = '320115';
export const WUZHONG = '320506';
export const KUNSHAN = '320583';
export const PIZHOU = '320382';
export const SHUYANG = '321322';

export const ALL_CITIES = [NANJING, WUXI, XUZHOU, CHANGZHOU, SUZHOU, NANTONG, LIANYUNGANG, HUAIAN, YANCHENG, YANGZHOU, ZHENJIANG, TAIZHOU, SUQIAN];
/** The four cities the demo shows first. */
export const FLAGSHIP = [NANJING, SUZHOU, WUXI, XUZHOU];
/** A wider spread of cities, north to south. */
export const SIX_CITIES = [...FLAGSHIP, CHANGZHOU, SUQIAN];
export const COUNTIES = [XUANWU, JIANGNING, WUZHONG, KUNSHAN, PIZHOU, SHUYANG];

const NAMES: Record<string, string> = {
  [PROVINCE]: '江苏省',
  [NANJING]: '南京市', [WUXI]: '无锡市', [XUZHOU]: '徐州市', [CHANGZHOU]: '常州市', [SUZHOU]: '苏州市', [NANTONG]: '南通市', [LIANYUNGANG]: '连云港市',
  [HUAIAN]: '淮安市', [YANCHENG]: '盐城市', [YANGZHOU]: '扬州市', [ZHENJIANG]: '镇江市', [TAIZHOU]: '泰州市', [SUQIAN]: '宿迁市',
  [XUANWU]: '玄武区', [JIANGNING]: '江宁区', [WUZHONG]: '吴中区', [KUNSHAN]: '昆山市', [PIZHOU]: '邳州市', [SHUYANG]: '沭阳县',
};

/** Telephone area codes of the 13 cities (a county shares its city's). */
const AREA_CODES: Record<string, string> = {
  '3201': '025', '3202': '0510', '3203': '0516', '3204': '0519', '3205': '0512', '3206': '0513', '3207': '0518',
  '3208': '0517', '3209': '0515', '3210': '0514', '3211': '0511', '3212': '0523', '3213': '0527',
};

function cityCodeOf(code: string): string {
  return code.slice(0, 4) + '00';
}

/** Full name for addresses: 江苏省, 南京市, 南京市玄武区 (a county-level city keeps its own name: 昆山市). */
export function regionFullName(code: string): string {
  const name = NAMES[code];
  if (!name) throw new Error(`demo catalogue: unknown region ${code}`);
  if (code.endsWith('00')) return name;
  return name.endsWith('区') ? `${NAMES[cityCodeOf(code)]}${name}` : name;
}

const DEFAULT_HOURS = '周一至周五 上午9:00-12:00，下午13:30-17:00（法定节假日除外）';
const HOURS: Record<string, string> = {
  [NANJING]: '周一至周五 9:00-17:00（中午不间断服务，法定节假日除外）',
  [SUZHOU]: '周一至周五 上午9:00-12:00，下午13:00-17:00；周六上午提供部分事项延时服务',
  [KUNSHAN]: '周一至周五 上午9:00-12:00，下午13:00-17:00；周六上午“不打烊”窗口',
};

/** The government service centre of a region. Only Nanjing's address is given; others use the neutral form. */
export function hallAddress(code: string): string {
  if (code === NANJING) return '南京市建邺区江东中路265号 南京市政务服务中心';
  return `${regionFullName(code)}政务服务中心（地址以现场公告为准）`;
}

/**
 * Where an item is handled: a counter in the region's government service centre, a separate
 * office named after the region (婚姻登记处, 车辆管理所 …), or an office with its own name.
 */
export type Where = { counter: string } | { office: string; hours?: string } | { named: string; hours?: string };

export function placeFor(code: string, where?: Where): ImplementationDetails['place'] {
  if (where && 'office' in where) {
    return { address: `${regionFullName(code)}${where.office}（地址以现场公告为准）`, hours: where.hours ?? DEFAULT_HOURS };
  }
  if (where && 'named' in where) return { address: `${where.named}（地址以现场公告为准）`, hours: where.hours ?? DEFAULT_HOURS };
  const address = where ? `${hallAddress(code)} ${where.counter}` : hallAddress(code);
  return { address, hours: HOURS[code] ?? DEFAULT_HOURS };
}

export function phonesFor(code: string): ImplementationDetails['phones'] {
  const area = AREA_CODES[code.slice(0, 4)];
  return { consult: area ? `${area}-12345` : '12345', complaint: '12345' };
}

// ── Legal bases ────────────────────────────────────────────────────────────────────────────
export const law = (title: string, article: string): LegalBasis => ({ kind: 'law', title, article });
export const regulation = (title: string, article: string): LegalBasis => ({ kind: 'regulation', title, article });
export const rule = (title: string, article: string): LegalBasis => ({ kind: 'rule', title, article });
export const normative = (title: string, article: string): LegalBasis => ({ kind: 'normative', title, article });

/** 《行政许可法》第四十二条: the general 20-working-day limit for licences (第八十二条: 期限以工作日计算). */
export const LICENSING_ACT_42 = law(
  '《中华人民共和国行政许可法》',
  '第四十二条：除可以当场作出行政许可决定的外，行政机关应当自受理行政许可申请之日起二十日内作出行政许可决定；二十日内不能作出决定的，经本行政机关负责人批准，可以延长十日。',
);
/** 《市场主体登记管理条例》第十九条: registration on the spot, else within 3 working days. */
export const MARKET_REGISTRATION_19 = regulation(
  '《中华人民共和国市场主体登记管理条例》',
  '第十九条：登记机关应当对申请材料进行形式审查。对申请材料齐全、符合法定形式的予以确认并当场登记；不能当场登记的，应当在3个工作日内予以登记；情形复杂的，经登记机关负责人批准，可以再延长3个工作日。',
);
export const SOCIAL_INSURANCE_ACT = '《中华人民共和国社会保险法》';

/**
 * A statute outside the Licensing Act that counts 日 as calendar days, as working days for
 * legalLimitDays: rounded down, so the platform never promises more than the law allows.
 */
export function calendarDays(days: number): number {
  return Math.floor((days * 5) / 7);
}

// ── Basic items ────────────────────────────────────────────────────────────────────────────
/** A basic item; only the fields every item has, in a fixed order. */
export function item(
  code: string,
  name: string,
  itemType: BasicItemContent['itemType'],
  departmentType: BasicItemContent['departmentType'],
  exercisingLevels: BasicItemContent['exercisingLevels'],
  audience: BasicItemContent['audience'],
  themes: string[],
  keywords: string[],
  legalBasis: LegalBasis[],
): BasicItemContent {
  return { name, code, itemType, legalBasis, exercisingLevels, departmentType, audience, themes, keywords };
}

// ── Process steps ──────────────────────────────────────────────────────────────────────────
export interface StepOptions {
  /** What the review looks at (书面审查 by default). */
  review?: string;
  /** An on-site inspection step between review and decision. */
  inspection?: string;
  /** What the decision produces, e.g. 核发《食品经营许可证》. */
  decision?: string;
  /** How the result reaches the applicant. */
  delivery?: string;
}

/** 申请 → 受理 → 审查 → (现场核查) → 决定 → 送达. */
export function licenceSteps(o: StepOptions = {}): ProcessStep[] {
  const steps: ProcessStep[] = [
    { name: '申请', description: '申请人通过江苏政务服务网、“苏服办”App 或政务服务中心窗口提交申请及材料。' },
    { name: '受理', description: '材料齐全、符合法定形式的当场受理并出具受理通知书；材料不全的一次性告知需补正的全部内容；不属于本机关职权的作出不予受理决定并说明理由。' },
    { name: '审查', description: o.review ?? '对申请材料的完整性、真实性及是否符合法定条件进行审查。' },
  ];
  if (o.inspection) steps.push({ name: '现场核查', description: o.inspection });
  steps.push(
    { name: '决定', description: o.decision ?? '符合条件的作出准予决定；不符合条件的作出不予许可（不予办理）决定，书面说明理由并告知申请行政复议或者提起行政诉讼的权利。' },
    { name: '送达', description: o.delivery ?? '结果同步生成电子证照，纸质结果可选择窗口领取或免费邮寄送达。' },
  );
  return steps;
}

/** 即办件: 申请 → 受理 → 审核 → 办结, all at one visit or online. */
export function instantSteps(result: string): ProcessStep[] {
  return [
    { name: '申请', description: '申请人通过江苏政务服务网、“苏服办”App 或窗口提出申请。' },
    { name: '受理', description: '材料齐全、符合法定形式的当场受理。' },
    { name: '审核', description: '经办人员核对身份和材料，通过数据共享核验相关信息。' },
    { name: '办结', description: result },
  ];
}

// ── Materials ──────────────────────────────────────────────────────────────────────────────
type MaterialExtras = Partial<Pick<Material, 'name' | 'form' | 'count' | 'required' | 'note' | 'when' | 'licenceType' | 'dataResource' | 'blankFormUrl' | 'sampleUrl'>>;

/** A material the applicant uploads or brings. */
export function upload(id: string, name: string, form: Material['form'] = 'electronic', extras: MaterialExtras = {}): Material {
  return { id, name, form, count: 1, required: true, source: 'upload', ...extras };
}

/** A material reused from the applicant's electronic licences (免提交). */
export function licence(id: string, name: string, licenceType: string, extras: MaterialExtras = {}): Material {
  return { id, name, form: 'electronic', count: 1, required: true, source: 'licence', licenceType, ...extras };
}

/** A material the department obtains by data sharing (免提交). */
export function shared(id: string, name: string, dataResource: string, extras: MaterialExtras = {}): Material {
  return { id, name, form: 'electronic', count: 1, required: true, source: 'data', dataResource, ...extras };
}

export const idCard = (extras: MaterialExtras = {}): Material => licence('id_card', '申请人居民身份证', 'id_card', extras);
export const hukou = (extras: MaterialExtras = {}): Material => licence('hukou', '居民户口簿', 'hukou', extras);
export const businessLicence = (extras: MaterialExtras = {}): Material => licence('business_licence', '营业执照', 'business_licence', extras);
export const applicationForm = (name: string, extras: MaterialExtras = {}): Material => upload('application_form', name, 'electronic', { note: '网上申请时在线填写，窗口申请时现场填写并签字', ...extras });
export const legalRepId = (): Material => licence('legal_rep_id', '法定代表人（负责人）居民身份证', 'id_card');

/** 是否委托他人代办？ and the materials that answer brings. */
export const AGENT_QUESTION: Question = { id: 'agent', text: '是否委托他人代办？', options: [{ value: 'no', label: '本人（本单位）办理' }, { value: 'yes', label: '委托他人代办' }] };
export function agentMaterials(): Material[] {
  return [
    upload('power_of_attorney', '授权委托书', 'original', { when: { agent: 'yes' }, note: '载明委托事项、权限和期限，委托人签字（单位加盖公章）' }),
    licence('agent_id_card', '受托人居民身份证', 'id_card', { when: { agent: 'yes' } }),
  ];
}

/** Acceptance conditions, optionally tied to answers. */
export const cond = (text: string, when?: Record<string, string>): Condition => (when ? { text, when } : { text });

// ── Application forms (JSON Schema) ────────────────────────────────────────────────────────
type Schema = Record<string, unknown>;
export const str = (title: string, maxLength = 100, extra: Schema = {}): Schema => ({ type: 'string', title, minLength: 1, maxLength, ...extra });
export const pick = (title: string, values: string[]): Schema => ({ type: 'string', title, enum: values });
export const int = (title: string, minimum: number, maximum: number): Schema => ({ type: 'integer', title, minimum, maximum });
export const num = (title: string, minimum: number, maximum: number): Schema => ({ type: 'number', title, minimum, maximum });
export const date = (title: string): Schema => ({ type: 'string', title, format: 'date' });
export const bool = (title: string): Schema => ({ type: 'boolean', title });

export const F = {
  name: str('申请人姓名', 30),
  idNumber: str('公民身份号码', 18, { pattern: '^\\d{17}[\\dX]$' }),
  phone: str('手机号码', 11, { pattern: '^1\\d{10}$' }),
  email: str('电子邮箱', 100, { format: 'email' }),
  address: str('联系地址', 200),
  companyName: str('单位名称', 100),
  creditCode: str('统一社会信用代码', 18, { pattern: '^[0-9A-HJ-NPQRTUWXY]{2}\\d{6}[0-9A-HJ-NPQRTUWXY]{10}$' }),
  legalRep: str('法定代表人（负责人）', 30),
  contact: str('联系人', 30),
  postcode: str('邮政编码', 6, { pattern: '^\\d{6}$' }),
  plate: str('号牌号码', 8, { pattern: '^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Z][A-Z0-9]{5,6}$' }),
  bankAccount: str('银行卡号', 19, { pattern: '^\\d{16,19}$' }),
};

export function form(title: string, properties: Record<string, Schema>, required: string[]): Schema {
  return { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', title, properties, required, additionalProperties: false };
}
/** A personal application: name, ID number and phone, plus the item's own fields. */
export function personForm(title: string, properties: Record<string, Schema>, required: string[]): Schema {
  return form(title, { applicantName: F.name, idNumber: F.idNumber, phone: F.phone, ...properties }, ['applicantName', 'idNumber', 'phone', ...required]);
}
/** A company application: name, credit code, representative, contact, plus the item's own fields. */
export function companyForm(title: string, properties: Record<string, Schema>, required: string[]): Schema {
  return form(
    title,
    { companyName: F.companyName, creditCode: F.creditCode, legalRepresentative: F.legalRep, contactName: F.contact, phone: F.phone, ...properties },
    ['companyName', 'creditCode', 'legalRepresentative', 'contactName', 'phone', ...required],
  );
}

// ── Implementations ────────────────────────────────────────────────────────────────────────
/** The details an item states; the arrays most items leave empty are optional here. */
export type DetailsInput = Omit<ImplementationDetails, 'place' | 'phones' | 'subItems' | 'intermediaryServices' | 'fees' | 'questions' | 'acceptanceConditions'> &
  Partial<Pick<ImplementationDetails, 'subItems' | 'intermediaryServices' | 'fees' | 'questions' | 'acceptanceConditions'>>;

/**
 * An implementation spec: the details shared by every region, and per region its place and
 * phones (plus any explicit overrides, e.g. a county promising fewer days).
 */
export function impl(
  basicCode: string,
  regions: string[],
  details: DetailsInput,
  options: { where?: Where | ((region: string) => Where); overrides?: Record<string, Partial<ImplementationDetails>> } = {},
): DemoImplementationSpec {
  const whereFor = (r: string) => (typeof options.where === 'function' ? options.where(r) : options.where);
  const first = regions[0];
  if (!first) throw new Error(`demo catalogue: ${basicCode} has no regions`);
  const overrides: Record<string, Partial<ImplementationDetails>> = {};
  for (const r of regions) overrides[r] = { place: placeFor(r, whereFor(r)), phones: phonesFor(r), ...options.overrides?.[r] };
  return {
    basicCode,
    regions,
    details: {
      subItems: [],
      acceptanceConditions: [],
      intermediaryServices: [],
      fees: [],
      questions: [],
      ...details,
      place: placeFor(first, whereFor(first)),
      phones: phonesFor(first),
    },
    overrides,
  };
}

/** Channels for the usual online-plus-window item. */
export const ALL_CHANNELS: ImplementationDetails['channels'] = ['online', 'mobile', 'window'];
