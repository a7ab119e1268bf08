// The licence API: the catalogue (public), a licence's status (public, no holder data), the
// licence (holder; staff of its region only with a recorded legal basis — consented reuse is
// in wallet/routes.ts) and its signed PDF (holder), a paper copy on
// request (holder), and the lifecycle for approvers and region administrators of its region.
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { access } from '../../platform/http/access.ts';
import { LICENCE_MANAGERS, type LicenceService } from './service.ts';

const tags = ['licences'];
const Params = Type.Object({ identifier: Type.String({ minLength: 1, maxLength: 120, description: 'GB/T 36903 证照标识，如 1.2.156.3005.2.{类型代码}.{发证机关代码}.{顺序号}.{版本号}.{校验位}' }) });
const Reason = Type.String({ minLength: 1, maxLength: 500, description: '原因（记入证照履历）' });
const holder = access.anyOf(access.citizen(1), access.company());

export function licenceRoutes(app: FastifyInstance, service: LicenceService): void {
  app.get('/api/v1/licence-types', {
    config: { access: access.public() },
    schema: { tags, summary: '证照目录：证照类型、发证部门、持证主体、元数据项、有效期规则、签发与需用事项' },
    handler: async () => ({ items: await service.types() }),
  });

  app.get('/api/v1/licences/:identifier/status', {
    config: { access: access.public() },
    schema: {
      tags, summary: '证照状态查询（有效 / 已过期 / 已中止 / 已注销或吊销 / 已被新版本取代），不含持证人信息', params: Params,
      response: { 200: Type.Object({ identifier: Type.String(), typeCode: Type.String(), typeName: Type.String(), status: Type.String(), validFrom: Type.String(), validUntil: Type.Union([Type.String(), Type.Null()]), current: Type.String() }) },
    },
    handler: async (req) => service.publicStatus((req.params as { identifier: string }).identifier),
  });

  app.get('/api/v1/licences/:identifier', {
    config: { access: access.anyOf(holder, access.staff([])) },
    schema: {
      tags, summary: '电子证照（持证人本人；证照所在区划的工作人员须以 basis 写明法定依据，记入持证人可见的使用记录，否则 403 LICENCE_CONSENT_REQUIRED）', params: Params,
      querystring: Type.Object({ basis: Type.Optional(Type.String({ minLength: 4, maxLength: 200, description: '工作人员查阅的法定依据，如“行政检查依据《食品安全法》第一百一十条，任务编号 …”' })) }),
    },
    handler: async (req) => service.get(req.actor, (req.params as { identifier: string }).identifier, { basis: (req.query as { basis?: string }).basis }),
  });

  app.get('/api/v1/licences/:identifier/pdf', {
    config: { access: holder },
    schema: { tags, summary: '下载签章的证照文件（PDF，持证人本人）', params: Params },
    handler: async (req, reply) => {
      const out = await service.pdf(req.actor, (req.params as { identifier: string }).identifier);
      return reply.type('application/pdf').header('content-disposition', `attachment; filename="licence-${out.identifier}.pdf"`).send(out.bytes);
    },
  });

  app.post('/api/v1/licences/:identifier/paper-copy', {
    config: { access: holder },
    schema: { tags, summary: '申请纸质证照（发证部门打印寄送）', params: Params, response: { 204: Type.Null() } },
    handler: async (req, reply) => {
      await service.requestPaperCopy(req.actor, (req.params as { identifier: string }).identifier);
      return reply.code(204).send();
    },
  });

  const lifecycle = (verb: string, summary: string, body: ReturnType<typeof Type.Object>, run: (id: string, body: Record<string, unknown>, req: Parameters<Parameters<FastifyInstance['post']>[1]['handler']>[0]) => Promise<unknown>) =>
    app.post(`/api/v1/licences/:identifier/${verb}`, {
      config: { access: access.staff(LICENCE_MANAGERS) },
      schema: { tags, summary, params: Params, body },
      handler: async (req) => run((req.params as { identifier: string }).identifier, req.body as Record<string, unknown>, req),
    });
  lifecycle('suspend', '中止证照（有原因）', Type.Object({ reason: Reason }), (id, b, req) => service.suspend(req.actor, id, b.reason as string));
  lifecycle('resume', '恢复中止的证照', Type.Object({ reason: Reason }), (id, b, req) => service.resume(req.actor, id, b.reason as string));
  lifecycle('revoke', '注销（cancelled）或吊销（withdrawn）证照，不可恢复', Type.Object({ kind: Type.Union([Type.Literal('cancelled'), Type.Literal('withdrawn')], { description: 'cancelled 注销 / withdrawn 吊销' }), reason: Reason }), (id, b, req) => service.revoke(req.actor, id, b.kind as 'cancelled' | 'withdrawn', b.reason as string));
  lifecycle('change', '变更证照信息（生成新版本并重新签章）', Type.Object({ data: Type.Record(Type.String(), Type.String({ maxLength: 200 })), reason: Reason }), (id, b, req) => service.change(req.actor, id, b.data as Record<string, unknown>, b.reason as string));
  lifecycle('renew', '延续证照有效期（生成新版本并重新签章）', Type.Object({ reason: Reason }), (id, b, req) => service.renew(req.actor, id, b.reason as string));
}
