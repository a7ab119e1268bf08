// Builds the adapters to outside systems from configuration. This is the only place that
// knows the simulators exist: in `embedded` mode they start here, and the domain code gets
// the same HTTP adapters it would use against the real services.
import type { Config } from './config.ts';
import type { ExternalServices } from './platform/module.ts';
import { createHttpVerifiers, unavailableVerifiers } from './modules/identity/index.ts';
import { createHttpCourier, unavailableCourier } from './platform/external/courier.ts';
import { startSimulators, type RunningSimulators } from '../simulators/index.ts';

export interface ExternalHandle {
  external: ExternalServices;
  /** Present in embedded mode (tests drive their failure switches through it). */
  simulators: RunningSimulators | null;
  close(): Promise<void>;
}

export async function openExternalServices(config: Config): Promise<ExternalHandle> {
  const v = config.verifiers;
  if (v.mode === 'off') return { external: { identity: unavailableVerifiers(), courier: unavailableCourier() }, simulators: null, close: async () => undefined };
  const sims = v.mode === 'embedded' ? await startSimulators({ host: '127.0.0.1', port: v.simulatorPort }) : null;
  const upstream = sims
    ? { url: sims.url, servicePublicKey: sims.servicePublicKey, licenceIssuerPublicKey: sims.licenceIssuerPublicKey, clientId: sims.clientId, clientPrivateKey: sims.clientKeyPair.privateKey! }
    : (v as Extract<typeof v, { mode: 'http' }>);
  const identity = createHttpVerifiers({
    baseUrl: upstream.url,
    servicePublicKey: upstream.servicePublicKey,
    licenceIssuerPublicKey: upstream.licenceIssuerPublicKey,
    licenceAudience: new URL(config.publicUrl).origin,
    clientId: upstream.clientId,
    clientPrivateKey: upstream.clientPrivateKey,
    timeoutMs: v.timeoutMs,
  });
  const courier = createHttpCourier({ baseUrl: upstream.url, servicePublicKey: upstream.servicePublicKey, clientId: upstream.clientId, clientPrivateKey: upstream.clientPrivateKey, timeoutMs: v.timeoutMs });
  if (!sims) return { external: { identity, courier }, simulators: null, close: async () => undefined };
  return { external: { identity, courier, devLinks: { smsMailbox: `${sims.url}/sms/mailbox` } }, simulators: sims, close: () => sims.close() };
}
