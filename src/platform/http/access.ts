// Who may call a route. Every route declares an AccessRule in its config; app.ts refuses to
// start when one does not, and test/access-coverage.test.ts lists every route to prove it.
import type { FastifyRequest } from 'fastify';
import { AppError } from './errors.ts';
import { regionContains } from '../region-code.ts';

export const STAFF_ROLES = ['window_clerk', 'approver', 'dept_admin', 'region_admin', 'platform_admin', 'auditor'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
export type RealNameLevel = 1 | 2 | 3 | 4 | 5;

export type Actor =
  | { kind: 'anonymous' }
  | { kind: 'citizen'; accountId: string; displayName: string; realNameLevel: RealNameLevel; sessionId: string }
  | { kind: 'company'; accountId: string; displayName: string; creditCode: string; agentAccountId: string; sessionId: string }
  | { kind: 'staff'; accountId: string; displayName: string; roles: StaffRole[]; orgId: string | null; regionCode: string; sessionId: string; mustChangePassword: boolean }
  | { kind: 'client'; clientId: string; displayName: string; scopes: string[]; regionCode: string };

export type Grant =
  | { kind: 'public' }
  | { kind: 'citizen'; minLevel: RealNameLevel }
  | { kind: 'company' }
  /** Staff holding any of `roles`; an empty list means any staff member. */
  | { kind: 'staff'; roles: readonly StaffRole[] }
  | { kind: 'client'; scope: string };

export interface AccessRule {
  grants: readonly Grant[];
  /** For scoped rules: the region the request touches, checked against the actor's region. */
  region?: (req: FastifyRequest) => string | undefined;
  /** Reachable by staff who must still replace their initial password (the change itself, logout). */
  duringPasswordChange?: boolean;
}

type RegionOf = AccessRule['region'];

export const access = {
  public: (): AccessRule => ({ grants: [{ kind: 'public' }] }),
  citizen: (minLevel: RealNameLevel = 1): AccessRule => ({ grants: [{ kind: 'citizen', minLevel }] }),
  company: (): AccessRule => ({ grants: [{ kind: 'company' }] }),
  staff: (roles: readonly StaffRole[], region?: RegionOf): AccessRule => ({ grants: [{ kind: 'staff', roles }], region }),
  client: (scope: string, region?: RegionOf): AccessRule => ({ grants: [{ kind: 'client', scope }], region }),
  anyOf: (...rules: AccessRule[]): AccessRule => ({
    grants: rules.flatMap((r) => r.grants),
    region: rules.find((r) => r.region)?.region,
  }),
};

function grantMatches(grant: Grant, actor: Actor): boolean {
  switch (grant.kind) {
    case 'public':
      return true;
    case 'citizen':
      return actor.kind === 'citizen' && actor.realNameLevel >= grant.minLevel;
    case 'company':
      return actor.kind === 'company';
    case 'staff':
      return actor.kind === 'staff' && (grant.roles.length === 0 || grant.roles.some((r) => actor.roles.includes(r)));
    case 'client':
      return actor.kind === 'client' && actor.scopes.includes(grant.scope);
  }
}

/** The region an actor may act in, or null when the actor is not region-bound. */
export function actorRegion(actor: Actor): string | null {
  return actor.kind === 'staff' || actor.kind === 'client' ? actor.regionCode : null;
}

/**
 * Throws OUT_OF_REGION unless a region-bound actor's region contains `regionCode`. A value
 * that is not a string (a repeated query parameter, a malformed body) is never in region.
 */
export function assertInRegion(actor: Actor, regionCode: string): void {
  const own = actorRegion(actor);
  if (own === null) return;
  const target: unknown = regionCode;
  if (typeof target !== 'string') throw new AppError('OUT_OF_REGION', { detail: `区划代码无效，不在 ${own} 范围内` });
  if (!regionContains(own, target)) {
    throw new AppError('OUT_OF_REGION', { detail: `${target.slice(0, 20)} 不在 ${own} 范围内` });
  }
}

/** Who may call: the grants and the pending password change. Runs before validation. */
export function checkGrant(rule: AccessRule, actor: Actor): void {
  const granted = rule.grants.some((g) => grantMatches(g, actor));
  if (!granted) {
    throw new AppError(actor.kind === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN');
  }
  if (actor.kind === 'staff' && actor.mustChangePassword && !rule.duringPasswordChange && !rule.grants.some((g) => g.kind === 'public')) {
    throw new AppError('PASSWORD_CHANGE_REQUIRED');
  }
}

/**
 * The region a scoped rule names, checked against the actor's. Runs after schema
 * validation (a preHandler), so `rule.region` reads params, query and body of known shape.
 */
export function checkRegion(rule: AccessRule, actor: Actor, req: FastifyRequest): void {
  if (rule.region && !rule.grants.some((g) => g.kind === 'public')) {
    const target: unknown = rule.region(req);
    if (target !== undefined) assertInRegion(actor, target as string);
  }
}

/** Both checks at once (for callers outside the request lifecycle, and tests). */
export function checkAccess(rule: AccessRule, actor: Actor, req: FastifyRequest): void {
  checkGrant(rule, actor);
  checkRegion(rule, actor, req);
}
