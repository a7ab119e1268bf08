// The licence library's rules: the catalogue, reading licences (holder, staff in region,
// public status), and the lifecycle — 变更 and 延续 (a new identifier version, re-rendered and
// re-signed), 中止/恢复, 注销/吊销 — each in one transaction with its licence_event, audit
// record and outbox event `licence.<verb>`.
import type { Config } from '../../config.ts';
import { recordAudit, type AuditActor } from '../../platform/audit/audit.ts';
import { inTransaction, type Db, type Queryable } from '../../platform/db/database.ts';
import type { PersonalDataCipher } from '../../platform/crypto/personal-data.ts';
import { sm3 } from '../../platform/crypto/sm3.ts';
import type { FileStore } from '../../platform/files/index.ts';
import { assertInRegion, type Actor, type StaffRole } from '../../platform/http/access.ts';
import { AppError } from '../../platform/http/errors.ts';
import { emitEvent } from '../../platform/jobs/outbox.ts';
import { findCitizenById } from '../identity/index.ts';
import { validUntil, type LicenceType } from './catalogue.ts';
import { openLicenceData, sealLicenceData, validateLicenceData, labelled, type LicenceData } from './data.ts';
import { NoValidSeal, produceLicenceFile } from './document.ts';
import { formatIdentifier, parseIdentifier, versionString, type IdentifierProblem } from './identifier.ts';
import * as store from './store.ts';
import { recordUse, type UseKind } from './usage.ts';
import { chinaDate } from '../../platform/calendar/dates.ts';

export type PublicStatus = 'valid' | 'expired' | 'suspended' | 'revoked' | 'superseded';
const EVENT_TOPIC = { change: 'licence.changed', renew: 'licence.renewed', suspend: 'licence.suspended', resume: 'licence.resumed', revoke: 'licence.revoked' } as const;
/** Who manages the library — lifecycle, paper copies, historical imports: approvers and region administrators. */
export const LICENCE_MANAGERS: StaffRole[] = ['approver', 'region_admin'];
/** Who may look through the library's staff pages (no holder data there): the managers and auditors. */
export const LICENCE_READERS: StaffRole[] = [...LICENCE_MANAGERS, 'auditor'];

/** Whether an actor is one of the LICENCE_MANAGERS (a page shows their forms only to them). */
export const isLicenceManager = (actor: Actor): boolean => actor.kind === 'staff' && LICENCE_MANAGERS.some((r) => actor.roles.includes(r));

export interface LicenceServiceDeps {
  db: Queryable;
  config: Pick<Config, 'nodeRegionCode' | 'env' | 'secrets' | 'publicUrl'>;
  files: FileStore;
  cipher: PersonalDataCipher;
  today?: () => string;
}


function actorIdOf(actor: AuditActor): string {
  if (actor.kind === 'system') return actor.id;
  if (actor.kind === 'client') return actor.clientId;
  return 'accountId' in actor ? actor.accountId : 'anonymous';
}

export class LicenceService {
  readonly d: LicenceServiceDeps;
  constructor(deps: LicenceServiceDeps) {
    this.d = deps;
  }

  private today(): string {
    return (this.d.today ?? chinaDate)();
  }

  /** Loads the catalogue; emits `licence_type.changed` for each new or changed type (national push). */
  async syncCatalogue(types: readonly LicenceType[], actor: AuditActor): Promise<string[]> {
    return inTransaction(this.d.db, async (tx) => {
      const existing = new Map((await store.typeRows(tx)).map((r) => [r.code, r.content_sm3]));
      const changed: string[] = [];
      for (const t of types) {
        const hash = sm3(JSON.stringify(t)).toString('hex');
        if (existing.get(t.code) === hash) continue;
        await store.upsertType(tx, { code: t.code, key: t.key, name: t.name, definition: t, contentSm3: hash });
        await recordAudit(tx, { actor, action: existing.has(t.code) ? 'licence.type.update' : 'licence.type.create', targetType: 'licence_type', targetId: t.code, regionCode: this.d.config.nodeRegionCode, change: { key: t.key, name: t.name, sm3: hash } });
        await emitEvent(tx, { topic: 'licence_type.changed', payload: { code: t.code, key: t.key, name: t.name, definition: t }, idempotencyKey: `licence_type.changed:${t.code}:${hash}`, regionCode: this.d.config.nodeRegionCode });
        changed.push(t.code);
      }
      return changed;
    });
  }

  async types(db: Queryable = this.d.db): Promise<LicenceType[]> {
    return (await store.typeRows(db)).map((r) => r.definition as LicenceType);
  }

