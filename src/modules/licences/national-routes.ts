// HTTP of the national licence catalogue: the signed endpoint where other nodes push their
// licence types (authenticated by SM2 signature against the federation trust list, like
// registrations), and the public listing of which node uses which definition.
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { access } from '../../platform/http/access.ts';
import type { AppContext } from '../../platform/module.ts';
import { nodeId, signedEndpoint } from '../federation/index.ts';
import { nationalCatalogue, parseLicenceTypeMessage, receiveLicenceType } from './national-catalogue.ts';
import { LICENCE_TYPES_PATH } from './national-push.ts';

const tags = ['licences'];

const NodeUse = Type.Object({ node: Type.String(), own: Type.Boolean(), changedAt: Type.Union([Type.String(), Type.Null()]), receivedAt: Type.Union([Type.String(), Type.Null()]) });
const Listing = Type.Object({
  items: Type.Array(
    Type.Object({
      code: Type.String(),
      key: Type.String(),
      name: Type.String(),
      consistent: Type.Boolean({ description: '各节点对该证照类型代码使用的定义是否一致（三级四同）' }),
      versions: Type.Array(Type.Object({ sm3: Type.String(), key: Type.String(), name: Type.String(), definition: Type.Unknown(), nodes: Type.Array(NodeUse) })),
    }),
  ),
});

export function nationalCatalogueRoutes(app: FastifyInstance, ctx: AppContext): void {
  // Pushed by the other nodes, authenticated by their SM2 signature (the federation's signed endpoint).
  signedEndpoint(app, ctx, {
    path: LICENCE_TYPES_PATH,
    parse: parseLicenceTypeMessage,
    receive: async (tx, msg) => {
      const outcome = await receiveLicenceType(tx, msg);
      return { outcome, duplicate: outcome === 'duplicate' };
    },
  });

  app.get('/api/v1/national/licence-types', {
    config: { access: access.public() },
    schema: {
      tags,
      summary: '全国证照目录：各节点报送的证照类型定义，按类型代码汇总，标出各节点定义不一致的类型',
      response: { 200: Listing },
    },
    handler: async () => ({ items: await nationalCatalogue(ctx.db, nodeId(ctx)) }),
  });
}
