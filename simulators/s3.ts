// A small S3-compatible object store for tests and development: path-style PUT/GET/HEAD/
// DELETE object and ListObjectsV2, objects in memory. Every request must carry a valid AWS
// Signature Version 4 (header form). The verifier below is written from the S3 API
// Reference ("Authenticating Requests: Using the Authorization Header") and shares no code
// with the platform's signer, so a passing request proves the signer, not a shared mistake.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';

export interface S3SimulatorOptions {
  bucket?: string;
  region?: string;
  /** access key id → secret access key */
  credentials?: Record<string, string>;
  port?: number;
  /** Allowed clock difference (default 15 minutes, as S3). */
  maxSkewMs?: number;
}

export interface RunningS3Simulator {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  objects: Map<string, { body: Buffer; lastModified: Date }>;
  /** Every request the simulator answered: method, raw URL and status. */
  requests: { method: string; url: string; status: number; code?: string }[];
  /** Delays every answer (ms), to exercise client timeouts. */
  setDelay(ms: number): void;
  close(): Promise<void>;
}

export interface IncomingSigned {
  method: string;
  /** The raw request target, path and query, as sent. */
  url: string;
  /** Header names in lower case; repeated headers joined by ','. */
  headers: Record<string, string | undefined>;
  body: Buffer;
}

export type Verdict = { ok: true; accessKeyId: string } | { ok: false; status: number; code: string; message: string };

const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const mac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** Checks a request's SigV4 Authorization header against the known credentials. */
export function verifySigV4(req: IncomingSigned, credentials: Record<string, string>, region: string, now: Date, maxSkewMs: number): Verdict {
  const deny = (status: number, code: string, message: string): Verdict => ({ ok: false, status, code, message });
  const auth = req.headers.authorization;
  if (!auth) return deny(403, 'AccessDenied', 'Anonymous access is not allowed');
  const m = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/s3\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/.exec(auth);
  if (!m) return deny(400, 'AuthorizationHeaderMalformed', 'The authorization header is malformed');
  const [, keyId, day, scopeRegion, signedList, signature] = m as unknown as [string, string, string, string, string, string];
  const secret = credentials[keyId];
  if (secret === undefined) return deny(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records');
  if (scopeRegion !== region) return deny(400, 'AuthorizationHeaderMalformed', `the region '${scopeRegion}' is wrong; expecting '${region}'`);
  const stamp = req.headers['x-amz-date'] ?? '';
  const when = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(stamp);
  if (!when) return deny(403, 'AccessDenied', 'x-amz-date is missing or malformed');
  if (stamp.slice(0, 8) !== day) return deny(403, 'SignatureDoesNotMatch', 'credential date does not match x-amz-date');
  const at = Date.UTC(+when[1]!, +when[2]! - 1, +when[3]!, +when[4]!, +when[5]!, +when[6]!);
  if (Math.abs(now.getTime() - at) > maxSkewMs) return deny(403, 'RequestTimeTooSkewed', 'The difference between the request time and the server time is too large');
  const signed = signedList.split(';');
  for (const required of ['host', 'x-amz-date', 'x-amz-content-sha256']) {
    if (!signed.includes(required)) return deny(403, 'AccessDenied', `${required} must be signed`);
  }
  if ([...signed].sort().join(';') !== signedList) return deny(403, 'SignatureDoesNotMatch', 'SignedHeaders must be sorted');
  const payloadHash = req.headers['x-amz-content-sha256'] ?? '';
  if (payloadHash !== 'UNSIGNED-PAYLOAD') {
    if (!/^[0-9a-f]{64}$/.test(payloadHash)) return deny(400, 'InvalidArgument', 'x-amz-content-sha256 must be a hex SHA-256 or UNSIGNED-PAYLOAD');
    if (hex(req.body) !== payloadHash) return deny(400, 'XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.");
  }
  const q = req.url.indexOf('?');
  const rawPath = q < 0 ? req.url : req.url.slice(0, q);
  const rawQuery = q < 0 ? '' : req.url.slice(q + 1);
  // Canonical URI: each segment decoded, then encoded once with the RFC 3986 rules.
  const canonicalUri = rawPath.split('/').map((s) => enc(decodeURIComponent(s))).join('/');
  const canonicalQuery = rawQuery
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const i = p.indexOf('=');
      const k = decodeURIComponent((i < 0 ? p : p.slice(0, i)).replace(/\+/g, ' '));
      const v = i < 0 ? '' : decodeURIComponent(p.slice(i + 1).replace(/\+/g, ' '));
      return `${enc(k)}=${enc(v)}`;
    })
    .sort()
    .join('&');
  const canonicalHeaders = signed.map((name) => `${name}:${(req.headers[name] ?? '').trim().replace(/ +/g, ' ')}\n`).join('');
  const canonical = `${req.method}\n${canonicalUri}\n${canonicalQuery}\n${canonicalHeaders}\n${signedList}\n${payloadHash}`;
  const toSign = `AWS4-HMAC-SHA256\n${stamp}\n${day}/${region}/s3/aws4_request\n${hex(canonical)}`;
  const key = mac(mac(mac(mac(`AWS4${secret}`, day), region), 's3'), 'aws4_request');
  const expected = createHmac('sha256', key).update(toSign).digest();
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) {
    return deny(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');
  }
  return { ok: true, accessKeyId: keyId };
}

