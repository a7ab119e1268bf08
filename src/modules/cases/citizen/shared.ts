// What the citizen pages share: where their templates live, who may use them, breadcrumbs.
import type { FastifyRequest } from 'fastify';
import { access } from '../../../platform/http/access.ts';

export const PAGES = 'modules/cases/citizen/pages';
export const applicants = access.anyOf(access.citizen(1), access.company());

export function mineCrumbs(req: FastifyRequest): { label: string; href: string }[] {
  const home = req.actor.kind === 'company' ? { label: '法人空间', href: '/company' } : { label: '用户中心', href: '/account' };
  return [{ label: '首页', href: '/' }, home, { label: '我的办件', href: '/cases/mine' }];
}
