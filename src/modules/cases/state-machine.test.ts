import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CASE_ACTIONS, CASE_STATES, FINAL_STATES, SPECIAL_PROCEDURES, TRANSITIONS, actionsFrom, canTake, eventLabel, isSpecialProcedure, type CaseAction, type CaseState } from './state-machine.ts';
import { formatCaseNumber, isCaseNumber } from './case-number.ts';
import { stepsOf } from './service.ts';

const STATES = Object.keys(CASE_STATES) as CaseState[];

test('every action is allowed from exactly the states the table lists, and refused from every other', () => {
  let allowed = 0;
  let refused = 0;
  for (const action of CASE_ACTIONS) {
    for (const state of STATES) {
      const expected = TRANSITIONS[action].from.includes(state);
      assert.equal(canTake(action, state), expected, `${action} from ${state}`);
      if (expected) allowed++;
      else refused++;
    }
  }
  assert.equal(allowed + refused, CASE_ACTIONS.length * STATES.length);
  assert.ok(refused > allowed);
});

// Written out by hand, not derived from the table: a change to who may do what from where has
// to be made twice, here deliberately.
const EXPECTED_FROM: Record<CaseAction, CaseState[]> = {
  accept: ['submitted'],
  accept_with_commitment: ['submitted'],
  accept_on_commitment: ['submitted'],
  request_correction: ['submitted'],
  resubmit: ['correction_requested'],
  refuse: ['submitted'],
  approve_step: ['in_review'],
  return_step: ['in_review'],
  transfer: ['in_review'],
  suspend: ['in_review'],
  resume: ['suspended'],
  decide_approve: ['in_review'],
  decide_reject: ['in_review'],
  deliver: ['approved'],
  withdraw: ['submitted', 'correction_requested'],
};

test('every (action, state) pair matches the hand-written list: allowed ones allowed, every other refused', () => {
  assert.deepEqual([...CASE_ACTIONS].sort(), (Object.keys(EXPECTED_FROM) as CaseAction[]).sort());
  let illegal = 0;
  for (const action of CASE_ACTIONS) {
    for (const state of STATES) {
      const ok = EXPECTED_FROM[action].includes(state);
      assert.equal(canTake(action, state), ok, `${action} from ${state}`);
      assert.equal(actionsFrom(state).includes(action), ok, `${action} listed for ${state}`);
      if (!ok) illegal++;
    }
  }
  assert.equal(illegal, CASE_ACTIONS.length * STATES.length - Object.values(EXPECTED_FROM).flat().length);
});

test('告知承诺 approves at once for intake staff; transfer is for approvers and region administrators, with a reason', () => {
  assert.equal(TRANSITIONS.accept_on_commitment.to, 'approved');
  assert.equal(TRANSITIONS.accept_on_commitment.clock, 'instant');
  assert.deepEqual(TRANSITIONS.accept_on_commitment.by, ['window_clerk', 'approver']);
  assert.equal(TRANSITIONS.transfer.to, 'in_review');
  assert.deepEqual(TRANSITIONS.transfer.by, ['approver', 'region_admin']);
  assert.ok(TRANSITIONS.transfer.needsNote);
  assert.ok(!TRANSITIONS.accept_on_commitment.needsNote);
});

test('special procedures have Chinese names and nothing else passes as one', () => {
  assert.deepEqual(Object.keys(SPECIAL_PROCEDURES), ['expert_review', 'public_notice', 'hearing', 'onsite_inspection', 'other']);
  assert.equal(SPECIAL_PROCEDURES.hearing, '听证');
  for (const p of Object.keys(SPECIAL_PROCEDURES)) assert.ok(isSpecialProcedure(p));
  for (const bad of ['', 'toString', 'constructor', 'HEARING', null, 1]) assert.ok(!isSpecialProcedure(bad), String(bad));
});

test('final states allow nothing; every state is reachable from submission', () => {
  for (const s of FINAL_STATES) assert.deepEqual(actionsFrom(s), [], s);
  const reached = new Set<CaseState>(['submitted']);
  for (let changed = true; changed; ) {
    changed = false;
    for (const t of Object.values(TRANSITIONS)) {
      if (t.from.some((f) => reached.has(f)) && !reached.has(t.to)) {
        reached.add(t.to);
        changed = true;
      }
    }
  }
  assert.deepEqual([...reached].sort(), [...STATES].sort());
});

test('refusals, corrections, returns, rejections and suspensions need a reason', () => {
  for (const a of ['refuse', 'request_correction', 'return_step', 'decide_reject', 'suspend', 'accept_with_commitment', 'transfer'] as const) assert.ok(TRANSITIONS[a].needsNote, a);
  for (const a of ['accept', 'approve_step', 'decide_approve', 'resubmit'] as const) assert.ok(!TRANSITIONS[a].needsNote, a);
});

test('case numbers carry a MOD 11-2 check character', () => {
  const n = formatCaseNumber('320102', '20261123', 1, 42);
  assert.equal(n.length, 22);
  assert.ok(isCaseNumber(n));
  assert.ok(!isCaseNumber(n.slice(0, 21) + (n.endsWith('0') ? '1' : '0')));
  assert.throws(() => formatCaseNumber('320102', '20261123', 6, 1));
});

test('back-office steps come from the process steps, always ending in a decision', () => {
  const impl = (names: string[]) => ({ processSteps: names.map((name) => ({ name, description: '' })) }) as never;
  assert.deepEqual(stepsOf(impl(['申请', '受理', '审查', '决定', '送达'])).map((s) => s.name), ['审查', '决定']);
  assert.deepEqual(stepsOf(impl(['申请', '受理', '审核'])).map((s) => s.name), ['审核', '决定']);
  assert.deepEqual(stepsOf(impl(['申请'])).map((s) => s.name), ['审查', '决定']);
});

test('every timeline entry reads in Chinese: transitions by their label, the others by name', () => {
  for (const a of CASE_ACTIONS) assert.equal(eventLabel(a), TRANSITIONS[a].label);
  assert.deepEqual(['submit', 'supply_materials', 'commitment_chase', 'escalate'].map(eventLabel), ['提交申请', '补交容缺材料', '提醒补交容缺材料', '督办']);
  for (const a of ['submit', 'supply_materials', 'commitment_chase', 'escalate']) assert.match(eventLabel(a), /^[\u4e00-\u9fff]+$/);
});
