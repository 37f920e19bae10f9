import {
  CreateBucketCommand,
  DeleteBucketCommand,
  GetBucketLocationCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { rejection, startS3, type S3Harness } from './helpers';

describe('S3 buckets', () => {
  let s3h: S3Harness;
  let s3: S3Client;

  beforeEach(async () => {
    s3h = await startS3({ buckets: ['from-model', 'from-model'] });
    s3 = s3h.client();
  });
  afterEach(async () => {
    s3.destroy();
    await s3h.dispose();
  });

  it('creates the buckets it is given at start, once each', async () => {
    const { Buckets, Owner } = await s3.send(new ListBucketsCommand({}));
    assert.deepEqual(
      Buckets?.map((b) => b.Name),
      ['from-model'],
    );
    assert.match(Owner?.ID ?? '', /^[0-9a-f]{64}$/);
  });

  it('creates, lists, heads and deletes a bucket', async () => {
    const created = await s3.send(new CreateBucketCommand({ Bucket: 'photos' }));
    assert.equal(created.Location, '/photos');
    const { Buckets } = await s3.send(new ListBucketsCommand({}));
    assert.deepEqual(
      Buckets?.map((b) => b.Name),
      ['from-model', 'photos'],
    );
    assert.ok(Buckets?.[1].CreationDate instanceof Date);
    const head = await s3.send(new HeadBucketCommand({ Bucket: 'photos' }));
    assert.equal(head.BucketRegion, 'us-east-1');
    assert.equal(
      (await s3.send(new DeleteBucketCommand({ Bucket: 'photos' }))).$metadata.httpStatusCode,
      204,
    );
    const missing = await rejection(s3.send(new HeadBucketCommand({ Bucket: 'photos' })));
    assert.equal(missing.status, 404);
    assert.equal(missing.name, 'NotFound');
  });

  it('answers 200 to re-creating an owned bucket in us-east-1, as S3 does for legacy reasons', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'photos' }));
    const again = await s3.send(new CreateBucketCommand({ Bucket: 'photos' }));
    assert.equal(again.$metadata.httpStatusCode, 200);
  });

  it('answers BucketAlreadyOwnedByYou to re-creating an owned bucket in any other region', async () => {
    const eu = await startS3({ region: 'eu-west-1' });
    const client = eu.client();
    try {
      await client.send(
        new CreateBucketCommand({
          Bucket: 'photos',
          CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
        }),
      );
      const again = await rejection(client.send(new CreateBucketCommand({ Bucket: 'photos' })));
      assert.equal(again.name, 'BucketAlreadyOwnedByYou');
      assert.equal(again.status, 409);
      const location = await client.send(new GetBucketLocationCommand({ Bucket: 'photos' }));
      assert.equal(location.LocationConstraint, 'eu-west-1');
    } finally {
      client.destroy();
      await eu.dispose();
    }
  });

  it('keeps the region a CreateBucketConfiguration names, and answers an empty location for us-east-1', async () => {
    await s3.send(
      new CreateBucketCommand({
        Bucket: 'in-paris',
        CreateBucketConfiguration: { LocationConstraint: 'eu-west-3' },
      }),
    );
    assert.equal((await s3.send(new HeadBucketCommand({ Bucket: 'in-paris' }))).BucketRegion, 'eu-west-3');
    const home = await s3.send(new GetBucketLocationCommand({ Bucket: 'from-model' }));
    assert.equal(home.LocationConstraint, undefined);
  });

  it('refuses to delete a bucket that still holds objects (BucketNotEmpty)', async () => {
    await s3.send(new PutObjectCommand({ Bucket: 'from-model', Key: 'k', Body: 'x' }));
    const failure = await rejection(s3.send(new DeleteBucketCommand({ Bucket: 'from-model' })));
    assert.equal(failure.name, 'BucketNotEmpty');
    assert.equal(failure.status, 409);
    assert.equal(failure.error.BucketName, 'from-model');
  });

  it('answers NoSuchBucket with the bucket name in the error document', async () => {
    const response = await fetch(`${s3h.url}/nothing-here?list-type=2`);
    assert.equal(response.status, 404);
    assert.equal(response.headers.get('content-type'), 'application/xml');
    assert.match(response.headers.get('x-amz-request-id') ?? '', /^[0-9A-F]{16}$/);
    const body = await response.text();
    assert.match(body, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>NoSuchBucket<\/Code>/);
    assert.match(
      body,
      /<Message>The specified bucket does not exist<\/Message><BucketName>nothing-here<\/BucketName>/,
    );
    assert.match(
      body,
      new RegExp(`<RequestId>${response.headers.get('x-amz-request-id')}</RequestId><HostId>`),
    );
    const failure = await rejection(s3.send(new ListObjectsV2Command({ Bucket: 'nothing-here' })));
    assert.equal(failure.name, 'NoSuchBucket');
  });

  it('refuses invalid bucket names (InvalidBucketName)', async () => {
    const response = await fetch(`${s3h.url}/Upper_Case`, { method: 'PUT' });
    assert.equal(response.status, 400);
    assert.match(await response.text(), /<Code>InvalidBucketName<\/Code>/);
  });

  it("refuses the names S3 reserves: prefixes xn--, sthree-, amzn-s3-demo- and the access points' and other buckets' suffixes", async () => {
    const failure = await rejection(s3.send(new CreateBucketCommand({ Bucket: 'xn--bucket' })));
    assert.deepEqual([failure.name, failure.status], ['InvalidBucketName', 400]);
    // Raw requests: the SDK routes some of these suffixes (directory buckets) elsewhere itself.
    const reserved = [
      'sthree-bucket',
      'sthree-configurator-x',
      'amzn-s3-demo-bucket',
      'b-s3alias',
      'b--ol-s3',
    ];
    for (const name of [...reserved, 'b.mrap', 'b--usw2-az1--x-s3', 'b--table-s3']) {
      const response = await fetch(`${s3h.url}/${name}`, { method: 'PUT' });
      assert.equal(response.status, 400, name);
      assert.match(
        await response.text(),
        new RegExp(`<Code>InvalidBucketName</Code>.*<BucketName>${name}<`),
        name,
      );
    }
    for (const name of ['xn-bucket', 'my-sthree-bucket', 's3alias-b', 'b-mrap']) {
      assert.equal((await fetch(`${s3h.url}/${name}`, { method: 'PUT' })).status, 200, name);
    }
  });

  it("answers a key whose percent-encoding does not decode with S3's InvalidURI", async () => {
    for (const method of ['GET', 'PUT', 'HEAD', 'DELETE']) {
      const response = await fetch(`${s3h.url}/from-model/a%zz`, {
        method,
        body: method === 'PUT' ? 'x' : undefined,
      });
      assert.equal(response.status, 400, method);
      if (method === 'HEAD') continue;
      assert.match(
        await response.text(),
        /<Code>InvalidURI<\/Code><Message>Couldn&apos;t parse the specified URI.<\/Message><URI>\/from-model\/a%zz<\/URI>/,
      );
    }
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'from-model' }));
    assert.equal(listed.KeyCount, 0);
  });

  it('answers NotImplemented for bucket subresources it does not emulate', async () => {
    const response = await fetch(`${s3h.url}/from-model?website`);
    assert.equal(response.status, 501);
    assert.match(await response.text(), /<Code>NotImplemented<\/Code>/);
  });

  it('answers a virtual-hosted-style client (Host: <bucket>.localhost)', async () => {
    const virtual = s3h.virtualHostedClient();
    try {
      await virtual.send(new CreateBucketCommand({ Bucket: 'hosted' }));
      await virtual.send(new PutObjectCommand({ Bucket: 'hosted', Key: 'dir/file.txt', Body: 'x' }));
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'hosted' }));
      assert.deepEqual(
        listed.Contents?.map((c) => c.Key),
        ['dir/file.txt'],
      );
      assert.equal(
        (await virtual.send(new HeadBucketCommand({ Bucket: 'hosted' }))).$metadata.httpStatusCode,
        200,
      );
    } finally {
      virtual.destroy();
    }
  });

  it('pages ListBuckets by max-buckets and continuation-token, filtered by prefix and bucket-region', async () => {
    for (const Bucket of ['app-a', 'app-b', 'app-c', 'other'])
      await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(
      new CreateBucketCommand({
        Bucket: 'app-eu',
        CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
      }),
    );
    const first = await s3.send(new ListBucketsCommand({ Prefix: 'app-', MaxBuckets: 2 }));
    assert.deepEqual(
      first.Buckets?.map((b) => b.Name),
      ['app-a', 'app-b'],
    );
    assert.equal(first.Prefix, 'app-');
    assert.ok(first.ContinuationToken);
    const second = await s3.send(
      new ListBucketsCommand({ Prefix: 'app-', MaxBuckets: 2, ContinuationToken: first.ContinuationToken }),
    );
    assert.deepEqual(
      second.Buckets?.map((b) => b.Name),
      ['app-c', 'app-eu'],
    );
    assert.equal(second.ContinuationToken, undefined);
    const eu = await s3.send(new ListBucketsCommand({ BucketRegion: 'eu-west-1' }));
    assert.deepEqual(
      eu.Buckets?.map((b) => b.Name),
      ['app-eu'],
    );
    const all = await s3.send(new ListBucketsCommand({}));
    assert.equal(all.Buckets?.length, 6);
    const wrong = await rejection(s3.send(new ListBucketsCommand({ MaxBuckets: 0 })));
    assert.equal(wrong.name, 'InvalidArgument');
  });
});
