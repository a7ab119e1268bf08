// Citizens and a business system for the identity and single sign-on endpoints of the bench.
// Production runs with the identity verifiers off, so nobody can register over HTTP: the
// accounts are written directly, the way test/sso.test.ts's citizen() helper does (mobile
// sealed and blind-indexed with the platform's own cipher), but with a real Argon2id password
// hash from the identity module, so a login costs what a real one costs. Run from
// bench/seed-catalog.ts in the seed child, with the app's environment and secrets.
import type { Config } from '../src/config.ts';
import type { Db } from '../src/platform/db/database.ts';
import { PersonalDataCipher } from '../src/platform/crypto/personal-data.ts';
import { hashPassword } from '../src/modules/identity/index.ts';
import { createSsoClient } from '../src/modules/sso/index.ts';
import { BENCH_RP_REDIRECT, IDENTITY_PREFIX, type IdentitySeed } from './identity.ts';
import { round } from './stats.ts';

export const BENCH_CITIZENS = 50;

export async function seedIdentity(db: Db, config: Config, count = BENCH_CITIZENS): Promise<IdentitySeed> {
  const started = Date.now();
  const cipher = new PersonalDataCipher(config.secrets);
  const password = `bench-${Math.random().toString(36).slice(2)}-口令`;
  const mobiles: string[] = [];
  for (let i = 0; i < count; i++) {
    const mobile = `1390000${String(i).padStart(4, '0')}`;
    await db
      .insertInto('citizen_account')
      .values({
        mobile_sealed: cipher.seal('mobile', mobile),
        mobile_index: cipher.blindIndex('mobile', mobile),
        // Each its own hash (own salt), as real accounts have.
        password_hash: await hashPassword(password),
        region_code: '320102',
        real_name_level: 2,
      } as never)
      .execute();
    mobiles.push(mobile);
  }
  const client = await createSsoClient(db, config.secrets.dataKey, { kind: 'system', id: 'bench' }, {
    name: '压测业务系统',
    redirectUris: [BENCH_RP_REDIRECT],
    minLevel: 1,
    regionCode: config.nodeRegionCode,
  });
  return { mobiles, password, clientId: client.clientId, clientSecret: client.secret!, seedSeconds: round((Date.now() - started) / 1000, 1) };
}

export function printIdentitySeed(seed: IdentitySeed): void {
  console.log(IDENTITY_PREFIX + JSON.stringify(seed));
}
