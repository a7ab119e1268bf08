// The implementation editor as real form fields: the common scalar parts, the channels as
// checkboxes, the acceptance conditions one per line, fees and materials as repeated
// fieldsets ("add one more" is a submit button: the server re-renders with an empty row,
// no JavaScript), and one JSON textarea for the advanced parts. The form is turned back
// into the same ImplementationContent the JSON editor and the API produce, so the service
// validates it the same way; its error paths are mapped back to the field they belong to.
import type { FieldError } from '../../../platform/http/errors.ts';
import type { ImplementationContent } from '../schemas.ts';

export const MAT_FIELDS = ['id', 'name', 'form', 'count', 'required', 'source', 'licenceType', 'dataResource', 'blankFormUrl', 'sampleUrl', 'note', 'when'] as const;
export const FEE_FIELDS = ['name', 'amount', 'basis'] as const;
type MatRow = Record<(typeof MAT_FIELDS)[number], string>;
type FeeRow = Record<(typeof FEE_FIELDS)[number], string>;
const MAX_ROWS = { mat: 100, fee: 20 };

export interface ImplForm {
  /** Scalar inputs by name (the name is also the element id). */
  f: Record<string, string>;
  channels: string[];
  fees: FeeRow[];
  materials: MatRow[];
  /** The advanced parts as JSON text. */
  advanced: string;
}

const INTS = { legalLimitDays: '法定时限（工作日）', promisedLimitDays: '承诺时限（工作日）', visits: '到现场次数', onlineDepth: '网上办理深度', minRealNameLevel: '网上申请最低实名等级' } as const;
const TEXTS = { address: ['place', 'address', '办理地点'], hours: ['place', 'hours', '办理时间'], consult: ['phones', 'consult', '咨询电话'], complaint: ['phones', 'complaint', '投诉电话'] } as const;
export const LABELS: Record<string, string> = { ...INTS, address: '办理地点', hours: '办理时间', consult: '咨询电话', complaint: '投诉电话', conditions: '受理条件', channels: '办理渠道', fees: '收费', materials: '申请材料', advanced: '高级内容（JSON）' };
const MAT_LABELS: Record<string, string> = { id: '标识', name: '材料名称', form: '形式', count: '份数', required: '必交', source: '来源', licenceType: '电子证照类型', dataResource: '共享数据资源', blankFormUrl: '空白表格地址', sampleUrl: '示例地址', note: '备注', when: '适用情形' };
const FEE_LABELS: Record<string, string> = { name: '收费项目', amount: '金额（元）', basis: '收费依据' };

const whenText = (w: Record<string, string> | undefined) => (w ? Object.entries(w).map(([k, v]) => `${k}=${v}`).join(', ') : '');
const yuan = (fen: number) => (fen % 100 === 0 ? String(fen / 100) : (fen / 100).toFixed(2));

export function formFromContent(c: ImplementationContent): ImplForm {
  const plain = c.acceptanceConditions.filter((x) => !x.when);
  return {
    f: {
      ...Object.fromEntries(Object.keys(INTS).map((k) => [k, String(c[k as keyof typeof INTS])])),
      address: c.place.address,
      hours: c.place.hours,
      consult: c.phones.consult,
      complaint: c.phones.complaint,
      conditions: plain.map((x) => x.text).join('\n'),
    },
    channels: [...c.channels],
    fees: c.fees.map((x) => ({ name: x.name, amount: yuan(x.amountFen), basis: x.basis })),
    materials: c.materials.map((m) => ({ ...Object.fromEntries(MAT_FIELDS.map((k) => [k, ''])), ...Object.fromEntries(Object.entries(m).filter(([k]) => k !== 'when').map(([k, v]) => [k, String(v)])), required: m.required ? '1' : '', when: whenText(m.when) }) as MatRow),
    advanced: JSON.stringify({ subItems: c.subItems, processSteps: c.processSteps, intermediaryServices: c.intermediaryServices, conditionsWithWhen: c.acceptanceConditions.filter((x) => x.when), formSchema: c.formSchema, questions: c.questions }, null, 2),
  };
}

