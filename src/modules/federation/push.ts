// Upward pushes of new registrations (附件2 六): an outbox handler signs and POSTs each one to
// the national node, which stores it once and answers with a signed acknowledgement. Anything
// but a valid signed 2xx throws, so the outbox retries with backoff until acknowledged.
import type { Queryable } from '../../platform/db/database.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { generateSm2KeyPair, sm2PublicKeyFromPrivate } from '../../platform/crypto/sm2.ts';
import { sm4Open, sm4Seal } from '../../platform/crypto/sm4.ts';
import type { RealNameLevel } from '../../platform/http/access.ts';
import type { AppContext } from '../../platform/module.ts';
import type { EventHandler } from '../../platform/jobs/worker.ts';
import { accountFacts } from './accounts.ts';
import * as store from './store.ts';
import { signRequest, verifyResponse, type NodeIdentity } from './wire.ts';

export const REGISTRATIONS_PATH = '/api/v1/federation/registrations';
export const PUSH_TIMEOUT_MS = 10_000;

/**
 * What the national node learns of a new account: which node, that node's account id (an
 * opaque, node-scoped reference), the account's region, level and registration time. No
 * name, mobile or ID number: blind indexes are keyed per node and would be useless there,
 * and the national node has no need of personal data to count and route registrations.
 */
export interface RegistrationMessage {
  node: string;
  account: string;
  region: string;
  level: RealNameLevel;
  registeredAt: string;
}

/** This node's name among its peers: its region code (peers register it under that id). */
export const nodeId = (ctx: AppContext) => ctx.config.nodeRegionCode;

/** This node's SM2 key for signed messages, generated and sealed on first use. */
export async function nodeIdentity(ctx: AppContext, db: Queryable): Promise<NodeIdentity> {
  const aad = 'federation_node_key';
  let key = await store.nodeKey(db);
  if (!key) {
    const pair = generateSm2KeyPair();
    await store.insertNodeKey(db, sm4Seal(ctx.config.secrets.dataKey, pair.privateKey, aad).toString('base64'), pair.publicKey);
    key = (await store.nodeKey(db))!;
  }
  const privateKey = sm4Open(ctx.config.secrets.dataKey, Buffer.from(key.privateKeySealed, 'base64'), aad).toString('utf8');
  return { id: nodeId(ctx), privateKey, publicKey: sm2PublicKeyFromPrivate(privateKey) };
}

export function registrationPushHandler(ctx: AppContext): EventHandler {
  return {
    name: 'federation.push-registration',
    topic: 'identity.citizen.registered',
    async handle(event, tx) {
      const { accountId } = event.payload as { accountId?: string };
      if (!accountId) return;
      if (ctx.config.nodeRole === 'national') return;
      const national = await store.nationalPeer(tx);
      if (!national) {
        ctx.log.info({ accountId }, 'no national node in the trust list: registration not pushed');
        return;
      }
      const facts = await accountFacts(tx, accountId);
      if (!facts) return;
      const message: RegistrationMessage = { node: nodeId(ctx), account: accountId, region: facts.regionCode, level: facts.level, registeredAt: facts.createdAt.toISOString() };
      await pushSigned(await nodeIdentity(ctx, tx), national, REGISTRATIONS_PATH, message);
    },
  };
}

/** POSTs a signed message to `peer` and checks its signed acknowledgement; throws otherwise. */
export async function pushSigned(node: NodeIdentity, peer: store.Peer, path: string, message: unknown): Promise<unknown> {
  const base = new URL(peer.issuer).origin;
  const signed = signRequest(node, 'POST', path, message);
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...signed.headers },
    body: signed.body,
    redirect: 'manual',
    signal: AbortSignal.timeout(PUSH_TIMEOUT_MS),
  });
  const text = await res.text();
  if (res.status < 200 || res.status > 299) throw new Error(`peer ${peer.peerId} answered ${res.status}: ${text.slice(0, 200)}`);
  if (!verifyResponse(peer.publicKey, res.status, signed.nonce, res.headers, text)) throw new Error(`peer ${peer.peerId} sent an acknowledgement without a valid signature`);
  return JSON.parse(text) as unknown;
}

export function parseRegistration(body: unknown, sender: string): Omit<RegistrationMessage, 'level'> & { level: RealNameLevel } | null {
  const b = body as Partial<RegistrationMessage> | null;
  if (!b || typeof b !== 'object' || b.node !== sender) return null;
  if (typeof b.account !== 'string' || !/^[\w-]{1,64}$/.test(b.account)) return null;
  if (typeof b.region !== 'string' || !/^\d{6}$/.test(b.region)) return null;
  if (typeof b.level !== 'number' || ![1, 2, 3, 4, 5].includes(b.level)) return null;
  if (typeof b.registeredAt !== 'string' || Number.isNaN(Date.parse(b.registeredAt))) return null;
  return { node: b.node, account: b.account, region: b.region, level: b.level as RealNameLevel, registeredAt: b.registeredAt };
}

/** Stores a verified registration once; the audit row is written only the first time. */
export async function receiveRegistration(tx: Queryable, msg: RegistrationMessage): Promise<boolean> {
  const fresh = await store.insertRegistration(tx, { sourceNode: msg.node, accountRef: msg.account, regionCode: msg.region, level: msg.level, registeredAt: new Date(msg.registeredAt) });
  if (fresh) {
    await recordAudit(tx, { actor: { kind: 'system', id: `federation:${msg.node}` }, action: 'federation.registration.received', targetType: 'federation_registration', targetId: `${msg.node}:${msg.account}`, regionCode: msg.region, change: { level: msg.level } });
  }
  return fresh;
}