  async typeByCode(db: Queryable, code: string): Promise<LicenceType> {
    const t = (await this.types(db)).find((x) => x.code === code);
    if (!t) throw new Error(`licence type ${code} missing from the catalogue`);
    return t;
  }

  /** Parses, then finds: a forged identifier is 400, a well-formed unknown one 404. */
  private async load(db: Queryable, identifier: string, lock = false): Promise<{ licence: store.LicenceRow; version: number }> {
    const parsed = parseIdentifier(identifier);
    if (!parsed.ok) throw new AppError('LICENCE_IDENTIFIER_INVALID', { detail: PROBLEM_TEXT[parsed.problem], errors: [{ field: 'identifier', message: PROBLEM_TEXT[parsed.problem] }] });
    const found = await store.findByIdentifier(db, identifier, lock);
    if (!found) throw new AppError('LICENCE_NOT_FOUND', { detail: identifier });
    return found;
  }

  statusOf(l: store.LicenceRow, version: number): PublicStatus {
    if (version !== l.version) return 'superseded';
    if (l.status !== 'valid') return l.status;
    if (l.valid_until && l.valid_until < this.today()) return 'expired';
    return 'valid';
  }

  /** Anyone: whether a licence is valid, with no holder data. */
  async publicStatus(identifier: string) {
    const { licence, version } = await this.load(this.d.db, identifier);
    return this.statusView(identifier, licence, version);
  }

  /** The public status of a licence already loaded (open()), without reading it again. */
  async statusView(identifier: string, licence: store.LicenceRow, version: number) {
    const type = await this.typeByCode(this.d.db, licence.type_code);
    return { identifier, typeCode: type.code, typeName: type.name, status: this.statusOf(licence, version), validFrom: licence.valid_from, validUntil: licence.valid_until, current: licence.identifier };
  }

  /** The licence an identifier names (any version), or the 400/404 a reader gets. */
  async open(identifier: string, db: Queryable = this.d.db): Promise<{ licence: store.LicenceRow; version: number }> {
    return this.load(db, identifier);
  }

  /**
   * Who reads and on what footing: the holder (`holder_view`), or staff of the licence's
   * region with a recorded legal basis (`legal_basis_view`). Staff with a consent read
   * through the clerk's verified view or a consent token instead (wallet/service.ts).
   */
  private async assertReader(actor: Actor, l: store.LicenceRow, basis?: string): Promise<{ kind: UseKind; purpose: string | null }> {
    if (actor.kind === 'staff' || actor.kind === 'client') {
      assertInRegion(actor, l.region_code);
      const why = basis?.trim() ?? '';
      if (why.length < 4 || why.length > 200) throw new AppError('LICENCE_CONSENT_REQUIRED', { detail: '没有持证人授权时，须写明查阅的法定依据（basis，4–200 字）' });
      return { kind: 'legal_basis_view', purpose: why };
    }
    if (await this.isHolder(actor, l)) return { kind: 'holder_view', purpose: null };
    throw new AppError('LICENCE_NOT_FOUND');
  }

  /** The blind index the actor's licences are filed under (ID number or USCC) and the account they act as. */
  async holderKey(actor: Actor): Promise<{ index: string | null; accountId: string | null }> {
    if (actor.kind === 'citizen') {
      const id = actor.onBehalfOf?.accountId ?? actor.accountId;
      const me = await findCitizenById(this.d.db, id);
      return { index: me?.idNumberSealed ? this.d.cipher.blindIndex('id_number', this.d.cipher.open('id_number', me.idNumberSealed)) : null, accountId: id };
    }
    if (actor.kind === 'company') return { index: this.d.cipher.blindIndex('id_number', actor.creditCode), accountId: actor.accountId };
    return { index: null, accountId: null };
  }

  async isHolder(actor: Actor, l: store.LicenceRow): Promise<boolean> {
    if (actor.kind !== 'citizen' && actor.kind !== 'company') return false;
    const id = actor.kind === 'citizen' ? (actor.onBehalfOf?.accountId ?? actor.accountId) : actor.accountId;
    if (l.holder_account_id === id) return true;
    const key = await this.holderKey(actor);
    return key.index !== null && key.index === l.holder_index;
  }

