// The trust list over HTTP: the signed list every node publishes (public), and the admin pages
// of the node's own region to propose a peer's root CA (upload or fetch), confirm it after
// comparing fingerprints, and remove it with a reason. Forms work without JavaScript; the
// upload form is multipart, so it checks its CSRF field once the body has been read.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { Type } from '@fastify/type-provider-typebox';
import { access, type StaffRole } from '../../../platform/http/access.ts';
import { AppError, isAppError, type FieldError } from '../../../platform/http/errors.ts';
import type { AppContext } from '../../../platform/module.ts';
import { certificateToPem, parseCertificate } from '../../../platform/crypto/x509/index.ts';
import { groupedFingerprint } from './list.ts';
import type { TrustService } from './service.ts';

const PAGES = 'modules/seals/trust/pages';
const ADMINS: StaffRole[] = ['platform_admin', 'region_admin'];
const page = { hide: true };
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
type Fields = Record<string, unknown>;
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

export function trustRoutes(app: FastifyInstance, ctx: AppContext, trust: TrustService): void {
  const rule = access.staff(ADMINS, () => ctx.config.nodeRegionCode);
  const crumbs = [{ label: '工作台', href: '/staff' }, { label: '跨区域信任列表', href: '/staff/trust' }];

  app.get('/ca/trust-list', {
    config: { access: access.public() },
    schema: {
      tags: ['ca'],
      summary: '本节点的信任列表（签名的 JSON）',
      description: 'content 为 JSON 文本（格式 yiwang-trust-list/1），signature 为本节点签发CA对 content 的 UTF-8 字节所作 SM2 签名（DER，Base64），signerChain 为 [签发CA, 根CA]。见 docs/seals.md “Trust list”。',
    },
    handler: async (_req, reply) => reply.header('cache-control', 'public, max-age=300').send(await trust.published()),
  });

  async function listPage(req: FastifyRequest, reply: FastifyReply, state: { errors?: FieldError[]; values?: Fields; status?: number } = {}) {
    const data = await trust.list(req.actor);
    const done = text((req.query as { done?: string } | undefined)?.done) || null;
    return ctx.render.page(req, reply, `${PAGES}/list.eta`, { ...data, group: groupedFingerprint, errors: state.errors ?? [], values: state.values ?? {}, done }, {
      title: '跨区域信任列表', status: state.status, breadcrumbs: [crumbs[0]!, { label: '跨区域信任列表' }],
    });
  }

  async function detailPage(req: FastifyRequest, reply: FastifyReply, errors: FieldError[] = [], status?: number) {
    const row = await trust.get(req.actor, (req.params as { id: string }).id);
    const cert = parseCertificate(row.der);
    const done = text((req.query as { done?: string } | undefined)?.done) || null;
    return ctx.render.page(req, reply, `${PAGES}/anchor.eta`, {
      row, issuer: cert.issuer.text, serial: cert.serial, fingerprint: groupedFingerprint(row.sm3_fingerprint), pem: certificateToPem(row.der), errors, done,
    }, { title: row.status === 'pending' ? '核对并确认可信根证书' : row.peer_name, status, breadcrumbs: [...crumbs, { label: row.peer_name }] });
  }

  app.get('/staff/trust', {
    config: { access: rule },
    schema: { ...page, querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) }) },
    handler: (req, reply) => listPage(req, reply),
  });

  void app.register(async (scope) => {
    await scope.register(multipart, { attachFieldsToBody: 'keyValues', limits: { fileSize: 64 * 1024, files: 1, fields: 8 } });
    scope.post('/staff/trust/anchors', {
      config: { access: rule, csrf: false },
      schema: { ...page, consumes: ['multipart/form-data'] },
      handler: async (req, reply) => {
        const body = (req.body ?? {}) as Fields;
        req.assertCsrf(body._csrf);
        const values = { peerName: text(body.peerName), regionCode: text(body.regionCode), url: text(body.url), source: text(body.source) || 'file' };
        try {
          const base = { peerName: values.peerName, regionCode: values.regionCode };
          const certificate = Buffer.isBuffer(body.certificate) ? body.certificate : typeof body.certificate === 'string' ? Buffer.from(body.certificate) : Buffer.alloc(0);
          const row = values.source === 'url' ? await trust.propose(req.actor, { ...base, url: values.url }, { requestId: String(req.id) }) : await trust.propose(req.actor, { ...base, certificate }, { requestId: String(req.id) });
          return reply.redirect(`/staff/trust/anchors/${row.id}`, 303);
        } catch (err) {
          if (isAppError(err) && err.errors) return listPage(req, reply, { errors: err.errors, values, status: err.status });
          throw err;
        }
      },
    });
  });

  app.get('/staff/trust/anchors/:id', {
    config: { access: rule },
    schema: { ...page, params: IdParams, querystring: Type.Object({ done: Type.Optional(Type.String({ maxLength: 20 })) }) },
    handler: (req, reply) => detailPage(req, reply),
  });

  app.post('/staff/trust/anchors/:id/confirm', {
    config: { access: rule },
    schema: { ...page, params: IdParams, body: Type.Object({ checked: Type.Optional(Type.String({ maxLength: 10 })) }) },
    handler: async (req, reply) => {
      const { id } = req.params as { id: string };
      try {
        if ((req.body as { checked?: string }).checked !== 'yes') throw new AppError('TRUST_ANCHOR_INVALID', { errors: [{ field: 'checked', message: '请先与对方节点核对证书指纹，并勾选确认' }] });
        await trust.confirm(req.actor, id, { requestId: String(req.id) });
      } catch (err) {
        if (isAppError(err) && err.errors) return detailPage(req, reply, err.errors, err.status);
        throw err;
      }
      return reply.redirect('/staff/trust?done=activated', 303);
    },
  });

  app.post('/staff/trust/anchors/:id/remove', {
    config: { access: rule },
    schema: { ...page, params: IdParams, body: Type.Object({ reason: Type.Optional(Type.String({ maxLength: 500 })) }) },
    handler: async (req, reply) => {
      const { id } = req.params as { id: string };
      try {
        await trust.remove(req.actor, id, (req.body as { reason?: string }).reason ?? '', { requestId: String(req.id) });
      } catch (err) {
        if (isAppError(err) && err.errors) return detailPage(req, reply, err.errors, err.status);
        throw err;
      }
      return reply.redirect('/staff/trust?done=removed', 303);
    },
  });
}
