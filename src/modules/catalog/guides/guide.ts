// The guide (办事指南) view model: one object built from a published implementation that the
// web page, the PDF and the JSON API all render (数据同源), so the channels cannot disagree.
// Everything a person reads is worded here, once; the renderers only lay it out.
import { ITEM_TYPES, type ImplementationContent } from '../schemas.ts';
import { answersQuery, personalise, type Answers } from './personalise.ts';

const LEGAL_KINDS = { law: '法律', regulation: '行政法规/地方性法规', rule: '规章', normative: '规范性文件' } as const;
const FORMS = { original: '原件', copy: '复印件', electronic: '电子件' } as const;
const CHANNELS = { online: '网上办理', window: '窗口办理', mobile: '掌上办理' } as const;
const ONLINE_DEPTH = { 1: '一级：信息发布', 2: '二级：表格下载', 3: '三级：在线预审', 4: '四级：全程网办' } as const;
const REAL_NAME = {
  1: 'L1 手机号注册',
  2: 'L2 姓名与身份证号核验',
  3: 'L3 运营商三要素或银行卡四要素核验',
  4: 'L4 人脸识别核验',
  5: 'L5 窗口现场核验或网络身份认证（CTID）',
} as const;

/** Integer fen as yuan with two decimals: 1200 → "¥12.00"; 0 → "不收费". */
export function formatFen(amountFen: number): string {
  if (amountFen === 0) return '不收费';
  const yuan = Math.trunc(amountFen / 100);
  const fen = String(amountFen % 100).padStart(2, '0');
  return `¥${yuan.toLocaleString('en-US')}.${fen}`;
}

type MaterialItem = ImplementationContent['materials'][number];

/** Where a material comes from, as the applicant must read it. */
export function materialSourceText(m: Pick<MaterialItem, 'source' | 'licenceType' | 'dataResource'>): string {
  if (m.source === 'licence') return m.licenceType ? `电子证照免提交（${m.licenceType}）` : '电子证照免提交';
  if (m.source === 'data') return m.dataResource ? `数据共享免提交（${m.dataResource}）` : '数据共享免提交';
  return '申请人提交';
}

export function visitsText(visits: number): string {
  return visits === 0 ? '0 次（不见面办理，零跑动）' : `最多跑 ${visits} 次`;
}

export function workingDaysText(days: number): string {
  return days === 0 ? '即办' : `${days} 个工作日`;
}

export interface GuideMaterial {
  id: string;
  name: string;
  form: MaterialItem['form'];
  formText: string;
  count: number;
  required: boolean;
  requiredText: string;
  source: MaterialItem['source'];
  sourceText: string;
  /** The applicant need not bring it: the platform fetches it (e-licence or shared data). */
  exempt: boolean;
  licenceType: string | null;
  dataResource: string | null;
  blankFormUrl: string | null;
  sampleUrl: string | null;
  note: string | null;
  /** Listed because it may apply: it depends on a question the applicant has not answered. */
  conditional: boolean;
}

export interface Guide {
  id: string;
  version: number;
  name: string;
  implementationCode: string;
  basicCode: string;
  itemType: { code: string; name: string };
  legalBasis: { kind: string; kindText: string; title: string; article: string }[];
  organisation: { id: string; name: string; creditCode: string | null };
  region: { code: string; name: string; fullName: string };
  subItems: { code: string; name: string }[];
  acceptanceConditions: { text: string; conditional: boolean }[];
  materials: GuideMaterial[];
  processSteps: { order: number; name: string; description: string }[];
  timeLimits: { legalDays: number; legalText: string; promisedDays: number; promisedText: string };
  fees: { free: boolean; summary: string; items: { name: string; amountFen: number; amountText: string; basis: string }[] };
  intermediaryServices: { name: string; basis: string }[];
  place: { address: string; hours: string };
  phones: { consult: string; complaint: string };
  channels: { code: string; name: string }[];
  /** Only an honest notice until online application (/apply) exists. */
  onlineApplication: { offered: boolean; available: boolean; message: string | null };
  visits: { count: number; text: string };
  onlineDepth: { level: number; text: string };
  minRealNameLevel: { level: number; text: string };
  needsReview: boolean;
  reviewNotice: string | null;
  questions: { id: string; text: string; options: { value: string; label: string }[]; answer: string | null }[];
  personalisation: {
    personalised: boolean;
    answered: { questionId: string; question: string; value: string; label: string }[];
    unanswered: { questionId: string; question: string }[];
    note: string | null;
  };
  links: { page: string; shareable: string; pdf: string; qr: string; api: string; mobile: string };
}

export interface GuideSource {
  entry: { id: string; code: string; published_version: number | null; needs_review: boolean };
  content: ImplementationContent;
  organisation: { id: string; name: string; creditCode: string | null };
  /** The region with its ancestors, highest first. */
  regionPath: { code: string; name: string }[];
  publicUrl: string;
}

