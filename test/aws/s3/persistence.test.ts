import {
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ManualClock } from '../../helpers/manual-clock';
import { startS3 } from './helpers';

describe('S3 persistence', () => {
  it('keeps buckets, objects, metadata and uploads in progress across a new service on the same state', async () => {
    const first = await startS3({ buckets: ['from-model'] });
    const s3 = first.client();
    await s3.send(new CreateBucketCommand({ Bucket: 'made-by-api' }));
    await s3.send(
      new PutObjectCommand({
        Bucket: 'made-by-api',
        Key: 'kept/one.json',
        Body: '{"a":1}',
        ContentType: 'application/json',
        Metadata: { origin: 'first' },
      }),
    );
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: 'from-model', Key: 'half' }),
    );
    await s3.send(
      new UploadPartCommand({ Bucket: 'from-model', Key: 'half', UploadId, PartNumber: 1, Body: 'p1' }),
    );
    s3.destroy();
    await first.stop();

    const second = await startS3({ stateDir: first.stateDir, buckets: ['from-model'] });
    const again = second.client();
    try {
      const { Buckets } = await again.send(new ListBucketsCommand({}));
      assert.deepEqual(
        Buckets?.map((b) => b.Name),
        ['from-model', 'made-by-api'],
      );
      const got = await again.send(new GetObjectCommand({ Bucket: 'made-by-api', Key: 'kept/one.json' }));
      assert.equal(await got.Body?.transformToString(), '{"a":1}');
      assert.equal(got.ContentType, 'application/json');
      assert.deepEqual(got.Metadata, { origin: 'first' });
      const parts = await again.send(new ListPartsCommand({ Bucket: 'from-model', Key: 'half', UploadId }));
      assert.deepEqual(
        parts.Parts?.map((p) => p.Size),
        [2],
      );
    } finally {
      again.destroy();
      await second.dispose();
    }
  });

  it('stores a large object in a file under the data folder, a small one in its row, and drops files a killed write left unrecorded', async () => {
    const first = await startS3({ buckets: ['files'] });
    const s3 = first.client();
    const large = (n: number) => Buffer.alloc(64 * 1024 + n, 'x');
    await s3.send(new PutObjectCommand({ Bucket: 'files', Key: 'a', Body: large(1) }));
    await s3.send(new PutObjectCommand({ Bucket: 'files', Key: 'a', Body: large(2) }));
    await s3.send(new PutObjectCommand({ Bucket: 'files', Key: 'b', Body: large(3) }));
    await s3.send(new PutObjectCommand({ Bucket: 'files', Key: 'small', Body: 'tiny' }));
    s3.destroy();
    await first.stop();
    const objects = path.join(first.stateDir, 's3', 'objects');
    assert.equal(readdirSync(objects).length, 2);
    writeFileSync(path.join(objects, 'orphan'), 'renamed but never recorded');
    writeFileSync(path.join(first.stateDir, 's3', 'tmp', 'partial'), 'half written');

    const second = await startS3({ stateDir: first.stateDir });
    const again = second.client();
    try {
      assert.equal(readdirSync(objects).length, 2);
      assert.deepEqual(readdirSync(path.join(first.stateDir, 's3', 'tmp')), []);
      const listed = await again.send(new ListObjectsV2Command({ Bucket: 'files' }));
      assert.deepEqual(
        listed.Contents?.map((c) => [c.Key, c.Size]),
        [
          ['a', 64 * 1024 + 2],
          ['b', 64 * 1024 + 3],
          ['small', 4],
        ],
      );
      const small = await again.send(
        new GetObjectCommand({ Bucket: 'files', Key: 'small', Range: 'bytes=1-2' }),
      );
      assert.equal(await small.Body?.transformToString(), 'in');
    } finally {
      again.destroy();
      await second.dispose();
    }
  });

  it('keeps sequencers growing across a restart, even when the clock does not', async () => {
    const clock = new ManualClock(Date.parse('2024-01-01T00:00:00Z'));
    const notifications = [
      { bucket: 'seq', event: 's3:ObjectCreated:*', functionArn: 'arn', configurationId: 'c' },
    ];
    const first = await startS3({ buckets: ['seq'], notifications, clock });
    const s3 = first.client();
    await s3.send(new PutObjectCommand({ Bucket: 'seq', Key: 'k', Body: 'x' }));
    s3.destroy();
    await first.stop();
    const second = await startS3({ stateDir: first.stateDir, buckets: ['seq'], notifications, clock });
    const again = second.client();
    try {
      await again.send(new PutObjectCommand({ Bucket: 'seq', Key: 'k', Body: 'y' }));
      const before = first.deliveries[0].payload.Records[0].s3.object.sequencer;
      const after = second.deliveries[0].payload.Records[0].s3.object.sequencer;
      assert.ok(after > before, `${after} > ${before}`);
    } finally {
      again.destroy();
      await second.dispose();
    }
  });
});
