// 网上查验 over HTTP: the public API (by identifier or QR text; by uploaded PDF), the licence
// trust bundle offline verifiers download, and the public page a scanned QR code opens
// (GET /licences/verify?qr=… answers at once; the three forms work without JavaScript).
// Uploads are multipart (attachFieldsToBody), so that form checks its CSRF field itself.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { Type } from '@fastify/type-provider-typebox';
import type { AuditActor } from '../../platform/audit/audit.ts';
import { PersonalDataCipher } from '../../platform/crypto/personal-data.ts';
import { access } from '../../platform/http/access.ts';
import { AppError, isAppError, type FieldError } from '../../platform/http/errors.ts';
import type { AppContext } from '../../platform/module.ts';
import { publishBundle } from './bundle.ts';
import { peerBundles } from './peer-bundles.ts';
import type { LicenceService } from './service.ts';
import { LicenceVerifier, statusWords, type LicenceVerification, type PeerBundles, type VerifyFailure } from './verification.ts';

const tags = ['licences'];
const PAGE = 'modules/licences/pages/verify.eta';
const MAX_PDF_BYTES = 20 * 1024 * 1024;
const RATE = { max: 30, timeWindow: '1 minute' };
type Fields = Record<string, unknown>;

/** The API's answer: never more than the masked claims; nothing at all when not verifiable. */
export function verificationJson(r: LicenceVerification & { current?: string }) {
  if (!r.ok) return { ok: false as const, code: r.code, message: r.message };
  return {
    ok: true as const, status: r.status, statusText: statusWords(r).text, revokeKind: r.revokeKind, since: r.since, source: r.source, warnings: r.warnings,
    licence: r.licence, signer: r.signer, ...(r.current ? { current: r.current } : {}),
  };
}

const Result = Type.Object({ ok: Type.Boolean(), code: Type.Optional(Type.String()), message: Type.Optional(Type.String()), status: Type.Optional(Type.String()) }, { additionalProperties: true });

