// Shared pieces of the workbench pages: who the staff member is, what they may see, the
// labels, and the read-only rendering of a case's answers.
import type { FastifyRequest } from 'fastify';
import type { Actor, StaffRole } from '../../../platform/http/access.ts';
import { AppError } from '../../../platform/http/errors.ts';
import { displayValue } from '../forms/render.ts';
import { orderedNames, propertiesOf, titleOf, typeOf, type Schema } from '../forms/schema.ts';
import { shanghaiDay } from '../case-number.ts';
import { LIGHT_NAMES, type Light } from '../deadlines.ts';
import { eventLabel } from '../state-machine.ts';
import type { CaseRow } from '../store.ts';
import type { Scope } from './workbench-store.ts';

export const PAGES = 'modules/cases/staff/pages';
export const page = { hide: true };
export const home = { label: '工作台', href: '/staff' };
export const queueCrumb = { label: '综合受理', href: '/staff/cases' };

export const INTAKE_ROLES: StaffRole[] = ['window_clerk', 'approver', 'region_admin'];
export const WORKBENCH_ROLES: StaffRole[] = ['window_clerk', 'approver', 'region_admin', 'dept_admin', 'auditor'];
export const CHANNEL_NAMES: Record<number, string> = { 1: '网上', 2: '窗口', 3: '移动端', 4: '自助终端', 5: '合作渠道' };
export const LIGHT_LABELS = LIGHT_NAMES;

export type StaffActor = Extract<Actor, { kind: 'staff' }>;

export function staffOf(req: FastifyRequest): StaffActor {
  if (req.actor.kind !== 'staff') throw new AppError('FORBIDDEN');
  return req.actor;
}

/** A staff member bound to one organisation works on its cases only (region admins on all). */
export function scopeOf(staff: StaffActor): Scope {
  return { regionCode: staff.regionCode, orgId: staff.roles.includes('region_admin') ? null : staff.orgId };
}

/** Cases of another organisation are as invisible as cases that do not exist. */
export function assertOrg(staff: StaffActor, row: Pick<CaseRow, 'org_id'>): void {
  const scope = scopeOf(staff);
  if (scope.orgId && scope.orgId !== row.org_id) throw new AppError('CASE_NOT_FOUND');
}

export function today(): string {
  const d = shanghaiDay();
  return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}`;
}

export { eventLabel };

export function lightText(light: Light, dueOn: string | null): string {
  if (light === 'none') return LIGHT_NAMES.none;
  return `${LIGHT_NAMES[light]}${dueOn ? `（承诺办结 ${dueOn}）` : ''}`;
}

export function formatTime(d: Date | string | null): string {
  if (!d) return '';
  const t = new Date(d);
  return new Date(t.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

export interface AnswerRow {
  label: string;
  value: string;
  depth: number;
}

/** The answers as label/value lines in form order; nested objects and list rows indented. */
export function answerRows(schema: Schema | null, answers: unknown, depth = 0, prefix = ''): AnswerRow[] {
  const values = (answers && typeof answers === 'object' ? answers : {}) as Record<string, unknown>;
  const props = schema ? propertiesOf(schema) : {};
  const names = schema ? [...orderedNames(schema), ...Object.keys(values).filter((k) => !(k in props))] : Object.keys(values);
  const rows: AnswerRow[] = [];
  for (const name of names) {
    const s = props[name] ?? ({} as Schema);
    const v = values[name];
    const label = `${prefix}${schema && props[name] ? titleOf(s, name) : name}`;
    if (v === undefined || v === null || v === '') {
      rows.push({ label, value: '（未填写）', depth });
    } else if (typeOf(s) === 'object' || (!Array.isArray(v) && typeof v === 'object')) {
      rows.push({ label, value: '', depth });
      rows.push(...answerRows(props[name] ?? null, v, depth + 1));
    } else if (Array.isArray(v) && v.some((x) => x && typeof x === 'object')) {
      v.forEach((row, i) => {
        rows.push({ label: `${label}（第 ${i + 1} 项）`, value: '', depth });
        rows.push(...answerRows((s.items as Schema | undefined) ?? null, row, depth + 1));
      });
    } else {
      const shown = typeof v === 'boolean' ? (v ? '是' : '否') : displayValue(v, s);
      rows.push({ label, value: shown, depth });
    }
  }
  return rows;
}

export function hasAnyRole(staff: StaffActor, roles: readonly StaffRole[]): boolean {
  return staff.roles.some((r) => roles.includes(r));
}
