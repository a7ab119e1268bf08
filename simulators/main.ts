// `npm run simulators`: the simulators as their own process. Keys are kept in
// data/simulators/keys.json (created on first run) so a platform process configured once
// keeps trusting them; the lines to give the platform are printed at start.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateSm2KeyPair, sm2PublicKeyFromPrivate, type Sm2KeyPair } from '../src/platform/crypto/sm2.ts';
import { DEFAULT_CLIENT_ID, startSimulators } from './index.ts';

interface KeyFile {
  serviceKey: Sm2KeyPair;
  issuerKey: Sm2KeyPair;
  client: { id: string; publicKey: string; privateKey?: string };
}

function loadKeys(file: string): KeyFile {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as KeyFile;
  const keys: KeyFile = { serviceKey: generateSm2KeyPair(), issuerKey: generateSm2KeyPair(), client: { id: DEFAULT_CLIENT_ID, ...generateSm2KeyPair() } };
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(keys, null, 2) + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
  return keys;
}

const env = process.env;
const keys = loadKeys(path.resolve(env.SIMULATOR_KEY_FILE ?? 'data/simulators/keys.json'));
// A platform that keeps its own client key registers only the public half here.
if (env.SIMULATOR_CLIENT_PUBLIC_KEY) keys.client = { id: env.SIMULATOR_CLIENT_ID ?? DEFAULT_CLIENT_ID, publicKey: env.SIMULATOR_CLIENT_PUBLIC_KEY };
if (env.SIMULATOR_SERVICE_PRIVATE_KEY) keys.serviceKey = { privateKey: env.SIMULATOR_SERVICE_PRIVATE_KEY, publicKey: sm2PublicKeyFromPrivate(env.SIMULATOR_SERVICE_PRIVATE_KEY) };

const sims = await startSimulators({
  host: env.SIMULATOR_HOST ?? '127.0.0.1',
  port: Number(env.SIMULATOR_PORT ?? 4010),
  log: true,
  serviceKey: keys.serviceKey,
  issuerKey: keys.issuerKey,
  client: keys.client,
});

console.log(`外部系统模拟器已启动: ${sims.url}  (开发页 ${sims.url}/ · 短信收件箱 ${sims.url}/sms/mailbox · 故障开关 ${sims.url}/control/page)`);
console.log('平台配置（.env）:');
console.log('VERIFIERS=http');
console.log(`VERIFIER_URL=${sims.url}`);
console.log(`VERIFIER_PUBLIC_KEY=${sims.servicePublicKey}`);
console.log(`LICENCE_ISSUER_PUBLIC_KEY=${sims.licenceIssuerPublicKey}`);
console.log(`VERIFIER_CLIENT_ID=${sims.clientId}`);
if (sims.clientKeyPair.privateKey) console.log(`VERIFIER_CLIENT_KEY=${sims.clientKeyPair.privateKey}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void sims.close().then(() => process.exit(0));
  });
}
