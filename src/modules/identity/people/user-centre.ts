// The user centre (用户中心) gathers what other capabilities hold for a person or company:
// cases, licences, payments, appointments. Each module contributes a section when it lands,
// through registerUserCentreSection, so identity never depends on them.
import type { Actor } from '../../../platform/http/access.ts';
import type { AppContext } from '../../../platform/module.ts';

export interface UserCentreItem {
  label: string;
  href: string;
  /** A short status or date shown beside the label. */
  meta?: string;
}

export interface UserCentreSection {
  id: string;
  title: string;
  /** Lower first. */
  order: number;
  /** The caller's own entries (at most a handful; the section links to its full list). */
  load(actor: Actor): Promise<{ items: UserCentreItem[]; empty: string; moreHref?: string }>;
}

const registry = new WeakMap<AppContext, UserCentreSection[]>();

export function registerUserCentreSection(ctx: AppContext, section: UserCentreSection): void {
  const list = registry.get(ctx) ?? [];
  if (list.some((s) => s.id === section.id)) throw new Error(`user-centre section ${section.id} registered twice`);
  list.push(section);
  list.sort((a, b) => a.order - b.order);
  registry.set(ctx, list);
}

export function userCentreSections(ctx: AppContext): readonly UserCentreSection[] {
  return registry.get(ctx) ?? [];
}
