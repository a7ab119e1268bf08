// Peers' licence trust bundles for cross-region recognition (docs/licences-national.md): each
// enabled federation peer publishes a signed bundle at `${origin}/licences/trust-bundle`;
// this node downloads them hourly (and on an administrator's request), keeps the last good
// one when a download fails, and hands the stored envelopes to the licence verifier. Only
// the envelope's shape is checked here: its signature and chain are the verifier's job,
// against the trust list, every time it is used.
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { recordAudit, type AuditActor } from '../../platform/audit/audit.ts';
import { access } from '../../platform/http/access.ts';
import type { AppContext } from '../../platform/module.ts';
import { listFederationPeers, nodeId, type FederationPeer } from '../federation/index.ts';
import * as national from './national-store.ts';
import { trustAnchors } from '../seals/index.ts';
import { verifyBundle } from './bundle.ts';

export const TRUST_BUNDLE_PATH = '/licences/trust-bundle';
export const PEER_BUNDLE_EVERY_MS = 3600_000;
const FIRST_RUN_DELAY_MS = 60_000;
const FETCH_TIMEOUT_MS = 10_000;
const MAX_BUNDLE_CHARS = 4 * 1024 * 1024;
const ADMINS = ['platform_admin', 'region_admin'] as const;

/** A peer's bundle as published: the signed JSON text, a detached signature, the signer's chain. */
export interface PeerBundleEnvelope {
  content: string;
  signature: string;
  signerChain: string[];
  [more: string]: unknown;
}

/** The shape the licence verifier takes its peer bundles from. */
export interface PeerBundleSource {
  bundles(): Promise<PeerBundleEnvelope[]>;
}

export interface RefreshResult {
  peerId: string;
  url: string;
  ok: boolean;
  error?: string;
}

type Ctx = Pick<AppContext, 'db' | 'config' | 'log'>;

/** Why `value` is not an envelope, or null when it is one. */
export function envelopeProblem(value: unknown): string | null {
  const e = value as Partial<PeerBundleEnvelope> | null;
  if (!e || typeof e !== 'object' || Array.isArray(e)) return '不是 JSON 对象';
  if (typeof e.content !== 'string' || e.content.length === 0) return '缺少 content';
  if (typeof e.signature !== 'string' || e.signature.length === 0) return '缺少 signature';
  if (!Array.isArray(e.signerChain) || e.signerChain.length === 0 || !e.signerChain.every((c) => typeof c === 'string' && c.length > 0)) return '缺少 signerChain';
  return null;
}

/** The bundle's own nextUpdate, when its content is JSON that states a valid one. */
function nextUpdateOf(envelope: PeerBundleEnvelope): Date | null {
  try {
    const c = JSON.parse(envelope.content) as { nextUpdate?: unknown };
    if (typeof c?.nextUpdate === 'string' && !Number.isNaN(Date.parse(c.nextUpdate))) return new Date(c.nextUpdate);
  } catch {
    // Opaque content: the verifier decides what it means.
  }
  return null;
}

export const bundleUrl = (peer: Pick<FederationPeer, 'issuer'>): string => `${new URL(peer.issuer).origin}${TRUST_BUNDLE_PATH}`;

async function download(url: string): Promise<PeerBundleEnvelope> {
  const res = await fetch(url, { headers: { accept: 'application/json' }, redirect: 'error', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  if (res.status !== 200) throw new Error(`对方返回 HTTP ${res.status}`);
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > MAX_BUNDLE_CHARS) throw new Error('信任包过大');
  const text = await res.text();
  if (text.length > MAX_BUNDLE_CHARS) throw new Error('信任包过大');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('信任包不是有效的 JSON');
  }
  const problem = envelopeProblem(parsed);
  if (problem) throw new Error(`信任包格式错误：${problem}`);
  return parsed as PeerBundleEnvelope;
}

function failureText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  if (err.name === 'TimeoutError') return '连接超时';
  // undici's network errors all read "fetch failed"; the cause says which.
  if (err.message === 'fetch failed') {
    const code = (err.cause as { code?: unknown } | undefined)?.code;
    return `无法连接对方节点${typeof code === 'string' ? `（${code}）` : ''}`;
  }
  return err.message;
}

/** The peers whose bundles this node uses: the enabled federation peers other than itself. */
async function bundlePeers(ctx: Ctx): Promise<FederationPeer[]> {
  const self = nodeId(ctx as AppContext);
  return (await listFederationPeers(ctx.db, true)).filter((p) => p.peerId !== self);
}

/**
 * A stored bundle that verifies against this node's trusted roots is replaced only by one
 * that verifies too and is no older: a tampered or replayed download must neither make the
 * peer's licences unverifiable nor bring back a bundle from before a revocation.
 */
async function keepsNewest(ctx: Ctx, peerId: string, next: PeerBundleEnvelope): Promise<void> {
  const stored = await national.storedPeerEnvelope(ctx.db, peerId);
  if (!stored) return;
  const now = new Date();
  const roots = await trustAnchors(ctx);
  const before = verifyBundle(stored, { roots, now });
  if (!before.valid) return;
  const after = verifyBundle(next, { roots, now });
  if (!after.valid) throw new Error(`信任包验证失败：${after.message}`);
  if (after.bundle.issuedAt < before.bundle.issuedAt) throw new Error('信任包比已保存的旧，可能是重放');
}

