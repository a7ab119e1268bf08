// 我的证照 (the e-licence wallet), the holder's side: their licences, one licence in full with
// its versions, its consents and every use of it, the QR code of its face, consents the holder
// hands to a business system or an organisation (a one-time token), and revoking a consent.
// A person's licences are found by the blind index of their ID number, a company's by its
// USCC (LicenceService.holderKey), never by decrypting the library.
import type { Config } from '../../../config.ts';
import { recordAudit } from '../../../platform/audit/audit.ts';
import { maskIdNumber, type PersonalDataCipher } from '../../../platform/crypto/personal-data.ts';
import { inTransaction, type Db } from '../../../platform/db/database.ts';
import type { Actor } from '../../../platform/http/access.ts';
import { AppError, isAppError, type FieldError } from '../../../platform/http/errors.ts';
import { RegionService } from '../../regions/index.ts';
import { StaffService } from '../../identity/index.ts';
import type { LicenceType } from '../catalogue.ts';
import { CONSENT_STATE_TEXT, MAX_CONSENT_DAYS, addDays, consentState, newConsentToken, normaliseScope, scopeText, type ConsentState } from '../consent.ts';
import { openLicenceData, type LicenceData } from '../data.ts';
import { qrTextFromPdf, verificationUrl } from '../document.ts';
import { maskCreditCode, qrUrl } from '../qr.ts';
import type { LicenceService, PublicStatus } from '../service.ts';
import type { LicenceRow } from '../store.ts';
import { listUses, type UseKind } from '../usage.ts';
import * as consents from './store.ts';

export const STATUS_TEXT: Record<PublicStatus, string> = { valid: '有效', expired: '已过期', suspended: '已中止', revoked: '已注销或吊销', superseded: '已被新版本取代' };
const USE_TEXT: Record<UseKind, string> = {
  holder_view: '持证人查看', download: '下载证照文件', shared_view: '经授权查看', legal_basis_view: '依法查阅（未经授权）', material: '作为办件材料提交',
  verify_online: '在线核验', verify_pdf: '核验证照文件', verify_qr: '扫码核验', import: '导入',
};
const EVENT_TEXT: Record<string, string> = { issue: '签发', change: '变更', renew: '延续', suspend: '中止', resume: '恢复', revoke: '注销或吊销', paper_copy: '申请纸质证照' };
const EVENT_ACTOR: Record<string, string> = { staff: '发证机关工作人员', system: '系统', citizen: '持证人本人', company: '持证企业' };
/** Enough for years of ordinary use; the page says when older entries are cut. */
const MAX_ACTIVITY = 500;

export interface WalletCard {
  identifier: string;
  typeName: string;
  holderCodeMasked: string;
  status: PublicStatus;
  statusText: string;
  validFrom: string;
  validUntil: string | null;
  issuerName: string;
}

export interface Activity {
  at: Date;
  what: string;
  who: string;
  purpose: string | null;
  outcome: string;
}

export interface ConsentView {
  id: string;
  grantee: string;
  purpose: string;
  scope: string;
  expiresAt: Date;
  createdAt: Date;
  state: ConsentState;
  stateText: string;
  kind: 'case' | 'api';
}

export interface NewConsentInput {
  clientId?: string;
  granteeOrgId?: string;
  purpose: string;
  scope: string[];
  expiresInDays: number;
}

export interface WalletDeps {
  db: Db;
  config: Pick<Config, 'publicUrl'>;
  cipher: PersonalDataCipher;
  licences: LicenceService;
}

const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

export class WalletService {
  readonly d: WalletDeps;
  constructor(deps: WalletDeps) {
    this.d = deps;
  }

  private async typeOf(code: string): Promise<LicenceType> {
    return this.d.licences.typeByCode(this.d.db, code);
  }

  /** The actor's own licence, or 404 for anyone else's: another holder's licence is as absent as an unknown one. */
  async own(actor: Actor, identifier: string): Promise<{ licence: LicenceRow; version: number }> {
    const found = await this.d.licences.open(identifier);
    if (!(await this.d.licences.isHolder(actor, found.licence))) throw new AppError('LICENCE_NOT_FOUND');
    return found;
  }

