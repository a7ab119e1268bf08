// The only code that touches the federation tables: the trust list of peers, links from a
// peer's subject to a local account, sign-ins in progress, this node's SM2 key and the
// registrations other nodes pushed here.
import { sql, type Generated } from 'kysely';
import type { Queryable } from '../../platform/db/database.ts';
import type { RealNameLevel } from '../../platform/http/access.ts';

export type PeerKind = 'national' | 'province' | 'city';

declare module '../../platform/db/database.ts' {
  interface Database {
    federation_peer: {
      peer_id: string;
      name: string;
      kind: PeerKind;
      region_code: string;
      issuer: string;
      client_id: string;
      client_secret_sealed: string | null;
      public_key: string;
      enabled: Generated<boolean>;
      created_by: string | null;
      created_at: Generated<Date>;
      updated_at: Generated<Date>;
    };
    federation_link: { peer_id: string; peer_sub: string; account_id: string; created_at: Generated<Date>; last_login_at: Generated<Date> };
    federation_login: {
      handle_hash: string;
      peer_id: string;
      state: string;
      nonce: string;
      code_verifier_sealed: string;
      next: string;
      result_sealed: string | null;
      expires_at: Date;
      created_at: Generated<Date>;
    };
    federation_node_key: { id: number; private_key_sealed: string; public_key: string; created_at: Generated<Date> };
    federation_registration: { source_node: string; account_ref: string; region_code: string; level: number; registered_at: Date; received_at: Generated<Date> };
  }
}

export interface Peer {
  peerId: string;
  name: string;
  kind: PeerKind;
  regionCode: string;
  issuer: string;
  clientId: string;
  clientSecretSealed: string | null;
  publicKey: string;
  enabled: boolean;
  createdAt: Date;
}

type PeerRow = { peer_id: string; name: string; kind: PeerKind; region_code: string; issuer: string; client_id: string; client_secret_sealed: string | null; public_key: string; enabled: boolean; created_at: Date };

function toPeer(r: PeerRow): Peer {
  return {
    peerId: r.peer_id,
    name: r.name,
    kind: r.kind,
    regionCode: r.region_code,
    issuer: r.issuer,
    clientId: r.client_id,
    clientSecretSealed: r.client_secret_sealed,
    publicKey: r.public_key,
    enabled: r.enabled,
    createdAt: r.created_at,
  };
}

export async function findPeer(db: Queryable, peerId: string): Promise<Peer | null> {
  const r = await db.selectFrom('federation_peer').selectAll().where('peer_id', '=', peerId).executeTakeFirst();
  return r ? toPeer(r) : null;
}

export async function listPeers(db: Queryable, onlyEnabled = false): Promise<Peer[]> {
  let q = db.selectFrom('federation_peer').selectAll().orderBy('kind').orderBy('region_code');
  if (onlyEnabled) q = q.where('enabled', '=', true);
  return (await q.limit(500).execute()).map(toPeer);
}

/** The enabled national node, if this node knows one (the target of upward pushes). */
export async function nationalPeer(db: Queryable): Promise<Peer | null> {
  const r = await db.selectFrom('federation_peer').selectAll().where('kind', '=', 'national').where('enabled', '=', true).orderBy('created_at').executeTakeFirst();
  return r ? toPeer(r) : null;
}

