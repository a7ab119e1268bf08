// Every state a case can be in and every action that moves it, in one table: the service asks
// this table whether an action is allowed, so no code path can invent a transition.
import type { StaffRole } from '../../platform/http/access.ts';

export const CASE_STATES = {
  submitted: '已提交，待受理',
  correction_requested: '待补正',
  refused: '不予受理',
  in_review: '审批中',
  suspended: '特别程序中（暂停计时）',
  approved: '已办结（准予）',
  rejected: '已办结（不予许可）',
  delivered: '已出件',
  withdrawn: '已撤回',
} as const;
export type CaseState = keyof typeof CASE_STATES;

export type CaseAction =
  | 'accept'
  | 'accept_with_commitment'
  | 'request_correction'
  | 'resubmit'
  | 'refuse'
  | 'approve_step'
  | 'return_step'
  | 'suspend'
  | 'resume'
  | 'decide_approve'
  | 'decide_reject'
  | 'deliver'
  | 'withdraw'
  | 'accept_on_commitment'
  | 'transfer';

/**
 * What an action does to the working-day clock of the promised and legal limits; `instant`
 * starts and ends it on the same day (告知承诺制: accepted and approved at once).
 */
export type ClockEffect = 'start' | 'stop' | 'resume' | 'none' | 'end' | 'instant';

export interface Transition {
  from: readonly CaseState[];
  /** The state after; `approve_step` stays in review until the last step. */
  to: CaseState;
  /** Who may take it: the applicant, or staff holding one of these roles. */
  by: 'applicant' | readonly StaffRole[];
  clock: ClockEffect;
  label: string;
  /** A reason (note) is required: refusals, corrections, returns, rejections, suspensions. */
  needsNote: boolean;
}

const INTAKE: readonly StaffRole[] = ['window_clerk', 'approver'];
const REVIEW: readonly StaffRole[] = ['approver'];
const TRANSFER: readonly StaffRole[] = ['approver', 'region_admin'];

export const TRANSITIONS: Record<CaseAction, Transition> = {
  accept: { from: ['submitted'], to: 'in_review', by: INTAKE, clock: 'start', label: '受理', needsNote: false },
  accept_with_commitment: { from: ['submitted'], to: 'in_review', by: INTAKE, clock: 'start', label: '容缺受理', needsNote: true },
  request_correction: { from: ['submitted'], to: 'correction_requested', by: INTAKE, clock: 'none', label: '一次性告知补正', needsNote: true },
  resubmit: { from: ['correction_requested'], to: 'submitted', by: 'applicant', clock: 'none', label: '补正后重新提交', needsNote: false },
  refuse: { from: ['submitted'], to: 'refused', by: INTAKE, clock: 'none', label: '不予受理', needsNote: true },
  approve_step: { from: ['in_review'], to: 'in_review', by: REVIEW, clock: 'none', label: '审批通过本环节', needsNote: false },
  return_step: { from: ['in_review'], to: 'in_review', by: REVIEW, clock: 'none', label: '退回上一环节', needsNote: true },
  suspend: { from: ['in_review'], to: 'suspended', by: REVIEW, clock: 'stop', label: '启动特别程序', needsNote: true },
  resume: { from: ['suspended'], to: 'in_review', by: REVIEW, clock: 'resume', label: '特别程序结束，恢复计时', needsNote: false },
  decide_approve: { from: ['in_review'], to: 'approved', by: REVIEW, clock: 'end', label: '准予许可', needsNote: false },
  decide_reject: { from: ['in_review'], to: 'rejected', by: REVIEW, clock: 'end', label: '不予许可', needsNote: true },
  deliver: { from: ['approved'], to: 'delivered', by: INTAKE, clock: 'none', label: '出件', needsNote: false },
  withdraw: { from: ['submitted', 'correction_requested'], to: 'withdrawn', by: 'applicant', clock: 'none', label: '申请人撤回', needsNote: false },
  accept_on_commitment: { from: ['submitted'], to: 'approved', by: INTAKE, clock: 'instant', label: '告知承诺，当场准予', needsNote: false },
  transfer: { from: ['in_review'], to: 'in_review', by: TRANSFER, clock: 'none', label: '转办', needsNote: true },
};

/** Special procedures (特别程序) that stop the clock while they run. */
export const SPECIAL_PROCEDURES = {
  expert_review: '专家评审',
  public_notice: '公示',
  hearing: '听证',
  onsite_inspection: '现场勘验',
  other: '其他特别程序',
} as const;
export type SpecialProcedure = keyof typeof SPECIAL_PROCEDURES;

export function isSpecialProcedure(value: unknown): value is SpecialProcedure {
  return typeof value === 'string' && Object.hasOwn(SPECIAL_PROCEDURES, value);
}

export const CASE_ACTIONS = Object.keys(TRANSITIONS) as CaseAction[];

/** States nothing leaves. */
export const FINAL_STATES: readonly CaseState[] = ['refused', 'rejected', 'delivered', 'withdrawn'];

export function canTake(action: CaseAction, state: CaseState): boolean {
  return TRANSITIONS[action].from.includes(state);
}

/** The actions a state allows, for showing only those on a page. */
export function actionsFrom(state: CaseState): CaseAction[] {
  return CASE_ACTIONS.filter((a) => canTake(a, state));
}

/** Timeline entries that are not transitions: what the applicant and staff read for each. */
const OTHER_EVENTS: Record<string, string> = {
  submit: '提交申请',
  supply_materials: '补交容缺材料',
  commitment_chase: '提醒补交容缺材料',
  escalate: '督办',
};

/** The words for a timeline entry, transition or not. */
export function eventLabel(action: string): string {
  return (TRANSITIONS as Record<string, Transition | undefined>)[action]?.label ?? OTHER_EVENTS[action] ?? action;
}
