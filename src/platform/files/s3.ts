// Objects in an S3-compatible store (AWS S3, MinIO, Ceph RGW, OSS/COS/OBS S3 endpoints),
// spoken to over the REST API with path-style URLs (`endpoint/bucket/key`) and SigV4.
// The object key is prefix + sha256; its SHA-256 is also the signed x-amz-content-sha256,
// so the server rejects a body damaged in transit.
import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { EMPTY_SHA256, encodePath, encodeQuery, signRequest } from './sigv4.ts';
import { assertSha256, isSha256, type FileStore, type StoredObject } from './types.ts';

export interface S3Options {
  /** e.g. `https://s3.cn-east-1.example.com` or `http://127.0.0.1:9000`. */
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Key prefix, e.g. `yiwang/files/`. */
  prefix?: string;
  /** Limit for each request, connection to last byte (default 30 s). */
  timeoutMs?: number;
}

export class S3Error extends Error {
  readonly status: number;
  readonly code: string | undefined;
  constructor(operation: string, status: number, code: string | undefined, detail: string | undefined) {
    const hint = status === 403 ? ' (check S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY and S3_REGION)' : '';
    super(`S3 ${operation} failed: HTTP ${status}${code ? ` ${code}` : ''}${detail ? `: ${detail}` : ''}${hint}`);
    this.status = status;
    this.code = code;
  }
}

interface Response {
  status: number;
  body: Buffer;
}

export class S3FileStore implements FileStore {
  readonly #endpoint: URL;
  readonly #options: S3Options;
  readonly #prefix: string;
  readonly #timeoutMs: number;

  constructor(options: S3Options) {
    this.#endpoint = new URL(options.endpoint);
    if (!['http:', 'https:'].includes(this.#endpoint.protocol)) throw new TypeError('S3 endpoint must be http or https');
    this.#options = options;
    this.#prefix = options.prefix ?? '';
    this.#timeoutMs = options.timeoutMs ?? 30_000;
  }

  // Always uploads, even when the object exists: the overwrite refreshes LastModified,
  // which the orphan sweep reads as the object's age.
  async put(bytes: Uint8Array): Promise<StoredObject> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const res = await this.#send('PUT', this.#key(sha256), {}, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), sha256, {
      'content-type': 'application/octet-stream',
    });
    this.#expect('PutObject', res, [200]);
    return { sha256, size: bytes.byteLength };
  }

  async get(sha256: string): Promise<Buffer | null> {
    const res = await this.#send('GET', this.#key(sha256));
    if (isMissingKey(res)) return null;
    this.#expect('GetObject', res, [200]);
    const actual = createHash('sha256').update(res.body).digest('hex');
    if (actual !== sha256) throw new Error(`S3 GetObject: object ${sha256} came back with SHA-256 ${actual} (damaged)`);
    return res.body;
  }

  async has(sha256: string): Promise<boolean> {
    // A HEAD answer has no body, so a missing bucket also reads as 404 here; get and
    // delete tell NoSuchBucket apart.
    const res = await this.#send('HEAD', this.#key(sha256));
    if (res.status === 404) return false;
    this.#expect('HeadObject', res, [200]);
    return true;
  }

  async delete(sha256: string): Promise<void> {
    const res = await this.#send('DELETE', this.#key(sha256));
    if (isMissingKey(res)) return;
    this.#expect('DeleteObject', res, [200, 204]);
  }

  async *list(): AsyncIterable<{ sha256: string; modifiedAt: Date }> {
    let token: string | undefined;
    do {
      const query: Record<string, string> = { 'list-type': '2', prefix: this.#prefix };
      if (token) query['continuation-token'] = token;
      const res = await this.#send('GET', '', query);
      this.#expect('ListObjectsV2', res, [200]);
      const xml = res.body.toString('utf8');
      for (const block of xml.match(/<Contents>[\s\S]*?<\/Contents>/g) ?? []) {
        const key = unescapeXml(tag(block, 'Key') ?? '');
        const name = key.slice(this.#prefix.length);
        const modified = tag(block, 'LastModified');
        if (key.startsWith(this.#prefix) && isSha256(name) && modified) yield { sha256: name, modifiedAt: new Date(modified) };
      }
      token = tag(xml, 'IsTruncated') === 'true' ? unescapeXml(tag(xml, 'NextContinuationToken') ?? '') || undefined : undefined;
    } while (token);
  }

  #key(sha256: string): string {
    assertSha256(sha256);
    return this.#prefix + sha256;
  }

  #expect(operation: string, res: Response, ok: number[]): void {
    if (ok.includes(res.status)) return;
    const xml = res.body.toString('utf8');
    throw new S3Error(operation, res.status, tag(xml, 'Code'), tag(xml, 'Message'));
  }

  #send(method: string, key: string, query: Record<string, string> = {}, body?: Buffer, payloadHash = EMPTY_SHA256, extra: Record<string, string> = {}): Promise<Response> {
    const base = this.#endpoint.pathname.replace(/\/$/, '');
    const path = `${base}/${this.#options.bucket}${key ? '/' + key : ''}`;
    const headers = signRequest({
      method,
      host: this.#endpoint.host,
      path,
      query,
      headers: { ...extra, ...(body ? { 'content-length': String(body.byteLength) } : {}) },
      payloadHash,
      region: this.#options.region,
      accessKeyId: this.#options.accessKeyId,
      secretAccessKey: this.#options.secretAccessKey,
      date: new Date(),
    });
    const search = encodeQuery(query);
    const client = this.#endpoint.protocol === 'https:' ? https : http;
    const operation = `${method} ${key || '(bucket)'}`;
    return new Promise<Response>((resolve, reject) => {
      const req = client.request(
        {
          protocol: this.#endpoint.protocol,
          hostname: this.#endpoint.hostname.replace(/^\[|\]$/g, ''),
          port: this.#endpoint.port || undefined,
          method,
          path: encodePath(path) + (search ? `?${search}` : ''),
          headers,
          signal: AbortSignal.timeout(this.#timeoutMs),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      req.on('error', (err) => {
        const timedOut = err.name === 'AbortError' || err.name === 'TimeoutError';
        reject(new Error(timedOut ? `S3 ${operation}: no answer within ${this.#timeoutMs} ms` : `S3 ${operation}: ${err.message}`, { cause: err }));
      });
      req.end(body);
    });
  }
}

// A 404 is "no such object" only when the body says NoSuchKey (or is empty, as for HEAD);
// NoSuchBucket and the like are configuration errors, never an absent file.
function isMissingKey(res: Response): boolean {
  if (res.status !== 404) return false;
  const code = tag(res.body.toString('utf8'), 'Code');
  return code === undefined || code === 'NoSuchKey';
}

function tag(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml)?.[1];
}

function unescapeXml(text: string): string {
  return text.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]!);
}
