// Where SM2 private keys live. Callers hold a key id and ask for signatures; no method returns
// a private key, so a PKCS#11 HSM (C_GenerateKeyPair / C_Sign with CKM_SM2_SM3-style
// mechanisms) can implement the same interface. SoftwareKeyStore keeps each key SM4-sealed
// under the key-encryption key (KEK), bound to its row id, in the key_material table.
import { hkdfSync } from 'node:crypto';
import type { Generated } from 'kysely';
import type { Config } from '../../config.ts';
import { ConfigError } from '../../config.ts';
import type { Queryable } from '../db/database.ts';
import { generateSm2KeyPair, sm2PublicKeyFromPrivate, sm2Sign, SM2_DEFAULT_USER_ID } from './sm2.ts';
import { sm4Open, sm4Seal } from './sm4.ts';

declare module '../db/database.ts' {
  interface Database {
    key_material: {
      id: Generated<string>;
      label: string;
      algorithm: Generated<string>;
      public_key: string;
      sealed_private_key: Buffer;
      region_code: string;
      created_at: Generated<Date>;
    };
  }
}

export interface KeyStore {
  /** Creates a new SM2 key pair; only the public half leaves the store. */
  generate(label: string, regionCode: string): Promise<{ keyId: string; publicKey: string }>;
  /** DER signature over SM3(Z_A ‖ message), Z_A from `userId` (default 1234567812345678). */
  sign(keyId: string, message: Uint8Array, userId?: string): Promise<Buffer>;
  /** Uncompressed point in hex. */
  publicKey(keyId: string): Promise<string>;
}

export class KeyNotFoundError extends Error {
  constructor(keyId: string) {
    super(`key ${keyId} is not in the key store`);
    this.name = 'KeyNotFoundError';
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class SoftwareKeyStore implements KeyStore {
  private readonly db: Queryable;
  private readonly kek: Buffer;
  constructor(db: Queryable, kek: Buffer) {
    if (kek.length !== 16) throw new Error('the key-encryption key must be 16 bytes (SM4)');
    this.db = db;
    this.kek = kek;
  }

  async generate(label: string, regionCode: string): Promise<{ keyId: string; publicKey: string }> {
    const keys = generateSm2KeyPair();
    const keyId = crypto.randomUUID();
    await this.db
      .insertInto('key_material')
      .values({ id: keyId, label, public_key: keys.publicKey, sealed_private_key: this.seal(keyId, keys.privateKey), region_code: regionCode })
      .execute();
    return { keyId, publicKey: keys.publicKey };
  }

  async sign(keyId: string, message: Uint8Array, userId = SM2_DEFAULT_USER_ID): Promise<Buffer> {
    const row = await this.row(keyId);
    const d = sm4Open(this.kek, row.sealed_private_key, aad(keyId)).toString('ascii');
    // A sealed key that opens but does not match its public key means a swapped row: refuse.
    if (sm2PublicKeyFromPrivate(d) !== row.public_key) throw new Error(`key ${keyId} does not match its public key`);
    return sm2Sign(message, d, { publicKey: row.public_key, userId });
  }

  async publicKey(keyId: string): Promise<string> {
    return (await this.row(keyId)).public_key;
  }

  private seal(keyId: string, privateKey: string): Buffer {
    return sm4Seal(this.kek, privateKey, aad(keyId));
  }

  private async row(keyId: string) {
    if (!UUID.test(keyId)) throw new KeyNotFoundError(keyId);
    const row = await this.db.selectFrom('key_material').select(['public_key', 'sealed_private_key']).where('id', '=', keyId).executeTakeFirst();
    if (!row) throw new KeyNotFoundError(keyId);
    return row;
  }
}

const aad = (keyId: string) => `key_material:${keyId}`;

/**
 * KEY_ENCRYPTION_KEY (32 hex characters). Outside production, when unset, it is derived
 * from the data key (HKDF-SM3, its own label) so a fresh checkout starts; production refuses
 * to start without it, because a derived KEK would tie CA keys to the personal-data key.
 */
export function keyEncryptionKey(config: Pick<Config, 'env' | 'secrets'>, env: Record<string, string | undefined> = process.env): Buffer {
  const raw = env.KEY_ENCRYPTION_KEY;
  if (raw) {
    if (!/^[0-9a-fA-F]{32}$/.test(raw)) throw new ConfigError('KEY_ENCRYPTION_KEY', 'must be 32 hex characters (16 random bytes)');
    return Buffer.from(raw, 'hex');
  }
  if (config.env === 'production') throw new ConfigError('KEY_ENCRYPTION_KEY', 'is required in production (16 random bytes as 32 hex characters)');
  return Buffer.from(hkdfSync('sm3', config.secrets.dataKey, Buffer.alloc(0), 'yiwang key-encryption-key v1', 16));
}
