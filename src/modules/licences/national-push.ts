// Pushes the licence catalogue up to the national node (issue 8 item 7, 附件2 七): every
// `licence_type.changed` event is signed with this node's federation key and POSTed to the
// enabled national peer, exactly like registrations (docs/federation.md). Anything but a
// valid signed 2xx acknowledgement throws, so the outbox retries with backoff.
import { canonicalJson } from '../../platform/audit/audit.ts';
import { sm3Hex } from '../../platform/crypto/sm3.ts';
import type { AppContext } from '../../platform/module.ts';
import type { EventHandler } from '../../platform/jobs/worker.ts';
import { nationalPeer, nodeId, nodeIdentity, pushSigned } from '../federation/index.ts';

export const LICENCE_TYPES_PATH = '/api/v1/federation/licence-types';

/** What the national node learns of one licence type of one node. */
export interface LicenceTypeMessage {
  node: string;
  code: string;
  key: string;
  name: string;
  definition: Record<string, unknown>;
  /** SM3 over the canonical JSON of `definition`: equal definitions hash alike on every node. */
  sm3: string;
  /** When this node recorded the change (the event's time): an older push never wins. */
  changedAt: string;
}

/**
 * Canonical (keys sorted), not JSON.stringify: the definition travels through jsonb, which
 * reorders keys, and the national node compares hashes from many nodes.
 */
export const definitionSm3 = (definition: unknown): string => sm3Hex(canonicalJson(definition));

export function nationalPushHandler(ctx: AppContext): EventHandler {
  return {
    name: 'licences.push-type-national',
    topic: 'licence_type.changed',
    async handle(event, tx) {
      // The national node keeps its own catalogue; it has nobody above it to push to.
      if (ctx.config.nodeRole === 'national') return;
      const p = event.payload as { code?: unknown; key?: unknown; name?: unknown; definition?: unknown } | null;
      if (!p || typeof p.code !== 'string' || typeof p.key !== 'string' || typeof p.name !== 'string' || !p.definition || typeof p.definition !== 'object') {
        ctx.log.warn({ eventId: event.id }, 'licence_type.changed without a definition: not pushed');
        return;
      }
      const national = await nationalPeer(tx);
      if (!national) {
        ctx.log.info({ code: p.code }, 'no national node in the trust list: licence type not pushed');
        return;
      }
      const definition = p.definition as Record<string, unknown>;
      const message: LicenceTypeMessage = { node: nodeId(ctx), code: p.code, key: p.key, name: p.name, definition, sm3: definitionSm3(definition), changedAt: event.createdAt.toISOString() };
      await pushSigned(await nodeIdentity(ctx, tx), national, LICENCE_TYPES_PATH, message);
    },
  };
}
