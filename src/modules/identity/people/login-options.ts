// Other ways to sign in that modules add to the login page (e.g. federation: a peer node's
// account), without identity depending on them.
import type { AppContext } from '../../../platform/module.ts';

export type LoginOptionsProvider = (next: string | undefined) => Promise<{ href: string; label: string }[]>;

const registry = new WeakMap<AppContext, LoginOptionsProvider[]>();

export function registerLoginOptions(ctx: AppContext, provider: LoginOptionsProvider): void {
  registry.set(ctx, [...(registry.get(ctx) ?? []), provider]);
}

export async function loginOptions(ctx: AppContext, next: string | undefined): Promise<{ href: string; label: string }[]> {
  const lists = await Promise.all((registry.get(ctx) ?? []).map((p) => p(next)));
  return lists.flat();
}
