import {
  CreateEventBusCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  type Target,
} from '@aws-sdk/client-eventbridge';
import { CreateStreamCommand, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-kinesis';
import { CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { strict as assert } from 'node:assert';
import { rulesFromModel } from '../../../src/aws/events/model-rules';
import { modelOf } from '../../helpers/service';
import { arnOf, startEvents, type RunningEvents } from './helpers';

const PATTERN = JSON.stringify({ source: ['shop.orders'] });
const DETAIL = { order: { id: 7 }, customer: 'c-42' };
const order = (EventBusName?: string) =>
  new PutEventsCommand({
    Entries: [{ Source: 'shop.orders', DetailType: 'Order', Detail: JSON.stringify(DETAIL), EventBusName }],
  });

describe('aws/events delivery to SQS, SNS, Kinesis and other buses', () => {
  let events: RunningEvents;

  beforeEach(async () => {
    events = await startEvents();
  });

  afterEach(() => events.stop());

  const queue = async (name: string, attributes?: Record<string, string>) => {
    const { QueueUrl } = await events.sqs.send(
      new CreateQueueCommand({ QueueName: name, Attributes: attributes }),
    );
    return { url: QueueUrl as string, arn: arnOf('sqs', name) };
  };
  const receive = async (url: string) => {
    const { Messages = [] } = await events.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        AttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    return Messages;
  };
  const rule = async (targets: Target[], EventBusName?: string) => {
    await events.client.send(new PutRuleCommand({ Name: 'orders', EventPattern: PATTERN, EventBusName }));
    return events.client.send(new PutTargetsCommand({ Rule: 'orders', EventBusName, Targets: targets }));
  };
  const eventId = async (EventBusName?: string) => {
    const answer = await events.client.send(order(EventBusName));
    assert.equal(answer.FailedEntryCount, 0);
    return answer.Entries?.[0].EventId as string;
  };

  it('sends the matched event to a standard queue', async () => {
    const orders = await queue('orders');
    await rule([{ Id: 'q', Arn: orders.arn }]);
    const id = await eventId();
    const [message] = await receive(orders.url);
    const event = JSON.parse(message.Body as string);
    assert.equal(event.id, id);
    assert.equal(event.source, 'shop.orders');
    assert.deepEqual(event.detail, DETAIL);
  });

  it("sends a queue the target's Input, InputPath or InputTransformer text", async () => {
    const [constant, part, text] = await Promise.all(['constant', 'part', 'text'].map((name) => queue(name)));
    await rule([
      { Id: 'constant', Arn: constant.arn, Input: '{"constant": "yes"}' },
      { Id: 'part', Arn: part.arn, InputPath: '$.detail.order' },
      {
        Id: 'text',
        Arn: text.arn,
        InputTransformer: { InputPathsMap: { id: '$.detail.order.id' }, InputTemplate: 'Order <id> placed' },
      },
    ]);
    await eventId();
    assert.equal((await receive(constant.url))[0].Body, '{"constant": "yes"}');
    assert.equal((await receive(part.url))[0].Body, '{"id":7}');
    assert.equal((await receive(text.url))[0].Body, 'Order 7 placed');
  });

  it("sends a FIFO queue the event in the target's message group, deduplicated by the event id", async () => {
    const fifo = await queue('orders.fifo', { FifoQueue: 'true' });
    await rule([{ Id: 'fifo', Arn: fifo.arn, SqsParameters: { MessageGroupId: 'shop' } }]);
    const id = await eventId();
    const [message] = await receive(fifo.url);
    assert.equal(message.Attributes?.MessageGroupId, 'shop');
    assert.equal(message.Attributes?.MessageDeduplicationId, id);
    const listed = await events.client.send(new ListTargetsByRuleCommand({ Rule: 'orders' }));
    assert.deepEqual(listed.Targets?.[0].SqsParameters, { MessageGroupId: 'shop' });
  });

  it('publishes the event to a topic', async () => {
    const subscriber = await queue('subscriber');
    const { TopicArn } = await events.sns.send(new CreateTopicCommand({ Name: 'orders' }));
    await events.sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: subscriber.arn }));
    await rule([{ Id: 'topic', Arn: TopicArn, InputPath: '$.detail' }]);
    await eventId();
    const [message] = await receive(subscriber.url);
    const envelope = JSON.parse(message.Body as string);
    assert.equal(envelope.TopicArn, TopicArn);
    assert.deepEqual(JSON.parse(envelope.Message), DETAIL);
  });

  it('puts the event on a stream, keyed by PartitionKeyPath or else by the event id', async () => {
    for (const name of ['keyed', 'unkeyed']) {
      await events.kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 1 }));
    }
    await rule([
      {
        Id: 'keyed',
        Arn: arnOf('kinesis', 'stream/keyed'),
        KinesisParameters: { PartitionKeyPath: '$.detail.customer' },
      },
      { Id: 'unkeyed', Arn: arnOf('kinesis', 'stream/unkeyed') },
    ]);
    const id = await eventId();
    const records = async (StreamName: string) => {
      const { ShardIterator } = await events.kinesis.send(
        new GetShardIteratorCommand({
          StreamName,
          ShardId: 'shardId-000000000000',
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      const { Records = [] } = await events.kinesis.send(new GetRecordsCommand({ ShardIterator }));
      return Records.map((r) => [
        r.PartitionKey,
        JSON.parse(Buffer.from(r.Data as Uint8Array).toString()).id,
      ]);
    };
    assert.deepEqual(await records('keyed'), [['c-42', id]]);
    assert.deepEqual(await records('unkeyed'), [[id, id]]);
  });

  it('puts the event on another bus, whose rules then route it, and forwards it between buses once', async () => {
    const audited = await queue('audited');
    const loopDlq = await queue('loop-dlq');
    await events.client.send(new CreateEventBusCommand({ Name: 'audit' }));
    await rule([{ Id: 'to-audit', Arn: arnOf('events', 'event-bus/audit') }]);
    await rule(
      [
        { Id: 'q', Arn: audited.arn },
        { Id: 'back', Arn: arnOf('events', 'event-bus/default'), DeadLetterConfig: { Arn: loopDlq.arn } },
      ],
      'audit',
    );
    const id = await eventId();
    const messages = await receive(audited.url);
    assert.deepEqual(
      messages.map((m) => JSON.parse(m.Body as string).id),
      [id],
    );
    const [looped] = await receive(loopDlq.url);
    assert.equal(JSON.parse(looped.Body as string).id, id);
  });

  it("sends the event to the target's dead-letter queue, with AWS's attributes, when delivery fails", async () => {
    const failures: string[] = [];
    await events.stop();
    events = await startEvents({ onDeliveryError: (error) => failures.push(String(error)) });
    const dlq = await queue('orders-dlq');
    const missing = arnOf('sqs', 'no-such-queue');
    await rule([{ Id: 'lost', Arn: missing, DeadLetterConfig: { Arn: dlq.arn } }]);
    const id = await eventId();
    const [message] = await receive(dlq.url);
    assert.equal(JSON.parse(message.Body as string).id, id);
    const attributes = Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [name, value.StringValue]),
    );
    assert.deepEqual(attributes, {
      ERROR_CODE: 'NO_RESOURCE',
      ERROR_MESSAGE: 'The specified queue does not exist.',
      RULE_ARN: arnOf('events', 'rule/orders'),
      TARGET_ARN: missing,
    });
    assert.deepEqual(failures, []);
  });

  it('refuses, in FailedEntries, a target the emulator cannot serve, and keeps the others', async () => {
    const orders = await queue('orders');
    const stateMachine = arnOf('states', 'stateMachine:fulfil');
    const answer = await rule([
      { Id: 'sfn', Arn: stateMachine },
      { Id: 'q', Arn: orders.arn },
    ]);
    assert.equal(answer.FailedEntryCount, 1);
    assert.equal(answer.FailedEntries?.[0].TargetId, 'sfn');
    assert.equal(answer.FailedEntries?.[0].ErrorCode, 'ValidationException');
    assert.match(
      answer.FailedEntries?.[0].ErrorMessage ?? '',
      /a states target .*stateMachine:fulfil.* is not emulated/,
    );
    const listed = await events.client.send(new ListTargetsByRuleCommand({ Rule: 'orders' }));
    assert.deepEqual(
      listed.Targets?.map((t) => t.Id),
      ['q'],
    );
  });
});

