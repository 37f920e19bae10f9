import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { awsCli, startS3, type S3Harness } from './helpers';

const MiB = 1024 * 1024;

describe('S3 through other clients', () => {
  let s3h: S3Harness;

  beforeEach(async () => {
    s3h = await startS3({
      buckets: ['shared'],
      notifications: [
        { bucket: 'shared', event: 's3:ObjectCreated:*', functionArn: 'arn:fn', configurationId: 'c' },
      ],
    });
  });
  afterEach(async () => {
    await s3h.dispose();
  });

  describe('the aws-sdk v2 S3 client', () => {
    const v2 = () => s3h.v2Client();

    it('puts, gets, heads, copies, lists and deletes objects', async () => {
      const s3 = v2();
      const put = await s3
        .putObject({
          Bucket: 'shared',
          Key: 'v2/a.txt',
          Body: 'from v2',
          ContentType: 'text/plain',
          Metadata: { by: 'v2' },
        })
        .promise();
      assert.equal(put.ETag, `"${createHash('md5').update('from v2').digest('hex')}"`);
      const got = await s3.getObject({ Bucket: 'shared', Key: 'v2/a.txt' }).promise();
      assert.equal(got.Body?.toString(), 'from v2');
      assert.equal(got.ContentType, 'text/plain');
      assert.deepEqual(got.Metadata, { by: 'v2' });
      const range = await s3.getObject({ Bucket: 'shared', Key: 'v2/a.txt', Range: 'bytes=5-' }).promise();
      assert.equal(range.Body?.toString(), 'v2');
      assert.equal(range.ContentRange, 'bytes 5-6/7');
      await s3.copyObject({ Bucket: 'shared', Key: 'v2/b.txt', CopySource: '/shared/v2/a.txt' }).promise();
      // As serverless/examples' aws-node-s3-file-replicator writes it: the slash between bucket and key encoded.
      await s3
        .copyObject({ Bucket: 'shared', Key: 'v2/c.txt', CopySource: encodeURIComponent('shared/v2/a.txt') })
        .promise();
      const v1 = await s3.listObjects({ Bucket: 'shared', Prefix: 'v2/' }).promise();
      assert.deepEqual(
        v1.Contents?.map((c) => c.Key),
        ['v2/a.txt', 'v2/b.txt', 'v2/c.txt'],
      );
      const v2List = await s3.listObjectsV2({ Bucket: 'shared', Delimiter: '/' }).promise();
      assert.deepEqual(
        v2List.CommonPrefixes?.map((p) => p.Prefix),
        ['v2/'],
      );
      const deleted = await s3
        .deleteObjects({ Bucket: 'shared', Delete: { Objects: [{ Key: 'v2/a.txt' }, { Key: 'v2/b.txt' }] } })
        .promise();
      assert.equal(deleted.Deleted?.length, 2);
      const missing = await s3
        .headObject({ Bucket: 'shared', Key: 'v2/a.txt' })
        .promise()
        .catch((error: { code: string; statusCode: number }) => error);
      assert.deepEqual(
        [(missing as { code: string }).code, (missing as { statusCode: number }).statusCode],
        ['NotFound', 404],
      );
      const noKey = await s3
        .getObject({ Bucket: 'shared', Key: 'v2/a.txt' })
        .promise()
        .catch((error: { code: string }) => error);
      assert.equal((noKey as { code: string }).code, 'NoSuchKey');
    });

    it('uploads a large body in parts with upload()', async () => {
      const body = randomBytes(11 * MiB);
      const done = await v2()
        .upload({ Bucket: 'shared', Key: 'v2/big.bin', Body: body }, { partSize: 5 * MiB })
        .promise();
      assert.match(done.ETag, /^"[0-9a-f]{32}-3"$/);
      const s3 = s3h.client();
      try {
        const got = await s3.send(new GetObjectCommand({ Bucket: 'shared', Key: 'v2/big.bin' }));
        assert.ok(Buffer.from((await got.Body?.transformToByteArray()) ?? []).equals(body));
      } finally {
        s3.destroy();
      }
      assert.deepEqual(
        s3h.deliveries.map((d) => d.payload.Records[0].eventName),
        ['ObjectCreated:CompleteMultipartUpload'],
      );
    });

    it('serves presigned URLs', async () => {
      const s3 = v2();
      await s3.putObject({ Bucket: 'shared', Key: 'signed.txt', Body: 'presigned' }).promise();
      const url = s3.getSignedUrl('getObject', { Bucket: 'shared', Key: 'signed.txt', Expires: 60 });
      assert.match(url, /X-Amz-Credential=/);
      const response = await fetch(url);
      assert.equal(await response.text(), 'presigned');
      const putUrl = s3.getSignedUrl('putObject', { Bucket: 'shared', Key: 'uploaded.txt', Expires: 60 });
      assert.equal((await fetch(putUrl, { method: 'PUT', body: 'via url' })).status, 200);
      assert.equal(
        (await s3.getObject({ Bucket: 'shared', Key: 'uploaded.txt' }).promise()).Body?.toString(),
        'via url',
      );
    });
  });

  describe('the AWS CLI v1', function () {
    // Each `aws` run starts a Python interpreter.
    this.timeout(120_000);

    it('makes buckets, copies files both ways (multipart above 8 MB), lists and removes', async () => {
      const small = path.join(s3h.stateDir, 'small.txt');
      const big = path.join(s3h.stateDir, 'big.bin');
      writeFileSync(small, 'hello cli');
      const bigBody = randomBytes(20 * MiB);
      writeFileSync(big, bigBody);
      const run = async (...args: string[]) => {
        const result = await awsCli(s3h, args);
        assert.equal(result.code, 0, `aws ${args.join(' ')}: ${result.stderr}`);
        return result.stdout;
      };
      assert.match(await run('s3', 'mb', 's3://made-by-cli'), /make_bucket: made-by-cli/);
      await run('s3', 'cp', small, 's3://shared/dir/small file.txt');
      await run('s3', 'cp', big, 's3://shared/big.bin');
      assert.match(await run('s3', 'ls'), /\d\d:\d\d:\d\d made-by-cli\n.*shared/s);
      const top = await run('s3', 'ls', 's3://shared/');
      assert.match(top, /PRE dir\//);
      assert.match(top, /20971520 big\.bin/);
      assert.match(await run('s3', 'ls', 's3://shared/', '--recursive'), /9 dir\/small file\.txt/);
      assert.equal(await run('s3', 'cp', 's3://shared/dir/small file.txt', '-'), 'hello cli');
      const down = path.join(s3h.stateDir, 'down.bin');
      await run('s3', 'cp', 's3://shared/big.bin', down);
      assert.ok(readFileSync(down).equals(bigBody));
      const head = JSON.parse(
        await run('s3api', 'head-object', '--bucket', 'shared', '--key', 'big.bin'),
      ) as {
        ETag: string;
        ContentLength: number;
      };
      assert.match(head.ETag, /^"[0-9a-f]{32}-\d+"$/);
      assert.equal(head.ContentLength, bigBody.length);
      const listed = JSON.parse(
        await run('s3api', 'list-objects-v2', '--bucket', 'shared', '--delimiter', '/', '--max-items', '10'),
      ) as { CommonPrefixes: Array<{ Prefix: string }> };
      assert.deepEqual(listed.CommonPrefixes, [{ Prefix: 'dir/' }]);
      const missing = await awsCli(s3h, ['s3api', 'get-object', '--bucket', 'shared', '--key', 'nope', down]);
      assert.notEqual(missing.code, 0);
      assert.match(missing.stderr, /NoSuchKey/);
      assert.match(await run('s3', 'rm', 's3://shared/', '--recursive'), /delete: s3:\/\/shared\/big\.bin/);
      assert.match(await run('s3', 'rb', 's3://made-by-cli'), /remove_bucket: made-by-cli/);
      assert.deepEqual(
        s3h.deliveries.map((d) => [d.payload.Records[0].s3.object.key, d.payload.Records[0].eventName]),
        [
          ['dir/small+file.txt', 'ObjectCreated:Put'],
          ['big.bin', 'ObjectCreated:CompleteMultipartUpload'],
        ],
      );
    });

    it('reads objects the SDK v3 wrote with s3api', async () => {
      const s3 = s3h.client();
      try {
        await s3.send(
          new PutObjectCommand({
            Bucket: 'shared',
            Key: 'k.json',
            Body: '{}',
            ContentType: 'application/json',
          }),
        );
        const head = await s3.send(new HeadObjectCommand({ Bucket: 'shared', Key: 'k.json' }));
        const out = await awsCli(s3h, ['s3api', 'head-object', '--bucket', 'shared', '--key', 'k.json']);
        const parsed = JSON.parse(out.stdout) as { ETag: string; ContentType: string };
        assert.equal(parsed.ETag, head.ETag);
        assert.equal(parsed.ContentType, 'application/json');
      } finally {
        s3.destroy();
      }
    });
  });
});
