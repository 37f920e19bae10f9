import {
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListSubscriptionsCommand,
  SetSubscriptionAttributesCommand,
  SubscribeCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import { strict as assert } from 'node:assert';
import { functionArn, queueArn, startSns, topicArn, type Harness } from './helpers';

describe('aws/sns subscriptions through @aws-sdk/client-sns', () => {
  let sns: Harness;
  let orders: string;

  beforeEach(async () => {
    sns = await startSns();
    orders = (await sns.client.send(new CreateTopicCommand({ Name: 'orders' }))).TopicArn as string;
  });

  afterEach(() => sns.stop());

  const subscribeLambda = (attributes?: Record<string, string>) =>
    sns.client.send(
      new SubscribeCommand({
        TopicArn: orders,
        Protocol: 'lambda',
        Endpoint: functionArn('f'),
        Attributes: attributes,
      }),
    );

  it('subscribes a function and a queue, confirmed at once, with ARNs under the topic', async () => {
    const lambda = await subscribeLambda();
    assert.match(lambda.SubscriptionArn ?? '', /^arn:aws:sns:us-east-1:123456789012:orders:[0-9a-f-]{36}$/);
    const sqs = await sns.client.send(
      new SubscribeCommand({ TopicArn: orders, Protocol: 'sqs', Endpoint: queueArn('jobs') }),
    );
    const { Subscriptions } = await sns.client.send(
      new ListSubscriptionsByTopicCommand({ TopicArn: orders }),
    );
    assert.deepEqual(Subscriptions, [
      {
        SubscriptionArn: lambda.SubscriptionArn,
        Owner: '123456789012',
        Protocol: 'lambda',
        Endpoint: functionArn('f'),
        TopicArn: orders,
      },
      {
        SubscriptionArn: sqs.SubscriptionArn,
        Owner: '123456789012',
        Protocol: 'sqs',
        Endpoint: queueArn('jobs'),
        TopicArn: orders,
      },
    ]);
  });

  it('answers the same subscription for the same endpoint, unless its attributes differ', async () => {
    const first = await subscribeLambda({ FilterPolicy: '{"kind":["a"]}' });
    const again = await subscribeLambda({ FilterPolicy: '{"kind":["a"]}' });
    assert.equal(again.SubscriptionArn, first.SubscriptionArn);
    await assert.rejects(subscribeLambda({ FilterPolicy: '{"kind":["b"]}' }), {
      name: 'InvalidParameterException',
      message: 'Invalid parameter: Attributes Reason: Subscription already exists with different attributes',
    });
  });

  it('leaves HTTP and email subscriptions pending confirmation, as SNS does', async () => {
    const pending = await sns.client.send(
      new SubscribeCommand({ TopicArn: orders, Protocol: 'https', Endpoint: 'https://example.com/hook' }),
    );
    assert.equal(pending.SubscriptionArn, 'pending confirmation');
    const withArn = await sns.client.send(
      new SubscribeCommand({
        TopicArn: orders,
        Protocol: 'email',
        Endpoint: 'me@example.com',
        ReturnSubscriptionArn: true,
      }),
    );
    assert.match(withArn.SubscriptionArn ?? '', /^arn:aws:sns:/);
    const { Attributes } = await sns.client.send(
      new GetSubscriptionAttributesCommand({ SubscriptionArn: withArn.SubscriptionArn }),
    );
    assert.equal(Attributes?.PendingConfirmation, 'true');
    const { Subscriptions } = await sns.client.send(new ListSubscriptionsCommand({}));
    assert.deepEqual(
      Subscriptions?.map((s) => s.SubscriptionArn),
      ['PendingConfirmation', 'PendingConfirmation'],
    );
  });

  it('reports and sets filter policies, their scope, raw delivery and redrive policies', async () => {
    const { SubscriptionArn } = await sns.client.send(
      new SubscribeCommand({
        TopicArn: orders,
        Protocol: 'sqs',
        Endpoint: queueArn('jobs'),
        Attributes: { FilterPolicy: '{"kind":["a"]}', RawMessageDelivery: 'True' },
      }),
    );
    const read = async () =>
      (await sns.client.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }))).Attributes ?? {};
    assert.deepEqual(await read(), {
      SubscriptionPrincipal: 'arn:aws:iam::123456789012:root',
      Owner: '123456789012',
      RawMessageDelivery: 'true',
      TopicArn: orders,
      Endpoint: queueArn('jobs'),
      Protocol: 'sqs',
      PendingConfirmation: 'false',
      ConfirmationWasAuthenticated: 'true',
      SubscriptionArn,
      FilterPolicyScope: 'MessageAttributes',
      FilterPolicy: '{"kind":["a"]}',
    });
    const set = (AttributeName: string, AttributeValue: string) =>
      sns.client.send(
        new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName, AttributeValue }),
      );
    await set('FilterPolicyScope', 'MessageBody');
    await set('RedrivePolicy', JSON.stringify({ deadLetterTargetArn: queueArn('dlq') }));
    await set('RawMessageDelivery', 'false');
    const after = await read();
    assert.equal(after.FilterPolicyScope, 'MessageBody');
    assert.equal(after.RawMessageDelivery, 'false');
    assert.equal(JSON.parse(after.RedrivePolicy).deadLetterTargetArn, queueArn('dlq'));
    await set('FilterPolicy', '');
    assert.equal((await read()).FilterPolicy, undefined);
  });

  it('rejects invalid subscription attributes with the messages SNS uses', async () => {
    await assert.rejects(subscribeLambda({ RawMessageDelivery: 'true' }), {
      name: 'InvalidParameterException',
      message:
        'Invalid parameter: Attributes Reason: Delivery protocol [lambda] does not support raw message delivery.',
    });
    await assert.rejects(subscribeLambda({ FilterPolicy: '{not json' }), {
      message: 'Invalid parameter: Attributes Reason: FilterPolicy: failed to parse JSON.',
    });
    await assert.rejects(subscribeLambda({ FilterPolicyScope: 'Body' }), {
      message:
        'Invalid parameter: Attributes Reason: FilterPolicyScope: Invalid value [Body]. Please use either MessageBody or MessageAttributes',
    });
    await assert.rejects(subscribeLambda({ FilterPolicy: '{"kind":"a"}' }), {
      name: 'InvalidParameterException',
      message: /^Invalid parameter: Attributes Reason: FilterPolicy: /,
    });
    await assert.rejects(subscribeLambda({ Colour: 'red' }), {
      message: 'Invalid parameter: Attributes Reason: AttributeName',
    });
    const { SubscriptionArn } = await subscribeLambda();
    await assert.rejects(
      sns.client.send(
        new SetSubscriptionAttributesCommand({
          SubscriptionArn,
          AttributeName: 'RedrivePolicy',
          AttributeValue: '{}',
        }),
      ),
      { message: 'Invalid parameter: RedrivePolicy: deadLetterTargetArn is an invalid arn' },
    );
  });

  it('rejects unknown protocols, endpoints that are not ARNs and FIFO queues on standard topics', async () => {
    await assert.rejects(
      sns.client.send(new SubscribeCommand({ TopicArn: orders, Protocol: 'pigeon', Endpoint: 'x' })),
      { message: 'Invalid parameter: Amazon SNS does not support this protocol string: pigeon' },
    );
    await assert.rejects(
      sns.client.send(new SubscribeCommand({ TopicArn: orders, Protocol: 'sqs', Endpoint: 'jobs' })),
      {
        message: 'Invalid parameter: SQS endpoint ARN',
      },
    );
    await assert.rejects(
      sns.client.send(
        new SubscribeCommand({ TopicArn: orders, Protocol: 'sqs', Endpoint: queueArn('jobs.fifo') }),
      ),
      {
        message:
          'Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics',
      },
    );
    await assert.rejects(
      sns.client.send(
        new SubscribeCommand({ TopicArn: topicArn('nope'), Protocol: 'sqs', Endpoint: queueArn('q') }),
      ),
      { name: 'NotFoundException', message: 'Topic does not exist' },
    );
  });

  it('unsubscribes, and unsubscribing again is no error; a gone subscription is NotFound', async () => {
    const { SubscriptionArn } = await subscribeLambda();
    await sns.client.send(new UnsubscribeCommand({ SubscriptionArn }));
    await sns.client.send(new UnsubscribeCommand({ SubscriptionArn }));
    assert.deepEqual((await sns.client.send(new ListSubscriptionsCommand({}))).Subscriptions, []);
    await assert.rejects(sns.client.send(new GetSubscriptionAttributesCommand({ SubscriptionArn })), {
      name: 'NotFoundException',
      message: 'Subscription does not exist',
    });
    await assert.rejects(
      sns.client.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn('nope') })),
      {
        name: 'NotFoundException',
      },
    );
  });

  it('lists subscriptions 100 at a time across topics', async () => {
    const other = (await sns.client.send(new CreateTopicCommand({ Name: 'other' }))).TopicArn as string;
    for (let i = 0; i < 101; i++) {
      await sns.client.send(
        new SubscribeCommand({
          TopicArn: i % 2 ? other : orders,
          Protocol: 'sqs',
          Endpoint: queueArn(`q${i}`),
        }),
      );
    }
    const first = await sns.client.send(new ListSubscriptionsCommand({}));
    assert.equal(first.Subscriptions?.length, 100);
    const second = await sns.client.send(new ListSubscriptionsCommand({ NextToken: first.NextToken }));
    assert.deepEqual(
      second.Subscriptions?.map((s) => s.Endpoint),
      [queueArn('q100')],
    );
    const byTopic = await sns.client.send(new ListSubscriptionsByTopicCommand({ TopicArn: other }));
    assert.equal(byTopic.Subscriptions?.length, 50);
    assert.equal(byTopic.NextToken, undefined);
  });
});