const str = (v: unknown) => (typeof v === 'string' ? v : Array.isArray(v) ? String(v[0] ?? '') : '');
const count = (v: unknown, max: number) => Math.min(max, Math.max(0, Number.parseInt(str(v), 10) || 0));

/**
 * The form as posted. Rows ticked for deletion are dropped; `add` ("fee" or "mat") appends an
 * empty row. Blank rows are kept here so a re-rendered form keeps them; contentFromForm skips them.
 */
export function formFromBody(body: Record<string, unknown>, add?: string): ImplForm {
  const rows = <K extends string>(prefix: string, fields: readonly K[], max: number) => {
    const out: Record<K, string>[] = [];
    for (let i = 0; i < count(body[`${prefix}Count`], max); i++) {
      if (str(body[`${prefix}_${i}_delete`])) continue;
      out.push(Object.fromEntries(fields.map((k) => [k, str(body[`${prefix}_${i}_${k}`]).trim()])) as Record<K, string>);
    }
    if (add === prefix && out.length < max) out.push(Object.fromEntries(fields.map((k) => [k, k === 'count' ? '1' : k === 'required' ? '1' : ''])) as Record<K, string>);
    return out;
  };
  const channels = body.channels === undefined ? [] : Array.isArray(body.channels) ? body.channels.map(String) : [String(body.channels)];
  return {
    f: Object.fromEntries([...Object.keys(INTS), ...Object.keys(TEXTS), 'conditions'].map((k) => [k, str(body[k]).trim()])),
    channels,
    fees: rows('fee', FEE_FIELDS, MAX_ROWS.fee),
    materials: rows('mat', MAT_FIELDS, MAX_ROWS.mat),
    advanced: str(body.advanced),
  };
}

const blank = (r: Record<string, string>, ignore: string[]) => Object.entries(r).every(([k, v]) => ignore.includes(k) || v === '');

/** Drops the rows left empty (an unused "add one more"), so error indexes match the content. */
export function compact(form: ImplForm): ImplForm {
  return { ...form, fees: form.fees.filter((r) => !blank(r, [])), materials: form.materials.filter((r) => !blank(r, ['count', 'required', 'form', 'source'])) };
}

/** Builds the content from a compacted form; syntax problems come back as field errors. */
export function contentFromForm(form: ImplForm, base: ImplementationContent): { content: ImplementationContent | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const int = (v: string, field: string, label: string) => {
    if (!/^-?\d{1,6}$/.test(v)) {
      errors.push({ field, message: `${label}：${v === '' ? '请填写' : '应为整数'}` });
      return 0;
    }
    return Number(v);
  };
  let advanced: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(form.advanced || '{}');
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) errors.push({ field: 'advanced', message: `${LABELS.advanced}：应为 JSON 对象` });
    else advanced = parsed as Record<string, unknown>;
  } catch (err) {
    errors.push({ field: 'advanced', message: `${LABELS.advanced}：不是有效的 JSON（${err instanceof Error ? err.message : String(err)}）` });
  }
  const fees = form.fees.map((r, i) => {
    const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(r.amount);
    if (!m) errors.push({ field: `fee_${i}_amount`, message: `第 ${i + 1} 项收费的金额：应为不小于 0 的金额，最多两位小数` });
    return { name: r.name, amountFen: m ? Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')) : 0, basis: r.basis };
  });
  const materials = form.materials.map((r, i) => {
    const when: Record<string, string> = {};
    for (const pair of r.when.split(/[,，;；]/).map((s) => s.trim()).filter(Boolean)) {
      const [k, v] = pair.split('=').map((s) => s.trim());
      if (!k || !v) errors.push({ field: `mat_${i}_when`, message: `第 ${i + 1} 项材料的适用情形：应写作“问题标识=选项”，多个用逗号分隔` });
      else when[k] = v;
    }
    const m: Record<string, unknown> = { id: r.id, name: r.name, form: r.form, count: int(r.count, `mat_${i}_count`, `第 ${i + 1} 项材料的份数`), required: r.required === '1', source: r.source };
    for (const k of ['licenceType', 'dataResource', 'blankFormUrl', 'sampleUrl', 'note'] as const) if (r[k]) m[k] = r[k];
    if (Object.keys(when).length) m.when = when;
    return m;
  });
  const ints = Object.fromEntries(Object.entries(INTS).map(([k, label]) => [k, int(form.f[k] ?? '', k, label)]));
  const conditions = (form.f.conditions ?? '').split(/\r?\n/).map((s) => s.trim()).filter(Boolean).map((text) => ({ text }));
  const { conditionsWithWhen, ...rest } = advanced;
  if (errors.length) return { content: null, errors };
  const content = {
    ...base,
    ...rest,
    ...ints,
    acceptanceConditions: [...conditions, ...(Array.isArray(conditionsWithWhen) ? conditionsWithWhen : [])],
    place: { address: form.f.address ?? '', hours: form.f.hours ?? '' },
    phones: { consult: form.f.consult ?? '', complaint: form.f.complaint ?? '' },
    channels: form.channels,
    fees,
    materials,
  } as unknown as ImplementationContent;
  return { content, errors };
}

