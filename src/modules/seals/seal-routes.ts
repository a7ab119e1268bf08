// Seal lifecycle over HTTP: the public status API for peers and verifiers, the staff JSON
// API, and the staff pages (requests and approvals, the registry, a seal's detail) whose
// forms work without JavaScript.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { access, type StaffRole } from '../../platform/http/access.ts';
import { AppError, isAppError } from '../../platform/http/errors.ts';
import type { AppContext } from '../../platform/module.ts';
import { RegionService } from '../regions/index.ts';
import { SEAL_KIND_LABELS, SEAL_KINDS, type SealKind } from './images.ts';
import { REVOKE_REASONS, STATUS_TEXT, type SealService, type SealStatusView } from './seal-service.ts';
import type { SealStatusReason } from './seal-store.ts';

const tags = ['seals'];
const PAGES = 'modules/seals/pages';
const page = { hide: true };
const REQUESTERS: StaffRole[] = ['dept_admin', 'region_admin'];
const ISSUERS: StaffRole[] = ['region_admin'];
const READERS: StaffRole[] = ['dept_admin', 'region_admin', 'auditor'];
const EsIdParams = Type.Object({ esId: Type.String({ pattern: '^[0-9]{18}$', description: 'esID：区划代码 6 位 + 年份 4 位 + 序号 8 位' }) });
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Kind = Type.Union(SEAL_KINDS.map((k) => Type.Literal(k)), { description: 'official 公章 / business 业务专用章 / legal_name 法定名称章' });
const StatusSchema = Type.Object({
  esId: Type.String(), name: Type.String(), kind: Type.String(),
  status: Type.String({ description: 'valid 有效 / suspended 挂失暂停 / revoked 已注销' }),
  reason: Type.Union([Type.String(), Type.Null()]),
  validFrom: Type.String({ format: 'date-time' }), validTo: Type.String({ format: 'date-time' }), expired: Type.Boolean(),
  registeredAt: Type.String({ format: 'date-time' }), statusChangedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
const toJson = (s: SealStatusView) => ({ ...s, validFrom: s.validFrom.toISOString(), validTo: s.validTo.toISOString(), registeredAt: s.registeredAt.toISOString(), statusChangedAt: s.statusChangedAt?.toISOString() ?? null });

export function sealRoutes(app: FastifyInstance, ctx: AppContext, seals: SealService): void {
  const regions = new RegionService(ctx.db);

  // ---- public: peers and verifiers ----
  app.get('/api/v1/seals/:esId/status', {
    config: { access: access.public() },
    schema: { tags, summary: '电子印章状态查询（有效 / 挂失 / 注销）', params: EsIdParams, response: { 200: StatusSchema } },
    handler: async (req) => toJson(await seals.status((req.params as { esId: string }).esId)),
  });
  app.get('/api/v1/seals/:esId', {
    config: { access: access.public() },
    schema: { tags, summary: '下载电子印章（GB/T 38540 SES_Seal，DER）', params: EsIdParams },
    handler: async (req, reply) => {
      const { esId } = req.params as { esId: string };
      return reply.type('application/octet-stream').header('content-disposition', `attachment; filename="${esId}.seal"`).send(await seals.sesDer(esId));
    },
  });
  app.get('/api/v1/seals/:esId/picture.png', {
    config: { access: access.public() },
    schema: { tags, summary: '印章图像（PNG）', params: EsIdParams },
    handler: async (req, reply) => reply.type('image/png').send((await seals.picture((req.params as { esId: string }).esId)).png),
  });

  // ---- staff API ----
  app.post('/api/v1/seal-requests', {
    config: { access: access.staff(REQUESTERS) },
    schema: {
      tags, summary: '申请电子印章',
      body: Type.Object({ orgId: Type.String({ format: 'uuid' }), kind: Kind, label: Type.Optional(Type.String({ maxLength: 20, description: '专用章名称，如“合同专用章”（仅 business）' })), pictureBase64: Type.Optional(Type.String({ maxLength: 1_500_000, description: '上传的印章图像（PNG，Base64），不传则自动生成' })) }),
      response: { 201: Type.Object({ id: Type.String() }) },
    },
    handler: async (req, reply) => {
      const b = req.body as { orgId: string; kind: SealKind; label?: string; pictureBase64?: string };
      const id = await seals.request(req.actor, { orgId: b.orgId, kind: b.kind, label: b.label, uploadedPng: b.pictureBase64 ? Buffer.from(b.pictureBase64, 'base64') : null });
      return reply.code(201).send({ id });
    },
  });
  app.post('/api/v1/seal-requests/:id/approve', {
    config: { access: access.staff(ISSUERS) },
    schema: { tags, summary: '批准并制发电子印章（备案）', params: IdParams, response: { 200: Type.Object({ esId: Type.String() }) } },
    handler: async (req) => seals.approve(req.actor, (req.params as { id: string }).id),
  });
  app.post('/api/v1/seal-requests/:id/reject', {
    config: { access: access.staff(ISSUERS) },
    schema: { tags, summary: '退回印章申请', params: IdParams, body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) }), response: { 204: Type.Null() } },
    handler: async (req, reply) => {
      await seals.reject(req.actor, (req.params as { id: string }).id, (req.body as { reason: string }).reason);
      return reply.code(204).send();
    },
  });
  const Change = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 10 })), note: Type.Optional(Type.String({ maxLength: 500 })) });
  for (const action of ['suspend', 'resume', 'revoke'] as const) {
    app.post(`/api/v1/seals/:esId/${action}`, {
      config: { access: access.staff(ISSUERS) },
      schema: { tags, summary: { suspend: '挂失（暂停使用）', resume: '解除挂失', revoke: '注销' }[action], params: EsIdParams, body: Change, response: { 200: StatusSchema } },
      handler: async (req) => toJson(await change(req, action)),
    });
  }
  function change(req: FastifyRequest, action: 'suspend' | 'resume' | 'revoke'): Promise<SealStatusView> {
    const { esId } = req.params as { esId: string };
    const b = (req.body ?? {}) as { reason?: string; note?: string };
    if (action === 'suspend') return seals.suspend(req.actor, esId, b.note);
    if (action === 'resume') return seals.resume(req.actor, esId, b.note);
    return seals.revoke(req.actor, esId, (b.reason ?? '') as SealStatusReason, b.note);
  }

  // ---- staff pages ----
  const home = { label: '工作台', href: '/staff' };
  async function registryPage(req: FastifyRequest, reply: FastifyReply, state: { errors?: { field: string; message: string }[]; status?: number } = {}) {
    const actor = req.actor.kind === 'staff' ? req.actor : null;
    const orgs = actor?.roles.includes('region_admin') ? await regions.organisations(actor.regionCode) : actor?.orgId ? [await regions.organisation(actor.orgId)] : [];
    const q = req.query as { done?: string };
    return ctx.render.page(req, reply, `${PAGES}/registry.eta`, {
      requests: await seals.listRequests(req.actor), seals: await seals.listSeals(req.actor), orgs, kinds: SEAL_KIND_LABELS, statusText: STATUS_TEXT,
      canRequest: REQUESTERS.some((r) => actor?.roles.includes(r)), canIssue: ISSUERS.some((r) => actor?.roles.includes(r)), errors: state.errors ?? [], done: q.done ?? null,
    }, { title: '电子印章', status: state.status, breadcrumbs: [home, { label: '电子印章' }] });
  }
  app.get('/staff/seals', { config: { access: access.staff(READERS) }, schema: { ...page, querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) }) }, handler: (req, reply) => registryPage(req, reply) });
  app.post('/staff/seals/requests', {
    config: { access: access.staff(REQUESTERS) },
    schema: { ...page, body: Type.Object({ orgId: Type.String({ maxLength: 40 }), kind: Type.String({ maxLength: 20 }), label: Type.Optional(Type.String({ maxLength: 20 })) }) },
    handler: async (req, reply) => {
      const b = req.body as { orgId: string; kind: string; label?: string };
      try {
        if (!/^[0-9a-f-]{36}$/.test(b.orgId)) throw new AppError('SEAL_REQUEST_INVALID', { errors: [{ field: 'orgId', message: '请选择申请印章的机构' }] });
        if (!(SEAL_KINDS as readonly string[]).includes(b.kind)) throw new AppError('SEAL_REQUEST_INVALID', { errors: [{ field: 'kind', message: '请选择印章类型' }] });
        await seals.request(req.actor, { orgId: b.orgId, kind: b.kind as SealKind, label: b.label });
      } catch (err) {
        if (isAppError(err) && err.errors) return registryPage(req, reply, { errors: err.errors, status: 400 });
        throw err;
      }
      return reply.redirect('/staff/seals?done=requested', 303);
    },
  });
  app.post('/staff/seals/requests/:id/:decision', {
    config: { access: access.staff(ISSUERS) },
    schema: { ...page, params: Type.Object({ id: Type.String({ format: 'uuid' }), decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')]) }), body: Type.Object({ reason: Type.Optional(Type.String({ maxLength: 500 })) }) },
    handler: async (req, reply) => {
      const { id, decision } = req.params as { id: string; decision: 'approve' | 'reject' };
      try {
        if (decision === 'approve') {
          const { esId } = await seals.approve(req.actor, id);
          return reply.redirect(`/staff/seals/${esId}?done=issued`, 303);
        }
        await seals.reject(req.actor, id, (req.body as { reason?: string }).reason ?? '');
      } catch (err) {
        if (isAppError(err) && err.errors) return registryPage(req, reply, { errors: err.errors.map((e) => ({ ...e, field: `reason-${id}` })), status: 400 });
        throw err;
      }
      return reply.redirect('/staff/seals?done=rejected', 303);
    },
  });
  async function detailPage(req: FastifyRequest, reply: FastifyReply, errors: { field: string; message: string }[] = [], status?: number) {
    const { esId } = req.params as { esId: string };
    const { seal, events } = await seals.detail(req.actor, esId);
    const actor = req.actor.kind === 'staff' ? req.actor : null;
    const done = (req.query as { done?: string }).done ?? null;
    return ctx.render.page(req, reply, `${PAGES}/seal.eta`, { seal, events, kinds: SEAL_KIND_LABELS, statusText: STATUS_TEXT, revokeReasons: REVOKE_REASONS, canIssue: ISSUERS.some((r) => actor?.roles.includes(r)), errors, done }, {
      title: seal.name, status, breadcrumbs: [home, { label: '电子印章', href: '/staff/seals' }, { label: seal.name }],
    });
  }
  app.get('/staff/seals/:esId', { config: { access: access.staff(READERS) }, schema: { ...page, params: EsIdParams, querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) }) }, handler: (req, reply) => detailPage(req, reply) });
  app.post('/staff/seals/:esId/:action', {
    config: { access: access.staff(ISSUERS) },
    schema: { ...page, params: Type.Object({ esId: EsIdParams.properties.esId, action: Type.Union([Type.Literal('suspend'), Type.Literal('resume'), Type.Literal('revoke')]) }), body: Change },
    handler: async (req, reply) => {
      const { esId, action } = req.params as { esId: string; action: 'suspend' | 'resume' | 'revoke' };
      try {
        await change(req, action);
      } catch (err) {
        if (isAppError(err) && err.errors) return detailPage(req, reply, err.errors, 400);
        throw err;
      }
      return reply.redirect(`/staff/seals/${esId}?done=${action}`, 303);
    },
  });
}
