// Signing in with an account of another node (跨区域单点登录): this node is an OpenID relying
// party of its trusted peers. Code + PKCE + nonce at the peer, ID token and userinfo checked by
// openid-client, then the person confirms which local account the peer's identity opens.
import { createHash, randomBytes } from 'node:crypto';
import * as oidc from 'openid-client';
import { inTransaction, type Queryable } from '../../platform/db/database.ts';
import { recordAudit } from '../../platform/audit/audit.ts';
import { sm4Open, sm4Seal } from '../../platform/crypto/sm4.ts';
import { maskIdNumber } from '../../platform/crypto/personal-data.ts';
import { checkIdNumber } from '../../platform/identifiers/id-number.ts';
import type { Actor, RealNameLevel } from '../../platform/http/access.ts';
import { AppError } from '../../platform/http/errors.ts';
import type { AppContext } from '../../platform/module.ts';
import { citizenServiceFor, levelForAcr } from '../identity/index.ts';
import { accountByIdNumber, createFederatedAccount, type LocalAccount } from './accounts.ts';
import * as store from './store.ts';

export const LOGIN_TTL_MS = 10 * 60_000;
export const CALLBACK_PATH = '/federation/callback';
/** Scopes asked of a peer; `federation` releases the full ID number to partner nodes only. */
export const PEER_SCOPES = 'openid profile realname federation';
/** A new account made from a peer's assertion starts at most here; higher needs a local check. */
export const CREATE_LEVEL_CAP: RealNameLevel = 3;

export interface PeerIdentity {
  peerId: string;
  peerName: string;
  sub: string;
  name: string;
  idNumber: string;
  /** The level the sign-in at the peer proved (its ID token's acr). */
  assertedLevel: RealNameLevel;
  amr: string[];
}

interface Meta {
  ip?: string;
  userAgent?: string;
  requestId?: string;
}

export const handleHash = (handle: string) => createHash('sm3').update(`federation_login|${handle}`).digest('hex');
const aad = (hash: string) => `federation_login:${hash}`;

const configs = new Map<string, { at: number; config: Promise<oidc.Configuration> }>();

/** The peer's OpenID configuration from its discovery document, kept ten minutes. */
export function peerConfiguration(ctx: AppContext, peer: store.Peer): Promise<oidc.Configuration> {
  const key = `${peer.peerId}|${peer.issuer}|${peer.clientId}|${peer.clientSecretSealed ?? ''}`;
  const hit = configs.get(key);
  if (hit && Date.now() - hit.at < 10 * 60_000) return hit.config;
  const secret = peer.clientSecretSealed ? sm4Open(ctx.config.secrets.dataKey, Buffer.from(peer.clientSecretSealed, 'base64'), `federation_peer:${peer.peerId}`).toString('utf8') : undefined;
  // Plain http is only for peers on this machine in development and tests (admin.ts refuses it otherwise).
  const insecure = new URL(peer.issuer).protocol === 'http:' && ctx.config.env !== 'production';
  const config = oidc.discovery(new URL(peer.issuer), peer.clientId, secret, secret ? oidc.ClientSecretBasic(secret) : oidc.None(), {
    timeout: 10,
    ...(insecure ? { execute: [oidc.allowInsecureRequests] } : {}),
  });
  configs.set(key, { at: Date.now(), config });
  config.catch(() => configs.delete(key));
  return config;
}

/** Starts a sign-in at `peerId`; the handle goes into the browser's cookie. */
export async function startLogin(ctx: AppContext, peerId: string, next: string): Promise<{ handle: string; url: string }> {
  const peer = await store.findPeer(ctx.db, peerId);
  if (!peer || !peer.enabled) throw new AppError('FEDERATION_PEER_UNKNOWN');
  let config: oidc.Configuration;
  try {
    config = await peerConfiguration(ctx, peer);
  } catch (err) {
    throw new AppError('FEDERATION_PEER_UNAVAILABLE', { cause: err });
  }
  const handle = randomBytes(24).toString('base64url');
  const hash = handleHash(handle);
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  await store.insertLogin(ctx.db, {
    handleHash: hash,
    peerId,
    state,
    nonce,
    codeVerifierSealed: sm4Seal(ctx.config.secrets.dataKey, verifier, aad(hash)).toString('base64'),
    next,
    expiresAt: new Date(Date.now() + LOGIN_TTL_MS),
  });
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: `${ctx.config.publicUrl}${CALLBACK_PATH}`,
    scope: PEER_SCOPES,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  return { handle, url: url.href };
}