const xmlEscape = (s: string) => s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);

function errorXml(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error>`;
}

export async function startS3Simulator(options: S3SimulatorOptions = {}): Promise<RunningS3Simulator> {
  const bucket = options.bucket ?? 'yiwang-files';
  const region = options.region ?? 'cn-east-1';
  const credentials = options.credentials ?? { SIMULATORACCESSKEY01: 'simulator-secret-key/never-use-in-production' };
  const [accessKeyId, secretAccessKey] = Object.entries(credentials)[0]!;
  const objects = new Map<string, { body: Buffer; lastModified: Date }>();
  const requests: RunningS3Simulator['requests'] = [];
  let delayMs = 0;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      setTimeout(() => {
        const reply = (status: number, body: string | Buffer = '', headers: Record<string, string> = {}, code?: string) => {
          requests.push({ method: req.method ?? '', url: req.url ?? '', status, ...(code ? { code } : {}) });
          res.writeHead(status, { 'content-type': typeof body === 'string' && body ? 'application/xml' : 'application/octet-stream', ...headers });
          res.end(req.method === 'HEAD' ? undefined : body);
        };
        const fail = (status: number, code: string, message: string) => reply(status, errorXml(code, message), {}, code);
        const headers: Record<string, string | undefined> = {};
        for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(',') : v;
        const signed = { method: req.method ?? 'GET', url: req.url ?? '/', headers, body: Buffer.concat(chunks) };
        const verdict = verifySigV4(signed, credentials, region, new Date(), options.maxSkewMs ?? 15 * 60_000);
        if (!verdict.ok) return fail(verdict.status, verdict.code, verdict.message);
        const url = new URL(signed.url, 'http://simulator');
        const [, bucketName, ...rest] = url.pathname.split('/').map(decodeURIComponent);
        if (bucketName !== bucket) return fail(404, 'NoSuchBucket', 'The specified bucket does not exist');
        const key = rest.join('/');
        if (key === '') {
          if (signed.method !== 'GET' || url.searchParams.get('list-type') !== '2') return fail(501, 'NotImplemented', 'only ListObjectsV2 on the bucket');
          const prefix = url.searchParams.get('prefix') ?? '';
          const max = Math.min(Number(url.searchParams.get('max-keys') ?? 1000) || 1000, 1000);
          const after = url.searchParams.get('continuation-token');
          const start = after ? Buffer.from(after, 'base64url').toString('utf8') : '';
          const keys = [...objects.keys()].filter((k) => k.startsWith(prefix) && k > start).sort();
          const page = keys.slice(0, max);
          const truncated = keys.length > max;
          const contents = page
            .map((k) => {
              const o = objects.get(k)!;
              return `<Contents><Key>${xmlEscape(k)}</Key><LastModified>${o.lastModified.toISOString()}</LastModified><Size>${o.body.length}</Size></Contents>`;
            })
            .join('');
          const next = truncated ? `<NextContinuationToken>${Buffer.from(page.at(-1)!).toString('base64url')}</NextContinuationToken>` : '';
          return reply(200, `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult><Name>${bucket}</Name><Prefix>${xmlEscape(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${max}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${contents}${next}</ListBucketResult>`);
        }
        const object = objects.get(key);
        switch (signed.method) {
          case 'PUT':
            objects.set(key, { body: signed.body, lastModified: new Date() });
            return reply(200, '', { etag: `"${createHash('md5').update(signed.body).digest('hex')}"` });
          case 'GET':
          case 'HEAD':
            if (!object) return fail(404, 'NoSuchKey', 'The specified key does not exist.');
            return reply(200, object.body, { 'content-length': String(object.body.length), 'last-modified': object.lastModified.toUTCString() });
          case 'DELETE':
            objects.delete(key);
            return reply(204);
          default:
            return fail(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
        }
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('s3 simulator: no TCP address');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    bucket,
    region,
    accessKeyId,
    secretAccessKey,
    objects,
    requests,
    setDelay: (ms) => {
      delayMs = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
