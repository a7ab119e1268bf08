// Signing and verification over HTTP: the public verification page and API (验章), the staff
// signing page and API (签章), and batch signing for generated documents. Uploads are
// multipart (attachFieldsToBody), so the forms check their CSRF field once the body is read.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { Type } from '@fastify/type-provider-typebox';
import { access, type StaffRole } from '../../platform/http/access.ts';
import { AppError, isAppError } from '../../platform/http/errors.ts';
import type { AppContext } from '../../platform/module.ts';
import { MAX_PDF_BYTES, type Placement } from './pdf/index.ts';
import type { SigningService } from './signing-service.ts';
import type { VerificationResult } from './verification.ts';

const tags = ['seals'];
const PAGES = 'modules/seals/pages';
const SIGNERS: StaffRole[] = ['window_clerk', 'approver', 'dept_admin'];
const MAX_BATCH = 20;
type Fields = Record<string, unknown>;

export function verificationJson(r: VerificationResult) {
  if (!r.valid) return { valid: false as const, reason: r.reason };
  return {
    valid: true as const,
    seal: { ...r.seal, validStart: r.seal.validStart.toISOString(), validEnd: r.seal.validEnd.toISOString() },
    signer: r.signer,
    time: r.time.toISOString(),
    timeSource: r.timeSource,
    documentHash: r.documentHash,
    ...(r.byteRange ? { byteRange: r.byteRange } : {}),
  };
}

const file = (v: unknown): Buffer | null => (Buffer.isBuffer(v) && v.length > 0 ? v : null);

function placementOf(body: Fields): Placement {
  const num = (name: string) => {
    const v = Number(typeof body[name] === 'string' ? (body[name] as string).trim() : body[name]);
    if (body[name] === undefined || body[name] === '' || !Number.isFinite(v)) throw new AppError('SEAL_SIGN_DOCUMENT_INVALID', { errors: [{ field: name, message: '请填写数字' }] });
    return v;
  };
  return { page: num('page'), x: num('x'), y: num('y') };
}

function verifyInput(body: Fields) {
  const pdf = file(body.document);
  if (!pdf) throw new AppError('SEAL_VERIFY_INPUT_INVALID', { errors: [{ field: 'document', message: '请选择要验证的 PDF 文档' }] });
  const sig = file(body.signature);
  return sig ? { pdf, sig } : pdf;
}

