import { strict as assert } from 'node:assert';
import type { S3Event } from 'aws-lambda';
import { notificationsFromModel } from '../../../src/aws/s3/from-model';
import { sourceInvocation } from '../../../src/classify/origin';
import { eventNameOf, keyFor, s3Event } from '../../../src/push/samples/s3';
import { service, sourceOf } from './helpers';

describe('push/samples s3', () => {
  const config = service([
    {
      s3: { bucket: 'uploads', event: 's3:ObjectCreated:*', rules: [{ prefix: 'in/' }, { suffix: '.csv' }] },
    },
  ]);

  it('sends one S3 record for the bucket, with a key the rules accept', () => {
    const { spec, model, context, sample } = sourceOf('s3', config);
    const event: S3Event = s3Event(spec, context());
    assert.equal(event.Records.length, 1);
    const [record] = event.Records;
    assert.equal(record.eventVersion, '2.1');
    assert.equal(record.eventSource, 'aws:s3');
    assert.equal(record.awsRegion, 'us-east-1');
    assert.equal(record.eventTime, '2024-05-06T07:08:09.123Z');
    assert.equal(record.eventName, 'ObjectCreated:Put');
    assert.equal(record.s3.bucket.name, 'uploads');
    assert.equal(record.s3.bucket.arn, 'arn:aws:s3:::uploads');
    assert.equal(record.s3.object.key, 'in/sample.csv');
    assert.equal(typeof record.s3.object.size, 'number');
    assert.match(record.s3.object.eTag, /^[0-9a-f]{32}$/);
    assert.match(record.s3.object.sequencer, /^[0-9A-F]{18}$/);
    assert.equal(record.s3.configurationId, notificationsFromModel(model)[0].configurationId);
    assert.deepEqual(sample(), event);
  });

  it('takes the key from the overrides, URL-encoded as S3 sends it', () => {
    const { sample } = sourceOf('s3', config);
    const event = sample('in/red flower.csv') as S3Event;
    assert.equal(event.Records[0].s3.object.key, 'in/red+flower.csv');
  });

  it('sends a removal without size or eTag', () => {
    const { sample } = sourceOf('s3', service([{ s3: { bucket: 'b1', event: 's3:ObjectRemoved:*' } }]));
    const { eventName, s3 } = (sample() as S3Event).Records[0];
    assert.equal(eventName, 'ObjectRemoved:Delete');
    assert.deepEqual(Object.keys(s3.object).sort(), ['key', 'sequencer']);
  });

  it('names the event after the notification type', () => {
    assert.equal(eventNameOf('s3:ObjectCreated:Post'), 'ObjectCreated:Post');
    assert.equal(eventNameOf('s3:ObjectRestore:*'), 'ObjectRestore:Completed');
    assert.equal(keyFor([]), 'sample.json');
  });

  it('is invoked asynchronously, as S3 does', () => {
    assert.equal(sourceInvocation(sourceOf('s3', config).spec).type, 'Event');
  });
});
