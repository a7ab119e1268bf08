// What a grant covers: item codes (or all items), a period of at most a year, and for
// company agents the actions. The case workflow asks assertProxyScope / assertCompanyScope
// before it lets an on-behalf or agent actor apply for or view an item.
import type { Actor, CompanyScopes } from '../../../platform/http/access.ts';
import { AppError, type FieldError } from '../../../platform/http/errors.ts';

export const MAX_GRANT_DAYS = 366;
const ITEM_CODE = /^[0-9A-Z][0-9A-Z-]{3,63}$/;
const BASIC_CODE = /^\d{2}-\d{4}-\d{3}$/;

const invalid = (errors: FieldError[]): never => {
  throw new AppError('GRANT_INVALID', { errors });
};

/** "all" or item codes separated by spaces, commas or new lines. */
export function parseItems(raw: string, field = 'items'): 'all' | string[] {
  const text = raw.trim();
  if (text === '' || text === 'all' || text === '全部') return 'all';
  const codes = [...new Set(text.toUpperCase().split(/[\s,，、;；]+/).filter(Boolean))];
  const bad = codes.find((c) => !ITEM_CODE.test(c));
  if (bad) invalid([{ field, message: `事项编码“${bad.slice(0, 40)}”格式不正确` }]);
  if (codes.length > 50) invalid([{ field, message: '一次最多授权 50 个事项，需要更多时请选择“全部事项”' }]);
  return codes;
}

export function parseActions(raw: string | string[] | undefined): ('apply' | 'view')[] {
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  const actions = (['apply', 'view'] as const).filter((a) => list.includes(a));
  if (actions.length === 0) invalid([{ field: 'actions', message: '请至少选择一项可办理的操作' }]);
  return actions;
}

/** The end of the chosen day in China time; the day must be after today and within a year. */
export function parseValidUntil(raw: string, now = new Date(), field = 'validUntil'): Date {
  const ymd = raw.trim();
  const end = /^\d{4}-\d{2}-\d{2}$/.test(ymd) ? new Date(`${ymd}T23:59:59.999+08:00`) : null;
  // A day that does not exist (02-30) parses to another one or to nothing.
  if (!end || Number.isNaN(end.getTime()) || !sameChinaDay(end, ymd)) {
    return invalid([{ field, message: '请按 年-月-日 填写截止日期，例如 2026-12-31' }]);
  }
  if (end.getTime() <= now.getTime()) invalid([{ field, message: '截止日期须晚于今天' }]);
  if (end.getTime() - now.getTime() > MAX_GRANT_DAYS * 86_400_000) invalid([{ field, message: '授权期限最长一年' }]);
  return end;
}

function sameChinaDay(d: Date, ymd: string): boolean {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10) === ymd;
}

/** Does a grant's item list cover `itemCode`? A basic code covers its implementations. */
export function itemsCover(items: 'all' | readonly string[], itemCode: string): boolean {
  if (items === 'all') return true;
  const code = itemCode.toUpperCase();
  return items.some((s) => s === code || (BASIC_CODE.test(s) && code.replace(/-/g, '').startsWith(s.replace(/-/g, ''))));
}

/** For the case workflow: a proxy acting for someone may only touch the items granted. */
export function assertProxyScope(actor: Actor, itemCode: string): void {
  if (actor.kind !== 'citizen' || !actor.onBehalfOf) return;
  if (!itemsCover(actor.onBehalfOf.items, itemCode)) throw new AppError('PROXY_SCOPE_DENIED', { detail: `事项 ${itemCode.slice(0, 64)} 不在代办授权范围内` });
}

/** For the case workflow: an agent may only apply for / view what the grant names. */
export function assertCompanyScope(actor: Actor, itemCode: string, action: 'apply' | 'view'): void {
  if (actor.kind !== 'company' || actor.role === 'legal_representative') return;
  if (!actor.scopes.actions.includes(action) || !itemsCover(actor.scopes.items, itemCode)) {
    throw new AppError('AGENT_SCOPE_DENIED', { detail: `事项 ${itemCode.slice(0, 64)}（${action === 'apply' ? '申报' : '查看'}）不在经办人授权范围内` });
  }
}

/** Whose matter it is: the principal when acting on their behalf, else the actor. */
export function principalAccountId(actor: Actor): string | null {
  if (actor.kind === 'citizen') return actor.onBehalfOf?.accountId ?? actor.accountId;
  return actor.kind === 'company' ? actor.accountId : null;
}

export function describeItems(items: 'all' | readonly string[]): string {
  return items === 'all' ? '全部事项' : items.join('、');
}

export function describeScopes(s: CompanyScopes): string {
  const actions = s.actions.map((a) => (a === 'apply' ? '申报' : '查看')).join('、');
  return `${describeItems(s.items)}；可${actions}`;
}

export const FULL_SCOPES: CompanyScopes = { items: 'all', actions: ['apply', 'view'] };
