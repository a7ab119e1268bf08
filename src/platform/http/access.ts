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
  /**
   * realNameLevel is what this session has proven (raised by step-up); accountLevel is the
   * highest level the person's identity was ever verified to.
   */
  | { kind: 'citizen'; accountId: string; displayName: string; realNameLevel: RealNameLevel; accountLevel: RealNameLevel; sessionId: string; onBehalfOf?: OnBehalfOf }
  /**
   * A company session: the legal representative who presented the licence, or an agent
   * (经办人: a licence holder, or a person the legal representative authorised) with `scopes`.
   * agentAccountId is the person's citizen account when they have one.
   */
  | { kind: 'company'; accountId: string; displayName: string; creditCode: string; agentAccountId: string | null; sessionId: string; role: CompanyRole; scopes: CompanyScopes; grantId: string | null }
  | { kind: 'staff'; accountId: string; displayName: string; roles: StaffRole[]; orgId: string | null; regionCode: string; sessionId: string; mustChangePassword: boolean }
  | { kind: 'client'; clientId: string; displayName: string; scopes: string[]; regionCode: string };

/** 代办: `accountId` is the principal; the actor's own accountId stays the proxy's (proxyAccountId). */
export interface OnBehalfOf {
  accountId: string;
  grantId: string;
  proxyAccountId: string;
  /** Item codes the grant covers, or 'all'. */
  items: 'all' | string[];
}
export type CompanyRole = 'legal_representative' | 'agent';
export interface CompanyScopes {
  items: 'all' | string[];
  actions: ('apply' | 'view')[];
}

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

/** The citizen level a rule asks for, when citizens may call it at all. */
export function requiredCitizenLevel(rule: AccessRule): RealNameLevel | null {
  const levels = rule.grants.flatMap((g) => (g.kind === 'citizen' ? [g.minLevel] : []));
  return levels.length ? (Math.min(...levels) as RealNameLevel) : null;
}

/** Where a browser goes to sign in for a rule: staff-only routes have their own login. */
export function loginPathFor(rule: AccessRule): string {
  const onlyStaff = rule.grants.every((g) => g.kind === 'staff');
  return onlyStaff ? '/staff/login' : '/account/login';
}

/**
 * Who may call: the grants and the pending password change. Runs before validation. A
 * citizen whose session is below the level asked for gets STEP_UP_REQUIRED (not FORBIDDEN):
 * the answer is to prove more, not to give up. `returnTo` is the page to come back to.
 */
export function checkGrant(rule: AccessRule, actor: Actor, returnTo?: string): void {
  const granted = rule.grants.some((g) => grantMatches(g, actor));
  if (!granted) {
    const next = returnTo ? `next=${encodeURIComponent(returnTo)}` : '';
    if (actor.kind === 'anonymous') {
      throw new AppError('UNAUTHENTICATED', { location: `${loginPathFor(rule)}${next ? `?${next}` : ''}` });
    }
    const level = requiredCitizenLevel(rule);
    if (actor.kind === 'citizen' && level !== null && actor.realNameLevel < level) {
      throw new AppError('STEP_UP_REQUIRED', {
        detail: `需要实名认证等级 L${level}，当前会话为 L${actor.realNameLevel}`,
        location: `/account/step-up?level=${level}${next ? `&${next}` : ''}`,
      });
    }
    throw new AppError('FORBIDDEN');
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
