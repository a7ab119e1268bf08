// Which real-name level an authorization request needs, decided afresh on every request
// (first login, silent prompt=none, or a provider session that already exists).
import type { RealNameLevel } from '../../platform/http/access.ts';
import { acrForLevel, levelForAcr } from '../identity/index.ts';

export type LevelDecision =
  /** The session proves enough: sign in with this acr. */
  | { kind: 'ok'; acr: string; level: RealNameLevel }
  /** The account could reach `level`, the session has not proven it yet. */
  | { kind: 'step_up'; level: RealNameLevel }
  /** The client's minimum is above anything this account has ever been verified to. */
  | { kind: 'account_too_low'; level: RealNameLevel }
  /** None of the acr values asked for is reachable by this account. */
  | { kind: 'unmet'; description: string };

export interface LevelInput {
  /** acr_values as sent (space-separated), if any. */
  acrValues: string | undefined;
  clientMinLevel: RealNameLevel;
  sessionLevel: RealNameLevel;
  accountLevel: RealNameLevel;
}

/**
 * Of several requested acr values the strongest the ACCOUNT can reach is honoured (a weaker
 * one would under-deliver; one above the account cannot be met by any step-up). The level
 * needed is the larger of that and the client's own minimum.
 */
export function decideLevel(input: LevelInput): LevelDecision {
  const { clientMinLevel, sessionLevel, accountLevel } = input;
  if (accountLevel < clientMinLevel) return { kind: 'account_too_low', level: clientMinLevel };
  const requested = (input.acrValues ?? '')
    .split(' ')
    .map((v) => levelForAcr(v))
    .filter((l): l is RealNameLevel => l !== null);
  let needed: RealNameLevel = clientMinLevel;
  if (requested.length > 0) {
    const reachable = requested.filter((l) => l <= accountLevel);
    if (reachable.length === 0) {
      return { kind: 'unmet', description: `所请求的认证等级（最低 L${Math.min(...requested)}）高于该账户的实名认证等级 L${accountLevel}` };
    }
    needed = Math.max(needed, ...reachable) as RealNameLevel;
  }
  if (sessionLevel < needed) return { kind: 'step_up', level: needed };
  // With acr_values the honoured value is reported; without, what the session really proved.
  const level = requested.length > 0 ? needed : sessionLevel;
  return { kind: 'ok', acr: acrForLevel(level), level };
}
