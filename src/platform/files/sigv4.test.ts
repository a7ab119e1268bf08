// The signer against AWS's own published example ("Example: GET Object" in the S3 API
// Reference, Signature Version 4 header authentication), so it is right by an outside answer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EMPTY_SHA256, encodePath, encodeQuery, signRequest, signingKey } from './sigv4.ts';

const example = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  region: 'us-east-1',
  date: new Date('2013-05-24T00:00:00Z'),
};

test('AWS example: GET /test.txt with a Range header', () => {
  const headers = signRequest({
    ...example,
    method: 'GET',
    host: 'examplebucket.s3.amazonaws.com',
    path: '/test.txt',
    headers: { Range: 'bytes=0-9' },
    payloadHash: EMPTY_SHA256,
  });
  assert.equal(
    headers.authorization,
    'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
  );
  assert.equal(headers['x-amz-date'], '20130524T000000Z');
});

test('changing any signed part changes the signature', () => {
  const base = { ...example, method: 'GET', host: 'examplebucket.s3.amazonaws.com', path: '/test.txt', headers: { Range: 'bytes=0-9' }, payloadHash: EMPTY_SHA256 };
  const sig = (o: typeof base) => signRequest(o).authorization!.split('Signature=')[1];
  const reference = sig(base);
  assert.notEqual(sig({ ...base, path: '/test.txu' }), reference);
  assert.notEqual(sig({ ...base, headers: { Range: 'bytes=0-10' } }), reference);
  assert.notEqual(sig({ ...base, secretAccessKey: base.secretAccessKey + 'x' }), reference);
  assert.notEqual(sig({ ...base, date: new Date('2013-05-24T00:00:01Z') }), reference);
});

test('URI encoding follows RFC 3986 as S3 wants it', () => {
  assert.equal(encodePath('/bucket/a b/c+d/(x)*~._-'), '/bucket/a%20b/c%2Bd/%28x%29%2A~._-');
  assert.equal(encodeQuery({ prefix: 'a/b', 'list-type': '2', 'continuation-token': 'x=y' }), 'continuation-token=x%3Dy&list-type=2&prefix=a%2Fb');
  // The signing key derivation from the AWS General Reference example (AKIDEXAMPLE, 20150830, iam).
  assert.equal(
    signingKey('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '20150830', 'us-east-1', 'iam').toString('hex'),
    'c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9',
  );
});
