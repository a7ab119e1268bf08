import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CASE_ACTIONS, CASE_STATES, FINAL_STATES, TRANSITIONS, actionsFrom, canTake, type CaseState } from './state-machine.ts';
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
  for (const a of ['refuse', 'request_correction', 'return_step', 'decide_reject', 'suspend', 'accept_with_commitment'] as const) assert.ok(TRANSITIONS[a].needsNote, a);
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