/** `peers`: where other nodes' bundles come from (default: the federation peers' stored bundles). */
export function licenceVerifyRoutes(app: FastifyInstance, ctx: AppContext, licences: LicenceService, peers: PeerBundles = peerBundles(ctx)): void {
  const verifier = new LicenceVerifier({ db: ctx.db, config: ctx.config, cipher: new PersonalDataCipher(ctx.config.secrets), licences, peers });
  const actorOf = (req: FastifyRequest) => (req.actor ?? null) as AuditActor | null;

  const byText = async (req: FastifyRequest, body: Fields) => {
    const qr = typeof body.qr === 'string' ? body.qr.trim() : '';
    const identifier = typeof body.identifier === 'string' ? body.identifier.trim() : '';
    if (qr) return verifier.verifyQr(actorOf(req), qr);
    if (identifier) return verifier.verifyIdentifier(actorOf(req), identifier);
    throw new AppError('LICENCE_VERIFY_INPUT_INVALID', { errors: [{ field: 'identifier', message: '请输入证照标识或二维码内容' }] });
  };

  const page = (req: FastifyRequest, reply: FastifyReply, data: { result?: ReturnType<typeof verificationJson> | null; errors?: FieldError[]; values?: Fields; status?: number }) => {
    const result = data.result ?? null;
    const title = result ? `核验结果：${result.ok ? result.statusText : '无法核验'}` : '电子证照核验';
    return ctx.render.page(req, reply, PAGE, { result, words: result ? statusWords(result as LicenceVerification) : null, errors: data.errors ?? [], values: data.values ?? {} }, { title, ...(data.status ? { status: data.status } : {}) });
  };

  /** Errors the library answers with (unknown or malformed identifier) become a result on the page. */
  const asPageResult = (err: unknown) => {
    if (isAppError(err) && (err.code === 'LICENCE_NOT_FOUND' || err.code === 'LICENCE_IDENTIFIER_INVALID')) {
      return { ok: false as const, code: (err.code === 'LICENCE_NOT_FOUND' ? 'not_found' : 'malformed') as VerifyFailure, message: err.code === 'LICENCE_NOT_FOUND' ? '证照库中没有这个证照标识' : (err.detail ?? err.message) };
    }
    return null;
  };

  app.get('/licences/trust-bundle', {
    config: { access: access.public(), rateLimit: { max: 60, timeWindow: '1 minute' } },
    schema: { tags, summary: '证照信任包：本节点签发证照二维码的印章证书与不再有效的证照清单（由本节点签发 CA 签名，供离线核验下载）' },
    handler: async (_req, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return publishBundle(ctx);
    },
  });

  app.post('/api/v1/licences/verify', {
    config: { access: access.public(), csrf: false, rateLimit: RATE },
    schema: {
      tags, summary: '核验电子证照：按证照标识（identifier）或扫码所得二维码内容（qr，网址或 YWL1. 令牌）；结果不含未脱敏的个人信息',
      body: Type.Object({ identifier: Type.Optional(Type.String({ maxLength: 200 })), qr: Type.Optional(Type.String({ maxLength: 4000 })) }),
      response: { 200: Result },
    },
    handler: async (req) => verificationJson(await byText(req, req.body as Fields)),
  });

  app.get('/licences/verify', {
    config: { access: access.public(), rateLimit: RATE },
    schema: { hide: true, querystring: Type.Object({ qr: Type.Optional(Type.String({ maxLength: 4000 })), id: Type.Optional(Type.String({ maxLength: 200 })) }) },
    handler: async (req, reply) => {
      const q = req.query as { qr?: string; id?: string };
      if (!q.qr && !q.id) return page(req, reply, {});
      try {
        return page(req, reply, { result: verificationJson(await byText(req, { qr: q.qr, identifier: q.id })), values: { qr: q.qr ?? '', identifier: q.id ?? '' } });
      } catch (err) {
        const result = asPageResult(err);
        if (!result) throw err;
        return page(req, reply, { result, values: { identifier: q.id ?? '' } });
      }
    },
  });

  app.post('/licences/verify', {
    config: { access: access.public(), rateLimit: RATE },
    schema: { hide: true },
    handler: async (req, reply) => {
      const body = (req.body ?? {}) as Fields;
      try {
        return page(req, reply, { result: verificationJson(await byText(req, body)), values: body });
      } catch (err) {
        const result = asPageResult(err);
        if (result) return page(req, reply, { result, values: body });
        if (!isAppError(err) || !err.errors) throw err;
        return page(req, reply, { errors: err.errors, values: body, status: err.status });
      }
    },
  });

  void app.register(async (scope) => {
    await scope.register(multipart, { attachFieldsToBody: 'keyValues', limits: { fileSize: MAX_PDF_BYTES, files: 1, fields: 5 } });
    const pdfOf = (body: Fields): Buffer => {
      const v = body.document;
      if (Buffer.isBuffer(v) && v.length > 0) return v;
      throw new AppError('LICENCE_VERIFY_INPUT_INVALID', { errors: [{ field: 'document', message: '请选择电子证照 PDF 文件' }] });
    };

    scope.post('/api/v1/licences/verify/pdf', {
      // Verifying changes nothing but the licence's use log, and integrators call it without a session.
      config: { access: access.public(), csrf: false, rateLimit: RATE },
      schema: { tags, summary: '核验电子证照 PDF：上传文件（字段 document），检查电子签章、证照二维码数据及是否为证照库登记的文件', consumes: ['multipart/form-data'], response: { 200: Result } },
      handler: async (req) => verificationJson(await verifier.verifyPdf(actorOf(req), pdfOf((req.body ?? {}) as Fields))),
    });

    scope.post('/licences/verify/pdf', {
      config: { access: access.public(), csrf: false, rateLimit: RATE },
      schema: { hide: true },
      handler: async (req, reply) => {
        const body = (req.body ?? {}) as Fields;
        req.assertCsrf(body._csrf);
        try {
          return page(req, reply, { result: verificationJson(await verifier.verifyPdf(actorOf(req), pdfOf(body))) });
        } catch (err) {
          if (!isAppError(err) || !err.errors) throw err;
          return page(req, reply, { errors: err.errors, status: err.status });
        }
      },
    });
  });
}