  async list(actor: Actor): Promise<WalletCard[]> {
    const key = await this.d.licences.holderKey(actor);
    const rows = await consents.holderLicences(this.d.db, key.index, key.accountId);
    const cards: WalletCard[] = [];
    for (const l of rows) {
      const type = await this.typeOf(l.type_code);
      const data = openLicenceData(this.d.cipher, type, l.data as LicenceData);
      const status = this.d.licences.statusOf(l, l.version);
      const code = data.holderCode ?? '';
      cards.push({
        identifier: l.identifier, typeName: type.name, holderCodeMasked: l.holder_kind === 'company' ? maskCreditCode(code) : maskIdNumber(code), status, statusText: STATUS_TEXT[status],
        validFrom: l.valid_from, validUntil: l.valid_until, issuerName: data.issuerName ?? l.issuer_uscc,
      });
    }
    return cards;
  }

  /** One licence in full (a `holder_view` use), its versions, consents and everything that happened to it, newest first. */
  async detail(actor: Actor, identifier: string) {
    const { licence } = await this.own(actor, identifier);
    const view = await this.d.licences.get(actor, identifier);
    const [versions, consentList, activity] = await Promise.all([consents.listVersions(this.d.db, licence.id), this.consentsOf(licence), this.activity(licence.id)]);
    return { view, statusText: STATUS_TEXT[view.status], versions, consents: consentList, activity: activity.items, activityCut: activity.cut, paperRequestedAt: licence.paper_requested_at };
  }

  private async activity(licenceId: string): Promise<{ items: Activity[]; cut: boolean }> {
    const [uses, events] = await Promise.all([listUses(this.d.db, licenceId, MAX_ACTIVITY), consents.listEventsFull(this.d.db, licenceId)]);
    const items: Activity[] = [
      ...uses.map((u) => ({ at: new Date(u.created_at), what: USE_TEXT[u.kind] ?? u.kind, who: u.actor_label, purpose: u.purpose, outcome: u.outcome === 'ok' ? '成功' : u.outcome })),
      ...events.map((e) => ({ at: new Date(e.created_at), what: EVENT_TEXT[e.action] ?? e.action, who: EVENT_ACTOR[e.actor_kind] ?? e.actor_kind, purpose: e.reason, outcome: '成功' })),
    ];
    items.sort((a, b) => b.at.getTime() - a.at.getTime());
    return { items, cut: uses.length >= MAX_ACTIVITY };
  }

  private async consentsOf(licence: LicenceRow): Promise<ConsentView[]> {
    const rows = await consents.listConsents(this.d.db, licence.id);
    if (!rows.length) return [];
    const type = await this.typeOf(licence.type_code);
    const regions = new RegionService(this.d.db);
    const clients = rows.some((r) => r.grantee_client_id) ? await new StaffService(this.d.db).listClients() : [];
    const now = new Date();
    const out: ConsentView[] = [];
    for (const r of rows) {
      let grantee = '业务系统';
      if (r.grantee_client_id) grantee = clients.find((c) => c.id === r.grantee_client_id)?.name ?? grantee;
      else if (r.grantee_org_id) grantee = (await regions.organisation(r.grantee_org_id).catch(() => null))?.name ?? '（机构已撤销）';
      const state = consentState(r, now);
      out.push({ id: r.id, grantee, purpose: r.purpose_text, scope: scopeText(type, consents.scopeOf(r)), expiresAt: r.expires_at, createdAt: r.created_at, state, stateText: CONSENT_STATE_TEXT[state], kind: r.purpose_kind });
    }
    return out;
  }

  async listConsents(actor: Actor, identifier: string): Promise<ConsentView[]> {
    return this.consentsOf((await this.own(actor, identifier)).licence);
  }

  /** What the wallet's QR code carries: the same signed token as the face, inside the verification address. */
  async qrText(actor: Actor, identifier: string): Promise<string> {
    const { licence } = await this.own(actor, identifier);
    const pdf = await this.d.licences.d.files.get(licence.pdf_sha256);
    const token = pdf ? qrTextFromPdf(pdf) : null;
    return token ? qrUrl(this.d.config.publicUrl, token) : verificationUrl(this.d.config.publicUrl, licence.identifier);
  }