/**
 * The peer sent the browser back. Any failure (wrong state, nonce, issuer, audience,
 * signature, a peer disabled meanwhile) ends this sign-in: it cannot be retried with
 * another code.
 */
export async function finishCallback(ctx: AppContext, handle: string, currentUrl: URL, meta: Meta): Promise<void> {
  const hash = handleHash(handle);
  const login = await store.findLogin(ctx.db, hash);
  if (!login || login.result_sealed) throw new AppError('FEDERATION_LOGIN_EXPIRED');
  const peer = await store.findPeer(ctx.db, login.peer_id);
  const fail = async (reason: string, cause?: unknown): Promise<never> => {
    ctx.log.warn({ peer: login.peer_id, reason, err: cause }, 'federated sign-in refused');
    await store.deleteLogin(ctx.db, hash);
    await recordAudit(ctx.db, { actor: { kind: 'anonymous' }, action: 'federation.login.failed', targetType: 'federation_peer', targetId: login.peer_id, change: { reason }, requestId: meta.requestId });
    throw new AppError('FEDERATION_LOGIN_FAILED', { cause, detail: reason });
  };
  if (!peer || !peer.enabled) return fail('peer not trusted');
  const peerError = currentUrl.searchParams.get('error');
  if (peerError) return fail(`peer answered ${peerError.slice(0, 60)}`);
  let identity: PeerIdentity;
  try {
    const config = await peerConfiguration(ctx, peer);
    const verifier = sm4Open(ctx.config.secrets.dataKey, Buffer.from(login.code_verifier_sealed, 'base64'), aad(hash)).toString('utf8');
    const tokens = await oidc.authorizationCodeGrant(config, currentUrl, { pkceCodeVerifier: verifier, expectedState: login.state, expectedNonce: login.nonce, idTokenExpected: true });
    const claims = tokens.claims()!;
    const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    const assertedLevel = typeof claims.acr === 'string' ? levelForAcr(claims.acr) : null;
    const idNumber = typeof info.id_number === 'string' ? info.id_number.trim().toUpperCase() : '';
    const name = typeof info.name === 'string' ? info.name.trim() : '';
    if (!assertedLevel || assertedLevel < 2 || !name || checkIdNumber(idNumber) !== null) return await fail('peer released no verified identity');
    identity = { peerId: peer.peerId, peerName: peer.name, sub: claims.sub, name, idNumber, assertedLevel, amr: Array.isArray(claims.amr) ? claims.amr.map(String) : [] };
  } catch (err) {
    if (err instanceof AppError) throw err;
    return fail(err instanceof Error ? err.message.slice(0, 120) : 'token exchange failed', err);
  }
  const sealed = sm4Seal(ctx.config.secrets.dataKey, JSON.stringify(identity), aad(hash)).toString('base64');
  if (!(await store.storeLoginResult(ctx.db, hash, sealed))) throw new AppError('FEDERATION_LOGIN_EXPIRED');
}

/** The verified identity of a sign-in waiting for confirmation, and the account it would open. */
export async function pendingIdentity(ctx: AppContext, db: Queryable, handle: string): Promise<{ identity: PeerIdentity; next: string; local: LocalAccount | null }> {
  const hash = handleHash(handle);
  const login = await store.findLogin(db, hash);
  if (!login?.result_sealed) throw new AppError('FEDERATION_LOGIN_EXPIRED');
  const identity = JSON.parse(sm4Open(ctx.config.secrets.dataKey, Buffer.from(login.result_sealed, 'base64'), aad(hash)).toString('utf8')) as PeerIdentity;
  const local = await accountByIdNumber(db, citizenServiceFor(ctx), identity.idNumber);
  return { identity, next: login.next, local: local?.active ? local : null };
}