  /** Every read is a use the holder sees: their own view, or staff's with the legal basis they gave. */
  async get(actor: Actor, identifier: string, opts: { basis?: string } = {}) {
    const { licence, version } = await this.load(this.d.db, identifier);
    const use = await this.assertReader(actor, licence, opts.basis);
    const type = await this.typeByCode(this.d.db, licence.type_code);
    const data = openLicenceData(this.d.cipher, type, licence.data as LicenceData);
    const out = {
      identifier: licence.identifier, requested: identifier, version: licence.version, typeCode: type.code, typeName: type.name, status: this.statusOf(licence, version),
      statusReason: licence.status_reason, revokeKind: licence.revoke_kind, holderKind: licence.holder_kind, regionCode: licence.region_code, issuerUscc: licence.issuer_uscc,
      validFrom: licence.valid_from, validUntil: licence.valid_until, issuedAt: licence.issued_at, sealEsId: licence.seal_es_id, fields: labelled(type, data),
      events: (await store.listEvents(this.d.db, licence.id)).map((e) => ({ action: e.action, reason: e.reason, at: e.created_at })),
    };
    await recordUse(this.d.db, { licenceId: licence.id, identifier, kind: use.kind, actor, regionCode: licence.region_code, purpose: use.purpose });
    return out;
  }

  /** The signed PDF, for the holder only; a download is a recorded use. */
  async pdf(actor: Actor, identifier: string): Promise<{ bytes: Buffer; identifier: string }> {
    const { licence } = await this.load(this.d.db, identifier);
    if (!(await this.isHolder(actor, licence))) throw new AppError('LICENCE_NOT_FOUND');
    const bytes = await this.d.files.get(licence.pdf_sha256);
    if (!bytes) throw new Error(`licence file ${licence.pdf_sha256} missing from the file store`);
    await recordUse(this.d.db, { licenceId: licence.id, identifier, kind: 'download', actor, regionCode: licence.region_code });
    return { bytes, identifier: licence.identifier };
  }

  private async lifecycle<T>(actor: Actor, identifier: string, allowed: store.LicenceStatus[], work: (tx: Queryable, l: store.LicenceRow, type: LicenceType) => Promise<T>): Promise<T> {
    if (actor.kind !== 'staff' || !isLicenceManager(actor)) throw new AppError('FORBIDDEN');
    return inTransaction(this.d.db, async (tx) => {
      const { licence, version } = await this.load(tx, identifier, true);
      assertInRegion(actor, licence.region_code);
      if (version !== licence.version) throw new AppError('LICENCE_STATE_CONFLICT', { detail: `该证照已有新版本 ${licence.identifier}` });
      if (!allowed.includes(licence.status)) throw new AppError('LICENCE_STATE_CONFLICT', { detail: `证照当前状态为 ${STATUS_TEXT[licence.status]}` });
      return work(tx, licence, await this.typeByCode(tx, licence.type_code));
    });
  }

  private async record(tx: Queryable, actor: Actor, l: store.LicenceRow, action: keyof typeof EVENT_TOPIC, reason: string, data: Record<string, unknown>): Promise<void> {
    await store.insertEvent(tx, { licenceId: l.id, action, reason, actorKind: actor.kind, actorId: actorIdOf(actor), regionCode: l.region_code, data });
    await recordAudit(tx, { actor, action: `licence.${action}`, targetType: 'licence', targetId: l.id, regionCode: l.region_code, change: { identifier: l.identifier, reason, ...data } });
    await emitEvent(tx, { topic: EVENT_TOPIC[action], payload: { licenceId: l.id, identifier: l.identifier, typeCode: l.type_code, reason, ...data }, idempotencyKey: `${EVENT_TOPIC[action]}:${l.id}:${l.version}:${Date.now()}:${Math.random()}`, regionCode: l.region_code });
  }

  suspend(actor: Actor, identifier: string, reason: string) {
    return this.lifecycle(actor, identifier, ['valid'], async (tx, l) => {
      await store.setStatus(tx, l.id, 'suspended', reason);
      await this.record(tx, actor, l, 'suspend', reason, {});
      return { identifier: l.identifier, status: 'suspended' as const };
    });
  }

  resume(actor: Actor, identifier: string, reason: string) {
    return this.lifecycle(actor, identifier, ['suspended'], async (tx, l) => {
      await store.setStatus(tx, l.id, 'valid', null);
      await this.record(tx, actor, l, 'resume', reason, {});
      return { identifier: l.identifier, status: 'valid' as const };
    });
  }

  /** 注销 (`cancelled`: the holder or the law ends it) or 吊销 (`withdrawn`: a penalty); final. */
  revoke(actor: Actor, identifier: string, kind: 'cancelled' | 'withdrawn', reason: string) {
    return this.lifecycle(actor, identifier, ['valid', 'suspended'], async (tx, l) => {
      await store.setStatus(tx, l.id, 'revoked', reason, kind);
      await this.record(tx, actor, l, 'revoke', reason, { kind });
      return { identifier: l.identifier, status: 'revoked' as const, kind };
    });
  }

