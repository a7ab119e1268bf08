// What an administrator sends to define a 一件事: one TypeBox schema for the API, the
// OpenAPI document and the service's own check (the demo loader calls the service directly).
import { Type, type Static } from '@fastify/type-provider-typebox';

export const ScenarioMemberInput = Type.Object(
  {
    basicItemId: Type.String({ format: 'uuid', description: '基本目录事项' }),
    note: Type.Optional(Type.String({ maxLength: 300, description: '对申请人的说明，如“新生儿出院前由助产机构办理”' })),
  },
  { additionalProperties: false },
);

const fields = {
  name: Type.String({ minLength: 2, maxLength: 50, description: '如：出生一件事' }),
  audience: Type.Union([Type.Literal('person'), Type.Literal('company')], { description: '服务对象：个人 / 法人' }),
  theme: Type.String({ pattern: '^[a-z][a-z0-9_]*$', maxLength: 40, description: '主题代码（须属于该服务对象的主题）' }),
  description: Type.String({ maxLength: 1000 }),
  status: Type.Union([Type.Literal('draft'), Type.Literal('published')], { description: 'draft 草稿 / published 已发布' }),
  members: Type.Array(ScenarioMemberInput, { minItems: 2, maxItems: 20, description: '按办理顺序排列的基本目录事项' }),
};

export const ScenarioInput = Type.Object(
  { code: Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$', description: '代码，如 birth、open_restaurant；创建后不能修改' }), ...fields },
  { additionalProperties: false },
);
export type ScenarioInput = Static<typeof ScenarioInput>;

export const ScenarioUpdate = Type.Object({ ...fields, lockVersion: Type.Integer({ minimum: 1, description: '修改时原样带回，用于发现并发修改' }) }, { additionalProperties: false });
export type ScenarioUpdate = Static<typeof ScenarioUpdate>;
