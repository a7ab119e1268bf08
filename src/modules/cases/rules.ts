// The rules of the actions that need more than the case row: 告知承诺制 (the implementation must
// allow it), special procedures, transfer (the organisation must exist in the case's region) and
// delivery by post (the courier). Whatever comes from outside the case tables is gathered by
// `prepare` BEFORE the transaction — on the embedded database the transaction holds the only
// connection, and a remote courier must never be called while rows are locked.
import { AppError } from '../../platform/http/errors.ts';
import { maskMobile, maskName } from '../../platform/crypto/personal-data.ts';
import { CourierUnavailableError, type CourierService } from '../../platform/external/courier.ts';
import type { Queryable } from '../../platform/db/database.ts';
import type { ImplementationContent } from '../catalog/index.ts';
import { SPECIAL_PROCEDURES, isSpecialProcedure, type CaseAction } from './state-machine.ts';
import type { WorkingDays } from './deadlines.ts';
import * as store from './store.ts';
import { insertVerification } from './supervision-store.ts';

/** What the rules need from other capabilities; each is optional so a bare service still works. */
export interface RuleDeps {
  implementation: (id: string) => Promise<ImplementationContent | null>;
  organisation?: (id: string) => Promise<{ id: string; regionCode: string; name: string } | null>;
  courier?: () => CourierService;
}

/** An action's extra effect: columns to set, event data to record, rows to write in the transaction. */
export interface Prepared {
  changes: store.CaseChanges;
  data: Record<string, unknown>;
  /** Replaces the caller's data in the event (e.g. never keep a full postal address). */
  replaceData?: boolean;
  inTransaction?: (tx: Queryable, row: store.CaseRow, today: string, calendar: WorkingDays) => Promise<void>;
}

const MOBILE = /^1[3-9]\d{9}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const invalid = (field: string, message: string) => new AppError('VALIDATION_FAILED', { errors: [{ field, message }] });

/** The actions whose rules read something outside the case before the transaction. */
export const NEEDS_PREPARATION: ReadonlySet<CaseAction> = new Set(['accept_on_commitment', 'transfer', 'deliver', 'suspend']);

/**
 * Checks and gathers what an action needs. `row` was read without a lock and has already passed
 * the authorisation, version and state checks; the transaction repeats those on the locked row.
 */
export async function prepare(deps: RuleDeps, action: CaseAction, row: store.CaseRow, data: Record<string, unknown>): Promise<Prepared> {
  switch (action) {
    case 'suspend': {
      if (!isSpecialProcedure(data.procedure)) throw invalid('procedure', `请选择特别程序：${Object.values(SPECIAL_PROCEDURES).join('、')}`);
      return { changes: { special_procedure: data.procedure }, data: { procedure: data.procedure, procedureName: SPECIAL_PROCEDURES[data.procedure] } };
    }
    case 'accept_on_commitment': {
      const impl = await deps.implementation(row.implementation_id);
      const rule = impl?.commitmentApproval;
      if (!rule?.allowed) throw new AppError('CASE_ACTION_NOT_ALLOWED', { detail: '该事项未实行告知承诺制，请按一般程序受理' });
      return {
        changes: { decision: 'approved', working_days_used: 0 },
        data: { commitmentText: rule.text, verifyWithinDays: rule.verifyWithinDays },
        async inTransaction(tx, locked, today, calendar) {
          const dueOn = await calendar.addWorkingDays(today, rule.verifyWithinDays, locked.region_code);
          await insertVerification(tx, { case_id: locked.id, region_code: locked.region_code, org_id: locked.org_id, commitment_text: rule.text, due_on: dueOn });
        },
      };
    }
    case 'transfer': {
      const orgId = data.orgId;
      if (typeof orgId !== 'string' || !UUID.test(orgId)) throw invalid('orgId', '请选择转办的机构');
      if (orgId.toLowerCase() === row.org_id) throw invalid('orgId', '办件已在该机构，请选择其他机构');
      const org = deps.organisation ? await deps.organisation(orgId) : null;
      if (!org) throw invalid('orgId', '没有这个机构');
      if (org.regionCode !== row.region_code) throw invalid('orgId', '只能转办给本区划内的机构');
      return { changes: { org_id: org.id }, data: { fromOrgId: row.org_id, toOrgId: org.id, toOrgName: org.name }, replaceData: true };
    }
    case 'deliver':
      return data.method === 'post' ? post(deps, row, data) : { changes: {}, data: {} };
    default:
      return { changes: {}, data: {} };
  }
}

/** What the resume of a special procedure records: which procedure ended. */
export function resumeData(row: store.CaseRow): Prepared {
  const p = row.special_procedure;
  return { changes: { special_procedure: null }, data: p ? { procedure: p, procedureName: SPECIAL_PROCEDURES[p] } : {} };
}

async function post(deps: RuleDeps, row: store.CaseRow, data: Record<string, unknown>): Promise<Prepared> {
  const a = (typeof data.address === 'object' && data.address !== null ? data.address : {}) as Record<string, unknown>;
  const name = typeof a.name === 'string' ? a.name.trim() : '';
  const mobile = typeof a.mobile === 'string' ? a.mobile.replace(/[\s-]/g, '') : '';
  const address = typeof a.address === 'string' ? a.address.trim() : '';
  const errors = [
    ...(name.length < 1 || name.length > 50 ? [{ field: 'address.name', message: '请填写收件人姓名' }] : []),
    ...(!MOBILE.test(mobile) ? [{ field: 'address.mobile', message: '请填写收件人手机号码（11 位）' }] : []),
    ...(address.length < 5 || address.length > 200 ? [{ field: 'address.address', message: '请填写详细收件地址' }] : []),
  ];
  if (errors.length) throw new AppError('VALIDATION_FAILED', { errors });
  let trackingNumber = row.tracking_number;
  if (!trackingNumber) {
    const impl = await deps.implementation(row.implementation_id);
    const org = deps.organisation ? await deps.organisation(row.org_id) : null;
    if (!deps.courier) throw new AppError('COURIER_UNAVAILABLE');
    try {
      // The case number is the shipment's reference: the courier answers a repeated order with the
      // same tracking number, so a retry after a lost answer or a failed commit ships once.
      const shipped = await deps.courier().createShipment({
        reference: row.case_number,
        sender: { name: org?.name ?? '政务服务中心', phone: impl?.phones.consult || '12345', address: impl?.place.address || '政务服务中心综合窗口' },
        recipient: { name, phone: mobile, address, regionCode: row.region_code.slice(0, 6) },
      });
      trackingNumber = shipped.trackingNumber;
    } catch (err) {
      if (err instanceof CourierUnavailableError) throw new AppError('COURIER_UNAVAILABLE', { detail: '快递公司下单没有成功，办件仍为“已办结”，请稍后重试' });
      throw err;
    }
  }
  return {
    changes: { tracking_number: trackingNumber },
    // The full address goes to the courier only; the timeline keeps masked contact details.
    data: { method: 'post', trackingNumber, recipient: { name: maskName(name), mobile: maskMobile(mobile) } },
    replaceData: true,
  };
}
