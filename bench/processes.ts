// Child processes and temporary resources of a benchmark run, and their cleanup. Every
// resource registers itself here the moment it exists, so that an error, Ctrl-C or SIGTERM
// at any point still stops the servers and removes temp dirs and PostgreSQL clusters.
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

interface Resource {
  name: string;
  /** Orderly release (e.g. SIGTERM and wait). */
  release(): Promise<void>;
  /** Last resort from the synchronous 'exit' handler, when release() never ran. */
  releaseSync(): void;
}

const resources: Resource[] = [];

function track(resource: Resource): () => Promise<void> {
  let done: Promise<void> | null = null;
  // Stays in the list until released, so an exit in the middle of an orderly release
  // (a second Ctrl-C) still gets the synchronous fallback; every release is idempotent.
  const once: Resource = {
    name: resource.name,
    release: () =>
      (done ??= resource.release().finally(() => {
        const i = resources.indexOf(once);
        if (i >= 0) resources.splice(i, 1);
      })),
    releaseSync: () => resource.releaseSync(),
  };
  resources.push(once);
  return once.release;
}

/** Releases everything still held, newest first (servers before the databases they use). */
export async function releaseAll(): Promise<void> {
  for (const r of [...resources].reverse()) {
    try {
      await r.release();
    } catch (err) {
      console.error(`# cleanup of ${r.name} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

let installed = false;
/** Ctrl-C / SIGTERM: clean up, then exit with the conventional 128 + signal number. */
export function installSignalCleanup(): void {
  if (installed) return;
  installed = true;
  const onSignal = (signal: NodeJS.Signals, code: number) => {
    console.error(`# ${signal}: stopping servers and removing temporary data`);
    // A second Ctrl-C while cleaning up means "now": the exit handler does the sync part.
    process.once(signal, () => process.exit(code));
    releaseAll().finally(() => process.exit(code));
  };
  process.once('SIGINT', () => onSignal('SIGINT', 130));
  process.once('SIGTERM', () => onSignal('SIGTERM', 143));
  process.on('exit', () => {
    for (const r of resources.splice(0).reverse()) {
      try {
        r.releaseSync();
      } catch {
        // Nothing more can be done while exiting.
      }
    }
  });
}

export function trackDir(dir: string): () => Promise<void> {
  const remove = () => rmSync(dir, { recursive: true, force: true });
  return track({ name: dir, release: async () => remove(), releaseSync: remove });
}

/** Anything with a synchronous stop, e.g. the throwaway PostgreSQL cluster. */
export function trackSync(name: string, stop: () => void): () => Promise<void> {
  return track({ name, release: async () => stop(), releaseSync: stop });
}

export interface Child {
  name: string;
  process: ChildProcess;
  /** The last lines the child printed, shown when it fails. */
  output(): string;
  exited(): boolean;
  /** Resolves once the process has exited and its output has been read to the end. */
  closed: Promise<void>;
  stop(): Promise<void>;
}

const OUTPUT_LINES = 60;

/** Runs a TypeScript file with this same (pinned) Node binary. */
export function startChild(name: string, script: string, env: NodeJS.ProcessEnv): Child {
  const proc = spawn(process.execPath, [script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  // Keep a tail of the output rather than printing it: the app logs JSON at warn level,
  // including the throwaway bootstrap admin password, which is noise in a benchmark.
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > OUTPUT_LINES) lines.splice(0, lines.length - OUTPUT_LINES);
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  const exited = () => proc.exitCode !== null || proc.signalCode !== null;
  const waitExit = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  // 'exit' can come before the last output: 'close' waits for the pipes too.
  const closed = new Promise<void>((resolve) => proc.once('close', () => resolve()));
  proc.once('error', (err) => lines.push(`spawn failed: ${err.message}`));

  const stop = track({
    name,
    async release() {
      if (exited()) return;
      proc.kill('SIGTERM');
      // main.ts drains requests and closes the database on SIGTERM; give it time, then insist.
      const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      await waitExit;
      clearTimeout(timer);
    },
    releaseSync() {
      if (!exited()) proc.kill('SIGKILL');
    },
  });
  return { name, process: proc, output: () => lines.join('\n'), exited, closed, stop };
}

/**
 * Polls `url` until it answers 200. Fails early with the child's output if the child exits,
 * and after `timeoutMs` (start-up loads migrations, regions and demo data first).
 */
export async function waitReady(child: Child, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.exited()) {
      throw new Error(`${child.name} exited (code ${child.process.exitCode ?? child.process.signalCode}) before ${url} was ready:\n${child.output()}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      await res.body?.cancel();
      if (res.status === 200) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${child.name}: ${url} not ready after ${timeoutMs / 1000} s (${last}):\n${child.output()}`);
}

/** Waits for a one-shot child (the catalogue seed) to finish; its exit code, killed after `timeoutMs`. */
export async function waitExit(child: Child, timeoutMs: number): Promise<number | null> {
  const timer = setTimeout(() => child.process.kill('SIGKILL'), timeoutMs);
  await child.closed;
  clearTimeout(timer);
  return child.process.exitCode;
}