  /**
   * A consent the holder hands over as a one-time token (API): to a registered business system
   * or to an organisation, for a purpose, within a scope, for at most a year. Only the token's
   * SM3 is stored; the token is shown this once.
   */
  async createConsent(actor: Actor, identifier: string, input: NewConsentInput) {
    const { licence } = await this.own(actor, identifier);
    const status = this.d.licences.statusOf(licence, licence.version);
    if (status !== 'valid') throw new AppError('LICENCE_STATE_CONFLICT', { detail: `证照${STATUS_TEXT[status]}，不能授权他人使用` });
    const type = await this.typeOf(licence.type_code);
    const errors: FieldError[] = [];
    const purpose = input.purpose.trim();
    if (purpose.length < 2 || purpose.length > 200) errors.push({ field: 'purpose', message: '请写明用途（2–200 字）' });
    if (!Number.isInteger(input.expiresInDays) || input.expiresInDays < 1 || input.expiresInDays > MAX_CONSENT_DAYS) errors.push({ field: 'expiresInDays', message: `授权期限为 1–${MAX_CONSENT_DAYS} 天` });
    const scope = normaliseScope(type, input.scope);
    if (!scope.ok) errors.push({ field: 'scope', message: scope.message });
    let grantee = '';
    if (!!input.clientId === !!input.granteeOrgId) errors.push({ field: 'clientId', message: '请指定一个被授权方：业务系统（clientId）或机构（granteeOrgId）' });
    else if (input.clientId) {
      const client = isUuid(input.clientId) ? (await new StaffService(this.d.db).listClients()).find((c) => c.id === input.clientId && !c.revokedAt) : undefined;
      if (client) grantee = client.name;
      else errors.push({ field: 'clientId', message: '没有这个已登记的业务系统' });
    } else if (input.granteeOrgId) {
      try {
        grantee = (await new RegionService(this.d.db).organisation(input.granteeOrgId)).name;
      } catch (err) {
        if (!isAppError(err) || err.code !== 'ORG_NOT_FOUND') throw err;
        errors.push({ field: 'granteeOrgId', message: '没有这个机构' });
      }
    }
    if (errors.length || !scope.ok) throw new AppError('LICENCE_CONSENT_INVALID', { errors });
    const { token, sm3 } = newConsentToken();
    const by = holderRef(actor);
    const row = await inTransaction(this.d.db, async (tx) => {
      const c = await consents.insertConsent(tx, {
        licence_id: licence.id, holder_index: licence.holder_index, grantee_org_id: input.granteeOrgId ?? null, grantee_client_id: input.clientId ?? null, purpose_kind: 'api',
        purpose_ref: input.clientId ?? input.granteeOrgId!, purpose_text: purpose, scope: scope.scope, expires_at: addDays(new Date(), input.expiresInDays), token_sm3: sm3, created_by_kind: by.kind, created_by_id: by.id,
      });
      await recordAudit(tx, { actor, action: 'licence.consent.create', targetType: 'licence_consent', targetId: c.id, regionCode: licence.region_code, change: { identifier: licence.identifier, grantee, purpose, scope: scope.scope, expiresAt: c.expires_at } });
      return c;
    });
    return { id: row.id, token, grantee, purpose, scope: scope.scope, expiresAt: row.expires_at };
  }

  /** The holder withdraws a consent: from then on it lets nobody read anything. Revoking twice is harmless. */
  async revokeConsent(actor: Actor, consentId: string): Promise<void> {
    const c = isUuid(consentId) ? await consents.findConsent(this.d.db, consentId) : null;
    const licence = c ? await consents.licenceById(this.d.db, c.licence_id) : null;
    if (!c || !licence || !(await this.d.licences.isHolder(actor, licence))) throw new AppError('LICENCE_CONSENT_NOT_FOUND');
    await inTransaction(this.d.db, async (tx) => {
      if (await consents.revokeConsent(tx, c.id)) {
        await recordAudit(tx, { actor, action: 'licence.consent.revoke', targetType: 'licence_consent', targetId: c.id, regionCode: licence.region_code, change: { identifier: licence.identifier } });
      }
    });
  }
}

export function holderRef(actor: Actor): { kind: string; id: string } {
  if (actor.kind === 'citizen') return { kind: 'citizen', id: actor.onBehalfOf?.accountId ?? actor.accountId };
  if (actor.kind === 'company') return { kind: 'company', id: actor.accountId };
  throw new AppError('FORBIDDEN');
}
