// Public face of the single sign-on module: the OpenID provider at /oidc for the province's
// business systems (统一身份认证), its admin pages, and the demo relying party.
import type Provider from 'oidc-provider';
import type { AppContext, PlatformModule } from '../../platform/module.ts';
import { createProvider } from './provider.ts';
import { interactionRoutes, mountProvider } from './routes.ts';
import { adminRoutes } from './admin.ts';
import { demoRpRoutes } from './demo-rp.ts';
import { endLinkedSessions } from './service.ts';
import { withTransaction } from './adapter.ts';
import { onSessionRotated } from '../../platform/http/session.ts';
import { relinkSessions } from './store.ts';

export { ensureDemoSsoClient, createClient as createSsoClient, revokeSsoClient, DEMO_CLIENT_NAME, checkClientUri } from './service.ts';
export { decideLevel, type LevelDecision } from './levels.ts';
export { demoLogouts } from './demo-rp.ts';
export { purgeExpiredPayloads } from './adapter.ts';

const providers = new WeakMap<AppContext, Promise<Provider>>();

/** One provider per app (the worker process builds its own for back-channel logout). */
export function providerFor(ctx: AppContext): Promise<Provider> {
  let p = providers.get(ctx);
  if (!p) {
    p = createProvider(ctx);
    providers.set(ctx, p);
  }
  return p;
}

export const ssoModule: PlatformModule = {
  name: 'sso',
  async routes(app, ctx) {
    // Logging out after a step-up must still reach the business systems signed in before it.
    onSessionRotated(relinkSessions);
    const provider = await providerFor(ctx);
    mountProvider(app, provider);
    interactionRoutes(app, ctx, provider);
    adminRoutes(app, ctx);
    demoRpRoutes(app, ctx);
  },
  handlers: (ctx) => [
    {
      name: 'sso.end-linked-sessions',
      topic: 'identity.session.ended',
      async handle(event, tx) {
        const { sessionId } = event.payload as { sessionId?: string };
        if (!sessionId) return;
        const provider = await providerFor(ctx);
        await withTransaction(tx, () => endLinkedSessions(tx, provider, sessionId, ctx.log));
      },
    },
  ],
};
