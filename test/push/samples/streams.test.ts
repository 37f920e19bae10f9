import { strict as assert } from 'node:assert';
import type { DynamoDBStreamEvent, KinesisStreamEvent, MSKEvent, SelfManagedKafkaEvent } from 'aws-lambda';
import { sourceInvocation } from '../../../src/classify/origin';
import {
  kafkaEvent,
  mqEvent,
  type ActiveMQEvent,
  type RabbitMQEvent,
} from '../../../src/push/samples/brokers';
import { dynamodbEvent, kinesisEvent, marshall } from '../../../src/push/samples/streams';
import { service, sourceOf } from './helpers';

const withResources = (events: unknown[], resources: Record<string, unknown>) => ({
  ...service(events),
  resources,
});

describe('push/samples streams and brokers', () => {
  describe('kinesis', () => {
    const config = withResources([{ stream: { arn: { 'Fn::GetAtt': ['Clicks', 'Arn'] } } }], {
      Clicks: { Type: 'AWS::Kinesis::Stream', Properties: { Name: 'clicks', ShardCount: 1 } },
    });

    it('sends one record with the data in base64', () => {
      const { spec, context, sample } = sourceOf('stream', config);
      const event: KinesisStreamEvent = kinesisEvent(spec, context());
      const [record] = event.Records;
      assert.equal(record.eventSource, 'aws:kinesis');
      assert.equal(record.eventName, 'aws:kinesis:record');
      assert.equal(record.eventSourceARN, 'arn:aws:kinesis:us-east-1:000000000000:stream/clicks');
      assert.equal(record.invokeIdentityArn, 'arn:aws:iam::000000000000:role/svc-dev-us-east-1-lambdaRole');
      assert.match(record.kinesis.sequenceNumber, /^\d{56}$/);
      assert.equal(record.eventID, `shardId-000000000000:${record.kinesis.sequenceNumber}`);
      assert.equal(record.kinesis.approximateArrivalTimestamp, 1714979289.123);
      assert.deepEqual(JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString()), {
        message: 'Hello from Kinesis!',
      });
      assert.deepEqual(sample(), event);
    });

    it('puts the overrides in the data', () => {
      const { sample } = sourceOf('stream', config);
      const { data } = (sample('raw') as KinesisStreamEvent).Records[0].kinesis;
      assert.equal(Buffer.from(data, 'base64').toString(), 'raw');
    });
  });

  describe('dynamodb', () => {
    const table = (viewType: string) =>
      withResources([{ stream: { type: 'dynamodb', arn: { 'Fn::GetAtt': ['Orders', 'StreamArn'] } } }], {
        Orders: {
          Type: 'AWS::DynamoDB::Table',
          Properties: { TableName: 'orders', StreamSpecification: { StreamViewType: viewType } },
        },
      });

    it("sends an INSERT with the new item as the table's stream shows it", () => {
      const { spec, context, sample } = sourceOf('stream', table('NEW_AND_OLD_IMAGES'));
      const event: DynamoDBStreamEvent = dynamodbEvent(spec, context());
      const [record] = event.Records;
      assert.equal(record.eventName, 'INSERT');
      assert.equal(record.eventSource, 'aws:dynamodb');
      assert.equal(record.eventVersion, '1.1');
      assert.match(
        record.eventSourceARN ?? '',
        /^arn:aws:dynamodb:us-east-1:000000000000:table\/orders\/stream\//,
      );
      assert.equal(record.dynamodb?.StreamViewType, 'NEW_AND_OLD_IMAGES');
      assert.equal(record.dynamodb?.ApproximateCreationDateTime, 1714979289);
      assert.deepEqual(record.dynamodb?.Keys, { id: record.dynamodb?.NewImage?.id });
      assert.equal(record.dynamodb?.OldImage, undefined);
      assert.deepEqual(sample(), event);
    });

    it('marshals the overrides as the new item, and shows only keys for KEYS_ONLY', () => {
      const { sample } = sourceOf('stream', table('KEYS_ONLY'));
      const { dynamodb } = (sample({ pk: 'o-1', total: 12.5, tags: ['a'] }) as DynamoDBStreamEvent)
        .Records[0];
      assert.deepEqual(dynamodb?.Keys, { pk: { S: 'o-1' } });
      assert.equal(dynamodb?.NewImage, undefined);
      assert.deepEqual(marshall({ a: null, b: true, c: { d: 1 } }), {
        M: { a: { NULL: true }, b: { BOOL: true }, c: { M: { d: { N: '1' } } } },
      });
    });

    it("is invoked synchronously, by Lambda's poller", () => {
      assert.equal(sourceInvocation(sourceOf('stream', table('NEW_IMAGE')).spec).type, 'RequestResponse');
    });
  });

  describe('kafka and Amazon MQ', () => {
    it('sends MSK records grouped by topic and partition', () => {
      const { spec, context, sample } = sourceOf(
        'msk',
        service([
          { msk: { arn: 'arn:aws:kafka:us-east-1:000000000000:cluster/demo/abc-1', topic: 'orders' } },
        ]),
      );
      const event: MSKEvent = kafkaEvent(spec, context()) as MSKEvent;
      assert.equal(event.eventSource, 'aws:kafka');
      assert.equal(event.records['orders-0'][0].topic, 'orders');
      assert.match(event.bootstrapServers, /^b-1\.demo\./);
      assert.deepEqual(sample(), event);
    });

    it('sends self-managed Kafka records with its bootstrap servers', () => {
      const { sample } = sourceOf(
        'kafka',
        service([
          {
            kafka: {
              topic: 't',
              bootstrapServers: ['broker:9092'],
              accessConfigurations: { saslScram512Auth: 'arn:aws:secretsmanager:us-east-1:0:secret:s' },
            },
          },
        ]),
      );
      const event = sample({ n: 1 }) as SelfManagedKafkaEvent;
      assert.equal(event.eventSource, 'SelfManagedKafka');
      assert.equal(Buffer.from(event.records['t-0'][0].value, 'base64').toString(), '{"n":1}');
    });

    it('sends ActiveMQ and RabbitMQ messages', () => {
      const activemq = sourceOf(
        'activemq',
        service([
          { activemq: { arn: 'arn:aws:mq:us-east-1:0:broker:b:b-1', queue: 'jobs', basicAuthArn: 'arn:s' } },
        ]),
      );
      const amq: ActiveMQEvent = mqEvent(activemq.spec, activemq.context()) as ActiveMQEvent;
      assert.equal(amq.eventSource, 'aws:mq');
      assert.equal(amq.messages[0].destination.physicalName, 'jobs');
      const rabbitmq = sourceOf(
        'rabbitmq',
        service([
          { rabbitmq: { arn: 'arn:aws:mq:us-east-1:0:broker:r:b-2', queue: 'jobs', basicAuthArn: 'arn:s' } },
        ]),
      );
      const rmq: RabbitMQEvent = mqEvent(rabbitmq.spec, rabbitmq.context()) as RabbitMQEvent;
      assert.equal(rmq.eventSource, 'aws:rmq');
      assert.deepEqual(Object.keys(rmq.rmqMessagesByQueue), ['jobs::/']);
    });
  });
});
