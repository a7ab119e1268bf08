// The forms behind the action buttons of the case page. The state machine decides which
// actions exist and who may take them; this file only knows how to ask for each action's
// details. An action without an entry here (one added to the table later) gets the generic
// form: a reason field when the table says it needs one.
import type { Actor, StaffRole } from '../../../platform/http/access.ts';
import type { FieldError } from '../../../platform/http/errors.ts';
import { TRANSITIONS, type CaseAction } from '../state-machine.ts';
import type { CaseView } from '../service.ts';

export type ActionKind = 'plain' | 'commitment' | 'correction' | 'refusal' | 'deliver' | 'suspend' | 'transfer';

export interface ActionSpec {
  kind: ActionKind;
  /** Sentence above the form. */
  hint?: string;
  /** Label of the reason field (when one is shown). */
  noteLabel?: string;
  warning?: boolean;
}

const SPECS: Record<string, ActionSpec> = {
  accept: { kind: 'plain', hint: '材料齐全、符合法定形式，予以受理，开始计算办理时限。' },
  accept_with_commitment: { kind: 'commitment', hint: '主要材料齐全、次要材料欠缺，申请人书面承诺限期补齐的，容缺受理。', noteLabel: '容缺材料及申请人书面承诺内容' },
  accept_on_commitment: { kind: 'plain', hint: '告知承诺制：申请人书面承诺符合条件，当场作出决定。', noteLabel: '承诺书编号或说明' },
  request_correction: { kind: 'correction', hint: '一次性告知申请人需要补正的全部材料和理由。', noteLabel: '其他需要说明的事项' },
  refuse: { kind: 'refusal', hint: '不属于受理范围或不符合受理条件的，出具不予受理通知书。', noteLabel: '不予受理的理由', warning: true },
  return_step: { kind: 'plain', noteLabel: '退回理由', warning: true },
  suspend: { kind: 'suspend', noteLabel: '启动特别程序的理由' },
  decide_reject: { kind: 'plain', noteLabel: '不予许可的理由及依据', warning: true },
  deliver: { kind: 'deliver' },
  transfer: { kind: 'transfer', noteLabel: '转办理由' },
};

export const PROCEDURES: Record<string, string> = {
  expert_review: '专家评审',
  public_notice: '公示',
  hearing: '听证',
  onsite_inspection: '现场核查',
  other: '其他',
};
export const DELIVERY_METHODS: Record<string, string> = { electronic: '电子证照（网上送达）', pickup: '窗口领取', post: '邮寄送达' };

export function specOf(action: string): ActionSpec {
  return SPECS[action] ?? { kind: 'plain' };
}

function isAction(a: string): a is CaseAction {
  return Object.prototype.hasOwnProperty.call(TRANSITIONS, a);
}

/**
 * The actions this staff member may take on the case now: those the state allows
 * (view.allowedActions), for which they hold a role, and which the step makes sense for.
 */
export function staffActions(actor: Actor, view: CaseView): CaseAction[] {
  if (actor.kind !== 'staff') return [];
  const last = view.steps.length - 1;
  return view.allowedActions.filter((a) => {
    if (!isAction(a)) return false;
    const by = TRANSITIONS[a].by;
    if (by === 'applicant' || !by.some((r) => actor.roles.includes(r as StaffRole))) return false;
    if (a === 'approve_step') return view.step < last;
    if (a === 'return_step') return view.step > 0;
    if (a === 'decide_approve' || a === 'decide_reject') return view.step >= last;
    return true;
  });
}

export interface ActionForm {
  action: CaseAction;
  label: string;
  spec: ActionSpec;
  needsNote: boolean;
}

export function actionForms(actions: CaseAction[]): ActionForm[] {
  return actions.map((action) => ({ action, label: TRANSITIONS[action].label, spec: specOf(action), needsNote: TRANSITIONS[action].needsNote }));
}

type Body = Record<string, string | string[] | undefined>;
const one = (b: Body, k: string): string => {
  const v = b[k];
  return ((Array.isArray(v) ? v[0] : v) ?? '').trim();
};
const many = (b: Body, k: string): string[] => {
  const v = b[k];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).map((x) => x.trim()).filter(Boolean);
};