export async function insertPeer(db: Queryable, p: Omit<Peer, 'enabled' | 'createdAt'> & { createdBy: string | null }): Promise<boolean> {
  const r = await db
    .insertInto('federation_peer')
    .values({
      peer_id: p.peerId,
      name: p.name,
      kind: p.kind,
      region_code: p.regionCode,
      issuer: p.issuer,
      client_id: p.clientId,
      client_secret_sealed: p.clientSecretSealed,
      public_key: p.publicKey,
      created_by: p.createdBy,
    })
    .onConflict((oc) => oc.column('peer_id').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function setPeerEnabled(db: Queryable, peerId: string, enabled: boolean): Promise<boolean> {
  const r = await db.updateTable('federation_peer').set({ enabled, updated_at: new Date() }).where('peer_id', '=', peerId).where('enabled', '=', !enabled).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function findLink(db: Queryable, peerId: string, peerSub: string): Promise<string | null> {
  const r = await db.selectFrom('federation_link').select('account_id').where('peer_id', '=', peerId).where('peer_sub', '=', peerSub).executeTakeFirst();
  return r?.account_id ?? null;
}

/** Links (or re-links, if the person confirmed another account) and stamps the sign-in. */
export async function upsertLink(db: Queryable, peerId: string, peerSub: string, accountId: string): Promise<void> {
  await db
    .insertInto('federation_link')
    .values({ peer_id: peerId, peer_sub: peerSub, account_id: accountId })
    .onConflict((oc) => oc.columns(['peer_id', 'peer_sub']).doUpdateSet({ account_id: accountId, last_login_at: new Date() }))
    .execute();
}

export async function insertLogin(db: Queryable, row: { handleHash: string; peerId: string; state: string; nonce: string; codeVerifierSealed: string; next: string; expiresAt: Date }): Promise<void> {
  // Abandoned sign-ins are swept as new ones start: the table stays small without a job.
  await db.deleteFrom('federation_login').where('expires_at', '<', new Date()).execute();
  await db
    .insertInto('federation_login')
    .values({ handle_hash: row.handleHash, peer_id: row.peerId, state: row.state, nonce: row.nonce, code_verifier_sealed: row.codeVerifierSealed, next: row.next, result_sealed: null, expires_at: row.expiresAt })
    .execute();
}

export async function findLogin(db: Queryable, handleHash: string) {
  return (await db.selectFrom('federation_login').selectAll().where('handle_hash', '=', handleHash).where('expires_at', '>', new Date()).executeTakeFirst()) ?? null;
}

/** Stores the verified result once: a second callback for the same sign-in finds none to fill. */
export async function storeLoginResult(db: Queryable, handleHash: string, resultSealed: string): Promise<boolean> {
  const r = await db.updateTable('federation_login').set({ result_sealed: resultSealed }).where('handle_hash', '=', handleHash).where('result_sealed', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function deleteLogin(db: Queryable, handleHash: string): Promise<boolean> {
  const r = await db.deleteFrom('federation_login').where('handle_hash', '=', handleHash).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function nodeKey(db: Queryable): Promise<{ privateKeySealed: string; publicKey: string } | null> {
  const r = await db.selectFrom('federation_node_key').select(['private_key_sealed', 'public_key']).where('id', '=', 1).executeTakeFirst();
  return r ? { privateKeySealed: r.private_key_sealed, publicKey: r.public_key } : null;
}

export async function insertNodeKey(db: Queryable, privateKeySealed: string, publicKey: string): Promise<void> {
  // Two processes starting together: the first insert wins and both read it back.
  await db.insertInto('federation_node_key').values({ id: 1, private_key_sealed: privateKeySealed, public_key: publicKey }).onConflict((oc) => oc.column('id').doNothing()).execute();
}

/** Idempotent: true when this registration is new, false when it was already stored. */
export async function insertRegistration(db: Queryable, r: { sourceNode: string; accountRef: string; regionCode: string; level: RealNameLevel; registeredAt: Date }): Promise<boolean> {
  const res = await db
    .insertInto('federation_registration')
    .values({ source_node: r.sourceNode, account_ref: r.accountRef, region_code: r.regionCode, level: r.level, registered_at: r.registeredAt })
    .onConflict((oc) => oc.columns(['source_node', 'account_ref']).doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function countRegistrations(db: Queryable, sourceNode: string): Promise<number> {
  const r = await db.selectFrom('federation_registration').select(sql<string>`count(*)`.as('n')).where('source_node', '=', sourceNode).executeTakeFirstOrThrow();
  return Number(r.n);
}
