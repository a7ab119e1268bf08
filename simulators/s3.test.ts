// The S3 simulator's SigV4 verifier on its own: it accepts AWS's published example request
// (so it is right by an outside answer, not by agreeing with the platform's signer) and
// refuses tampered, stale, unsigned and wrongly-hashed requests.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { S3FileStore } from '../src/platform/files/s3.ts';
import { startS3Simulator, verifySigV4, type IncomingSigned, type RunningS3Simulator } from './s3.ts';

const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
// "Example: GET Object" from the S3 API Reference (Signature Version 4, Authorization header).
const awsExample: IncomingSigned = {
  method: 'GET',
  url: '/test.txt',
  headers: {
    host: 'examplebucket.s3.amazonaws.com',
    range: 'bytes=0-9',
    'x-amz-content-sha256': EMPTY,
    'x-amz-date': '20130524T000000Z',
    authorization:
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
  },
  body: Buffer.alloc(0),
};
const awsCredentials = { AKIAIOSFODNN7EXAMPLE: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const then = new Date('2013-05-24T00:05:00Z');
const verify = (req: IncomingSigned, now = then) => verifySigV4(req, awsCredentials, 'us-east-1', now, 15 * 60_000);

describe('SigV4 verifier', () => {
  test("accepts AWS's published example", () => {
    assert.deepEqual(verify(awsExample), { ok: true, accessKeyId: 'AKIAIOSFODNN7EXAMPLE' });
  });

  test('refuses any change to a signed part, a stale date, an unknown key or a body that does not match its hash', () => {
    const code = (req: IncomingSigned, now = then) => {
      const v = verify(req, now);
      return v.ok ? 'ok' : v.code;
    };
    assert.equal(code({ ...awsExample, url: '/test.txt2' }), 'SignatureDoesNotMatch');
    assert.equal(code({ ...awsExample, method: 'DELETE' }), 'SignatureDoesNotMatch');
    assert.equal(code({ ...awsExample, headers: { ...awsExample.headers, range: 'bytes=0-99' } }), 'SignatureDoesNotMatch');
    assert.equal(code({ ...awsExample, url: '/test.txt?acl=' }), 'SignatureDoesNotMatch');
    assert.equal(code(awsExample, new Date('2013-05-24T01:00:00Z')), 'RequestTimeTooSkewed');
    assert.equal(code({ ...awsExample, headers: { ...awsExample.headers, authorization: undefined } }), 'AccessDenied');
    const otherKey = awsExample.headers.authorization!.replace('AKIAIOSFODNN7EXAMPLE', 'AKIAOTHER');
    assert.equal(code({ ...awsExample, headers: { ...awsExample.headers, authorization: otherKey } }), 'InvalidAccessKeyId');
    assert.equal(code({ ...awsExample, body: Buffer.from('smuggled') }), 'XAmzContentSHA256Mismatch');
    const unsignedHost = awsExample.headers.authorization!.replace('SignedHeaders=host;range;', 'SignedHeaders=range;');
    assert.equal(code({ ...awsExample, headers: { ...awsExample.headers, authorization: unsignedHost } }), 'AccessDenied');
  });
});

describe('S3 simulator over HTTP', () => {
  let sim: RunningS3Simulator;
  before(async () => {
    sim = await startS3Simulator({ bucket: 'materials-test', region: 'cn-north-1' });
  });
  after(() => sim.close());

  test('an unsigned request is refused with 403 and an S3 error document', async () => {
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      http
        .get(`${sim.endpoint}/materials-test/${'a'.repeat(64)}`, (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        })
        .on('error', reject);
    });
    assert.equal(status, 403);
    assert.match(body, /<Code>AccessDenied<\/Code>/);
  });

  test('keys and prefixes that need percent-encoding sign and verify alike', async () => {
    const store = new S3FileStore({ endpoint: sim.endpoint, bucket: sim.bucket, region: sim.region, accessKeyId: sim.accessKeyId, secretAccessKey: sim.secretAccessKey, prefix: "tenant a+b/材料(1)/" });
    const first = sim.requests.length;
    const bytes = Buffer.from('编码测试');
    const { sha256 } = await store.put(bytes);
    assert.equal(sha256, createHash('sha256').update(bytes).digest('hex'));
    assert.ok(sim.objects.has(`tenant a+b/材料(1)/${sha256}`));
    assert.deepEqual(await store.get(sha256), bytes);
    const listed = [];
    for await (const o of store.list()) listed.push(o.sha256);
    assert.deepEqual(listed, [sha256]);
    assert.ok(sim.requests.slice(first).every((r) => r.status < 400), JSON.stringify(sim.requests));
  });
});
