// The 一件事 application API: one merged form and de-duplicated materials in, linked cases out.
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { access } from '../../platform/http/access.ts';
import type { BundleFile, BundleService } from './bundles.ts';

const tags = ['cases'];
const BundleBody = Type.Object(
  {
    scenarioCode: Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$' }),
    regionCode: Type.String({ pattern: '^\\d{6}(\\d{3}){0,2}$', description: '申请人所在地区（GB/T 2260），决定各事项由哪里的部门办理' }),
    answers: Type.Record(Type.String(), Type.Unknown()),
    materials: Type.Array(
      Type.Object(
        {
          key: Type.String({ minLength: 1, maxLength: 80, description: '合并后材料的 key（见 /api/v1/catalog/scenarios/:code/bundle）' }),
          fileHash: Type.String({ pattern: '^[0-9a-f]{64}$' }),
          fileName: Type.Optional(Type.String({ maxLength: 200 })),
          mime: Type.Optional(Type.String({ maxLength: 100 })),
          sizeBytes: Type.Optional(Type.Integer({ minimum: 0 })),
        },
        { additionalProperties: false },
      ),
      { maxItems: 100 },
    ),
  },
  { additionalProperties: false },
);

export function bundleRoutes(app: FastifyInstance, bundles: BundleService): void {
  const applicants = access.anyOf(access.citizen(1), access.company());
  app.post('/api/v1/bundles', {
    config: { access: applicants },
    schema: {
      tags,
      summary: '“一件事”联办申请：一张合并申请表，拆分为各部门的关联办件',
      description: '全部办件在同一事务中生成，或一个也不生成。同一 Idempotency-Key 重复提交返回原申请（200）；新申请返回 201。',
      headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 8, maxLength: 100 })) }),
      body: BundleBody,
    },
    handler: async (req, reply) => {
      const body = req.body as { scenarioCode: string; regionCode: string; answers: Record<string, unknown>; materials: BundleFile[] };
      const key = req.headers['idempotency-key'];
      const { view, created } = await bundles.submit(req.actor, { ...body, idempotencyKey: typeof key === 'string' ? key : undefined }, { requestId: String(req.id) });
      return reply.code(created ? 201 : 200).send(view);
    },
  });

  app.get('/api/v1/bundles/:id', {
    config: { access: access.anyOf(applicants, access.staff([])) },
    schema: { tags, summary: '“一件事”申请及其关联办件', params: Type.Object({ id: Type.String({ format: 'uuid' }) }) },
    handler: async (req) => bundles.get(req.actor, (req.params as { id: string }).id),
  });
}
