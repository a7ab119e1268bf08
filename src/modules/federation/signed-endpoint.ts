// A signed node-to-node endpoint: public at the HTTP layer (no session, no CSRF) because the
// caller is authenticated here, by its SM2 signature against the federation trust list; an
// unknown or disabled sender, a bad signature or an unreadable message is refused; the message
// is received in one transaction and answered with this node's signed acknowledgement, which
// the sender checks before it counts the push as delivered (push.ts pushSigned).
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import { access } from '../../platform/http/access.ts';
import { AppError } from '../../platform/http/errors.ts';
import { inTransaction, type Queryable } from '../../platform/db/database.ts';
import type { AppContext } from '../../platform/module.ts';
import { nodeIdentity } from './push.ts';
import * as store from './store.ts';
import { claimedSender, FED_HEADERS, signResponse, verifyRequest } from './wire.ts';

export interface SignedEndpoint<M> {
  path: string;
  /** The message from the body, trusting only the signed sender; null when it is not one. */
  parse(body: unknown, sender: string): M | null;
  /** Stores it in the transaction; what it returns goes in the acknowledgement. */
  receive(tx: Queryable, message: M): Promise<Record<string, unknown>>;
}

export function signedEndpoint<M>(app: FastifyInstance, ctx: AppContext, endpoint: SignedEndpoint<M>): void {
  app.post(endpoint.path, {
    config: { access: access.public(), csrf: false },
    schema: { hide: true, body: Type.Object({}, { additionalProperties: true }) },
    handler: async (req, reply) => {
      const sender = claimedSender(req.headers);
      const peer = sender ? await store.findPeer(ctx.db, sender) : null;
      if (!sender || !peer || !peer.enabled || !verifyRequest(peer.publicKey, 'POST', endpoint.path, req.headers, req.body)) throw new AppError('FEDERATION_SIGNATURE_INVALID');
      const message = endpoint.parse(req.body, sender);
      if (!message) throw new AppError('FEDERATION_MESSAGE_INVALID');
      const { answer, node } = await inTransaction(ctx.db, async (tx) => ({ answer: await endpoint.receive(tx, message), node: await nodeIdentity(ctx, tx) }));
      const signed = signResponse(node, 200, req.headers[FED_HEADERS.nonce] as string, { status: 'ok', ...answer });
      return reply.code(200).headers(signed.headers).type('application/json').send(signed.body);
    },
  });
}
