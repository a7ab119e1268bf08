// Runs `src/main.ts` as a real child process, as an operator would, for start-up,
// shutdown and outage tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../scripts/postgres-cluster.ts';

export interface ServerProcess {
  proc: ChildProcess;
  url: string;
  output(): string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
}

export function runMain(env: Record<string, string>): { proc: ChildProcess; output(): string; exited: Promise<number | null> } {
  const proc = spawn(process.execPath, ['src/main.ts'], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { proc, output: () => out, exited };
}

export async function startServer(env: Record<string, string> = {}): Promise<ServerProcess> {
  const port = await freePort();
  const run = runMain({
    NODE_ENV: 'test',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'yw-proc-')),
    LOG_LEVEL: 'info',
    DEMO_CATALOG: 'false',
    ...env,
  });
  const url = `http://127.0.0.1:${port}`;
  // Bounded wait: start-up loads ~27k regions on first run.
  for (let i = 0; i < 600; i++) {
    if (run.output().includes('yiwang is serving')) return { ...run, url };
    const done = await Promise.race([run.exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 100))]);
    if (done) throw new Error(`server exited during start-up:\n${run.output()}`);
  }
  run.proc.kill('SIGKILL');
  throw new Error(`server did not start:\n${run.output()}`);
}
