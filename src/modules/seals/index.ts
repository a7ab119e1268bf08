// Public face of the seals module (电子印章): the certificate authority behind seal and signer
// certificates. Other modules use only what is exported here.
import type { PlatformModule } from '../../platform/module.ts';
import type { AuditActor } from '../../platform/audit/audit.ts';
import type { AppContext } from '../../platform/module.ts';
import type { Logger } from 'pino';
import type { Config } from '../../config.ts';
import type { Db } from '../../platform/db/database.ts';
import { caRoutes, caServiceFor, caServiceOn, type IssueInput, type IssuedCertificate } from './ca/index.ts';
import { keyEncryptionKey, SoftwareKeyStore } from '../../platform/crypto/keystore.ts';
import { SealService, caSealIssuer } from './seal-service.ts';
import { sealRoutes } from './seal-routes.ts';
import { sealCertificateHandlers } from './certificate-status.ts';
import { signingRoutes } from './signing-routes.ts';
import { signingServiceFor } from './signing-service.ts';
import { trustRoutes, trustServiceFor } from './trust/index.ts';

export { SealService, caSealIssuer, verifyWithCertificate, type SealCertificateIssuer } from './seal-service.ts';
export { sealRoutes } from './seal-routes.ts';
export { SigningService, signingServiceFor, type SigningCa } from './signing-service.ts';
export { signingRoutes } from './signing-routes.ts';
export { sealCommands, trustFromDir } from './signing-cli.ts';
export { verifyDocument, type VerificationResult, type VerifyOptions } from './verification.ts';
export * from './ses/index.ts';
export { trustAnchors, trustServiceFor, verifyAcrossRegions, verifyTrustList, anchorsOf, TRUST_LIST_FORMAT, type TrustListEnvelope, type TrustListContent, type TrustListCheck } from './trust/index.ts';
export { CaService, caServiceFor, caServiceOn, type IssueInput, type IssuedCertificate, type LeafKind, type StatusAnswer } from './ca/index.ts';

/** Issues a seal or signer certificate under this node's issuing CA (audited). */
export function issueCertificate(ctx: Pick<AppContext, 'db' | 'config'>, actor: AuditActor, input: IssueInput): Promise<IssuedCertificate> {
  return caServiceFor(ctx).issue(actor, input);
}

/** The node's chain, leaf-side first: [issuing CA, root CA] as DER. */
export async function caChain(ctx: Pick<AppContext, 'db' | 'config'>): Promise<Buffer[]> {
  const ca = caServiceFor(ctx);
  return [await ca.caCertificate('issuing'), await ca.caCertificate('root')];
}

/**
 * Start-up step (server.ts PREPARE_STEPS): the node's root and issuing CA exist and have a
 * current CRL. In production it refuses to run without KEY_ENCRYPTION_KEY.
 */
export const certificateAuthorityStep = {
  name: 'certificate authority',
  async run({ config, db, log }: { config: Config; db: Db; log: Logger }): Promise<void> {
    const { created } = await caServiceOn(db, config).ensureNodeCa();
    if (created.length) log.info({ created, region: config.nodeRegionCode }, 'certificate authority created');
  },
};

const sealServices = new WeakMap<object, SealService>();

/** The seal registry of this node: seals made by its issuing CA, keys in its key store. */
export function sealServiceFor(ctx: Pick<AppContext, 'db' | 'config'>): SealService {
  let svc = sealServices.get(ctx.db);
  if (!svc) {
    const ca = caServiceFor(ctx);
    svc = new SealService(ctx.db, new SoftwareKeyStore(ctx.db, keyEncryptionKey(ctx.config)), caSealIssuer(ca, (m) => ca.signAsIssuer(m)));
    sealServices.set(ctx.db, svc);
  }
  return svc;
}

export const sealsModule: PlatformModule = {
  name: 'seals',
  handlers: (ctx) => sealCertificateHandlers(ctx),
  routes(app, ctx) {
    const ca = caServiceFor(ctx);
    caRoutes(app, ca);
    sealRoutes(app, ctx, sealServiceFor(ctx));
    // Verification here trusts this node's root and the peers confirmed on the trust list.
    signingRoutes(app, ctx, signingServiceFor(ctx, (esId, at) => sealServiceFor(ctx).statusAt(esId, at), () => trustServiceFor(ctx).anchors()));
    trustRoutes(app, ctx, trustServiceFor(ctx));
  },
};
