// 同步签发: a completed case (`case.completed`) whose basic item issues a licence type gets its
// licence in the event's transaction — data from the case's answers and the holder's verified
// identity per the type's schema, a GB/T 36903 identifier, the face rendered to PDF, signed
// with a valid seal of the deciding organisation, stored in the FileStore, the row in the
// library. Idempotent per case (licence.case_id is unique; a redelivery finds it and stops).
//
// Failures never make the event retry for ever: the handler records a licence_issue_failure
// row and returns, so the event is delivered. A failure that a later change can fix (the
// organisation has no valid seal yet) is `retryable`: when a seal is issued in the region
// (`seal.issued`), each open retryable failure there is re-emitted as `licence.issue_retry`,
// which runs this same code. Data that does not fit the schema, or a company holder (not yet
// supported), is recorded as final, for staff to see.
import type { Config } from '../../config.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { CalendarService } from '../../platform/calendar/index.ts';
import type { Db, Tx } from '../../platform/db/database.ts';
import type { PersonalDataCipher } from '../../platform/crypto/personal-data.ts';
import type { FileStore } from '../../platform/files/index.ts';
import { emitEvent } from '../../platform/jobs/outbox.ts';
import type { EventHandler } from '../../platform/jobs/worker.ts';
import { regionPrefix } from '../../platform/region-code.ts';
import { createCatalogService } from '../catalog/index.ts';
import { CaseService } from '../cases/index.ts';
import { RegionService } from '../regions/index.ts';
import { typeIssuedBy } from './catalogue.ts';
import { buildLicenceData } from './data.ts';
import { NoValidSeal } from './document.ts';
import { resolveHolder } from './holders.ts';
import { issueLicence } from './issue.ts';
import { chinaDate } from '../../platform/calendar/dates.ts';
import { LicenceService } from './service.ts';
import * as store from './store.ts';

const SYSTEM = { kind: 'system' as const, id: 'licence-issuer' };

export interface CaseCompleted {
  caseId: string;
  caseNumber: string;
  implementationId: string;
  implementationCode: string;
  applicantKind: 'citizen' | 'company';
  applicantId: string;
}

export type IssueOutcome = { issued: string } | { already: string } | { notIssuing: true } | { failed: string; retryable: boolean };

interface Deps {
  config: Pick<Config, 'nodeRegionCode' | 'env' | 'secrets' | 'publicUrl'>;
  files: FileStore;
  cipher: PersonalDataCipher;
  today?: () => string;
}

/** The case as the issuer needs it, read through the cases module on the event's transaction. */
async function readCase(tx: Tx, deps: Deps, caseId: string) {
  const db = tx as unknown as Db;
  const cases = new CaseService({ db, catalog: createCatalogService(db), calendar: new CalendarService(db), cipher: deps.cipher, fileExists: async () => false, identity: async () => ({ name: '', phoneTail: '' }) });
  const reader = { kind: 'staff' as const, accountId: SYSTEM.id, displayName: '电子证照签发', roles: [], orgId: null, regionCode: deps.config.nodeRegionCode, sessionId: SYSTEM.id, mustChangePassword: false };
  return (await cases.get(reader, caseId)).row;
}

export async function issueForCase(tx: Tx, deps: Deps, event: CaseCompleted): Promise<IssueOutcome> {
  const basicCode = /^(\d{9})-/.exec(event.implementationCode)?.[1];
  const service = new LicenceService({ db: tx, ...deps });
  const type = basicCode ? typeIssuedBy(await service.types(tx), basicCode) : null;
  if (!type) return { notIssuing: true };
  const existing = await store.findByCase(tx, event.caseId);
  if (existing) return { already: existing.identifier };

  const row = await readCase(tx, deps, event.caseId);
  const fail = async (reasonCode: string, message: string, retryable: boolean, orgId: string | null): Promise<IssueOutcome> => {
    await store.recordFailure(tx, { payload: event, caseId: row.id, caseNumber: row.case_number, issuerOrgId: orgId, regionCode: row.region_code, reasonCode, message, retryable });
    await recordAudit(tx, { actor: SYSTEM, action: 'licence.issue_failed', targetType: 'service_case', targetId: row.id, regionCode: row.region_code, change: { type: type.code, reasonCode, message, retryable } });
    return { failed: reasonCode, retryable };
  };

  const who = await resolveHolder(tx, deps.cipher, row.applicant_kind, row.applicant_id);
  if (!who.ok) return fail(who.reasonCode, who.message, false, row.org_id);
  const org = await new RegionService(tx as unknown as Db).organisation(row.org_id);
  if (!org.creditCode) return fail('issuer_no_credit_code', `发证机关“${org.name}”没有统一社会信用代码，无法生成证照标识`, false, org.id);

  const built = buildLicenceData(type, { holder: who.holder, answers: (row.answers ?? {}) as Record<string, unknown>, issuerName: org.name, caseNumber: row.case_number });
  if (!built.ok) return fail('data_invalid', `办件信息不符合${type.name}的要求：${built.errors.map((e) => `${e.field} ${e.message}`).join('；')}`, false, org.id);

  const today = (deps.today ?? chinaDate)();
  let licence;
  try {
    licence = await issueLicence(tx, deps, {
      type, holder: who.holder, holderAccountId: row.applicant_id, data: built.data, issuer: { id: org.id, name: org.name, creditCode: org.creditCode, regionCode: org.regionCode },
      regionCode: row.region_code, validFrom: today, caseId: row.id, origin: { caseNumber: row.case_number }, actor: SYSTEM,
    });
  } catch (err) {
    // The serial allocated is kept by the failure's own commit: serials may have gaps.
    if (err instanceof NoValidSeal) return fail('no_valid_seal', `发证机关“${org.name}”没有有效的电子印章；印章签发后将自动重新签发`, true, org.id);
    throw err;
  }
  await store.resolveFailure(tx, row.id);
  return { issued: licence.identifier };
}

export function licenceHandlers(deps: Deps): EventHandler[] {
  const issue: EventHandler['handle'] = async (event, tx) => {
    await issueForCase(tx, deps, event.payload as CaseCompleted);
  };
  return [
    { name: 'licences.issue', topic: 'case.completed', handle: issue },
    { name: 'licences.issue-retry', topic: 'licence.issue_retry', handle: issue },
    {
      name: 'licences.retry-on-seal',
      topic: 'seal.issued',
      async handle(event, tx) {
        const { esId, regionCode } = event.payload as { esId: string; regionCode: string };
        for (const f of await store.retryableFailures(tx, regionPrefix(regionCode))) {
          await emitEvent(tx, { topic: 'licence.issue_retry', payload: f.payload, idempotencyKey: `licence.issue_retry:${f.case_id}:${esId}`, regionCode: f.region_code });
        }
      },
    },
  ];
}
