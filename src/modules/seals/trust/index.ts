// Trust across regions (docs/seals.md, "Trust list"): the anchors every verifier on this node
// uses (seals, signatures, time stamps, and the e-licence QR codes), the signed list it
// publishes, and the admin pages.
import type { AppContext } from '../../../platform/module.ts';
import { caServiceFor } from '../ca/index.ts';
import { signingServiceFor } from '../signing-service.ts';
import type { VerificationInput, VerificationResult } from '../verification.ts';
import { TrustService } from './service.ts';

export { TrustService, type TrustCa, type ProposeInput } from './service.ts';
export { trustRoutes } from './routes.ts';
export { verifyTrustList, anchorsOf, fingerprint, TRUST_LIST_FORMAT, type TrustListContent, type TrustListEnvelope, type TrustListEntry, type TrustListCheck } from './list.ts';

const services = new WeakMap<object, TrustService>();

/** One TrustService per app database, on this node's CA. */
export function trustServiceFor(ctx: Pick<AppContext, 'db' | 'config'>): TrustService {
  let svc = services.get(ctx.db);
  if (!svc) {
    svc = new TrustService({ db: ctx.db, ca: caServiceFor(ctx), nodeRegionCode: ctx.config.nodeRegionCode, publicUrl: ctx.config.publicUrl });
    services.set(ctx.db, svc);
  }
  return svc;
}

/** This node's own root CA and every confirmed peer root (DER): the anchors for any verifier here. */
export function trustAnchors(ctx: Pick<AppContext, 'db' | 'config'>): Promise<Buffer[]> {
  return trustServiceFor(ctx).anchors();
}

/** Online verification against the trust list (the public verification page's path): own CA and CRLs, peer roots, the seal registry. */
export async function verifyAcrossRegions(ctx: Pick<AppContext, 'db' | 'config'>, input: VerificationInput): Promise<VerificationResult> {
  return signingServiceFor(ctx, undefined, () => trustAnchors(ctx)).verify(input);
}
