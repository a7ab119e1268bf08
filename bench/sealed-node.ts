// What the seal and licence benchmarks both start from: an in-memory PGlite node prepared as
// at start-up (migrations, CA; no demo data), the Nanjing market-regulation bureau with a
// USCC, and one 业务专用章 of it issued through the seal lifecycle. Also the timing loop and the
// raw SM2 baseline both compare against.
import { createPrivateKey, createPublicKey, randomBytes, sign, verify } from 'node:crypto';
import { generateSm2KeyPair, sm2PrivateKeyToPem, sm2PublicKeyToPem, type Sm2KeyPair } from '../src/platform/crypto/sm2.ts';
import { openDatabase, type DatabaseHandle } from '../src/platform/db/database.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { createLogger } from '../src/platform/logger.ts';
import { preparePlatform } from '../src/server.ts';
import type { Actor } from '../src/platform/http/access.ts';
import { makeCreditCode } from '../src/platform/identifiers/credit-code.ts';
import { sealServiceFor } from '../src/modules/seals/index.ts';
import { testConfig } from '../test/support/platform.ts';
import type { Config } from '../src/config.ts';

export interface SealedNode {
  handle: DatabaseHandle;
  config: Config;
  ctx: { db: DatabaseHandle['db']; config: Config };
  admin: Extract<Actor, { kind: 'staff' }>;
  org: { id: string; name: string; creditCode: string; regionCode: string };
  esId: string;
}

export async function sealedNode(): Promise<SealedNode> {
  const handle = await openDatabase({ dataDir: 'memory://' });
  try {
    await migrate(handle.db);
    const config = testConfig({ DEMO_DATA: 'false' });
    await preparePlatform(config, handle, createLogger('silent'));
    const ctx = { db: handle.db, config };
    const admin: SealedNode['admin'] = { kind: 'staff', accountId: '00000000-0000-7000-8000-0000000000b1', displayName: 'bench', roles: ['region_admin'], orgId: null, regionCode: config.nodeRegionCode, sessionId: 's', mustChangePassword: false };
    const org = { name: '南京市市场监督管理局', creditCode: makeCreditCode('1', '1', '320100', 'MB123456'), regionCode: '320100' };
    const row = await handle.db.insertInto('organisation').values({ region_code: org.regionCode, name: org.name, kind: 'department', credit_code: org.creditCode } as never).returning('id').executeTakeFirstOrThrow();
    const id = (row as { id: string }).id;
    const seals = sealServiceFor(ctx);
    const esId = (await seals.approve(admin, await seals.request({ ...admin, roles: ['dept_admin'], orgId: id }, { orgId: id, kind: 'business' }))).esId;
    return { handle, config, ctx, admin, org: { id, ...org }, esId };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/** Calls `fn` back to back for `seconds`; returns calls per second. */
export async function ratePerSecond(seconds: number, fn: () => unknown): Promise<number> {
  const started = performance.now();
  let n = 0;
  while (performance.now() - started < seconds * 1000) {
    await fn();
    n++;
  }
  return n / ((performance.now() - started) / 1000);
}

/**
 * The baseline: OpenSSL's SM2 through node:crypto (empty signer ID, so a speed reference only)
 * over `size` random bytes, with a signature already checked to verify.
 */
export function opensslSm2Baseline(size: number): { pair: Sm2KeyPair; message: Buffer; signature: Buffer; sign: () => Buffer; verify: () => boolean } {
  const pair = generateSm2KeyPair();
  const privateKey = createPrivateKey(sm2PrivateKeyToPem(pair.privateKey));
  const publicKey = createPublicKey(sm2PublicKeyToPem(pair.publicKey));
  const message = randomBytes(size);
  const signature = sign('sm3', message, privateKey);
  if (!verify('sm3', message, publicKey, signature)) throw new Error('OpenSSL SM2 baseline does not verify its own signature');
  return { pair, message, signature, sign: () => sign('sm3', message, privateKey), verify: () => verify('sm3', message, publicKey, signature) };
}
