import { originText } from '../../../src/classify/origin';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { bucketsFromModel, notificationsFromModel } from '../../../src/aws/s3/from-model';
import type { ServiceModel } from '../../../src/service/model';
import { ManualClock } from '../../helpers/manual-clock';
import { ARN, service } from './fixture';
import { CREDENTIALS, startS3, type S3Harness } from './helpers';

const NOW = new Date('2024-05-06T07:08:09.123Z');
describe('S3 notifications', () => {
  describe('on writes', () => {
    let s3h: S3Harness;
    let s3: S3Client;
    let model: ServiceModel;

    beforeEach(async () => {
      model = service();
      s3h = await startS3({
        buckets: bucketsFromModel(model),
        notifications: notificationsFromModel(model),
        clock: new ManualClock(NOW.getTime()),
      });
      s3 = s3h.client();
    });
    afterEach(async () => {
      s3.destroy();
      await s3h.dispose();
    });

    const put = (Key: string, Body = 'data', Bucket = 'uploads') =>
      s3.send(new PutObjectCommand({ Bucket, Key, Body }));
    const delivered = () =>
      s3h.deliveries.map((d) => [d.functionArn.split('-').pop(), d.payload.Records[0].eventName]);

    it('delivers the S3 event exactly as S3 builds it for a PutObject', async () => {
      const response = await put('incoming/my cat.jpg', 'meow');
      assert.equal(s3h.deliveries.length, 1);
      const [delivery] = s3h.deliveries;
      assert.equal(delivery.functionArn, ARN('onImage'));
      assert.equal(originText(delivery.origin), 's3 uploads ObjectCreated:Put');
      const sequencer = (BigInt(NOW.getTime()) << 16n).toString(16).toUpperCase().padStart(18, '0');
      const expected: S3Event = {
        Records: [
          {
            eventVersion: '2.1',
            eventSource: 'aws:s3',
            awsRegion: 'us-east-1',
            eventTime: '2024-05-06T07:08:09.123Z',
            eventName: 'ObjectCreated:Put',
            userIdentity: { principalId: `AWS:${CREDENTIALS.accessKeyId}` },
            requestParameters: { sourceIPAddress: '127.0.0.1' },
            responseElements: {
              'x-amz-request-id': response.$metadata.requestId ?? '',
              'x-amz-id-2': response.$metadata.extendedRequestId ?? '',
            },
            s3: {
              s3SchemaVersion: '1.0',
              configurationId: notificationsFromModel(model)[0].configurationId,
              bucket: {
                name: 'uploads',
                ownerIdentity: {
                  principalId: delivery.payload.Records[0].s3.bucket.ownerIdentity.principalId,
                },
                arn: 'arn:aws:s3:::uploads',
              },
              object: {
                key: 'incoming/my+cat.jpg',
                size: 4,
                eTag: createHash('md5').update('meow').digest('hex'),
                sequencer,
              },
            },
          },
        ],
      };
      assert.deepEqual(delivery.payload, expected);
      assert.match(delivery.payload.Records[0].s3.bucket.ownerIdentity.principalId, /^A[0-9A-F]{13}$/);
    });

    it('delivers only to notifications whose prefix, suffix and event type match', async () => {
      await put('incoming/cat.png');
      await put('other/cat.jpg');
      await put('incoming/cat.jpg', 'x', 'reports');
      assert.deepEqual(delivered(), []);
      await put('incoming/cat.jpg');
      await put('anything', 'x', 'photos');
      assert.deepEqual(delivered(), [
        ['onImage', 'ObjectCreated:Put'],
        ['onPhoto', 'ObjectCreated:Put'],
      ]);
    });

    it('delivers ObjectCreated:Copy to both the wildcard and the exact pattern', async () => {
      await put('plain.txt');
      await s3.send(
        new CopyObjectCommand({
          Bucket: 'uploads',
          Key: 'incoming/copy.jpg',
          CopySource: 'uploads/plain.txt',
        }),
      );
      assert.deepEqual(delivered(), [
        ['onImage', 'ObjectCreated:Copy'],
        ['onCopy', 'ObjectCreated:Copy'],
      ]);
      assert.equal(originText(s3h.deliveries[1].origin), 's3 uploads ObjectCreated:Copy');
    });

    it('delivers ObjectRemoved:Delete with the key and sequencer only, for objects that existed', async () => {
      await put('doomed.txt');
      await put('doomed 2.txt');
      await s3.send(new DeleteObjectCommand({ Bucket: 'uploads', Key: 'doomed.txt' }));
      await s3.send(new DeleteObjectCommand({ Bucket: 'uploads', Key: 'never-there' }));
      await s3.send(
        new DeleteObjectsCommand({
          Bucket: 'uploads',
          Delete: { Objects: [{ Key: 'doomed 2.txt' }, { Key: 'nope' }] },
        }),
      );
      assert.deepEqual(delivered(), [
        ['onDelete', 'ObjectRemoved:Delete'],
        ['onDelete', 'ObjectRemoved:Delete'],
      ]);
      const objects = s3h.deliveries.map((d) => d.payload.Records[0].s3.object);
      assert.deepEqual(Object.keys(objects[0]).sort(), ['key', 'sequencer']);
      assert.deepEqual(
        objects.map((o) => o.key),
        ['doomed.txt', 'doomed+2.txt'],
      );
    });

    it('delivers ObjectCreated:CompleteMultipartUpload with the multipart ETag, unquoted', async () => {
      const { UploadId } = await s3.send(
        new CreateMultipartUploadCommand({ Bucket: 'uploads', Key: 'incoming/big.jpg' }),
      );
      const part = await s3.send(
        new UploadPartCommand({
          Bucket: 'uploads',
          Key: 'incoming/big.jpg',
          UploadId,
          PartNumber: 1,
          Body: 'only part',
        }),
      );
      const done = await s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: 'uploads',
          Key: 'incoming/big.jpg',
          UploadId,
          MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
        }),
      );
      assert.deepEqual(delivered(), [['onImage', 'ObjectCreated:CompleteMultipartUpload']]);
      const { object } = s3h.deliveries[0].payload.Records[0].s3;
      assert.equal(object.eTag, done.ETag?.replace(/"/g, ''));
      assert.match(object.eTag, /^[0-9a-f]{32}-1$/);
      assert.equal(object.size, 'only part'.length);
    });

    it('gives each event a larger sequencer than the one before, even at the same instant', async () => {
      for (let i = 0; i < 3; i++) await put(`incoming/${i}.jpg`);
      const sequencers = s3h.deliveries.map((d) => d.payload.Records[0].s3.object.sequencer);
      assert.equal(new Set(sequencers).size, 3);
      assert.deepEqual([...sequencers].sort(), sequencers);
    });

    it('answers the write even when a delivery fails, and reports the failure', async () => {
      const failures: string[] = [];
      const failing = await startS3({
        buckets: ['photos'],
        notifications: notificationsFromModel(model),
        deliver: () => Promise.reject(new Error('lambda is down')),
        onDeliveryError: (error, delivery) =>
          failures.push(`${originText(delivery.origin)}: ${(error as Error).message}`),
      });
      const client = failing.client();
      try {
        const response = await client.send(new PutObjectCommand({ Bucket: 'photos', Key: 'k', Body: 'x' }));
        assert.equal(response.$metadata.httpStatusCode, 200);
        assert.deepEqual(failures, ['s3 photos ObjectCreated:Put: lambda is down']);
      } finally {
        client.destroy();
        await failing.dispose();
      }
    });
  });
});
