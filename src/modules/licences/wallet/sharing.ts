// Consented reuse (共享复用), the grantee's side. A submitted case that carries e-licence
// materials is the applicant's consent for the case's organisation to use those licences for
// that case (one licence_consent each, on `case.submitted`); the clerk sees a licence verified
// only under such a consent, unexpired and unrevoked, or after recording a legal basis; a
// business system exchanges a holder's one-time token for the fields in its scope. Every read
// is a licence_use the holder sees; a refusal shows no licence data at all.
import type { Config } from '../../../config.ts';
import { recordAudit } from '../../../platform/audit/audit.ts';
import { CalendarService } from '../../../platform/calendar/index.ts';
import type { PersonalDataCipher } from '../../../platform/crypto/personal-data.ts';
import { inTransaction, type Db, type Queryable, type Tx } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/http/access.ts';
import { AppError } from '../../../platform/http/errors.ts';
import type { EventHandler } from '../../../platform/jobs/worker.ts';
import { createCatalogService } from '../../catalog/index.ts';
import { CaseService, listCaseMaterials } from '../../cases/index.ts';
import { CASE_CONSENT_DAYS, addDays, consentState, fieldsInScope, isTokenShape, tokenSm3 } from '../consent.ts';
import { labelled, openLicenceData, type LicenceData } from '../data.ts';
import type { LicenceService } from '../service.ts';
import * as store from '../store.ts';
import { recordUse } from '../usage.ts';
import { STATUS_TEXT } from './service.ts';
import * as consents from './store.ts';

type Staff = Extract<Actor, { kind: 'staff' }>;
type Client = Extract<Actor, { kind: 'client' }>;
const SYSTEM = { kind: 'system' as const, id: 'licence-consent' };

export type Refusal = 'missing' | 'expired' | 'revoked';
export const REFUSAL_TEXT: Record<Refusal, string> = {
  missing: '持证人没有授权贵单位在本办件中使用这本证照',
  expired: '持证人对本办件的授权已过期',
  revoked: '持证人已撤销对本办件的授权',
};

export interface CaseRef {
  id: string;
  caseNumber: string;
  itemName: string;
  orgId: string;
  regionCode: string;
  applicantKind: 'citizen' | 'company';
  applicantId: string;
  submittedAt: Date | null;
}

/** Reads a case as the system on `db` (the event's transaction, or the request's handle). */
export async function readCase(db: Db, cipher: PersonalDataCipher, regionCode: string, caseId: string): Promise<CaseRef> {
  const cases = new CaseService({ db, catalog: createCatalogService(db), calendar: new CalendarService(db), cipher, fileExists: async () => false, identity: async () => ({ name: '', phoneTail: '' }) });
  const reader = { kind: 'staff' as const, accountId: SYSTEM.id, displayName: '电子证照授权', roles: [], orgId: null, regionCode, sessionId: SYSTEM.id, mustChangePassword: false };
  const { row } = await cases.get(reader, caseId);
  return { id: row.id, caseNumber: row.case_number, itemName: row.item_name, orgId: row.org_id, regionCode: row.region_code, applicantKind: row.applicant_kind, applicantId: row.applicant_id, submittedAt: row.submitted_at };
}

export interface SharingDeps {
  db: Db;
  config: Pick<Config, 'nodeRegionCode'>;
  cipher: PersonalDataCipher;
  licences: LicenceService;
}

export class SharingService {
  readonly d: SharingDeps;
  constructor(deps: SharingDeps) {
    this.d = deps;
  }

  /** `db`: the caller's handle — inside a transaction, PGlite's one connection is the transaction's. */
  private async shown(db: Queryable, l: store.LicenceRow, version: number, scope: readonly string[]) {
    const type = await this.d.licences.typeByCode(db, l.type_code);
    const data = openLicenceData(this.d.cipher, type, l.data as LicenceData);
    const status = this.d.licences.statusOf(l, version);
    return {
      identifier: l.identifier, typeCode: type.code, typeName: type.name, status, statusText: STATUS_TEXT[status], statusReason: l.status_reason, validFrom: l.valid_from, validUntil: l.valid_until,
      issuerName: data.issuerName ?? '', issuerUscc: l.issuer_uscc, sealEsId: l.seal_es_id, scope: [...scope], fields: fieldsInScope(labelled(type, data), scope),
    };
  }