/**
 * The session's factors: 'federation' always, plus the kinds the peer reported (amr) only
 * as far as the asserted level reaches, so the local session never proves more than the
 * peer did (one factor counts as level 2, two as 3, a face check as 5; see identity levels).
 */
export function sessionFactors(identity: Pick<PeerIdentity, 'assertedLevel' | 'amr'>, now = Date.now()): Record<string, number> {
  const factors: Record<string, number> = { federation: now };
  if (identity.assertedLevel >= 3) {
    const map: Record<string, string> = { pwd: 'password', sms: 'sms', otp: 'totp', hwk: 'passkey', swk: 'passkey' };
    for (const a of identity.amr) if (map[a]) factors[map[a]] = now;
    // A peer at level 3 or 4 that named only one kind still proved two factors (its acr says so).
    if (Object.keys(factors).length < 2) factors.password = now;
  }
  if (identity.assertedLevel >= 5 && identity.amr.includes('face')) factors.face = now;
  return factors;
}

/** The person confirmed: open a session on the local account found by ID number. */
export async function confirmLogin(ctx: AppContext, handle: string, meta: Meta): Promise<{ token: string; actor: Actor; next: string }> {
  const people = citizenServiceFor(ctx);
  return inTransaction(ctx.db, async (tx) => {
    const { identity, next, local } = await pendingIdentity(ctx, tx, handle);
    if (!local) throw new AppError('FEDERATION_LOGIN_EXPIRED');
    if (!(await store.deleteLogin(tx, handleHash(handle)))) throw new AppError('FEDERATION_LOGIN_EXPIRED');
    await store.upsertLink(tx, identity.peerId, identity.sub, local.accountId);
    const opened = await people.openSession(tx, local.accountId, `federation:${identity.peerId}`, sessionFactors(identity), meta);
    await recordAudit(tx, {
      actor: opened.actor,
      action: 'federation.login',
      targetType: 'citizen_account',
      targetId: local.accountId,
      regionCode: local.regionCode,
      change: { peer: identity.peerId, peerLevel: identity.assertedLevel, accountLevel: local.level, sessionLevel: opened.actor.kind === 'citizen' ? opened.actor.realNameLevel : null, idNumber: maskIdNumber(identity.idNumber) },
      requestId: meta.requestId,
    });
    return { ...opened, next };
  });
}

/** No local account had this ID number: create one linked to the peer's identity. */
export async function createAndLogin(ctx: AppContext, handle: string, input: { mobile: string; code: string }, meta: Meta): Promise<{ token: string; actor: Actor; next: string }> {
  const people = citizenServiceFor(ctx);
  return inTransaction(ctx.db, async (tx) => {
    const { identity, next, local } = await pendingIdentity(ctx, tx, handle);
    if (local) throw new AppError('FEDERATION_LOGIN_EXPIRED');
    const level = Math.min(identity.assertedLevel, CREATE_LEVEL_CAP) as RealNameLevel;
    const accountId = await createFederatedAccount(tx, people, { ...input, name: identity.name, idNumber: identity.idNumber, level, peerId: identity.peerId, peerSub: identity.sub, nodeRegionCode: ctx.config.nodeRegionCode });
    if (!(await store.deleteLogin(tx, handleHash(handle)))) throw new AppError('FEDERATION_LOGIN_EXPIRED');
    await store.upsertLink(tx, identity.peerId, identity.sub, accountId);
    const opened = await people.openSession(tx, accountId, `federation:${identity.peerId}`, sessionFactors({ ...identity, assertedLevel: level }), meta);
    await recordAudit(tx, { actor: opened.actor, action: 'federation.account.create', targetType: 'citizen_account', targetId: accountId, change: { peer: identity.peerId, level, idNumber: maskIdNumber(identity.idNumber) }, requestId: meta.requestId });
    return { ...opened, next };
  });
}
