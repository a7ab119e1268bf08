// 授权 (consent): the holder's permission for one organisation or business system to use one
// licence, for one purpose, within a scope of fields, until an expiry. These are the rules
// without storage: a consent's state, the one-time token (only its SM3 is kept, so a leaked
// table gives nothing to exchange), the scope a grantee sees, and the authorisation text the
// applicant reads before submitting a case that reuses a licence.
import { randomBytes } from 'node:crypto';
import { sm3Hex } from '../../platform/crypto/sm3.ts';
import type { LicenceType } from './catalogue.ts';

/** A case consent lasts this long: long enough for the case to be decided, and no longer. */
export const CASE_CONSENT_DAYS = 180;
export const MAX_CONSENT_DAYS = 365;
export const ALL_FIELDS = '*';

export type ConsentState = 'active' | 'expired' | 'revoked' | 'used';
export const CONSENT_STATE_TEXT: Record<ConsentState, string> = { active: '有效', expired: '已过期', revoked: '已撤销', used: '已使用' };

export interface ConsentLike {
  expires_at: Date | string;
  revoked_at: Date | string | null;
  used_at: Date | string | null;
  token_sm3: string | null;
}

/** Revoked wins over everything; a token consent is spent once exchanged; then the expiry. */
export function consentState(c: ConsentLike, now: Date = new Date()): ConsentState {
  if (c.revoked_at) return 'revoked';
  if (c.token_sm3 && c.used_at) return 'used';
  if (new Date(c.expires_at).getTime() <= now.getTime()) return 'expired';
  return 'active';
}

export function newConsentToken(): { token: string; sm3: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, sm3: tokenSm3(token) };
}

export function tokenSm3(token: string): string {
  return sm3Hex(token.trim());
}

/** A token is 32 random bytes in base64url: anything else is not worth a lookup. */
export function isTokenShape(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token.trim());
}

export function addDays(from: Date, days: number): Date {
  return new Date(from.getTime() + days * 86_400_000);
}

/** The scope as stored: ['*'] or the type's field keys, in schema order, each once. */
export function normaliseScope(type: LicenceType, scope: readonly string[]): { ok: true; scope: string[] } | { ok: false; message: string } {
  if (!scope.length) return { ok: false, message: '请至少选择一项授权使用的证照信息' };
  if (scope.includes(ALL_FIELDS)) return scope.length === 1 ? { ok: true, scope: [ALL_FIELDS] } : { ok: false, message: '“*”（全部信息）不能与具体信息项同时选择' };
  const unknown = scope.filter((k) => !type.fields.some((f) => f.key === k));
  if (unknown.length) return { ok: false, message: `${type.name}没有这些信息项：${unknown.join('、')}` };
  return { ok: true, scope: type.fields.filter((f) => scope.includes(f.key)).map((f) => f.key) };
}

export function inScope(scope: readonly string[], key: string): boolean {
  return scope.includes(ALL_FIELDS) || scope.includes(key);
}

export function fieldsInScope<T extends { key: string }>(fields: readonly T[], scope: readonly string[]): T[] {
  return fields.filter((f) => inScope(scope, f.key));
}

/** What the holder reads about the scope: 全部信息, or the field labels. */
export function scopeText(type: LicenceType | null, scope: readonly string[]): string {
  if (scope.includes(ALL_FIELDS) || !type) return '证照上的全部信息';
  return type.fields.filter((f) => scope.includes(f.key)).map((f) => f.label).join('、');
}


export interface AuthorisationInput {
  licenceTitle: string;
  department: string;
  itemName: string;
  scope: string;
  until: string;
}

/** The sentence the applicant agrees to by submitting a case that reuses a licence. */
export function authorisationText(a: AuthorisationInput): string {
  return `授权${a.department}在办理“${a.itemName}”时使用您的电子证照“${a.licenceTitle}”（${a.scope}），有效期至 ${a.until}；可随时在“我的证照”中撤销。`;
}
