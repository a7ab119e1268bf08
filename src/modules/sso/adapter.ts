// oidc-provider's storage over our database: one generic table for codes, tokens, sessions,
// grants and interactions (any node can answer any step of a flow), and the registered
// clients read from sso_client.
import { AsyncLocalStorage } from 'node:async_hooks';
import { sql, type Db, type Queryable } from '../../platform/db/database.ts';
import { sm4Open } from '../../platform/crypto/sm4.ts';
import { findClient, type SsoClient } from './store.ts';

type Payload = Record<string, unknown> & { grantId?: string; userCode?: string; uid?: string; consumed?: number };

/** The metadata oidc-provider validates and uses for one of our registered clients. */
export function clientMetadata(c: SsoClient, dataKey: Buffer): Record<string, unknown> {
  const secret = c.secretSealed ? sm4Open(dataKey, Buffer.from(c.secretSealed, 'base64'), `sso_client:${c.clientId}`).toString('utf8') : null;
  return {
    client_id: c.clientId,
    client_name: c.name,
    ...(secret ? { client_secret: secret, token_endpoint_auth_method: 'client_secret_basic' } : { token_endpoint_auth_method: 'none' }),
    // The same method for introspection and revocation as for the token endpoint.
    ...(secret ? {} : { introspection_endpoint_auth_method: 'none', revocation_endpoint_auth_method: 'none' }),
    redirect_uris: c.redirectUris,
    post_logout_redirect_uris: c.postLogoutRedirectUris,
    ...(c.backchannelLogoutUri ? { backchannel_logout_uri: c.backchannelLogoutUri, backchannel_logout_session_required: true } : {}),
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    subject_type: 'pairwise',
    id_token_signed_response_alg: 'ES256',
    yiwang_min_level: c.minLevel,
    yiwang_sector: c.sector,
    yiwang_federation: c.federation === true,
  };
}

/**
 * Work run inside `withTransaction` (an outbox handler) stores through that transaction: on
 * PGlite's single connection a second query outside it would wait for it forever.
 */
const current = new AsyncLocalStorage<Queryable>();
export function withTransaction<T>(tx: Queryable, work: () => Promise<T>): Promise<T> {
  return current.run(tx, work);
}

export function adapterFactory(root: Db, dataKey: Buffer) {
  const dbOf = () => current.getStore() ?? root;
  return class PayloadAdapter {
    readonly kind: string;
    constructor(kind: string) {
      this.kind = kind;
    }

    async upsert(id: string, payload: Payload, expiresIn?: number): Promise<void> {
      const row = {
        id,
        kind: this.kind,
        payload: JSON.stringify(payload),
        grant_id: payload.grantId ?? null,
        user_code: payload.userCode ?? null,
        uid: payload.uid ?? null,
        expires_at: expiresIn ? new Date(Date.now() + expiresIn * 1000) : null,
        consumed_at: null,
      };
      await dbOf()
        .insertInto('oidc_payload')
        .values(row)
        .onConflict((oc) => oc.columns(['kind', 'id']).doUpdateSet({ payload: row.payload, grant_id: row.grant_id, user_code: row.user_code, uid: row.uid, expires_at: row.expires_at }))
        .execute();
    }

    private async findWhere(column: 'id' | 'uid' | 'user_code', value: string): Promise<Payload | undefined> {
      if (this.kind === 'Client') {
        if (column !== 'id') return undefined;
        const client = await findClient(dbOf(), value);
        return client && !client.revokedAt ? clientMetadata(client, dataKey) : undefined;
      }
      const r = await dbOf()
        .selectFrom('oidc_payload')
        .select(['payload', 'consumed_at'])
        .where('kind', '=', this.kind)
        .where(column, '=', value)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', sql<Date>`now()`)]))
        .executeTakeFirst();
      if (!r) return undefined;
      const payload = (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as Payload;
      return r.consumed_at ? { ...payload, consumed: Math.floor(r.consumed_at.getTime() / 1000) } : payload;
    }

    find(id: string) {
      return this.findWhere('id', id);
    }
    findByUid(uid: string) {
      return this.findWhere('uid', uid);
    }
    findByUserCode(userCode: string) {
      return this.findWhere('user_code', userCode);
    }

    async consume(id: string): Promise<void> {
      await dbOf().updateTable('oidc_payload').set({ consumed_at: new Date() }).where('kind', '=', this.kind).where('id', '=', id).execute();
    }

    async destroy(id: string): Promise<void> {
      await dbOf().deleteFrom('oidc_payload').where('kind', '=', this.kind).where('id', '=', id).execute();
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await dbOf().deleteFrom('oidc_payload').where('grant_id', '=', grantId).execute();
    }
  };
}

/** Expired protocol state, removed by the periodic purge. */
export async function purgeExpiredPayloads(db: Db): Promise<number> {
  const r = await db.deleteFrom('oidc_payload').where('expires_at', '<', sql<Date>`now() - interval '1 hour'`).executeTakeFirst();
  return Number(r.numDeletedRows);
}
