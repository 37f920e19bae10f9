import { originText } from '../../../src/classify/origin';
import {
  GetSubscriptionAttributesCommand,
  ListSubscriptionsCommand,
  PublishCommand,
} from '@aws-sdk/client-sns';
import { strict as assert } from 'node:assert';
import { topologyFromModel } from '../../../src/aws/sns/topology';
import { functionArn as lambdaArn } from '../../../src/service/arn';
import { modelOf } from '../../helpers/service';
import { startSns } from './helpers';

const model = modelOf({
  functions: {
    worker: {
      handler: 'h.worker',
      events: [
        { sns: 'orders' },
        {
          sns: {
            topicName: 'audit',
            filterPolicy: { kind: ['refund'] },
            filterPolicyScope: 'MessageBody',
            redrivePolicy: { deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:dlq' },
          },
        },
        { sns: { arn: { Ref: 'Alerts' } } },
        { sns: 'arn:aws:sns:eu-west-1:999999999999:elsewhere' },
      ],
    },
  },
  resources: {
    Alerts: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'alerts' } },
    Fifo: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'ledger.fifo', FifoTopic: true } },
    Jobs: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'jobs' } },
    JobsSubscription: {
      Type: 'AWS::SNS::Subscription',
      Properties: {
        TopicArn: { Ref: 'Alerts' },
        Protocol: 'sqs',
        Endpoint: { 'Fn::GetAtt': ['Jobs', 'Arn'] },
        RawMessageDelivery: 'true',
        FilterPolicy: { severity: ['high'] },
      },
    },
  },
});

const arn = (name: string) => `arn:aws:sns:us-east-1:000000000000:${name}`;
const worker = lambdaArn(model, model.functions[0]);

describe('aws/sns topology from the service', () => {
  it('takes topics from resources and sns events, external ARNs included', () => {
    const { topics } = topologyFromModel(model);
    assert.deepEqual(
      topics.map((t) => [t.arn, t.fifo, t.attributes]),
      [
        [arn('alerts'), false, {}],
        [arn('ledger.fifo'), true, { FifoTopic: 'true' }],
        [arn('orders'), false, {}],
        [arn('audit'), false, {}],
        ['arn:aws:sns:eu-west-1:999999999999:elsewhere', false, {}],
      ],
    );
  });

  it("subscribes the function to each sns event's topic, and reads subscription resources", () => {
    const { subscriptions } = topologyFromModel(model);
    assert.equal(worker, 'arn:aws:lambda:us-east-1:000000000000:function:svc-dev-worker');
    assert.deepEqual(subscriptions, [
      { topicArn: arn('orders'), protocol: 'lambda', endpoint: worker, attributes: {} },
      {
        topicArn: arn('audit'),
        protocol: 'lambda',
        endpoint: worker,
        attributes: {
          FilterPolicy: '{"kind":["refund"]}',
          FilterPolicyScope: 'MessageBody',
          RedrivePolicy: '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq"}',
        },
      },
      { topicArn: arn('alerts'), protocol: 'lambda', endpoint: worker, attributes: {} },
      {
        topicArn: 'arn:aws:sns:eu-west-1:999999999999:elsewhere',
        protocol: 'lambda',
        endpoint: worker,
        attributes: {},
      },
      {
        topicArn: arn('alerts'),
        protocol: 'sqs',
        endpoint: 'arn:aws:sqs:us-east-1:000000000000:jobs',
        attributes: {
          FilterPolicy: '{"severity":["high"]}',
          FilterPolicyScope: 'MessageAttributes',
          RawMessageDelivery: 'true',
        },
      },
    ]);
  });

  it('serves the configured topology: publishing to a configured topic invokes the function', async () => {
    const sns = await startSns({ topology: topologyFromModel(model) });
    try {
      await sns.client.send(new PublishCommand({ TopicArn: arn('orders'), Message: 'placed' }));
      await sns.client.send(new PublishCommand({ TopicArn: arn('audit'), Message: '{"kind":"sale"}' }));
      await sns.client.send(new PublishCommand({ TopicArn: arn('audit'), Message: '{"kind":"refund"}' }));
      await sns.client.send(
        new PublishCommand({
          TopicArn: arn('alerts'),
          Message: 'disk full',
          MessageAttributes: { severity: { DataType: 'String', StringValue: 'high' } },
        }),
      );
      assert.deepEqual(
        sns.lambda.map((d) => [
          d.functionArn,
          originText(d.origin),
          JSON.parse(d.payload).Records[0].Sns.Message,
        ]),
        [
          [worker, 'sns orders', 'placed'],
          [worker, 'sns audit', '{"kind":"refund"}'],
          [worker, 'sns alerts', 'disk full'],
        ],
      );
      assert.deepEqual(
        sns.queue.map((d) => [d.queueArn, d.body]),
        [['arn:aws:sqs:us-east-1:000000000000:jobs', 'disk full']],
      );
      const { Subscriptions } = await sns.client.send(new ListSubscriptionsCommand({}));
      assert.equal(Subscriptions?.length, 5);
      // The harness's SNS runs as another account than the model's: its topics are in the harness's.
      const audit = Subscriptions?.find((s) => s.TopicArn?.endsWith(':audit'));
      const { Attributes } = await sns.client.send(
        new GetSubscriptionAttributesCommand({ SubscriptionArn: audit?.SubscriptionArn }),
      );
      assert.equal(Attributes?.FilterPolicyScope, 'MessageBody');
    } finally {
      await sns.stop();
    }
  });
});
