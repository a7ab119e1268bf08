// Objects on the local disk at dir/ab/cd/<sha256>. A write goes to dir/.tmp, is fsynced,
// then renamed into place (and the directory fsynced), so a crash leaves either the whole
// object under its name or nothing there; at worst a temp file, which removeStaleTemp clears.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat, unlink, utimes } from 'node:fs/promises';
import path from 'node:path';
import { assertSha256, isSha256, type FileStore, type StoredObject } from './types.ts';

const TEMP = '.tmp';

export interface LocalFileStoreOptions {
  /**
   * Test seam: runs after the temp file is written and fsynced, before it is renamed into
   * place. Throwing here simulates a failure midway through a write.
   */
  beforeCommit?: (tempPath: string) => Promise<void> | void;
}

export class LocalFileStore implements FileStore {
  readonly dir: string;
  readonly #beforeCommit: LocalFileStoreOptions['beforeCommit'];

  constructor(dir: string, options: LocalFileStoreOptions = {}) {
    this.dir = path.resolve(dir);
    this.#beforeCommit = options.beforeCommit;
  }

  pathOf(sha256: string): string {
    assertSha256(sha256);
    return path.join(this.dir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async put(bytes: Uint8Array): Promise<StoredObject> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const target = this.pathOf(sha256);
    const existing = await stat(target).catch(() => null);
    if (existing?.isFile() && existing.size === bytes.byteLength) {
      // Refresh the age so an orphan sweep running now does not take an object just re-used.
      const now = new Date();
      await utimes(target, now, now);
      return { sha256, size: bytes.byteLength };
    }
    const tempDir = path.join(this.dir, TEMP);
    await mkdir(tempDir, { recursive: true });
    await mkdir(path.dirname(target), { recursive: true });
    const temp = path.join(tempDir, `${sha256}.${randomBytes(6).toString('hex')}`);
    try {
      const handle = await open(temp, 'wx', 0o640);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await this.#beforeCommit?.(temp);
      // Same bytes under the same name: a concurrent put of identical content may win the
      // rename race; replacing its file with an identical one is harmless.
      await rename(temp, target);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
    await syncDirectory(path.dirname(target));
    return { sha256, size: bytes.byteLength };
  }

  // The name is the content's hash, so a damaged file (disk fault, hand edit) is detected
  // on read instead of being served as an applicant's material.
  async get(sha256: string): Promise<Buffer | null> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.pathOf(sha256));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== sha256) throw new Error(`stored file ${sha256} is damaged (its SHA-256 is now ${actual})`);
    return bytes;
  }

  async has(sha256: string): Promise<boolean> {
    const s = await stat(this.pathOf(sha256)).catch(() => null);
    return s?.isFile() ?? false;
  }

  async delete(sha256: string): Promise<void> {
    try {
      await unlink(this.pathOf(sha256));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }

  async *list(): AsyncIterable<{ sha256: string; modifiedAt: Date }> {
    for (const a of await entries(this.dir)) {
      if (!/^[0-9a-f]{2}$/.test(a)) continue;
      for (const b of await entries(path.join(this.dir, a))) {
        if (!/^[0-9a-f]{2}$/.test(b)) continue;
        for (const name of await entries(path.join(this.dir, a, b))) {
          if (!isSha256(name) || !name.startsWith(a + b)) continue;
          const s = await stat(path.join(this.dir, a, b, name)).catch(() => null);
          if (s?.isFile()) yield { sha256: name, modifiedAt: s.mtime };
        }
      }
    }
  }

  /** Removes temp files a crashed process left behind (older than the cutoff, so live writes are safe). */
  async removeStaleTemp(olderThan: Date): Promise<number> {
    const tempDir = path.join(this.dir, TEMP);
    let removed = 0;
    for (const name of await entries(tempDir)) {
      const file = path.join(tempDir, name);
      const s = await stat(file).catch(() => null);
      if (s?.isFile() && s.mtime < olderThan) {
        await rm(file, { force: true });
        removed++;
      }
    }
    return removed;
  }
}

async function entries(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

// Makes the rename itself durable; some platforms cannot open a directory, which is fine.
async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // best effort: the data itself was fsynced before the rename
  } finally {
    await handle?.close();
  }
}