  /** 变更: new data (merged over the current), validated, a new version re-rendered and re-signed. */
  change(actor: Actor, identifier: string, changes: Record<string, unknown>, reason: string) {
    return this.lifecycle(actor, identifier, ['valid'], async (tx, l, type) => {
      const current = openLicenceData(this.d.cipher, type, l.data as LicenceData);
      const checked = validateLicenceData(type, { ...current, ...changes }, l.holder_kind);
      if (!checked.ok) throw new AppError('LICENCE_DATA_INVALID', { errors: checked.errors });
      return this.reissue(tx, actor, l, type, checked.data, l.valid_from, l.valid_until, 'change', reason);
    });
  }

  /** 延续: the validity restarts today under the type's rule; a new version. */
  renew(actor: Actor, identifier: string, reason: string) {
    return this.lifecycle(actor, identifier, ['valid'], async (tx, l, type) => {
      if (type.validity.kind === 'permanent') throw new AppError('LICENCE_STATE_CONFLICT', { detail: `${type.name}长期有效，无需延续` });
      const from = this.today();
      return this.reissue(tx, actor, l, type, openLicenceData(this.d.cipher, type, l.data as LicenceData), from, validUntil(type.validity, from), 'renew', reason);
    });
  }

  private async reissue(tx: Queryable, actor: Actor, l: store.LicenceRow, type: LicenceType, data: LicenceData, from: string, until: string | null, action: 'change' | 'renew', reason: string) {
    const version = l.version + 1;
    const next = formatIdentifier({ typeCode: l.type_code, issuerUscc: l.issuer_uscc, serial: l.serial, version: versionString(version) });
    const face = { type, data, identifier: next, issuerName: data.issuerName ?? '', validFrom: from, validUntil: until };
    let file;
    try {
      file = await produceLicenceFile({ db: tx, config: this.d.config, files: this.d.files }, { id: l.issuer_org_id, regionCode: l.region_code }, face);
    } catch (err) {
      if (err instanceof NoValidSeal) throw new AppError('LICENCE_NO_VALID_SEAL');
      throw err;
    }
    await store.newVersion(tx, l.id, { identifier: next, version, data: sealLicenceData(this.d.cipher, type, data), validFrom: from, validUntil: until, pdfSha256: file.sha256, sealEsId: file.esId });
    await this.record(tx, actor, l, action, reason, { previous: l.identifier, identifier: next, validUntil: until });
    return { identifier: next, previous: l.identifier, version, validFrom: from, validUntil: until };
  }

  /** 纸质证照: the holder asks for a paper copy; the issuing department prints and posts it. */
  async requestPaperCopy(actor: Actor, identifier: string): Promise<void> {
    const { licence } = await this.load(this.d.db, identifier);
    if (!(await this.isHolder(actor, licence))) throw new AppError('LICENCE_NOT_FOUND');
    if (licence.status !== 'valid') throw new AppError('LICENCE_STATE_CONFLICT', { detail: `证照当前状态为 ${STATUS_TEXT[licence.status]}` });
    await inTransaction(this.d.db as Db, async (tx) => {
      await store.markPaperRequested(tx, licence.id);
      await store.insertEvent(tx, { licenceId: licence.id, action: 'paper_copy', reason: null, actorKind: actor.kind, actorId: actorIdOf(actor), regionCode: licence.region_code, data: {} });
      await recordAudit(tx, { actor, action: 'licence.paper_copy', targetType: 'licence', targetId: licence.id, regionCode: licence.region_code, change: { identifier: licence.identifier } });
      await emitEvent(tx, { topic: 'licence.paper_requested', payload: { licenceId: licence.id, identifier: licence.identifier }, regionCode: licence.region_code });
    });
  }
}

const STATUS_TEXT: Record<store.LicenceStatus, string> = { valid: '有效', suspended: '已中止', revoked: '已注销或吊销' };
const PROBLEM_TEXT: Record<IdentifierProblem, string> = {
  format: '证照标识格式不对，应为 1.2.156.3005.2.{类型代码}.{发证机关代码}.{顺序号}.{版本号}.{校验位}',
  check: '证照标识的校验位不符，可能输入有误或被篡改',
  type_code: '证照类型代码不对',
  issuer: '发证机关统一社会信用代码不对',
};
