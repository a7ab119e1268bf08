// The seal benchmark of `npm run bench`, in-process on one core (one JavaScript thread, an
// in-memory PGlite): seals signed per second and signatures verified per second, each as a
// ratio to raw SM2 sign / verify by Node's OpenSSL measured in the same run.
//
// - Baseline: crypto.sign / crypto.verify ('sm3') with an SM2 key imported from PEM — the
//   OpenSSL library's SM2 (empty signer ID, so not interoperable: shared/docs/standards.md);
//   a 1 KiB message, about the size of a TBS_Sign.
// - Seal signing: SigningService.sign end to end — stamp the seal picture on a one-page PDF,
//   time-stamp token, SES_Signature signed inside the key store (SM2, default ID), embedded
//   in an incremental update, and the record + audit entry in one transaction.
// - Verification: verifyAcrossRegions on the signed PDF — locate and parse the signature,
//   SM3 of the document, the rebuilt signature section, maker / signer / TSA signatures,
//   three chains to the trust list with the node's CRLs, and the seal registry.
//
// By hand: node bench/seals.ts (BENCH_SEALS_SECONDS per measurement, default 3).
import type { Actor } from '../src/platform/http/access.ts';
import { sealServiceFor, signingServiceFor, verifyAcrossRegions } from '../src/modules/seals/index.ts';
// eslint-disable-next-line no-restricted-imports -- the seals module's in-memory test PDF
import { samplePdf } from '../src/modules/seals/pdf/test-fixtures.ts';
import { round } from './stats.ts';
import { opensslSm2Baseline, ratePerSecond, sealedNode, type SealedNode } from './sealed-node.ts';

export interface SealFigures {
  seconds: number;
  opensslSignPerSecond: number;
  opensslVerifyPerSecond: number;
  sealSignPerSecond: number;
  sealVerifyPerSecond: number;
  /** Seal signatures ÷ raw OpenSSL SM2 signatures per second, same run. */
  signRatio: number;
  verifyRatio: number;
}

const seconds = Number(process.env.BENCH_SEALS_SECONDS ?? 3);
const rate = (fn: () => unknown) => ratePerSecond(seconds, fn);

/** Runs the measurements; never throws (a failure is reported, as the other benches do). */
export async function measureSeals(note: (msg: string) => void = () => undefined, onFailure: (failure: string) => void = () => undefined): Promise<SealFigures | { failure: string }> {
  let node: SealedNode | null = null;
  try {
    node = await sealedNode();
    const { ctx, admin, esId } = node;
    const orgId = node.org.id;
    const seals = sealServiceFor(ctx);
    const signing = signingServiceFor(ctx, (id, at) => seals.statusAt(id, at));
    const clerk: Actor = { ...admin, roles: ['window_clerk'], orgId, regionCode: '320100' };
    const pdf = await samplePdf(1, 'Seal benchmark');
    const signOne = () => signing.sign(clerk, { esId, pdf, placement: { page: 1, x: 150, y: 240 } });
    const signed = (await signOne()).signedPdf;
    const check = await verifyAcrossRegions(ctx, signed);
    if (!check.valid) throw new Error(`the signed PDF does not verify: ${check.reason.code}`);

    const baseline = opensslSm2Baseline(1024);
    const opensslSign = await rate(baseline.sign);
    const sealSign = await rate(signOne);
    const opensslVerify = await rate(baseline.verify);
    const sealVerify = await rate(async () => {
      if (!(await verifyAcrossRegions(ctx, signed)).valid) throw new Error('verification failed during the benchmark');
    });
    const figures: SealFigures = {
      seconds,
      opensslSignPerSecond: round(opensslSign, 0),
      opensslVerifyPerSecond: round(opensslVerify, 0),
      sealSignPerSecond: round(sealSign, 1),
      sealVerifyPerSecond: round(sealVerify, 1),
      signRatio: round(sealSign / opensslSign, 4),
      verifyRatio: round(sealVerify / opensslVerify, 4),
    };
    note(`seals: signed ${figures.sealSignPerSecond}/s vs OpenSSL SM2 sign ${figures.opensslSignPerSecond}/s (ratio ${figures.signRatio}); verified ${figures.sealVerifyPerSecond}/s vs OpenSSL SM2 verify ${figures.opensslVerifyPerSecond}/s (ratio ${figures.verifyRatio})`);
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
  const out = await measureSeals((m) => console.error(`# ${m}`));
  console.log(JSON.stringify(out));
  process.exit('failure' in out ? 1 : 0);
}