export function signingRoutes(app: FastifyInstance, ctx: AppContext, signing: SigningService): void {
  void app.register(async (scope) => {
    await scope.register(multipart, { attachFieldsToBody: 'keyValues', limits: { fileSize: MAX_PDF_BYTES, files: 2, fields: 10 } });

    // ---- verification: public ----
    scope.post('/api/v1/seals/verify', {
      // Verifying changes nothing, and integrators call it without a browser session.
      config: { access: access.public(), csrf: false, rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: { tags, summary: '验章：上传已签章的 PDF（字段 document），可附带分离的 .sig（字段 signature），返回是否有效及原因', consumes: ['multipart/form-data'] },
      handler: async (req) => verificationJson(await signing.verify(verifyInput((req.body ?? {}) as Fields))),
    });

    scope.get('/seals/verify', {
      config: { access: access.public() },
      schema: { hide: true },
      handler: async (req, reply) => ctx.render.page(req, reply, `${PAGES}/verify.eta`, { errors: [], result: null }, { title: '电子签章验证' }),
    });

    scope.post('/seals/verify', {
      config: { access: access.public(), csrf: false, rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: { hide: true },
      handler: async (req, reply) => {
        const body = (req.body ?? {}) as Fields;
        req.assertCsrf(body._csrf);
        try {
          const result = verificationJson(await signing.verify(verifyInput(body)));
          return ctx.render.page(req, reply, `${PAGES}/verify.eta`, { errors: [], result }, { title: result.valid ? '验证结果：有效' : '验证结果：无效' });
        } catch (err) {
          if (!isAppError(err) || !err.errors) throw err;
          return ctx.render.page(req, reply, `${PAGES}/verify.eta`, { errors: err.errors, result: null }, { title: '电子签章验证', status: err.status });
        }
      },
    });

    // ---- signing: staff of the seal's organisation ----
    const signPage = async (req: FastifyRequest, reply: FastifyReply, errors: { field: string; message: string }[], values: Fields, status = 200) => {
      const seals = await signing.sealsFor(req.actor);
      return ctx.render.page(req, reply, `${PAGES}/sign.eta`, { seals, errors, values }, { title: '文档签章', status, breadcrumbs: [{ href: '/staff', label: '工作台' }, { label: '文档签章' }] });
    };

    scope.get('/seals/sign', {
      config: { access: access.staff(SIGNERS) },
      schema: { hide: true },
      handler: async (req, reply) => signPage(req, reply, [], { page: '1', x: '150', y: '240' }),
    });

    scope.post('/seals/sign', {
      config: { access: access.staff(SIGNERS), csrf: false },
      schema: { hide: true },
      handler: async (req, reply) => {
        const body = (req.body ?? {}) as Fields;
        req.assertCsrf(body._csrf);
        const values = { esId: body.esId, page: body.page, x: body.x, y: body.y };
        try {
          const pdf = file(body.document);
          if (!pdf) throw new AppError('SEAL_SIGN_DOCUMENT_INVALID', { errors: [{ field: 'document', message: '请选择要签章的 PDF 文档' }] });
          if (typeof body.esId !== 'string' || !/^\d{18}$/.test(body.esId)) throw new AppError('SEAL_SIGN_DOCUMENT_INVALID', { errors: [{ field: 'esId', message: '请选择印章' }] });
          const out = await signing.sign(req.actor, { esId: body.esId, pdf, placement: placementOf(body), name: 'document.pdf' });
          // The detached .sig is in the API answer; the page hands over the self-contained PDF.
          return reply.header('content-type', 'application/pdf').header('content-disposition', `attachment; filename="signed-${out.recordId}.pdf"`).send(out.signedPdf);
        } catch (err) {
          if (!isAppError(err)) throw err;
          const errors = err.errors ?? [{ field: 'esId', message: err.detail ?? err.message }];
          return signPage(req, reply, errors, values, err.status);
        }
      },
    });

    scope.post('/api/v1/seals/sign', {
      config: { access: access.staff(SIGNERS), rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: { tags, summary: '签章：上传 PDF（document）并指定印章 esId、页码 page、位置 x/y（毫米，印章中心距页面左上角），返回签章后的 PDF 与分离的签章数据（Base64）', consumes: ['multipart/form-data'] },
      handler: async (req) => {
        const body = (req.body ?? {}) as Fields;
        const pdf = file(body.document);
        if (!pdf) throw new AppError('SEAL_SIGN_DOCUMENT_INVALID', { errors: [{ field: 'document', message: '请上传 PDF 文档' }] });
        const esId = typeof body.esId === 'string' ? body.esId : '';
        const out = await signing.sign(req.actor, { esId, pdf, placement: placementOf(body), name: typeof body.name === 'string' ? body.name.slice(0, 255) : 'document.pdf' });
        return { id: out.recordId, time: out.time.toISOString(), byteRange: [0, out.byteRangeEnd], documentHash: out.dataHash.toString('hex'), signedPdf: out.signedPdf.toString('base64'), signature: out.signature.toString('base64') };
      },
    });
  });

  app.post('/api/v1/seals/sign/batch', {
    config: { access: access.staff(SIGNERS) },
    bodyLimit: MAX_BATCH * 5 * 1024 * 1024 * 1.4,
    schema: {
      tags,
      summary: '批量签章：同一印章签署多份生成的文档，逐份返回结果',
      body: Type.Object({
        esId: Type.String({ pattern: '^[0-9]{18}$' }),
        documents: Type.Array(
          Type.Object({ name: Type.String({ minLength: 1, maxLength: 255 }), pdf: Type.String({ description: 'Base64' }), page: Type.Integer({ minimum: 1 }), x: Type.Number(), y: Type.Number() }),
          { minItems: 1, maxItems: MAX_BATCH },
        ),
      }),
    },
    handler: async (req) => {
      const body = req.body as { esId: string; documents: { name: string; pdf: string; page: number; x: number; y: number }[] };
      const items = body.documents.map((d) => ({ name: d.name, pdf: Buffer.from(d.pdf, 'base64'), placement: { page: d.page, x: d.x, y: d.y } }));
      const results = await signing.signMany(req.actor, body.esId, items);
      return {
        results: results.map((r) =>
          r.ok ? { name: r.name, ok: true, time: r.signed.time.toISOString(), signedPdf: r.signed.signedPdf.toString('base64'), signature: r.signed.signature.toString('base64') } : { name: r.name, ok: false, error: r.error },
        ),
      };
    },
  });
}
