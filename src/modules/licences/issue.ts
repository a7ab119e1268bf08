// One path that puts a new licence in the library, whatever asked for it (a completed case,
// a historical import): identifier (GB/T 36903, next serial of type × issuer × year), the
// face rendered, signed with a valid seal of the issuing organisation and stored, then the
// licence and version rows, the `issue` event, the audit record and `licence.issued`, all on
// the caller's transaction.
import type { Config } from '../../config.ts';
import { recordAudit, type AuditActor } from '../../platform/audit/audit.ts';
import type { Queryable } from '../../platform/db/database.ts';
import type { PersonalDataCipher } from '../../platform/crypto/personal-data.ts';
import type { FileStore } from '../../platform/files/index.ts';
import { emitEvent } from '../../platform/jobs/outbox.ts';
import { validUntil, type LicenceType } from './catalogue.ts';
import { sealLicenceData, type Holder, type LicenceData } from './data.ts';
import { produceLicenceFile } from './document.ts';
import { formatIdentifier, serialFor, versionString } from './identifier.ts';
import * as store from './store.ts';

export interface IssueDeps {
  config: Pick<Config, 'nodeRegionCode' | 'env' | 'secrets' | 'publicUrl'>;
  files: FileStore;
  cipher: PersonalDataCipher;
}

export interface Issuer {
  id: string;
  name: string;
  creditCode: string;
  regionCode: string;
}

export interface NewLicence {
  type: LicenceType;
  holder: Holder;
  holderAccountId: string | null;
  /** Validated against the type (buildLicenceData / validateLicenceData). */
  data: LicenceData;
  issuer: Issuer;
  /** The region the licence belongs to (the case's, or the importing organisation's). */
  regionCode: string;
  validFrom: string;
  /** Defaults to the type's validity rule from validFrom. */
  validUntil?: string | null;
  caseId: string | null;
  /** Recorded with the issue event and audit, e.g. { caseNumber } or { importJob, row }. */
  origin: Record<string, unknown>;
  actor: AuditActor;
}

export async function nextIdentifier(tx: Queryable, type: LicenceType, issuerUscc: string, validFrom: string): Promise<{ identifier: string; serial: string }> {
  const year = Number(validFrom.slice(0, 4));
  const serial = serialFor(year, await store.nextSerial(tx, type.code, issuerUscc, year));
  return { serial, identifier: formatIdentifier({ typeCode: type.code, issuerUscc, serial, version: versionString(1) }) };
}

/** Throws NoValidSeal (document.ts) when the issuer has no valid seal; nothing is written then but the serial. */
export async function issueLicence(tx: Queryable, deps: IssueDeps, input: NewLicence): Promise<store.LicenceRow> {
  const { type, issuer } = input;
  const { identifier, serial } = await nextIdentifier(tx, type, issuer.creditCode, input.validFrom);
  const until = input.validUntil !== undefined ? input.validUntil : validUntil(type.validity, input.validFrom);
  const file = await produceLicenceFile({ db: tx, config: deps.config, files: deps.files }, { id: issuer.id, regionCode: issuer.regionCode }, {
    type, data: input.data, identifier, issuerName: issuer.name, validFrom: input.validFrom, validUntil: until,
  });
  return recordIssued(tx, deps, input, { identifier, serial, validUntil: until, pdfSha256: file.sha256, esId: file.esId });
}

/** The rows, event, audit and outbox message of a licence whose file is already signed and stored. */
export async function recordIssued(tx: Queryable, deps: IssueDeps, input: NewLicence, file: { identifier: string; serial: string; validUntil: string | null; pdfSha256: string; esId: string }): Promise<store.LicenceRow> {
  const { type, issuer, identifier } = { ...input, identifier: file.identifier };
  const licence = await store.insertLicence(tx, {
    identifier, type_code: type.code, issuer_org_id: issuer.id, issuer_uscc: issuer.creditCode, region_code: input.regionCode, serial: file.serial, version: 1,
    holder_kind: input.holder.kind, holder_account_id: input.holderAccountId, holder_index: deps.cipher.blindIndex('id_number', input.holder.code),
    data: sealLicenceData(deps.cipher, type, input.data), valid_from: input.validFrom, valid_until: file.validUntil, case_id: input.caseId, pdf_sha256: file.pdfSha256, seal_es_id: file.esId,
  });
  const actorId = input.actor.kind === 'system' ? input.actor.id : 'accountId' in input.actor ? input.actor.accountId : input.actor.kind;
  await store.insertEvent(tx, { licenceId: licence.id, action: 'issue', reason: null, actorKind: input.actor.kind, actorId, regionCode: input.regionCode, data: { ...input.origin, identifier } });
  await recordAudit(tx, { actor: input.actor, action: 'licence.issue', targetType: 'licence', targetId: licence.id, regionCode: input.regionCode, change: { identifier, type: type.code, ...input.origin, seal: file.esId, pdf: file.pdfSha256 } });
  await emitEvent(tx, { topic: 'licence.issued', payload: { licenceId: licence.id, identifier, typeCode: type.code, caseId: input.caseId, regionCode: input.regionCode }, idempotencyKey: `licence.issued:${licence.id}`, regionCode: input.regionCode });
  return licence;
}
