import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { bucketsFromModel, notificationsFromModel } from '../../../src/aws/s3/from-model';
import { encodeKey } from '../../../src/aws/s3/notifications';
import { modelOf } from '../../helpers/service';
import { ARN, service } from './fixture';

describe('S3 configuration from the service', () => {
  it('names the buckets of s3 events (with provider.s3 names) and of AWS::S3::Bucket resources', () => {
    // A resource without BucketName is named by its logical id here (src/service/resources.ts).
    assert.deepEqual(bucketsFromModel(service()).sort(), [
      'Unnamed',
      'archive-bucket',
      'photos',
      'reports',
      'uploads',
    ]);
  });

  it("turns each s3 event into a notification with its pattern, rules and the function's ARN", () => {
    const notifications = notificationsFromModel(service());
    assert.deepEqual(
      notifications.map(({ configurationId: _, ...n }) => n),
      [
        {
          bucket: 'uploads',
          event: 's3:ObjectCreated:*',
          prefix: 'incoming/',
          suffix: '.jpg',
          functionArn: ARN('onImage'),
        },
        {
          bucket: 'uploads',
          event: 's3:ObjectRemoved:Delete',
          prefix: undefined,
          suffix: undefined,
          functionArn: ARN('onDelete'),
        },
        {
          bucket: 'uploads',
          event: 's3:ObjectCreated:Copy',
          prefix: undefined,
          suffix: undefined,
          functionArn: ARN('onCopy'),
        },
        {
          bucket: 'photos',
          event: 's3:ObjectCreated:*',
          prefix: undefined,
          suffix: undefined,
          functionArn: ARN('onPhoto'),
        },
        {
          bucket: 'archive-bucket',
          event: 's3:ObjectCreated:*',
          prefix: undefined,
          suffix: undefined,
          functionArn: ARN('onPhoto'),
        },
      ],
    );
    const existingConfig = JSON.stringify({ Event: 's3:ObjectCreated:Copy', Rules: [] });
    assert.equal(
      notifications[2].configurationId,
      `svc-dev-onCopy-${createHash('md5').update(existingConfig).digest('hex')}`,
    );
    assert.match(
      Buffer.from(notifications[0].configurationId, 'base64').toString(),
      /^[0-9a-f]{8}-[0-9a-f]{4}-4/,
    );
    assert.notEqual(notifications[0].configurationId, notifications[3].configurationId);
  });

  it('encodes keys as S3 does in event records: spaces as +, slashes kept, the rest percent-encoded', () => {
    assert.equal(encodeKey('red flower.jpg'), 'red+flower.jpg');
    assert.equal(encodeKey('a/b c+d=e&(1).png'), 'a/b+c%2Bd%3De%26%281%29.png');
    assert.equal(encodeKey('ünï*~_-.'), '%C3%BCn%C3%AF*%7E_-.');
  });

  it('leaves out buckets whose names cannot be known locally', () => {
    const model = modelOf({
      functions: {
        fn: { handler: 'h.h', events: [{ s3: { bucket: { 'Fn::ImportValue': 'OtherStackBucket' } } }] },
      },
    });
    assert.deepEqual(bucketsFromModel(model), []);
    assert.deepEqual(notificationsFromModel(model), []);
  });

  it('names existing-bucket configurations as the framework does, rules included', () => {
    const model = modelOf({
      functions: {
        fn: {
          handler: 'h.h',
          events: [
            { s3: { bucket: 'legacy', existing: true, rules: [{ prefix: 'in/' }, { suffix: '.csv' }] } },
          ],
        },
      },
    });
    const config = JSON.stringify({
      Event: 's3:ObjectCreated:*',
      Rules: [{ Prefix: 'in/' }, { Suffix: '.csv' }],
    });
    assert.deepEqual(notificationsFromModel(model), [
      {
        bucket: 'legacy',
        event: 's3:ObjectCreated:*',
        prefix: 'in/',
        suffix: '.csv',
        functionArn: ARN('fn'),
        configurationId: `svc-dev-fn-${createHash('md5').update(config).digest('hex')}`,
      },
    ]);
  });
});
