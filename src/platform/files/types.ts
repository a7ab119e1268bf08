// The storage building block for uploaded materials. Objects are named by the SHA-256 of
// their bytes (hex, lower case). SHA-256 rather than SM3: S3's `x-amz-content-sha256`
// payload hash is SHA-256, so the object's name IS the hash the store signs and the server
// checks on arrival, and every S3-compatible store can verify it. The name is an integrity
// check, not a secret or a signature; SM3 stays the platform's choice for keyed hashes.

export interface StoredObject {
  sha256: string;
  size: number;
}

export interface FileStore {
  /** Idempotent: storing the same bytes again returns the same name and refreshes the object's age. */
  put(bytes: Uint8Array): Promise<StoredObject>;
  get(sha256: string): Promise<Buffer | null>;
  has(sha256: string): Promise<boolean>;
  /** Deleting a missing object is not an error. */
  delete(sha256: string): Promise<void>;
  list?(): AsyncIterable<{ sha256: string; modifiedAt: Date }>;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Refuses anything but a 64-character lower-case hex name, so a name can never escape the store. */
export function assertSha256(sha256: string): void {
  if (!SHA256_HEX.test(sha256)) throw new TypeError(`not a SHA-256 hex name: ${JSON.stringify(sha256).slice(0, 80)}`);
}

export function isSha256(name: string): boolean {
  return SHA256_HEX.test(name);
}
