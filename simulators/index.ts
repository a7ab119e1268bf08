// Starts the simulators on an HTTP port — in their own process (simulators/main.ts) or
// embedded in the platform's process on 127.0.0.1:<ephemeral> — and hands back what a client
// needs to talk to them: the URL, the keys to trust and a client key pair they accept.
import { generateSm2KeyPair, type Sm2KeyPair } from '../src/platform/crypto/sm2.ts';
import { buildSimulatorApp } from './app.ts';
import { setMode } from './control.ts';
import type { Mode, ServiceName } from './kit.ts';
import type { SmsMessage } from './sms.ts';

export { DEMO_PEOPLE, demoPerson, isLuhnValid, type DemoPerson, type Person } from './population.ts';
export { DEMO_COMPANIES, DEMO_PIN, demoCompany, type DemoCompany } from './companies.ts';
export { facePhotoPng } from './png.ts';
export type { Mode, ServiceName } from './kit.ts';
export type { SmsMessage } from './sms.ts';

export const DEFAULT_CLIENT_ID = 'yiwang-platform';

export interface StartSimulatorsOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  log?: boolean;
  serviceKey?: Sm2KeyPair;
  issuerKey?: Sm2KeyPair;
  /** The platform's signing identity; generated when absent. */
  client?: { id: string; publicKey: string; privateKey?: string };
  livenessTtlMs?: number;
}

export interface RunningSimulators {
  url: string;
  servicePublicKey: string;
  licenceIssuerPublicKey: string;
  clientId: string;
  /** The private half is present only when the simulators generated it. */
  clientKeyPair: { publicKey: string; privateKey?: string };
  control(service: ServiceName | 'all', mode: Mode, delayMs?: number): void;
  smsMessages(mobile?: string): SmsMessage[];
  close(): Promise<void>;
}

export async function startSimulators(options: StartSimulatorsOptions = {}): Promise<RunningSimulators> {
  const serviceKey = options.serviceKey ?? generateSm2KeyPair();
  const issuerKey = options.issuerKey ?? generateSm2KeyPair();
  const client = options.client ?? { id: DEFAULT_CLIENT_ID, ...generateSm2KeyPair() };
  const { app, sim, sms } = buildSimulatorApp({
    serviceKey, issuerKey, clients: { [client.id]: client.publicKey }, log: options.log, livenessTtlMs: options.livenessTtlMs,
  });
  const host = options.host ?? '127.0.0.1';
  await app.listen({ host, port: options.port ?? 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('simulators: no TCP address');
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost === '0.0.0.0' ? '127.0.0.1' : shownHost}:${address.port}`,
    servicePublicKey: serviceKey.publicKey,
    licenceIssuerPublicKey: issuerKey.publicKey,
    clientId: client.id,
    clientKeyPair: { publicKey: client.publicKey, ...(client.privateKey ? { privateKey: client.privateKey } : {}) },
    control: (service, mode, delayMs) => setMode(sim, service, mode, delayMs),
    smsMessages: (mobile) => sms.list(mobile),
    close: () => app.close(),
  };
}
