// The OpenSSL 3 command line as the interop reference (shared/docs/standards.md). Without it
// the interop suites skip with a message, unless YIWANG_TEST_REQUIRE_OPENSSL=1 (CI) makes a
// missing openssl a failure.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const probe = spawnSync('openssl', ['version'], { encoding: 'utf8' });
const available = probe.status === 0 && /OpenSSL 3\./.test(probe.stdout);
if (!available && process.env.YIWANG_TEST_REQUIRE_OPENSSL === '1') {
  throw new Error('YIWANG_TEST_REQUIRE_OPENSSL=1 but the OpenSSL 3 command line was not found');
}

/** `skip` option for describe(): false when openssl 3 is present, else the reason. */
export const opensslSkip: false | string = available ? false : 'openssl 3 command line not found: interop not checked';

export interface OpensslResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** A scratch directory and a runner whose cwd it is; never throws on a non-zero exit. */
export function opensslWorkspace(prefix: string): { dir: string; run(args: string[], input?: Uint8Array): OpensslResult; file(name: string): string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    run(args, input) {
      const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8', input, timeout: 30_000 });
      return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
    },
    file: (name) => join(dir, name),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
