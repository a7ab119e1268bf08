// Public face of the licences module (电子证照): the licence catalogue, issuing on case
// completion, the province licence library and its lifecycle. Wallet, consented reuse and
// offline QR verification build on what is exported here.
import type { AppContext, PlatformModule } from '../../platform/module.ts';
import { PersonalDataCipher } from '../../platform/crypto/personal-data.ts';
import { fileStoreFromConfig } from '../../platform/files/index.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Logger } from 'pino';
import { DEMO_LICENCE_TYPES } from './catalogue.ts';
import { licenceHandlers } from './issue-handler.ts';
import { licenceRoutes } from './routes.ts';
import { licenceStaffRoutes } from './staff-routes.ts';
import { LicenceImportService, importHandler } from './historical/service.ts';
import { licenceImportRoutes } from './historical/routes.ts';
import { LicenceService } from './service.ts';
import { nationalPushHandler } from './national-push.ts';
import { nationalCatalogueRoutes } from './national-routes.ts';
import { peerBundleRoutes } from './peer-bundles.ts';
import { licenceVerifyRoutes } from './verify-routes.ts';
import { licenceMaterialCheck } from './material-check.ts';
import { LicenceVerifier } from './verification.ts';
import { peerBundles } from './peer-bundles.ts';
import { registerLicenceMaterialCheck, registerMaterialSource } from '../cases/index.ts';
import { licenceMaterialSource } from './material-source.ts';
import { WalletService } from './wallet/service.ts';
import { SharingService, consentHandlers } from './wallet/sharing.ts';
import { walletRoutes } from './wallet/routes.ts';

export { DEMO_LICENCE_TYPES, typeIssuedBy, validUntil, type LicenceType, type MetadataField, type HolderKind } from './catalogue.ts';
export { LICENCE_READ_SCOPE } from './wallet/routes.ts';
export { WalletService } from './wallet/service.ts';
export { SharingService, consentsForCase } from './wallet/sharing.ts';
export { CASE_CONSENT_DAYS, consentState, type ConsentState } from './consent.ts';
export { parseIdentifier, formatIdentifier, IDENTIFIER_PREFIX, type LicenceIdentifier } from './identifier.ts';
export { LicenceService, type PublicStatus } from './service.ts';
export { recordUse, listUses, useActor, type UseKind, type UseRow, type NewUse } from './usage.ts';
export { issueForCase, type CaseCompleted, type IssueOutcome } from './issue-handler.ts';
export { verifyQrOffline, LicenceVerifier, NO_PEERS, type LicenceVerification, type PeerBundles, type OfflineTrust } from './verification.ts';
export { publishBundle, verifyBundle, BUNDLE_FORMAT, type LicenceBundleEnvelope, type LicenceBundleContent } from './bundle.ts';
export { qrTextFromPdf, produceLicenceFiles, type ProducedResult } from './document.ts';
export { parseToken, encodeClaims, assembleToken, extractToken, QR_PREFIX, type QrClaims } from './qr.ts';
export { licenceCommands, runLicenceVerify } from './verify-cli.ts';
export { nationalPushHandler, definitionSm3, LICENCE_TYPES_PATH, type LicenceTypeMessage } from './national-push.ts';
export { peerBundles, refreshPeerBundles, startPeerBundleSchedule, TRUST_BUNDLE_PATH, type PeerBundleEnvelope, type PeerBundleSource, type PeerBundleSchedule } from './peer-bundles.ts';

const services = new WeakMap<object, LicenceService>();
const importServices = new WeakMap<object, LicenceImportService>();

export function importServiceFor(ctx: Pick<AppContext, 'db' | 'config'>): LicenceImportService {
  let svc = importServices.get(ctx.db);
  if (!svc) {
    svc = new LicenceImportService({ db: ctx.db, config: ctx.config, files: fileStoreFromConfig(ctx.config), cipher: new PersonalDataCipher(ctx.config.secrets), licences: licenceServiceFor(ctx) });
    importServices.set(ctx.db, svc);
  }
  return svc;
}

export function licenceServiceFor(ctx: Pick<AppContext, 'db' | 'config'>): LicenceService {
  let svc = services.get(ctx.db);
  if (!svc) {
    svc = new LicenceService({ db: ctx.db, config: ctx.config, files: fileStoreFromConfig(ctx.config), cipher: new PersonalDataCipher(ctx.config.secrets) });
    services.set(ctx.db, svc);
  }
  return svc;
}

/**
 * Start-up step (server.ts PREPARE_STEPS): loads the licence catalogue; every new or changed
 * type is audited and emitted as `licence_type.changed` for the push to the national node.
 */
export const licenceCatalogueStep = {
  name: 'licence catalogue',
  async run({ config, db, log }: { config: Config; db: Db; log: Logger }): Promise<void> {
    const changed = await licenceServiceFor({ db, config }).syncCatalogue(DEMO_LICENCE_TYPES, { kind: 'system', id: 'licence-catalogue' });
    if (changed.length) log.info({ changed }, 'licence catalogue updated');
  },
};

export const licencesModule: PlatformModule = {
  name: 'licences',
  handlers: (ctx) => [...licenceHandlers({ config: ctx.config, files: fileStoreFromConfig(ctx.config), cipher: new PersonalDataCipher(ctx.config.secrets) }), nationalPushHandler(ctx), importHandler(importServiceFor(ctx)), ...consentHandlers({ config: ctx.config, cipher: new PersonalDataCipher(ctx.config.secrets) })],
  routes(app, ctx) {
    licenceRoutes(app, licenceServiceFor(ctx));
    licenceStaffRoutes(app, ctx, licenceServiceFor(ctx));
    nationalCatalogueRoutes(app, ctx);
    peerBundleRoutes(app, ctx);
    licenceVerifyRoutes(app, ctx, licenceServiceFor(ctx));
    const verifier = new LicenceVerifier({ db: ctx.db, config: ctx.config, cipher: new PersonalDataCipher(ctx.config.secrets), licences: licenceServiceFor(ctx), peers: peerBundles(ctx) });
    registerLicenceMaterialCheck(ctx.db, licenceMaterialCheck(ctx, licenceServiceFor(ctx), verifier));
    registerMaterialSource(licenceMaterialSource(licenceServiceFor));
    const cipher = new PersonalDataCipher(ctx.config.secrets);
    licenceImportRoutes(app, ctx, importServiceFor(ctx));
    walletRoutes(app, ctx, licenceServiceFor(ctx), new WalletService({ db: ctx.db, config: ctx.config, cipher, licences: licenceServiceFor(ctx) }), new SharingService({ db: ctx.db, config: ctx.config, cipher, licences: licenceServiceFor(ctx) }));
  },
};
