// Shared pieces of the catalogue admin pages: Chinese labels, role lists, and turning the
// lifecycle's refusals into an error summary instead of a bare error page.
import type { FastifyRequest } from 'fastify';
import { AppError, isAppError, type FieldError } from '../../../platform/http/errors.ts';
import type { StaffRole } from '../../../platform/http/access.ts';
import { DEPARTMENT_TYPES, ITEM_TYPES } from '../schemas.ts';

export const PAGES = 'modules/catalog/admin/pages';
export const page = { hide: true };
export const home = { label: '首页', href: '/' };
export const adminCrumb = { label: '事项管理', href: '/admin/catalog' };

/** Who sees the admin console (window clerks and approvers use the workbench instead). */
export const ADMIN_READERS: StaffRole[] = ['platform_admin', 'region_admin', 'dept_admin', 'auditor'];
export const EDITORS: StaffRole[] = ['platform_admin', 'region_admin', 'dept_admin'];
export const REVIEWERS: StaffRole[] = ['platform_admin', 'region_admin'];

export const STATUS_LABELS: Record<string, string> = { draft: '草稿', in_review: '审核中', published: '已发布', withdrawn: '已取消', superseded: '已被新版本替代', rejected: '审核未通过' };
export const STATUS_VARIANTS: Record<string, string> = { draft: 'grey', in_review: 'warning', published: 'success', withdrawn: 'grey', superseded: 'grey', rejected: 'warning' };
export const KIND_LABELS: Record<string, string> = { basic_item: '基本目录', implementation: '实施清单' };
export const CHANNEL_LABELS: Record<string, string> = { online: '网上', window: '窗口', mobile: '移动端' };
export const LEVEL_LABELS: Record<string, string> = { province: '省', city: '市', county: '县', town: '乡镇', village: '村' };
export const FORM_LABELS: Record<string, string> = { original: '原件', copy: '复印件', electronic: '电子件' };
export const SOURCE_LABELS: Record<string, string> = { upload: '申请人提交', licence: '电子证照复用', data: '数据共享' };

/** Labels handed to every template. */
export const labels = { status: STATUS_LABELS, statusVariant: STATUS_VARIANTS, kind: KIND_LABELS, channel: CHANNEL_LABELS, level: LEVEL_LABELS, form: FORM_LABELS, source: SOURCE_LABELS, itemType: ITEM_TYPES, dept: DEPARTMENT_TYPES };

export function staffOf(req: FastifyRequest) {
  if (req.actor.kind !== 'staff') throw new AppError('FORBIDDEN');
  return req.actor;
}

export function hasRole(req: FastifyRequest, roles: StaffRole[]): boolean {
  return req.actor.kind === 'staff' && req.actor.roles.some((r) => roles.includes(r));
}

/** A value shown in a diff line: short, one line. */
export function showValue(v: unknown): string {
  if (v === undefined) return '（无）';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}

/** Errors a staff member can act on; the page shows them in its error summary. Others propagate. */
const SHOWN = new Set(['VALIDATION_FAILED', 'CATALOG_SELF_APPROVAL', 'CATALOG_INCONSISTENT', 'CATALOG_INVALID_STATE', 'CATALOG_EDIT_CONFLICT', 'CATALOG_CODE_TAKEN', 'CATALOG_BASIC_ITEM_NOT_PUBLISHED']);

export function pageErrors(err: unknown, anchor: string): { errors: FieldError[]; status: number; code: string } | null {
  if (!isAppError(err) || !SHOWN.has(err.code)) return null;
  if (err.code === 'CATALOG_EDIT_CONFLICT') return { errors: [{ field: anchor, message: '已被他人修改：' + (err.detail ?? err.message) }], status: err.status, code: err.code };
  // Validation errors name JSON paths (materials/0/count); they all live in one textarea.
  if (err.code === 'VALIDATION_FAILED' && err.errors?.length) return { errors: err.errors.map((e) => ({ field: anchor, message: `${e.field}：${e.message}` })), status: err.status, code: err.code };
  const errors: FieldError[] = [{ field: anchor, message: err.detail && err.code !== 'CATALOG_INCONSISTENT' ? `${err.message}：${err.detail}` : err.message }];
  // 三级四同: every difference from the basic item, in Chinese.
  for (const e of err.errors ?? []) errors.push({ field: anchor, message: e.message });
  return { errors, status: err.status, code: err.code };
}

/** Parses a JSON textarea; a syntax error becomes a field error. */
export function parseJsonField(text: string, field: string): { value: unknown; errors: FieldError[] } {
  try {
    return { value: JSON.parse(text), errors: [] };
  } catch (err) {
    return { value: null, errors: [{ field, message: `内容不是有效的 JSON：${err instanceof Error ? err.message : String(err)}` }] };
  }
}
