// The case API: apply, read one's own cases, act on a case, and the public progress lookup.
// Pages come on top of the same service.
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { access, type Actor } from '../../platform/http/access.ts';
import { AppError } from '../../platform/http/errors.ts';
import { CASE_ACTIONS, type CaseAction } from './state-machine.ts';
import { isCaseNumber } from './case-number.ts';
import type { CaseService, SubmitInput } from './service.ts';

const tags = ['cases'];
const Id = Type.String({ format: 'uuid' });
const Material = Type.Object(
  {
    materialId: Type.String({ pattern: '^[a-z0-9_]{1,40}$' }),
    source: Type.Union([Type.Literal('upload'), Type.Literal('licence'), Type.Literal('data'), Type.Literal('promised')]),
    fileHash: Type.Optional(Type.String({ pattern: '^[0-9a-f]{64}$' })),
    fileName: Type.Optional(Type.String({ maxLength: 200 })),
    mime: Type.Optional(Type.String({ maxLength: 100 })),
    sizeBytes: Type.Optional(Type.Integer({ minimum: 0 })),
    reference: Type.Optional(Type.String({ maxLength: 2000, description: '电子证照：本节点证照标识，或证照二维码内容（含其他地区签发的证照）' })),
  },
  { additionalProperties: false },
);
const ApplyBody = Type.Object(
  {
    implementationId: Id,
    answers: Type.Record(Type.String(), Type.Unknown()),
    materials: Type.Array(Material, { maxItems: 100 }),
    channel: Type.Optional(Type.Union([Type.Literal('web'), Type.Literal('mobile')])),
  },
  { additionalProperties: false },
);
const ActBody = Type.Object(
  { version: Type.Integer({ minimum: 1 }), note: Type.Optional(Type.String({ maxLength: 2000 })), data: Type.Optional(Type.Record(Type.String(), Type.Unknown())) },
  { additionalProperties: false },
);

const applicants = access.anyOf(access.citizen(1), access.company());

export function caseApiRoutes(app: FastifyInstance, cases: CaseService): void {
  app.post('/api/v1/cases', {
    config: { access: applicants },
    schema: {
      tags,
      summary: '提交申请（生成办件）',
      description: '同一 Idempotency-Key 重复提交只生成一个办件（返回 200 与原办件）；新办件返回 201。',
      headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 8, maxLength: 100 })) }),
      body: ApplyBody,
    },
    handler: async (req, reply) => {
      const body = req.body as { implementationId: string; answers: Record<string, unknown>; materials: SubmitInput['materials']; channel?: 'web' | 'mobile' };
      const key = req.headers['idempotency-key'];
      const { view, created } = await cases.submit(
        req.actor,
        { implementationId: body.implementationId, answers: body.answers, materials: body.materials, channel: body.channel ?? 'web', idempotencyKey: typeof key === 'string' ? key : undefined },
        { requestId: String(req.id) },
      );
      return reply.code(created ? 201 : 200).send(view);
    },
  });

  app.get('/api/v1/cases/mine', {
    config: { access: applicants },
    schema: { tags, summary: '我的办件' },
    handler: async (req) => ({ items: await cases.mine(req.actor) }),
  });

  app.get('/api/v1/cases/progress', {
    config: { access: access.public(), rateLimit: { max: 20, timeWindow: '1 minute' } },
    schema: {
      tags,
      summary: '办件进度查询（办件编号 + 申请人手机号后四位）',
      querystring: Type.Object({ caseNumber: Type.String({ minLength: 22, maxLength: 22 }), phoneTail: Type.String({ pattern: '^\\d{4}$' }) }),
    },
    handler: async (req) => {
      const q = req.query as { caseNumber: string; phoneTail: string };
      if (!isCaseNumber(q.caseNumber)) throw new AppError('VALIDATION_FAILED', { errors: [{ field: 'caseNumber', message: '办件编号不正确，请核对' }] });
      // Wrong number and wrong phone tail answer alike: the lookup reveals nothing else.
      const found = await cases.progress(q.caseNumber, q.phoneTail);
      if (!found) throw new AppError('CASE_NOT_FOUND');
      return found;
    },
  });

  app.get('/api/v1/cases/:id', {
    config: { access: access.anyOf(applicants, access.staff([])) },
    schema: { tags, summary: '办件详情', params: Type.Object({ id: Id }) },
    handler: async (req) => (await cases.get(req.actor, (req.params as { id: string }).id)).view,
  });

  app.get('/api/v1/cases/:id/timeline', {
    config: { access: access.anyOf(applicants, access.staff([])) },
    schema: { tags, summary: '办理过程（申请人看到公开的环节）', params: Type.Object({ id: Id }) },
    handler: async (req) => ({ events: await cases.timeline(req.actor, (req.params as { id: string }).id) }),
  });

  app.post('/api/v1/cases/:id/materials', {
    config: { access: applicants },
    schema: {
      tags,
      summary: '补交容缺材料',
      description: '容缺受理的办件在办理中补交承诺的材料；承诺的材料补齐后承诺期限解除（kept 为 true）。',
      params: Type.Object({ id: Id }),
      body: Type.Object({ materials: Type.Array(Material, { minItems: 1, maxItems: 100 }) }, { additionalProperties: false }),
    },
    handler: async (req) => cases.supplyMaterials(req.actor, (req.params as { id: string }).id, (req.body as { materials: SubmitInput['materials'] }).materials, { requestId: String(req.id) }),
  });

  app.post('/api/v1/cases/:id/actions/:action', {
    config: { access: access.anyOf(applicants, access.staff(['window_clerk', 'approver', 'region_admin'])) },
    schema: {
      tags,
      summary: '办件操作（受理、补正、审批、决定、出件、撤回…）',
      description: `操作：${CASE_ACTIONS.join('、')}。version 为调用方看到的办件版本，过期返回 409 CASE_CONFLICT。`,
      params: Type.Object({ id: Id, action: Type.Union(CASE_ACTIONS.map((a) => Type.Literal(a))) }),
      body: ActBody,
    },
    handler: async (req) => {
      const { id, action } = req.params as { id: string; action: CaseAction };
      return cases.act(req.actor as Actor, id, action, req.body as { version: number; note?: string; data?: Record<string, unknown> }, { requestId: String(req.id) });
    },
  });
}
