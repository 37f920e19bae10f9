import {
  DeleteBucketCorsCommand,
  GetBucketCorsCommand,
  HeadObjectCommand,
  PutBucketCorsCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { strict as assert } from 'node:assert';
import http from 'node:http';
import { S3Harness } from './helpers';

const APP = 'http://app.localhost:5173';
// What a browser adds to a request a page makes to another origin.
const fromPage = (origin: string) => ({ origin, 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'cors' });

describe('aws/s3 CORS, and the endpoint refusing web pages', () => {
  let s3h: S3Harness;
  let client: S3Client;

  beforeEach(async () => {
    s3h = await new S3Harness({ buckets: ['uploads', 'private'] }).start();
    client = s3h.client();
    await client.send(
      new PutBucketCorsCommand({
        Bucket: 'uploads',
        CORSConfiguration: {
          CORSRules: [
            {
              AllowedOrigins: [APP],
              AllowedMethods: ['PUT', 'GET'],
              AllowedHeaders: ['content-type', 'x-amz-*'],
              ExposeHeaders: ['ETag'],
              MaxAgeSeconds: 600,
            },
          ],
        },
      }),
    );
  });

  afterEach(async () => {
    client.destroy();
    await s3h.stop();
  });

  it('stores, answers and deletes a bucket CORS configuration', async () => {
    const { CORSRules } = await client.send(new GetBucketCorsCommand({ Bucket: 'uploads' }));
    assert.deepEqual(CORSRules, [
      {
        AllowedOrigins: [APP],
        AllowedMethods: ['PUT', 'GET'],
        AllowedHeaders: ['content-type', 'x-amz-*'],
        ExposeHeaders: ['ETag'],
        MaxAgeSeconds: 600,
      },
    ]);
    await client.send(new DeleteBucketCorsCommand({ Bucket: 'uploads' }));
    await assert.rejects(client.send(new GetBucketCorsCommand({ Bucket: 'uploads' })), {
      name: 'NoSuchCORSConfiguration',
    });
    await assert.rejects(
      client.send(
        new PutBucketCorsCommand({
          Bucket: 'uploads',
          CORSConfiguration: { CORSRules: [{ AllowedOrigins: ['*'], AllowedMethods: ['PATCH'] }] },
        }),
      ),
      /Unsupported method is PATCH/,
    );
  });

  it('answers a preflight from the first rule that allows its origin, method and headers, as S3 does', async () => {
    const preflight = (bucket: string, origin: string, method = 'PUT') =>
      fetch(`${s3h.url}/${bucket}/photo.jpg`, {
        method: 'OPTIONS',
        headers: {
          ...fromPage(origin),
          'access-control-request-method': method,
          'access-control-request-headers': 'content-type',
        },
      });
    const allowed = await preflight('uploads', APP);
    assert.equal(allowed.status, 200);
    assert.equal(allowed.headers.get('access-control-allow-origin'), APP);
    assert.equal(allowed.headers.get('access-control-allow-methods'), 'PUT, GET');
    assert.equal(allowed.headers.get('access-control-allow-headers'), 'content-type');
    assert.equal(allowed.headers.get('access-control-max-age'), '600');
    assert.equal((await preflight('uploads', 'http://evil.example')).status, 403);
    assert.equal((await preflight('uploads', APP, 'DELETE')).status, 403);
    const disabled = await preflight('private', APP);
    assert.equal(disabled.status, 403);
    assert.match(await disabled.text(), /CORS is not enabled for this bucket/);
  });

  it('serves a page of an allowed origin with the CORS headers, and refuses any other page', async () => {
    const put = (bucket: string, origin: string) =>
      fetch(`${s3h.url}/${bucket}/from-page.txt`, {
        method: 'PUT',
        headers: { ...fromPage(origin), 'content-type': 'text/plain' },
        body: 'hello',
      });
    const allowed = await put('uploads', APP);
    assert.equal(allowed.status, 200);
    assert.equal(allowed.headers.get('access-control-allow-origin'), APP);
    assert.equal(allowed.headers.get('access-control-expose-headers'), 'ETag');
    await client.send(new HeadObjectCommand({ Bucket: 'uploads', Key: 'from-page.txt' }));

    for (const [bucket, origin] of [
      ['uploads', 'http://evil.example'],
      ['private', APP],
    ]) {
      const refused = await put(bucket, origin);
      assert.equal(refused.status, 403);
      assert.match(await refused.text(), /a web page may not use the AWS endpoint/);
    }
    await assert.rejects(client.send(new HeadObjectCommand({ Bucket: 'private', Key: 'from-page.txt' })));
  });

  it('refuses a form a page posts (no preflight), and a request that names a foreign Host', async () => {
    const form = new FormData();
    form.set('key', 'planted.txt');
    form.set('file', new Blob(['x']), 'planted.txt');
    const posted = await fetch(`${s3h.url}/private`, {
      method: 'POST',
      headers: {
        origin: 'http://evil.example',
        'sec-fetch-site': 'cross-site',
        'sec-fetch-mode': 'navigate',
      },
      body: form,
    });
    assert.equal(posted.status, 403);
    await assert.rejects(client.send(new HeadObjectCommand({ Bucket: 'private', Key: 'planted.txt' })));

    const rebound = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = http.get(
        `${s3h.url}/uploads`,
        { headers: { host: `evil.example:${s3h.port}` } },
        (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      request.on('error', reject);
    });
    assert.equal(rebound.status, 403);
    // What an <img> sends to a LAN address: no Origin, no Sec-Fetch-Site, an action in the URL.
    const linked = await fetch(`${s3h.url}/000000000000/jobs?Action=SendMessage&MessageBody=x`);
    assert.equal(linked.status, 403);
    assert.match(rebound.body, /Host is not allowed/);
  });
});
