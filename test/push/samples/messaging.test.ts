import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import type { SNSEvent, SQSEvent } from 'aws-lambda';
import { compilePattern } from '../../../src/filter/event-pattern';
import { sourceInvocation } from '../../../src/classify/origin';
import { snsEvent, sqsEvent } from '../../../src/push/samples/messaging';
import { service, sourceOf } from './helpers';

describe('push/samples messaging', () => {
  describe('sns', () => {
    it("sends one Notification of the topic to the function's subscription", () => {
      const { spec, context, sample } = sourceOf('sns', service([{ sns: 'orders' }]));
      const event: SNSEvent = snsEvent(spec, context());
      const [record] = event.Records;
      assert.equal(record.EventSource, 'aws:sns');
      assert.equal(record.EventVersion, '1.0');
      assert.match(record.EventSubscriptionArn, /^arn:aws:sns:us-east-1:000000000000:orders:[0-9a-f-]{36}$/);
      assert.equal(record.Sns.Type, 'Notification');
      assert.equal(record.Sns.TopicArn, 'arn:aws:sns:us-east-1:000000000000:orders');
      assert.equal(record.Sns.Timestamp, '2024-05-06T07:08:09.123Z');
      assert.equal(record.Sns.Subject, null);
      assert.equal(typeof record.Sns.Message, 'string');
      assert.deepEqual(sample(), event);
    });

    it('sends the overrides as the message, JSON unless text', () => {
      const { sample } = sourceOf('sns', service([{ sns: 'orders' }]));
      assert.equal((sample({ id: 1 }) as SNSEvent).Records[0].Sns.Message, '{"id":1}');
      assert.equal((sample('plain') as SNSEvent).Records[0].Sns.Message, 'plain');
    });

    it("sends attributes the subscription's filter policy accepts", () => {
      const filterPolicy = { kind: ['big'], amount: [{ numeric: ['>', 10] }] };
      const { sample } = sourceOf('sns', service([{ sns: { topicName: 'orders', filterPolicy } }]));
      const attributes = (sample() as SNSEvent).Records[0].Sns.MessageAttributes;
      assert.deepEqual(attributes, {
        kind: { Type: 'String', Value: 'big' },
        amount: { Type: 'Number', Value: '11' },
      });
    });

    it('sends a body a MessageBody filter policy accepts', () => {
      const filterPolicy = { order: { status: ['paid'] } };
      const { sample } = sourceOf(
        'sns',
        service([{ sns: { topicName: 'orders', filterPolicy, filterPolicyScope: 'MessageBody' } }]),
      );
      const message = JSON.parse((sample() as SNSEvent).Records[0].Sns.Message);
      assert.equal(compilePattern(filterPolicy)(message), true);
    });

    it('is invoked asynchronously, as SNS does', () => {
      assert.equal(sourceInvocation(sourceOf('sns', service([{ sns: 'orders' }])).spec).type, 'Event');
    });
  });

  describe('sqs', () => {
    const queue = (name: string, fifo = false) => ({
      functions: {
        fn: { handler: 'h.main', events: [{ sqs: { arn: { 'Fn::GetAtt': ['Queue', 'Arn'] } } }] },
      },
      resources: {
        Queue: {
          Type: 'AWS::SQS::Queue',
          Properties: { QueueName: name, ...(fifo ? { FifoQueue: true } : {}) },
        },
      },
    });

    it('sends one message of the queue as the poller delivers it', () => {
      const { spec, context, sample } = sourceOf('sqs', queue('jobs'));
      const event: SQSEvent = sqsEvent(spec, context());
      const [record] = event.Records;
      assert.equal(record.eventSource, 'aws:sqs');
      assert.equal(record.eventSourceARN, 'arn:aws:sqs:us-east-1:000000000000:jobs');
      assert.equal(record.awsRegion, 'us-east-1');
      assert.equal(record.md5OfBody, createHash('md5').update(record.body).digest('hex'));
      assert.equal(record.attributes.ApproximateReceiveCount, '1');
      assert.equal(record.attributes.SentTimestamp, '1714979289123');
      assert.equal(record.attributes.MessageGroupId, undefined);
      assert.deepEqual(record.messageAttributes, {});
      assert.deepEqual(sample(), event);
    });

    it('adds the FIFO attributes for a FIFO queue', () => {
      const { sample } = sourceOf('sqs', queue('jobs.fifo', true));
      const { attributes } = (sample() as SQSEvent).Records[0];
      assert.equal(attributes.MessageGroupId, 'sample-group');
      assert.match(attributes.SequenceNumber ?? '', /^\d{20}$/);
      assert.match(attributes.MessageDeduplicationId ?? '', /^[0-9a-f]{64}$/);
    });

    it('sends the overrides as the body, or a body the filter pattern accepts', () => {
      const { sample } = sourceOf('sqs', queue('jobs'));
      assert.equal((sample({ a: 1 }) as SQSEvent).Records[0].body, '{"a":1}');
      const filtered = sourceOf(
        'sqs',
        service([
          {
            sqs: {
              arn: 'arn:aws:sqs:us-east-1:000000000000:q',
              filterPatterns: [{ body: { type: ['job'] } }],
            },
          },
        ]),
      );
      assert.deepEqual(JSON.parse((filtered.sample() as SQSEvent).Records[0].body), { type: 'job' });
    });

    it("is invoked synchronously, by Lambda's poller", () => {
      assert.equal(sourceInvocation(sourceOf('sqs', queue('jobs')).spec).type, 'RequestResponse');
    });
  });
});
