// /admin/federation/peers: the trust list (platform administrators only). Adding a peer
// records its OIDC issuer, this node's client registration there (secret sealed) and its SM2
// public key; a peer is disabled rather than deleted, so links and audit keep their target.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { access } from '../../platform/http/access.ts';
import { AppError, isAppError, type FieldError } from '../../platform/http/errors.ts';
import { inTransaction } from '../../platform/db/database.ts';
import { recordAudit, type AuditActor } from '../../platform/audit/audit.ts';
import { sm2PublicKey } from '../../platform/crypto/sm2.ts';
import { sm4Seal } from '../../platform/crypto/sm4.ts';
import type { AppContext } from '../../platform/module.ts';
import { checkClientUri } from '../sso/index.ts';
import { CALLBACK_PATH } from './login.ts';
import { nodeIdentity, nodeId } from './push.ts';
import * as store from './store.ts';

const PAGES = 'modules/federation/pages';
const ADMINS = ['platform_admin'] as const;
const CRUMBS = [{ label: '首页', href: '/' }, { label: '联邦可信节点', href: '/admin/federation/peers' }];
export const KIND_NAMES: Record<store.PeerKind, string> = { national: '国家节点', province: '省级节点', city: '市级节点' };

export interface NewPeerInput {
  peerId: string;
  name: string;
  kind: string;
  regionCode: string;
  issuer: string;
  clientId: string;
  clientSecret?: string;
  publicKey: string;
}

export async function addPeer(ctx: AppContext, actor: AuditActor, input: NewPeerInput, requestId?: string): Promise<void> {
  const errors: FieldError[] = [];
  const peerId = input.peerId.trim();
  if (!/^[\w.-]{1,64}$/.test(peerId)) errors.push({ field: 'peerId', message: '节点标识只能包含字母、数字、“.”“-”“_”，64 位以内（通常为对方的行政区划代码）' });
  const name = input.name.trim();
  if (!name || name.length > 100) errors.push({ field: 'name', message: '请填写节点名称（100 字以内）' });
  if (!(input.kind in KIND_NAMES)) errors.push({ field: 'kind', message: '请选择节点层级' });
  if (!/^\d{6}$/.test(input.regionCode.trim())) errors.push({ field: 'regionCode', message: '请填写 6 位行政区划代码' });
  const issuer = checkClientUri(input.issuer.trim());
  if (!issuer || (ctx.config.env === 'production' && !issuer.startsWith('https:'))) errors.push({ field: 'issuer', message: '签发者地址须以 https:// 开头（本机开发可用 http://localhost）' });
  const clientId = input.clientId.trim();
  if (!clientId || clientId.length > 128) errors.push({ field: 'clientId', message: '请填写本节点在对方登记的 client_id' });
  let publicKey = '';
  try {
    publicKey = sm2PublicKey(input.publicKey.trim()).hex;
  } catch {
    errors.push({ field: 'publicKey', message: '请填写对方节点的 SM2 公钥（04 开头的 130 位十六进制，或 PEM）' });
  }
  if (errors.length) throw new AppError('FEDERATION_PEER_INVALID', { errors });
  const secret = input.clientSecret?.trim();
  await inTransaction(ctx.db, async (tx) => {
    const added = await store.insertPeer(tx, {
      peerId,
      name,
      kind: input.kind as store.PeerKind,
      regionCode: input.regionCode.trim(),
      // The discovery URL is derived from the issuer, which must match it exactly (no trailing slash).
      issuer: issuer!.replace(/\/$/, ''),
      clientId,
      clientSecretSealed: secret ? sm4Seal(ctx.config.secrets.dataKey, secret, `federation_peer:${peerId}`).toString('base64') : null,
      publicKey,
      createdBy: actor.kind === 'staff' ? actor.accountId : null,
    });
    if (!added) throw new AppError('FEDERATION_PEER_INVALID', { errors: [{ field: 'peerId', message: '该节点标识已登记' }] });
    await recordAudit(tx, { actor, action: 'federation.peer.add', targetType: 'federation_peer', targetId: peerId, regionCode: input.regionCode.trim(), change: { name, kind: input.kind, issuer, clientId }, requestId });
  });
}

export async function setPeerEnabled(ctx: AppContext, actor: AuditActor, peerId: string, enabled: boolean, requestId?: string): Promise<void> {
  await inTransaction(ctx.db, async (tx) => {
    const peer = await store.findPeer(tx, peerId);
    if (!peer) throw new AppError('FEDERATION_PEER_UNKNOWN');
    if (!(await store.setPeerEnabled(tx, peerId, enabled))) return;
    await recordAudit(tx, { actor, action: enabled ? 'federation.peer.enable' : 'federation.peer.disable', targetType: 'federation_peer', targetId: peerId, regionCode: peer.regionCode, change: { name: peer.name }, requestId });
  });
}

const PeerForm = Type.Object({
  peerId: Type.String({ maxLength: 64 }),
  name: Type.String({ maxLength: 200 }),
  kind: Type.String({ maxLength: 16 }),
  regionCode: Type.String({ maxLength: 12 }),
  issuer: Type.String({ maxLength: 500 }),
  clientId: Type.String({ maxLength: 200 }),
  clientSecret: Type.Optional(Type.String({ maxLength: 500 })),
  publicKey: Type.String({ maxLength: 2000 }),
});

export function adminRoutes(app: FastifyInstance, ctx: AppContext): void {
  const show = async (req: FastifyRequest, reply: FastifyReply, extra: { errors?: FieldError[]; form?: Partial<NewPeerInput> }, status = 200) => {
    const node = await nodeIdentity(ctx, ctx.db);
    return ctx.render.page(
      req,
      reply,
      `${PAGES}/peers.eta`,
      {
        peers: await store.listPeers(ctx.db),
        kinds: KIND_NAMES,
        node: { id: nodeId(ctx), publicKey: node.publicKey, callback: `${ctx.config.publicUrl}${CALLBACK_PATH}`, issuer: `${ctx.config.publicUrl}/oidc` },
        csrf: req.csrfToken(reply),
        errors: extra.errors ?? [],
        form: extra.form ?? { kind: 'city' },
      },
      { title: '联邦可信节点', breadcrumbs: CRUMBS, status },
    );
  };

  app.get('/admin/federation/peers', { config: { access: access.staff(ADMINS) }, schema: { hide: true }, handler: (req, reply) => show(req, reply, {}) });

  app.post('/admin/federation/peers', {
    config: { access: access.staff(ADMINS) },
    schema: { hide: true, body: PeerForm },
    handler: async (req, reply) => {
      const body = req.body as NewPeerInput;
      try {
        await addPeer(ctx, req.actor as AuditActor, body, req.id);
        return reply.redirect('/admin/federation/peers', 303);
      } catch (err) {
        if (isAppError(err) && err.code === 'FEDERATION_PEER_INVALID') return show(req, reply, { errors: err.errors ?? [], form: { ...body, clientSecret: '' } }, 400);
        throw err;
      }
    },
  });

  for (const [verb, enabled] of [['disable', false], ['enable', true]] as const) {
    app.post(`/admin/federation/peers/:peerId/${verb}`, {
      config: { access: access.staff(ADMINS) },
      schema: { hide: true, params: Type.Object({ peerId: Type.String({ maxLength: 64 }) }), body: Type.Object({}) },
      handler: async (req, reply) => {
        await setPeerEnabled(ctx, req.actor as AuditActor, (req.params as { peerId: string }).peerId, enabled, req.id);
        return reply.redirect('/admin/federation/peers', 303);
      },
    });
  }
}
