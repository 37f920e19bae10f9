import assert from 'node:assert/strict';
import type { AwsRequest } from '../../../src/aws/endpoint';
import { accessKeyOf, addressOf, isS3Request } from '../../../src/aws/s3/addressing';

function request(overrides: Partial<AwsRequest> & { url?: string } = {}): AwsRequest {
  const url = new URL(overrides.url ?? '/', 'http://localhost');
  return {
    method: 'GET',
    path: url.pathname,
    query: url.searchParams,
    headers: { host: '127.0.0.1:4566' },
    body: Buffer.alloc(0),
    ...overrides,
  };
}

const signedFor = (service: string) =>
  `AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=abc`;

describe('S3 addressing', () => {
  describe('which requests S3 claims', () => {
    it('claims requests signed for s3, whatever their path', () => {
      assert.equal(isS3Request(request({ headers: { authorization: signedFor('s3') } })), true);
      assert.equal(
        isS3Request(request({ url: '/2015-03-31/key', headers: { authorization: signedFor('s3') } })),
        true,
      );
    });

    it('refuses requests signed for another service', () => {
      for (const service of ['sqs', 'sns', 'lambda', 'events', 'execute-api']) {
        assert.equal(
          isS3Request(request({ headers: { authorization: signedFor(service) } })),
          false,
          service,
        );
      }
    });

    it('refuses presigned URLs of another service and claims those of s3', () => {
      const credential = (service: string) => `AKID%2F20240101%2Fus-east-1%2F${service}%2Faws4_request`;
      assert.equal(isS3Request(request({ url: `/b/k?X-Amz-Credential=${credential('s3')}` })), true);
      assert.equal(isS3Request(request({ url: `/b/k?X-Amz-Credential=${credential('sqs')}` })), false);
    });

    it('refuses JSON protocol requests (X-Amz-Target)', () => {
      assert.equal(
        isS3Request(request({ method: 'POST', headers: { 'x-amz-target': 'AWSEvents.PutEvents' } })),
        false,
      );
    });

    it('refuses Query protocol requests by their Action, in the body or the query string', () => {
      const form = request({
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body: Buffer.from('Action=Publish&TopicArn=arn'),
      });
      assert.equal(isS3Request(form), false);
      assert.equal(isS3Request(request({ url: '/?Action=ListQueues' })), false);
    });

    it("refuses Lambda's and API Gateway's REST paths when unsigned", () => {
      assert.equal(
        isS3Request(request({ method: 'POST', url: '/2015-03-31/functions/f/invocations' })),
        false,
      );
      assert.equal(isS3Request(request({ method: 'POST', url: '/@connections/abc' })), false);
    });

    it('claims unsigned path-style requests', () => {
      assert.equal(isS3Request(request({ url: '/bucket/key' })), true);
      assert.equal(isS3Request(request({ url: '/' })), true);
    });
  });

  describe('bucket and key', () => {
    it('reads path-style addresses and decodes the key', () => {
      assert.deepEqual(addressOf(request({ url: '/' })), {});
      assert.deepEqual(addressOf(request({ url: '/bucket' })), { bucket: 'bucket' });
      assert.deepEqual(addressOf(request({ url: '/bucket/' })), { bucket: 'bucket', key: undefined });
      assert.deepEqual(addressOf(request({ url: '/bucket/a%20b/c%2Bd' })), {
        bucket: 'bucket',
        key: 'a b/c+d',
      });
      assert.deepEqual(addressOf(request({ url: '/bucket//lead' })), { bucket: 'bucket', key: '/lead' });
    });

    it('refuses a path whose percent-encoding does not decode (InvalidURI)', () => {
      for (const url of ['/bucket/a%zz', '/bucket/%C3', '/b%zz/key']) {
        assert.throws(() => addressOf(request({ url })), { code: 'InvalidURI', statusCode: 400 }, url);
      }
    });

    it('reads virtual-hosted-style addresses from the Host header', () => {
      const at = (host: string, url = '/k') => addressOf(request({ url, headers: { host } }));
      assert.deepEqual(at('photos.s3.us-east-1.amazonaws.com'), { bucket: 'photos', key: 'k' });
      assert.deepEqual(at('my.dotted.bucket.s3.amazonaws.com'), { bucket: 'my.dotted.bucket', key: 'k' });
      assert.deepEqual(at('photos.s3-eu-west-1.amazonaws.com'), { bucket: 'photos', key: 'k' });
      assert.deepEqual(at('photos.s3.localhost.localstack.cloud:4566'), { bucket: 'photos', key: 'k' });
      assert.deepEqual(at('photos.localhost:4566', '/'), { bucket: 'photos', key: undefined });
    });

    it('treats service hosts and IP addresses as path-style', () => {
      const at = (host: string) => addressOf(request({ url: '/photos/k', headers: { host } }));
      assert.deepEqual(at('s3.amazonaws.com'), { bucket: 'photos', key: 'k' });
      assert.deepEqual(at('s3.us-west-2.amazonaws.com'), { bucket: 'photos', key: 'k' });
      assert.deepEqual(at('localhost:4566'), { bucket: 'photos', key: 'k' });
      assert.deepEqual(at('127.0.0.1:4566'), { bucket: 'photos', key: 'k' });
    });

    it('finds the access key of SigV4, SigV2 and presigned requests', () => {
      assert.equal(accessKeyOf(request({ headers: { authorization: signedFor('s3') } })), 'AKID');
      assert.equal(accessKeyOf(request({ headers: { authorization: 'AWS OLDKEY:sig' } })), 'OLDKEY');
      assert.equal(
        accessKeyOf(request({ url: '/b/k?X-Amz-Credential=PRE%2F20240101%2Fus-east-1%2Fs3' })),
        'PRE',
      );
      assert.equal(accessKeyOf(request()), undefined);
    });
  });
});