/**
 * Downloads every peer's bundle (or one peer's). A failure is recorded on that peer's row
 * and never removes the envelope stored before: a peer that is briefly down must not make
 * its licences unverifiable here.
 */
export async function refreshPeerBundles(ctx: Ctx, options: { peerId?: string } = {}): Promise<RefreshResult[]> {
  const peers = (await bundlePeers(ctx)).filter((p) => !options.peerId || p.peerId === options.peerId);
  return Promise.all(
    peers.map(async (peer): Promise<RefreshResult> => {
      const url = bundleUrl(peer);
      try {
        const envelope = await download(url);
        await keepsNewest(ctx, peer.peerId, envelope);
        await national.storePeerBundle(ctx.db, { peerId: peer.peerId, regionCode: peer.regionCode, url, envelope, fetchedAt: new Date(), nextUpdate: nextUpdateOf(envelope) });
        return { peerId: peer.peerId, url, ok: true };
      } catch (err) {
        const error = failureText(err);
        await national.recordPeerBundleError(ctx.db, { peerId: peer.peerId, regionCode: peer.regionCode, url, at: new Date(), error });
        ctx.log.warn({ peerId: peer.peerId, url, error }, 'peer licence bundle not refreshed; the last good one stays');
        return { peerId: peer.peerId, url, ok: false, error };
      }
    }),
  );
}

/** The stored envelopes of the enabled peers: plug into the licence verifier as its peer source. */
export function peerBundles(ctx: Pick<AppContext, 'db' | 'config'>): PeerBundleSource {
  return {
    async bundles() {
      const enabled = new Set((await listFederationPeers(ctx.db, true)).map((p) => p.peerId));
      const rows = await national.peerBundleRows(ctx.db);
      return rows.filter((r) => r.envelope !== null && enabled.has(r.peer_id)).map((r) => r.envelope as PeerBundleEnvelope);
    },
  };
}

export interface PeerBundleSchedule {
  runOnce(): Promise<void>;
  stop(): Promise<void>;
}

/** Hourly refresh, on nodes that do background work; idempotent, so every such node may run it. */
export function startPeerBundleSchedule(ctx: Ctx, options: { everyMs?: number; firstRunMs?: number } = {}): PeerBundleSchedule {
  let running: Promise<void> | null = null;
  const runOnce = () =>
    (running ??= refreshPeerBundles(ctx)
      .then((results) => {
        const failed = results.filter((r) => !r.ok).length;
        if (results.length) ctx.log.info({ peers: results.length, failed }, 'peer licence bundles refreshed');
      })
      .catch((err: unknown) => ctx.log.warn({ err }, 'refreshing peer licence bundles failed'))
      .finally(() => (running = null)));
  const first = setTimeout(() => void runOnce(), options.firstRunMs ?? FIRST_RUN_DELAY_MS);
  const timer = setInterval(() => void runOnce(), options.everyMs ?? PEER_BUNDLE_EVERY_MS);
  first.unref();
  timer.unref();
  return {
    runOnce,
    async stop() {
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}

const Result = Type.Object({ peerId: Type.String(), url: Type.String(), ok: Type.Boolean(), error: Type.Optional(Type.String()) });
const Row = Type.Object({
  peerId: Type.String(),
  regionCode: Type.String(),
  url: Type.String(),
  fetchedAt: Type.Union([Type.String(), Type.Null()]),
  nextUpdate: Type.Union([Type.String(), Type.Null()]),
  lastAttemptAt: Type.String(),
  lastError: Type.Union([Type.String(), Type.Null()]),
});

export function peerBundleRoutes(app: FastifyInstance, ctx: AppContext): void {
  const tags = ['licences'];
  app.get('/api/v1/licences/peer-bundles', {
    config: { access: access.staff(ADMINS) },
    schema: { tags, summary: '其他地区证照信任包的下载情况（跨区域互认）', response: { 200: Type.Object({ items: Type.Array(Row) }) } },
    handler: async () => ({
      items: (await national.peerBundleRows(ctx.db)).map((r) => ({
        peerId: r.peer_id,
        regionCode: r.region_code,
        url: r.url,
        fetchedAt: r.fetched_at?.toISOString() ?? null,
        nextUpdate: r.next_update?.toISOString() ?? null,
        lastAttemptAt: r.last_attempt_at.toISOString(),
        lastError: r.last_error,
      })),
    }),
  });

  app.post('/api/v1/licences/peer-bundles/refresh', {
    config: { access: access.staff(ADMINS) },
    schema: { tags, summary: '立即重新下载其他地区的证照信任包', response: { 200: Type.Object({ results: Type.Array(Result) }) } },
    handler: async (req) => {
      const results = await refreshPeerBundles(ctx);
      await recordAudit(ctx.db, { actor: req.actor as AuditActor, action: 'licence.peer_bundles.refresh', targetType: 'licence_peer_bundle', change: { results }, requestId: req.id });
      return { results };
    },
  });
}
