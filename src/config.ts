// Every setting the platform reads, validated once at start. README.md documents each one.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';

export type NodeRole = 'national' | 'province' | 'city';

export interface Secrets {
  /** HMAC key for CSRF tokens (session tokens are random and stored as SM3 hashes). */
  sessionSecret: Buffer;
  /** SM4 key-encryption key for personal data and private keys at rest. */
  dataKey: Buffer;
  /** SM3-HMAC key for blind indexes over encrypted personal data. */
  blindIndexKey: Buffer;
}

export interface Config {
  env: 'development' | 'test' | 'production';
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  nodeRole: NodeRole;
  nodeRegionCode: string;
  publicUrl: string;
  logLevel: string;
  demoData: boolean;
  /** Load the demo service catalogue with the demo data (about 20 s on first start). */
  demoCatalog: boolean;
  workerEnabled: boolean;
  dbPoolSize: number;
  shutdownTimeoutMs: number;
  rateLimitPerMinute: number;
  cookieSecure: boolean;
  /** Fastify's trustProxy: whom to believe about the client address (X-Forwarded-For). */
  trustProxy: TrustProxy;
  secrets: Secrets;
  /** Outside verification services (public security, carriers, banks, face, SMS, licence issuer). */
  verifiers: VerifierConfig;
  /** Storage of uploaded materials (docs/files.md). */
  files: FilesConfig;
}

/**
 * `embedded`: the local simulators (simulators/) start inside this process on 127.0.0.1 and
 * answer every check; `http`: a real gateway at `url`; `off`: no service, every check is an
 * outage (so nothing is ever verified by accident).
 */
export type VerifierConfig =
  | { mode: 'embedded'; simulatorPort: number; timeoutMs: number }
  | { mode: 'http'; url: string; servicePublicKey: string; licenceIssuerPublicKey: string; clientId: string; clientPrivateKey: string; timeoutMs: number }
  | { mode: 'off' };

function verifierConfig(env: Env, production: boolean): VerifierConfig {
  const timeoutMs = integer(env, 'VERIFIER_TIMEOUT_MS', 3000, 100, 60_000);
  const fallback = env.VERIFIER_URL ? 'http' : production ? 'off' : 'embedded';
  const mode = oneOf(env, 'VERIFIERS', ['embedded', 'http', 'off'] as const, fallback);
  if (mode === 'off') return { mode };
  if (mode === 'embedded') {
    if (production) throw new ConfigError('VERIFIERS', 'embedded simulators must not answer identity checks in production');
    return { mode, simulatorPort: integer(env, 'SIMULATOR_PORT', 0, 0, 65535), timeoutMs };
  }
  const need = (name: string): string => {
    const v = env[name];
    if (!v) throw new ConfigError(name, 'is required when VERIFIERS=http');
    return v;
  };
  return {
    mode,
    url: url(env, 'VERIFIER_URL', undefined, production ? ['https:'] : ['http:', 'https:']) ?? need('VERIFIER_URL'),
    servicePublicKey: need('VERIFIER_PUBLIC_KEY'),
    licenceIssuerPublicKey: need('LICENCE_ISSUER_PUBLIC_KEY'),
    clientId: need('VERIFIER_CLIENT_ID'),
    clientPrivateKey: need('VERIFIER_CLIENT_KEY'),
    timeoutMs,
  };
}

/** Where uploaded materials live (docs/files.md); `maxUploadBytes` bounds each file. */
export type FilesConfig = { maxUploadBytes: number } & (
  | { store: 'local'; dir: string }
  | { store: 's3'; s3: { endpoint: string; bucket: string; region: string; accessKeyId: string; secretAccessKey: string; prefix: string } }
);

