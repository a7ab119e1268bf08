// A seal's certificate follows the seal: 挂失 holds it (certificateHold on the CRL), resuming
// releases it, 注销 revokes it — so an offline verifier with a fresh CRL sees what the
// registry says. Driven by the seal events through the outbox, in the event's transaction;
// every handler is idempotent (a redelivered event changes nothing twice).
import type { Db } from '../../platform/db/database.ts';
import type { EventHandler } from '../../platform/jobs/worker.ts';
import type { AppContext } from '../../platform/module.ts';
import { keyEncryptionKey, SoftwareKeyStore } from '../../platform/crypto/keystore.ts';
import { AppError } from '../../platform/http/errors.ts';
import type { RevocationReason } from '../../platform/crypto/x509/index.ts';
import { CaService } from './ca/index.ts';

const SYSTEM = { kind: 'system' as const, id: 'seal-certificate-status' };

/** RFC 5280 reason codes for the registry's 注销 reasons. */
const REVOCATION_FOR: Record<string, RevocationReason> = { 注销: 'cessationOfOperation', 损毁: 'keyCompromise', 信息变更: 'affiliationChanged', 其他: 'unspecified' };

interface SealEvent {
  certificateSerial?: string | null;
  reason?: string | null;
}

export function sealCertificateHandlers(ctx: Pick<AppContext, 'config'>): EventHandler[] {
  const handler = (topic: string, run: (ca: CaService, serial: string, event: SealEvent) => Promise<unknown>): EventHandler => ({
    name: `seals.certificate-status:${topic}`,
    topic,
    async handle(event, tx) {
      const payload = event.payload as SealEvent;
      if (!payload.certificateSerial) return;
      // The CA works in the event's transaction (its own inTransaction joins it).
      const db = tx as unknown as Db;
      const ca = new CaService({ db, keys: new SoftwareKeyStore(db, keyEncryptionKey(ctx.config)), nodeRegionCode: ctx.config.nodeRegionCode, publicUrl: ctx.config.publicUrl });
      await run(ca, payload.certificateSerial, payload);
    },
  });
  return [
    handler('seal.suspended', (ca, serial) => ca.revoke(SYSTEM, serial, 'certificateHold')),
    handler('seal.resumed', (ca, serial) => ca.release(SYSTEM, serial)),
    handler('seal.revoked', async (ca, serial, event) => {
      try {
        await ca.revoke(SYSTEM, serial, REVOCATION_FOR[event.reason ?? ''] ?? 'unspecified');
      } catch (err) {
        if (!(err instanceof AppError && err.code === 'CERTIFICATE_ALREADY_REVOKED')) throw err;
      }
    }),
  ];
}