describe('aws/events AWS::Events::Rule resources and their targets', () => {
  const model = modelOf({
    functions: {},
    resources: {
      Orders: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'orders' } },
      OrdersRule: {
        Type: 'AWS::Events::Rule',
        Properties: {
          EventPattern: { source: ['shop.orders'] },
          Targets: [
            { Id: 'queue', Arn: { 'Fn::GetAtt': ['Orders', 'Arn'] }, InputPath: '$.detail' },
            { Id: 'workflow', Arn: 'arn:aws:states:us-east-1:000000000000:stateMachine:fulfil' },
          ],
        },
      },
    },
  });

  it('delivers to their queue targets and names the targets it cannot serve at start', async () => {
    const lines: string[] = [];
    const events = await startEvents({ rules: rulesFromModel(model), log: (line) => lines.push(line) });
    try {
      assert.equal(lines.length, 1);
      assert.match(
        lines[0],
        /^EventBridge rule OrdersRule, target workflow: a states target .* is not emulated/,
      );
      const { QueueUrl } = await events.sqs.send(new CreateQueueCommand({ QueueName: 'orders' }));
      await events.client.send(order());
      const { Messages = [] } = await events.sqs.send(new ReceiveMessageCommand({ QueueUrl }));
      assert.deepEqual(JSON.parse(Messages[0].Body as string), DETAIL);
      const listed = await events.client.send(new ListTargetsByRuleCommand({ Rule: 'OrdersRule' }));
      assert.deepEqual(
        listed.Targets?.map((t) => t.Id),
        ['queue'],
      );
    } finally {
      await events.stop();
    }
  });
});