export interface ParsedAction {
  version: number;
  note?: string;
  data: Record<string, unknown>;
  errors: FieldError[];
}

/**
 * Turns an action form into the service's input. Field names carry the action as a prefix
 * (`refuse-note`) so every form on the page has its own ids and error links.
 */
export function parseAction(action: CaseAction, body: Body, materials: { materialId: string; name: string }[]): ParsedAction {
  const spec = specOf(action);
  const f = (k: string) => `${action}-${k}`;
  const errors: FieldError[] = [];
  const data: Record<string, unknown> = {};
  const version = Number(one(body, 'version'));
  let note = one(body, f('note'));
  switch (spec.kind) {
    case 'commitment': {
      const due = one(body, f('commitmentDueOn'));
      if (!/^\d{4}-\d{2}-\d{2}$/.test(due)) errors.push({ field: f('commitmentDueOn'), message: '请填写申请人承诺补交材料的日期' });
      data.commitmentDueOn = due;
      const missing = many(body, f('missing')).filter((id) => materials.some((m) => m.materialId === id));
      data.missing = missing;
      if (!note && missing.length) note = `容缺材料：${missing.map((id) => materials.find((m) => m.materialId === id)!.name).join('、')}；申请人已书面承诺按期补交。`;
      break;
    }
    case 'correction': {
      // 一次性告知: every material and its reason in one notice.
      const items: { materialId: string; name: string; reason: string }[] = [];
      for (const m of materials) {
        const ticked = many(body, f('materials')).includes(m.materialId);
        const reason = one(body, f(`reason-${m.materialId}`));
        if (ticked && !reason) errors.push({ field: f(`reason-${m.materialId}`), message: `请填写“${m.name}”需要补正的原因` });
        if (ticked && reason) items.push({ materialId: m.materialId, name: m.name, reason });
      }
      const other = note;
      if (!items.length && !other) errors.push({ field: f('note'), message: '请至少勾选一项需要补正的材料并说明原因' });
      data.items = items;
      note = [...items.map((it, i) => `${i + 1}. ${it.name}：${it.reason}`), ...(other ? [`${items.length + 1}. ${other}`] : [])].join('\n');
      break;
    }
    case 'refusal': {
      const basis = one(body, f('legalBasis'));
      if (!note) errors.push({ field: f('note'), message: '请填写不予受理的理由' });
      if (!basis) errors.push({ field: f('legalBasis'), message: '请填写不予受理的法律依据' });
      data.legalBasis = basis;
      if (note && basis) note = `${note}（依据：${basis}）`;
      break;
    }
    case 'deliver': {
      const method = one(body, f('method'));
      if (!DELIVERY_METHODS[method]) errors.push({ field: f('method'), message: '请选择出件方式' });
      data.method = method;
      if (method === 'post') {
        const address = { name: one(body, f('addressName')), mobile: one(body, f('addressMobile')), address: one(body, f('address')) };
        if (!address.name) errors.push({ field: f('addressName'), message: '请填写收件人' });
        if (!/^1[3-9]\d{9}$/.test(address.mobile)) errors.push({ field: f('addressMobile'), message: '请填写收件人的 11 位手机号码' });
        if (!address.address) errors.push({ field: f('address'), message: '请填写邮寄地址' });
        data.address = address;
      }
      break;
    }
    case 'suspend': {
      const procedure = one(body, f('procedure'));
      if (!PROCEDURES[procedure]) errors.push({ field: f('procedure'), message: '请选择特别程序的种类' });
      data.procedure = procedure;
      break;
    }
    case 'transfer': {
      const orgId = one(body, f('orgId'));
      if (!/^[0-9a-f-]{36}$/i.test(orgId)) errors.push({ field: f('orgId'), message: '请选择转办的机构' });
      data.orgId = orgId;
      break;
    }
    case 'plain':
      break;
  }
  if (TRANSITIONS[action].needsNote && !note && !errors.some((e) => e.field === f('note'))) errors.push({ field: f('note'), message: `请填写${spec.noteLabel ?? '理由'}` });
  return { version, ...(note ? { note } : {}), data, errors };
}
