// Storage of uploaded materials: pick the configured store, check uploads, sweep orphans.
// docs/files.md explains the layout, the S3 settings and the orphan sweep.
import type { FilesConfig } from '../../config.ts';
import { LocalFileStore } from './local.ts';
import { S3FileStore } from './s3.ts';
import type { FileStore } from './types.ts';

export { LocalFileStore, type LocalFileStoreOptions } from './local.ts';
export { S3Error, S3FileStore, type S3Options } from './s3.ts';
export { checkUpload, isComplete, MATERIAL_MIMES, sniffType, type MaterialMime, type UploadCheck, type UploadRules } from './sniff.ts';
export { assertSha256, isSha256, type FileStore, type StoredObject } from './types.ts';

export function fileStoreFromConfig(config: { files: FilesConfig }): FileStore {
  const files = config.files;
  if (files.store === 'local') return new LocalFileStore(files.dir);
  return new S3FileStore(files.s3);
}

export interface SweepResult {
  scanned: number;
  deleted: string[];
}

/**
 * Deletes stored objects that no row refers to and that are older than the cutoff.
 * The case workflow writes the file first and then the row (in a transaction); a crash or a
 * rolled-back transaction in between leaves an unreferenced object, removed here. The cutoff
 * must lie well before any upload still in flight (an hour or a day back), because a file
 * written a moment ago has no row YET. A put of identical bytes refreshes the object's age,
 * so re-using stored content restarts its grace period.
 */
export async function sweepOrphans(store: FileStore, isReferenced: (sha256: string) => Promise<boolean>, olderThan: Date): Promise<SweepResult> {
  if (!store.list) throw new TypeError('this file store cannot list its objects, so it cannot be swept');
  const result: SweepResult = { scanned: 0, deleted: [] };
  // Streams: deleting keys already listed does not disturb the listing's continuation.
  for await (const object of store.list()) {
    result.scanned++;
    if (object.modifiedAt >= olderThan || (await isReferenced(object.sha256))) continue;
    await store.delete(object.sha256);
    result.deleted.push(object.sha256);
  }
  return result;
}
