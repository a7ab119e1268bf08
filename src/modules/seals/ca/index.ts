// The certificate authority part of the seals module (docs/seals.md, "Certificate authority").
import type { AppContext } from '../../../platform/module.ts';
import { keyEncryptionKey, SoftwareKeyStore } from '../../../platform/crypto/keystore.ts';
import type { Db } from '../../../platform/db/database.ts';
import type { Config } from '../../../config.ts';
import { CaService } from './service.ts';

export { CaService, type IssueInput, type IssuedCertificate, type LeafKind, type StatusAnswer } from './service.ts';
export { caRoutes } from './routes.ts';

const services = new WeakMap<object, CaService>();

/** One CaService per app (or per start-up database), with the software key store under the KEK. */
export function caServiceFor(ctx: Pick<AppContext, 'db' | 'config'>): CaService {
  return caServiceOn(ctx.db, ctx.config);
}

export function caServiceOn(db: Db, config: Pick<Config, 'env' | 'secrets' | 'nodeRegionCode' | 'publicUrl'>): CaService {
  let svc = services.get(db);
  if (!svc) {
    svc = new CaService({ db, keys: new SoftwareKeyStore(db, keyEncryptionKey(config)), nodeRegionCode: config.nodeRegionCode, publicUrl: config.publicUrl });
    services.set(db, svc);
  }
  return svc;
}
