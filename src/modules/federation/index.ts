// Public face of federation: signing in with an account of a trusted peer node (跨区域单点登录),
// the trust list, and pushing new registrations up to the national node (docs/federation.md).
import type { AppContext, PlatformModule } from '../../platform/module.ts';
import { adminRoutes } from './admin.ts';
import { apiRoutes, loginRoutes } from './routes.ts';
import { registrationPushHandler } from './push.ts';
import { listPeers } from './store.ts';
import { registerLoginOptions } from '../identity/index.ts';

export { addPeer, setPeerEnabled, type NewPeerInput } from './admin.ts';
export { nodeIdentity, nodeId, pushSigned, REGISTRATIONS_PATH, type RegistrationMessage } from './push.ts';
export { sessionFactors, CALLBACK_PATH } from './login.ts';
export { countRegistrations } from './store.ts';
// For other modules' signed node-to-node endpoints (licences: the national licence catalogue).
export { listPeers as listFederationPeers, nationalPeer, type Peer as FederationPeer } from './store.ts';
export { signedEndpoint, type SignedEndpoint } from './signed-endpoint.ts';

/**
 * The “使用其他地区账户登录” links for the login page: one per enabled peer, carrying `next`
 * (already checked by the caller, or checked again by /federation/login).
 */
export async function federationLoginLinks(ctx: AppContext, next?: string): Promise<{ href: string; label: string }[]> {
  const peers = await listPeers(ctx.db, true);
  const q = next ? `?next=${encodeURIComponent(next)}` : '';
  return peers.map((p) => ({ href: `/federation/login/${encodeURIComponent(p.peerId)}${q}`, label: p.name }));
}

export const federationModule: PlatformModule = {
  name: 'federation',
  routes(app, ctx) {
    registerLoginOptions(ctx, (next) => federationLoginLinks(ctx, next));
    loginRoutes(app, ctx);
    apiRoutes(app, ctx);
    adminRoutes(app, ctx);
  },
  handlers: (ctx) => [registrationPushHandler(ctx)],
};
