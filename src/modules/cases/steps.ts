// The back-office steps of a case, derived from its implementation's process steps.
import type { ImplementationContent } from '../catalog/index.ts';
import type { CaseStep } from './store.ts';

/**
 * The back-office steps after intake, from the implementation's process steps: the steps a
 * window does (申请, 受理) are intake itself; the rest are approvers' steps, and there is
 * always a final decision step.
 */
export function stepsOf(impl: ImplementationContent): CaseStep[] {
  const back = impl.processSteps.map((s) => s.name).filter((n) => !/申请|受理|提交/.test(n) && !/送达|出件|领取|办结/.test(n));
  const names = back.length ? back : ['审查', '决定'];
  if (!/决定|审批|批准|核准|签发/.test(names[names.length - 1]!)) names.push('决定');
  return names.map((name) => ({ name, role: 'approver' }));
}