/** Chinese for the schema checker's usual messages (both its older and newer wordings). */
function chinese(message: string): string {
  let m: RegExpExecArray | null;
  if ((m = /must NOT have fewer than (\d+) characters|length greater or equal to (\d+)/.exec(message))) return `至少 ${m[1] ?? m[2]} 个字`;
  if ((m = /must NOT have more than (\d+) characters|length less or equal to (\d+)/.exec(message))) return `最多 ${m[1] ?? m[2]} 个字`;
  if ((m = /must NOT have fewer than (\d+) items|array length greater or equal to (\d+)/.exec(message))) return `至少 ${m[1] ?? m[2]} 项`;
  if ((m = /must NOT have more than (\d+) items|array length less or equal to (\d+)/.exec(message))) return `最多 ${m[1] ?? m[2]} 项`;
  if ((m = /must be >= (\d+)|greater or equal to (\d+)/.exec(message))) return `不能小于 ${m[1] ?? m[2]}`;
  if ((m = /must be <= (\d+)|less or equal to (\d+)/.exec(message))) return `不能大于 ${m[1] ?? m[2]}`;
  if (/duplicate items|items to be unique/.test(message)) return '不能重复';
  if (/allowed values|union value|anyOf|one of/.test(message)) return '不是可选的值';
  if (/integer/.test(message)) return '应为整数';
  if (/pattern|to match/.test(message)) return '格式不对';
  return message;
}

/** The form field a content path (`materials/2/count`) is edited in, and a message naming it. */
export function fieldErrorFor(path: string, message: string, form: ImplForm): FieldError {
  const [head = '', index, sub] = path.split('/');
  const plainConditions = (form.f.conditions ?? '').split(/\r?\n/).filter((s) => s.trim()).length;
  const say = (field: string, label: string) => ({ field, message: `${label}：${chinese(message)}` });
  if (head in INTS) return say(head, LABELS[head]!);
  for (const [id, [group, key, label]] of Object.entries(TEXTS)) if (head === group && index === key) return say(id, label);
  if (head === 'channels') return say('channels', LABELS.channels!);
  if (head === 'acceptanceConditions' && (index === undefined || Number(index) < plainConditions)) return say('conditions', LABELS.conditions!);
  if (head === 'materials' && index !== undefined) {
    const k = sub && (MAT_FIELDS as readonly string[]).includes(sub) ? sub : 'name';
    return say(`mat_${index}_${k}`, `第 ${Number(index) + 1} 项材料的${MAT_LABELS[k]}`);
  }
  if (head === 'fees' && index !== undefined) {
    const k = sub === 'amountFen' ? 'amount' : sub && (FEE_FIELDS as readonly string[]).includes(sub) ? sub : 'name';
    return say(`fee_${index}_${k}`, `第 ${Number(index) + 1} 项收费的${FEE_LABELS[k]}`);
  }
  if (head === 'materials' || head === 'fees') return say(head, LABELS[head]!);
  return say('advanced', `${LABELS.advanced} ${path}`);
}

export { MAT_LABELS, FEE_LABELS };