function filesConfig(env: Env, dataDir: string, production: boolean): FilesConfig {
  const maxUploadBytes = integer(env, 'UPLOAD_MAX_MB', 10, 1, 1024) * 1024 * 1024;
  const store = oneOf(env, 'FILE_STORE', ['local', 's3'] as const, 'local');
  if (store === 'local') return { maxUploadBytes, store, dir: path.join(dataDir, 'files') };
  const need = (name: string): string => {
    const v = env[name];
    if (!v) throw new ConfigError(name, 'is required when FILE_STORE=s3');
    return v;
  };
  const endpoint = url(env, 'S3_ENDPOINT', undefined, production ? ['https:'] : ['http:', 'https:']) ?? need('S3_ENDPOINT');
  const bucket = need('S3_BUCKET');
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw new ConfigError('S3_BUCKET', `"${bucket}" is not a valid bucket name (3–63 of a-z 0-9 . -)`);
  const region = need('S3_REGION');
  if (!/^[a-z0-9-]+$/.test(region)) throw new ConfigError('S3_REGION', `"${region}" is not a region name`);
  const prefix = env.S3_PREFIX ?? '';
  if (prefix.startsWith('/') || prefix.includes('\\') || [...prefix].some((c) => c.charCodeAt(0) < 32)) throw new ConfigError('S3_PREFIX', 'must not start with / or contain control characters or backslashes');
  const s3 = { endpoint, bucket, region, accessKeyId: need('S3_ACCESS_KEY_ID'), secretAccessKey: need('S3_SECRET_ACCESS_KEY'), prefix };
  return { maxUploadBytes, store, s3 };
}

/** false: no proxy; true: any; a number: that many hops; a list: those addresses or CIDRs. */
export type TrustProxy = boolean | number | string[];

export class ConfigError extends Error {
  readonly variable: string;
  constructor(variable: string, problem: string) {
    super(`配置错误 ${variable}: ${problem}`);
    this.variable = variable;
  }
}

type Env = Record<string, string | undefined>;

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

function url(env: Env, name: string, fallback: string | undefined, protocols: string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `is not a valid URL`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must use ${protocols.join(' or ')}, got ${parsed.protocol}`);
  }
  return raw.replace(/\/$/, '');
}

// proxy-addr (Fastify's trustProxy) also knows these names for the reserved ranges.
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrCidr(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [address, bits, extra] = entry.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || extra !== undefined) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

function trustProxy(env: Env): TrustProxy {
  const raw = env.TRUST_PROXY?.trim();
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  const entries = raw.split(',').map((e) => e.trim());
  const bad = entries.find((e) => !isAddressOrCidr(e));
  if (bad !== undefined) {
    throw new ConfigError('TRUST_PROXY', `must be true, false, a hop count or a comma-separated list of addresses/CIDRs, got "${bad}"`);
  }
  return entries;
}

/** A node's own region: national 100000, a province xx0000, a city xxxx00 (GB/T 2260). */
function regionFor(env: Env, role: NodeRole): string {
  const fallback = role === 'national' ? '100000' : role === 'province' ? '320000' : '320100';
  const code = env.NODE_REGION_CODE || fallback;
  if (!/^\d{6}$/.test(code)) throw new ConfigError('NODE_REGION_CODE', `must be a 6-digit GB/T 2260 code, got "${code}"`);
  const fits =
    role === 'national' ? code === '100000' : role === 'province' ? /^[1-8]\d0000$/.test(code) : /^[1-8]\d{3}00$/.test(code) && !code.endsWith('0000');
  if (!fits) throw new ConfigError('NODE_REGION_CODE', `"${code}" is not a ${role}-level code for NODE_ROLE=${role}`);
  return code;
}

const SECRET_VARIABLES = {
  sessionSecret: 'SESSION_SECRET',
  dataKey: 'DATA_ENCRYPTION_KEY',
  blindIndexKey: 'BLIND_INDEX_KEY',
} as const satisfies Record<keyof Secrets, string>;

const SECRET_BYTES: Record<keyof Secrets, number> = { sessionSecret: 32, dataKey: 16, blindIndexKey: 32 };

function randomSecrets(): Record<keyof Secrets, string> {
  const out = {} as Record<keyof Secrets, string>;
  for (const k of Object.keys(SECRET_VARIABLES) as (keyof Secrets)[]) out[k] = randomBytes(SECRET_BYTES[k]).toString('hex');
  return out;
}

/**
 * `npm run cli -- secrets:init`: writes DATA_DIR/secrets.json (mode 0600) with fresh random
 * secrets, unless the file exists (it is never overwritten: that would orphan encrypted data).
 */
export function initSecretsFile(dataDir: string): { file: string; created: boolean } {
  const file = path.join(path.resolve(dataDir), 'secrets.json');
  if (existsSync(file)) return { file, created: false };
  mkdirSync(path.dirname(file), { recursive: true });
  try {
    writeFileSync(file, JSON.stringify(randomSecrets(), null, 2) + '\n', { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return { file, created: false };
    throw err;
  }
  chmodSync(file, 0o600);
  return { file, created: true };
}

function hexSecret(name: string, raw: string, bytes: number): Buffer {
  if (!new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`).test(raw)) {
    throw new ConfigError(name, `must be ${bytes * 2} hex characters (${bytes} random bytes)`);
  }
  return Buffer.from(raw, 'hex');
}

