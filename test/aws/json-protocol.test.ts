import { strict as assert } from 'node:assert';
import { startDynamo } from './dynamodb/helpers';
import { startEvents } from './events/helpers';
import { startKinesis } from './kinesis/helpers';
import { startSqs } from './sqs/helpers';

// `{"Name":"` then bytes that are no UTF-8 (a lone continuation byte and an invalid lead byte).
const NOT_UTF8 = Buffer.concat([
  Buffer.from('{"StreamName":"'),
  Buffer.from([0x80, 0xff]),
  Buffer.from('"}'),
]);

const post = (url: string, target: string, version: string) =>
  fetch(url, {
    method: 'POST',
    headers: { 'x-amz-target': target, 'content-type': `application/x-amz-json-${version}` },
    body: NOT_UTF8,
  });

describe('aws/json-protocol: a body that is not UTF-8', () => {
  it('is refused with 400 by every AWS JSON API (SQS: its InvalidParameterValue), never stored with U+FFFD', async () => {
    const kinesis = await startKinesis();
    const events = await startEvents();
    const dynamodb = await startDynamo();
    const sqs = await startSqs();
    try {
      for (const [url, target, version] of [
        [kinesis.url, 'Kinesis_20131202.CreateStream', '1.1'],
        [events.url, 'AWSEvents.CreateEventBus', '1.1'],
        [dynamodb.url, 'DynamoDB_20120810.CreateTable', '1.0'],
        [sqs.url, 'AmazonSQS.CreateQueue', '1.0'],
      ]) {
        const response = await post(url, target, version);
        assert.equal(response.status, 400, target);
        const expected = target.startsWith('AmazonSQS') ? 'InvalidParameterValue' : 'SerializationException';
        const { __type } = (await response.json()) as { __type: string };
        assert.match(__type, new RegExp(`(^|#)${expected}$`), target);
      }
    } finally {
      await Promise.all([kinesis.stop(), events.stop(), dynamodb.stop(), sqs.stop()]);
    }
  });
});
