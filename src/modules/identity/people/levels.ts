// Real-name levels (standards.md, "Five real-name levels") and what a session has proven.
// An account's level says how well the identity behind it was verified, once; a session's
// level says how strongly this sign-in proved it is that person. A session never exceeds its
// account, and step-up raises the session by adding a factor.
import type { RealNameLevel } from '../../../platform/http/access.ts';

export type Factor = 'password' | 'sms' | 'totp' | 'passkey' | 'bank_card' | 'carrier' | 'face' | 'federation';

/** Factor → when it was last proven (epoch ms), kept in the session's data. */
export type SessionFactors = Partial<Record<Factor, number>>;

const POSSESSION: readonly Factor[] = ['totp', 'passkey'];

/** How high a session with these factors may go, before capping by the account's level. */
export function factorStrength(factors: SessionFactors): RealNameLevel {
  const kinds = Object.keys(factors) as Factor[];
  if (kinds.includes('face')) return 5;
  if (kinds.some((k) => POSSESSION.includes(k)) || kinds.length >= 2) return 3;
  return kinds.length ? 2 : 1;
}

export function sessionLevel(accountLevel: RealNameLevel, factors: SessionFactors): RealNameLevel {
  return Math.min(accountLevel, factorStrength(factors)) as RealNameLevel;
}

export const LEVEL_NAMES: Record<RealNameLevel, string> = {
  1: '一级（手机号已验证）',
  2: '二级（姓名与身份证号码已核验）',
  3: '三级（运营商或银行卡信息已核验）',
  4: '四级（人脸识别已核验）',
  5: '五级（线下核验或可信身份认证）',
};

/** OIDC `acr` value per level: what a relying party asks for and is told (OpenID Connect Core 2). */
export const ACR_PREFIX = 'urn:yiwang:acr:level';
export function acrForLevel(level: RealNameLevel): string {
  return `${ACR_PREFIX}${level}`;
}
export function levelForAcr(acr: string): RealNameLevel | null {
  const m = /^urn:yiwang:acr:level([1-5])$/.exec(acr);
  return m ? (Number(m[1]) as RealNameLevel) : null;
}

/**
 * What the person must do to bring a session to `target`: prove more of their identity
 * (upgrade the account) or add a factor to this session.
 */
export type StepUpPlan =
  | { kind: 'none' }
  | { kind: 'upgrade'; nextAccountLevel: RealNameLevel }
  | { kind: 'factor'; choices: Factor[] };

export function planStepUp(accountLevel: RealNameLevel, factors: SessionFactors, target: RealNameLevel, enrolled: Factor[]): StepUpPlan {
  if (sessionLevel(accountLevel, factors) >= target) return { kind: 'none' };
  if (accountLevel < target) return { kind: 'upgrade', nextAccountLevel: (accountLevel + 1) as RealNameLevel };
  if (target >= 4) return { kind: 'factor', choices: ['face'] };
  // Target 2 or 3 with a strong enough account: any factor not yet used in this session.
  const have = Object.keys(factors) as Factor[];
  const choices: Factor[] = (['sms', 'totp', 'passkey', 'bank_card', 'password'] as Factor[]).filter(
    (f) => !have.includes(f) && (f === 'sms' || f === 'bank_card' || f === 'password' || enrolled.includes(f)),
  );
  return { kind: 'factor', choices };
}