export function buildGuide(src: GuideSource, answers: Answers = {}): Guide {
  const c = src.content;
  const p = personalise(c, answers);
  const region = src.regionPath[src.regionPath.length - 1]!;
  const base = `/guides/${src.entry.id}`;
  const query = answersQuery(c.questions, answers);
  const online = c.channels.includes('online');
  let note: string | null = null;
  if (c.questions.length && p.unanswered.length) {
    note = p.personalised
      ? `您还有 ${p.unanswered.length} 个问题未回答，下列材料中标注“视情形”的是否需要取决于这些问题的答案。`
      : '回答上面的问题可以只看到适用于您的条件和材料；未回答时列出全部情形。';
  }
  return {
    id: src.entry.id,
    version: src.entry.published_version!,
    name: c.name,
    implementationCode: src.entry.code,
    basicCode: c.basicCode,
    itemType: { code: c.itemType, name: ITEM_TYPES[c.itemType] },
    legalBasis: c.legalBasis.map((b) => ({ kind: b.kind, kindText: LEGAL_KINDS[b.kind], title: b.title, article: b.article })),
    organisation: src.organisation,
    region: { code: region.code, name: region.name, fullName: src.regionPath.filter((r) => r.code !== '100000').map((r) => r.name).join('') },
    subItems: c.subItems.map((s) => ({ code: s.code, name: s.name })),
    acceptanceConditions: p.conditions.map((x) => ({ text: x.text, conditional: x.conditional })),
    materials: p.materials.map((m) => ({
      id: m.id,
      name: m.name,
      form: m.form,
      formText: FORMS[m.form],
      count: m.count,
      required: m.required,
      requiredText: m.required ? '必须提交' : '按需提交',
      source: m.source,
      sourceText: materialSourceText(m),
      exempt: m.source !== 'upload',
      licenceType: m.licenceType ?? null,
      dataResource: m.dataResource ?? null,
      blankFormUrl: m.blankFormUrl ?? null,
      sampleUrl: m.sampleUrl ?? null,
      note: m.note ?? null,
      conditional: m.conditional,
    })),
    processSteps: c.processSteps.map((s, i) => ({ order: i + 1, name: s.name, description: s.description })),
    timeLimits: { legalDays: c.legalLimitDays, legalText: workingDaysText(c.legalLimitDays), promisedDays: c.promisedLimitDays, promisedText: workingDaysText(c.promisedLimitDays) },
    fees: {
      free: c.fees.every((f) => f.amountFen === 0),
      summary: c.fees.every((f) => f.amountFen === 0) ? '不收费' : c.fees.filter((f) => f.amountFen > 0).map((f) => `${f.name} ${formatFen(f.amountFen)}`).join('；'),
      items: c.fees.map((f) => ({ name: f.name, amountFen: f.amountFen, amountText: formatFen(f.amountFen), basis: f.basis })),
    },
    intermediaryServices: c.intermediaryServices.map((s) => ({ name: s.name, basis: s.basis })),
    place: { address: c.place.address, hours: c.place.hours },
    phones: { consult: c.phones.consult, complaint: c.phones.complaint },
    channels: c.channels.map((ch) => ({ code: ch, name: CHANNELS[ch] })),
    // Depth 3 (在线预审) and 4 (全程网办) take applications online; below that the guide only informs.
    onlineApplication: { offered: online, available: online && c.onlineDepth >= 3, message: online && c.onlineDepth < 3 ? '该事项暂不能网上提交申请' : null },
    visits: { count: c.visits, text: visitsText(c.visits) },
    onlineDepth: { level: c.onlineDepth, text: ONLINE_DEPTH[c.onlineDepth as keyof typeof ONLINE_DEPTH] },
    minRealNameLevel: { level: c.minRealNameLevel, text: `${REAL_NAME[c.minRealNameLevel as keyof typeof REAL_NAME]} 及以上` },
    needsReview: src.entry.needs_review,
    reviewNotice: src.entry.needs_review ? '本事项的基本目录近期已调整，实施机构正在复核本指南，部分内容可能有变化，办理前请电话咨询确认。' : null,
    questions: c.questions.map((q) => ({ id: q.id, text: q.text, options: q.options.map((o) => ({ value: o.value, label: o.label })), answer: answers[q.id] ?? null })),
    personalisation: { personalised: p.personalised, answered: p.answered, unanswered: p.unanswered, note },
    links: { page: base, shareable: `${base}${query}`, pdf: `${base}.pdf${query}`, qr: `${base}/qr.svg`, api: `/api/v1/catalog/guides/${src.entry.id}${query}`, mobile: `${src.publicUrl.replace(/\/$/, '')}${base}` },
  };
}