  /**
   * 核验视图: the licence for the clerk of the case's organisation, only under that case's
   * consent. The case is read with the clerk's own rights (in region), so a case elsewhere is
   * 404; a consent that is missing, expired or revoked is a refusal that carries no data.
   */
  async clerkView(staff: Staff, identifier: string, caseRef: CaseRef) {
    const { licence, version } = await this.d.licences.open(identifier);
    const consent = staff.orgId ? await consents.findCaseConsent(this.d.db, licence.id, staff.orgId, caseRef.id) : null;
    const state = consent ? consentState(consent) : null;
    const refusal: Refusal | null = !consent || state === null ? 'missing' : state === 'revoked' ? 'revoked' : state === 'expired' ? 'expired' : null;
    if (refusal || !consent) return { ok: false as const, refusal: refusal ?? 'missing', identifier };
    const out = await this.shown(this.d.db, licence, version, consents.scopeOf(consent));
    await recordUse(this.d.db, { licenceId: licence.id, identifier, kind: 'shared_view', actor: staff, regionCode: licence.region_code, consentId: consent.id, purpose: `办件 ${caseRef.caseNumber}（${caseRef.itemName}）` });
    return { ok: true as const, licence: out, consent: { id: consent.id, expiresAt: consent.expires_at } };
  }

  /**
   * A business system exchanges the holder's one-time token for the fields in scope and the
   * live status. Unknown (or another system's) token 404, revoked, replayed and expired each
   * their own error, and none of them any data.
   */
  async exchange(client: Client, token: string) {
    if (!isTokenShape(token)) throw new AppError('LICENCE_CONSENT_NOT_FOUND');
    return inTransaction(this.d.db, async (tx) => {
      const c = await consents.findByTokenSm3(tx, tokenSm3(token), true);
      if (!c || (c.grantee_client_id !== null && c.grantee_client_id !== client.clientId)) throw new AppError('LICENCE_CONSENT_NOT_FOUND');
      const state = consentState(c);
      if (state === 'revoked') throw new AppError('LICENCE_CONSENT_REVOKED');
      if (state === 'used') throw new AppError('LICENCE_CONSENT_REPLAYED');
      if (state === 'expired') throw new AppError('LICENCE_CONSENT_EXPIRED');
      if (!(await consents.markUsed(tx, c.id))) throw new AppError('LICENCE_CONSENT_REPLAYED');
      const licence = await consents.licenceById(tx, c.licence_id);
      if (!licence) throw new Error(`consent ${c.id} names a missing licence`);
      const out = await this.shown(tx, licence, licence.version, consents.scopeOf(c));
      await recordUse(tx, { licenceId: licence.id, identifier: licence.identifier, kind: 'shared_view', actor: client, regionCode: licence.region_code, consentId: c.id, purpose: c.purpose_text });
      await recordAudit(tx, { actor: client, action: 'licence.consent.exchange', targetType: 'licence_consent', targetId: c.id, regionCode: licence.region_code, change: { identifier: licence.identifier } });
      return { consentId: c.id, purpose: c.purpose_text, ...out };
    });
  }
}

/**
 * `case.submitted`: one consent per e-licence material of this node's library, granted to the
 * case's organisation for that case, and a `material` use. A licence of another node (a
 * verified QR code) has no row here to consent on. Redelivery finds the consent and adds nothing.
 */
export async function consentsForCase(tx: Tx, deps: Pick<SharingDeps, 'config' | 'cipher'>, caseId: string): Promise<number> {
  const db = tx as unknown as Db;
  const materials = (await listCaseMaterials(db, caseId)).filter((m) => m.source === 'licence' && m.reference);
  if (!materials.length) return 0;
  const c = await readCase(db, deps.cipher, deps.config.nodeRegionCode, caseId);
  let made = 0;
  for (const m of materials) {
    const found = await store.findByIdentifier(tx, m.reference!);
    if (!found) continue;
    const l = found.licence;
    const row = await consents.insertCaseConsentOnce(tx, {
      licence_id: l.id, holder_index: l.holder_index, grantee_org_id: c.orgId, grantee_client_id: null, purpose_kind: 'case', purpose_ref: c.id, purpose_text: `${c.caseNumber} ${c.itemName}`,
      scope: ['*'], expires_at: addDays(c.submittedAt ? new Date(c.submittedAt) : new Date(), CASE_CONSENT_DAYS), token_sm3: null, created_by_kind: c.applicantKind, created_by_id: c.applicantId,
    });
    if (!row) continue;
    made += 1;
    await recordUse(tx, { licenceId: l.id, identifier: m.reference!, kind: 'material', actor: SYSTEM, regionCode: l.region_code, consentId: row.id, purpose: `办件 ${c.caseNumber}（${c.itemName}）的申请材料` });
    await recordAudit(tx, { actor: SYSTEM, action: 'licence.consent.create', targetType: 'licence_consent', targetId: row.id, regionCode: l.region_code, change: { identifier: l.identifier, caseId: c.id, caseNumber: c.caseNumber, grantee: c.orgId, expiresAt: row.expires_at, by: `${c.applicantKind}:${c.applicantId}` } });
  }
  return made;
}

export function consentHandlers(deps: Pick<SharingDeps, 'config' | 'cipher'>): EventHandler[] {
  return [{ name: 'licences.case-consent', topic: 'case.submitted', handle: async (event, tx) => void (await consentsForCase(tx, deps, (event.payload as { caseId: string }).caseId)) }];
}