/**
 * Secrets come from the environment or from DATA_DIR/secrets.json. Outside production a
 * missing file is generated (mode 0600) so a fresh checkout starts; in production a missing
 * secret stops the process, because silently minting keys would orphan encrypted data.
 */
function loadSecrets(env: Env, dataDir: string, production: boolean): Secrets {
  const file = path.join(dataDir, 'secrets.json');
  let stored: Partial<Record<keyof Secrets, string>> = {};
  if (existsSync(file)) {
    try {
      stored = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      throw new ConfigError('DATA_DIR', `${file} is not valid JSON`);
    }
  }
  const keys = Object.keys(SECRET_VARIABLES) as (keyof Secrets)[];
  const missing = keys.filter((k) => !env[SECRET_VARIABLES[k]] && !stored[k]);
  if (missing.length > 0) {
    if (production) {
      throw new ConfigError(
        SECRET_VARIABLES[missing[0]!],
        `is required in production (set it, or create ${file} with "npm run cli -- secrets:init")`,
      );
    }
    const fresh = randomSecrets();
    for (const k of missing) stored[k] = fresh[k];
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(stored, null, 2) + '\n', { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  const secrets = {} as Secrets;
  for (const k of keys) {
    const name = SECRET_VARIABLES[k];
    secrets[k] = hexSecret(name, env[name] || stored[k]!, SECRET_BYTES[k]);
  }
  return secrets;
}

export function loadConfig(env: Env = process.env): Config {
  const mode = oneOf(env, 'NODE_ENV', ['development', 'test', 'production'] as const, 'development');
  const production = mode === 'production';
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const host = env.HOST || '127.0.0.1';
  if (!/^[\w.:-]+$/.test(host)) throw new ConfigError('HOST', `"${host}" is not a host name or address`);
  const dataDir = path.resolve(env.DATA_DIR || './data');
  const nodeRole = oneOf(env, 'NODE_ROLE', ['national', 'province', 'city'] as const, 'province');
  const publicUrl = url(env, 'PUBLIC_URL', `http://localhost:${port}`, ['http:', 'https:'])!;
  if (production && !publicUrl.startsWith('https:')) {
    throw new ConfigError('PUBLIC_URL', 'must be https in production');
  }
  const cookieSecure = bool(env, 'COOKIE_SECURE', true);
  if (production && !cookieSecure) {
    throw new ConfigError('COOKIE_SECURE', 'must be true in production (session and CSRF cookies travel only over https)');
  }
  return {
    env: mode,
    port,
    host,
    databaseUrl: url(env, 'DATABASE_URL', undefined, ['postgres:', 'postgresql:']),
    dataDir,
    nodeRole,
    nodeRegionCode: regionFor(env, nodeRole),
    publicUrl,
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    demoData: bool(env, 'DEMO_DATA', !production),
    demoCatalog: bool(env, 'DEMO_CATALOG', !production),
    workerEnabled: bool(env, 'WORKER_ENABLED', true),
    dbPoolSize: integer(env, 'DB_POOL_SIZE', 10, 1, 200),
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 100, 600_000),
    rateLimitPerMinute: integer(env, 'RATE_LIMIT_PER_MINUTE', 600, 1, 1_000_000),
    cookieSecure,
    trustProxy: trustProxy(env),
    secrets: loadSecrets(env, dataDir, production),
    verifiers: verifierConfig(env, production),
    files: filesConfig(env, dataDir, production),
  };
}
