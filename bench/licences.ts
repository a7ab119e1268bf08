// The e-licence benchmark of `npm run bench`, in-process on one core (one JavaScript thread,
// an in-memory PGlite): licences issued per second, and verifications per second online (by
// identifier, on this node's library) and offline (a QR token against a downloaded trust
// bundle and the root, no database), each verification rate as a ratio to raw SM2 verify in
// the same run.
//
// - Baselines: OpenSSL's SM2 verify through node:crypto (empty signer ID, as in bench/seals.ts)
//   and this platform's own SM2 verify (sm2Verify, default ID — what the QR check runs), both
//   over a 300-byte message, about the size of a QR payload.
// - Issue: issueLicence on one transaction — identifier and serial, the QR claims signed with
//   the bureau's seal, the PDF face rendered, stamped and signed (SES_Signature, time-stamp),
//   stored, and the rows, event, audit record and outbox message.
// - Online: LicenceVerifier.verifyIdentifier — parse and check the identifier, the licence and
//   its version, the type, decrypting the personal fields to mask them, and the use record.
// - Offline QR: verifyQrOffline — parse and inflate the token, verify the bundle (its SM2
//   signature and signer chain to the root), the signer certificate's chain, then the payload's
//   SM2 signature, and the bundle's status list.
//
// By hand: node bench/licences.ts (BENCH_LICENCES_SECONDS per measurement, default 3).
import { PersonalDataCipher } from '../src/platform/crypto/personal-data.ts';
import { fileStoreFromConfig } from '../src/platform/files/index.ts';
import { sm2Sign, sm2Verify } from '../src/platform/crypto/sm2.ts';
import { makeIdNumber } from '../src/platform/identifiers/id-number.ts';
import { trustAnchors } from '../src/modules/seals/index.ts';
import { DEMO_LICENCE_TYPES, LicenceVerifier, licenceServiceFor, publishBundle, qrTextFromPdf, verifyQrOffline } from '../src/modules/licences/index.ts';
// eslint-disable-next-line no-restricted-imports -- the bench drives the one issuing path directly, as the case handler and the importer do
import { issueLicence } from '../src/modules/licences/issue.ts';
import { inTransaction } from '../src/platform/db/database.ts';
import { round } from './stats.ts';
import { opensslSm2Baseline, ratePerSecond, sealedNode, type SealedNode } from './sealed-node.ts';

export interface LicenceFigures {
  seconds: number;
  opensslVerifyPerSecond: number;
  sm2VerifyPerSecond: number;
  issuedPerSecond: number;
  onlineVerifyPerSecond: number;
  offlineQrVerifyPerSecond: number;
  /** Verifications ÷ raw SM2 verifications (this platform's sm2Verify) per second, same run. */
  onlineRatio: number;
  offlineRatio: number;
  /** The same against OpenSSL's SM2 verify. */
  onlineRatioOpenssl: number;
  offlineRatioOpenssl: number;
}

const seconds = Number(process.env.BENCH_LICENCES_SECONDS ?? 3);
const rate = (fn: () => unknown) => ratePerSecond(seconds, fn);

/** Runs the measurements; never throws (a failure is reported, as the other benches do). */
export async function measureLicences(note: (msg: string) => void = () => undefined, onFailure: (failure: string) => void = () => undefined): Promise<LicenceFigures | { failure: string }> {
  let node: SealedNode | null = null;
  try {
    node = await sealedNode();
    const { handle, config, ctx } = node;
    const type = DEMO_LICENCE_TYPES.find((t) => t.key === 'food_business')!;
    const files = fileStoreFromConfig(config);
    const cipher = new PersonalDataCipher(config.secrets);
    const deps = { config, files, cipher };
    const issuer = node.org;
    let n = 0;
    const issueOne = () =>
      inTransaction(handle.db, (tx) => {
        const code = makeIdNumber('320102', '19900307', (n++ % 998) + 1);
        const data = { shopName: `知味小馆${n}`, holderName: '王小明', holderCode: code, address: '南京市玄武区中山路1号', businessType: '餐饮服务', issuerName: issuer.name, caseNumber: '' };
        return issueLicence(tx, deps, { type, holder: { kind: 'person', name: '王小明', code }, holderAccountId: null, data, issuer, regionCode: '320100', validFrom: '2026-11-23', caseId: null, origin: { bench: true }, actor: { kind: 'system', id: 'bench' } });
      });
    const first = await issueOne();
    const pdf = await files.get(first.pdf_sha256);
    const token = pdf ? qrTextFromPdf(pdf) : null;
    if (!token) throw new Error('the issued licence PDF carries no QR token');

    const verifier = new LicenceVerifier({ db: handle.db, config, cipher, licences: licenceServiceFor(ctx) });
    const online = await verifier.verifyIdentifier(null, first.identifier);
    if (!online.ok || online.status !== 'valid') throw new Error(`online verification failed: ${JSON.stringify(online)}`);
    const trust = { roots: await trustAnchors(ctx), bundles: [await publishBundle(ctx)], now: new Date() };
    const offline = verifyQrOffline(token, trust);
    if (!offline.ok || offline.status !== 'valid') throw new Error(`offline QR verification failed: ${JSON.stringify(offline)}`);

    const baseline = opensslSm2Baseline(300);
    const { pair, message } = baseline;
    const ownSignature = sm2Sign(message, pair.privateKey);
    if (!sm2Verify(message, ownSignature, pair.publicKey)) throw new Error('sm2Verify does not verify its own signature');

    const opensslVerify = await rate(baseline.verify);
    const ownVerify = await rate(() => sm2Verify(message, ownSignature, pair.publicKey));
    const issued = await rate(issueOne);
    const onlineRate = await rate(async () => {
      const r = await verifier.verifyIdentifier(null, first.identifier);
      if (!r.ok) throw new Error('online verification failed during the benchmark');
    });
    const offlineRate = await rate(() => {
      if (!verifyQrOffline(token, trust).ok) throw new Error('offline verification failed during the benchmark');
    });
    const figures: LicenceFigures = {
      seconds,
      opensslVerifyPerSecond: round(opensslVerify, 0),
      sm2VerifyPerSecond: round(ownVerify, 0),
      issuedPerSecond: round(issued, 1),
      onlineVerifyPerSecond: round(onlineRate, 1),
      offlineQrVerifyPerSecond: round(offlineRate, 1),
      onlineRatio: round(onlineRate / ownVerify, 4),
      offlineRatio: round(offlineRate / ownVerify, 4),
      onlineRatioOpenssl: round(onlineRate / opensslVerify, 4),
      offlineRatioOpenssl: round(offlineRate / opensslVerify, 4),
    };
    note(`licences: issued ${figures.issuedPerSecond}/s; verified online ${figures.onlineVerifyPerSecond}/s, offline QR ${figures.offlineQrVerifyPerSecond}/s vs SM2 verify ${figures.sm2VerifyPerSecond}/s (ratios ${figures.onlineRatio}, ${figures.offlineRatio}) and OpenSSL ${figures.opensslVerifyPerSecond}/s`);
    return figures;
  } catch (err) {
    const failure = err instanceof Error ? err.message : String(err);
    onFailure(failure);
    return { failure };
  } finally {
    await node?.handle.close();
  }
}

if (import.meta.main) {
  const out = await measureLicences((m) => console.error(`# ${m}`));
  console.log(JSON.stringify(out));
  process.exit('failure' in out ? 1 : 0);
}
