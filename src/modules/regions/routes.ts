import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { access } from '../../platform/http/access.ts';
import type { RegionService } from './service.ts';

const RegionSchema = Type.Object(
  {
    code: Type.String({ description: 'GB/T 2260 代码（6 位）或统计用区划代码（9/12 位）' }),
    name: Type.String(),
    level: Type.Integer({ minimum: 1, maximum: 5, description: '1 省 2 市 3 县 4 乡镇街道 5 村社区' }),
    levelName: Type.String(),
    parentCode: Type.Union([Type.String(), Type.Null()]),
    functionalZone: Type.Boolean({ description: '统计用功能区（非 GB/T 2260 行政区划）' }),
  },
  { $id: 'Region' },
);

const OrganisationSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  regionCode: Type.String(),
  name: Type.String(),
  shortName: Type.Union([Type.String(), Type.Null()]),
  creditCode: Type.Union([Type.String(), Type.Null()], { description: 'GB 32100 统一社会信用代码' }),
  kind: Type.String(),
  parentId: Type.Union([Type.String(), Type.Null()]),
});

const Params = Type.Object({ code: Type.String({ maxLength: 20, description: '区划代码' }) });

export function regionRoutes(app: FastifyInstance, service: RegionService): void {
  const tags = ['regions'];
  app.get('/api/v1/regions/:code', {
    config: { access: access.public() },
    schema: { tags, summary: '查询行政区划', params: Params, response: { 200: RegionSchema } },
    handler: async (req) => service.get((req.params as { code: string }).code),
  });
  app.get('/api/v1/regions/:code/children', {
    config: { access: access.public() },
    schema: { tags, summary: '下级行政区划', params: Params, response: { 200: Type.Array(RegionSchema) } },
    handler: async (req) => service.children((req.params as { code: string }).code),
  });
  app.get('/api/v1/regions/:code/organisations', {
    config: { access: access.public() },
    schema: { tags, summary: '区划内的机构（部门、政务服务中心、便民服务点）', params: Params, response: { 200: Type.Array(OrganisationSchema) } },
    handler: async (req) => service.organisations((req.params as { code: string }).code),
  });
}
