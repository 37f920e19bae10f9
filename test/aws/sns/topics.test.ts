import {
  CreateTopicCommand,
  DeleteTopicCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsCommand,
  ListTopicsCommand,
  SetTopicAttributesCommand,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { strict as assert } from 'node:assert';
import { functionArn, startSns, topicArn, type Harness } from './helpers';

describe('aws/sns topics through @aws-sdk/client-sns', () => {
  let sns: Harness;

  beforeEach(async () => {
    sns = await startSns();
  });

  afterEach(() => sns.stop());

  it('creates a topic in the service region and account, and answers the same ARN again', async () => {
    const first = await sns.client.send(new CreateTopicCommand({ Name: 'orders' }));
    assert.equal(first.TopicArn, topicArn('orders'));
    const again = await sns.client.send(new CreateTopicCommand({ Name: 'orders' }));
    assert.equal(again.TopicArn, topicArn('orders'));
    const { Topics } = await sns.client.send(new ListTopicsCommand({}));
    assert.deepEqual(Topics, [{ TopicArn: topicArn('orders') }]);
  });

  it('refuses to create an existing topic again with different attributes or tags', async () => {
    await sns.client.send(
      new CreateTopicCommand({
        Name: 'orders',
        Attributes: { DisplayName: 'Orders' },
        Tags: [{ Key: 'a', Value: '1' }],
      }),
    );
    await sns.client.send(new CreateTopicCommand({ Name: 'orders', Attributes: { DisplayName: 'Orders' } }));
    await assert.rejects(
      sns.client.send(new CreateTopicCommand({ Name: 'orders', Attributes: { DisplayName: 'Other' } })),
      {
        name: 'InvalidParameterException',
        message: 'Invalid parameter: Attributes Reason: Topic already exists with different attributes',
      },
    );
    await assert.rejects(
      sns.client.send(new CreateTopicCommand({ Name: 'orders', Tags: [{ Key: 'a', Value: '2' }] })),
      {
        name: 'InvalidParameterException',
        message: 'Invalid parameter: Tags Reason: Topic already exists with different tags',
      },
    );
  });

  it('creates FIFO topics only with the .fifo suffix and FifoTopic, and reports their attributes', async () => {
    const { TopicArn } = await sns.client.send(
      new CreateTopicCommand({
        Name: 'orders.fifo',
        Attributes: { FifoTopic: 'true', ContentBasedDeduplication: 'true' },
      }),
    );
    assert.equal(TopicArn, topicArn('orders.fifo'));
    const { Attributes } = await sns.client.send(new GetTopicAttributesCommand({ TopicArn }));
    assert.equal(Attributes?.FifoTopic, 'true');
    assert.equal(Attributes?.ContentBasedDeduplication, 'true');
    await assert.rejects(sns.client.send(new CreateTopicCommand({ Name: 'orders.fifo' })), {
      name: 'InvalidParameterException',
      message: 'Invalid parameter: Topic Name',
    });
    await assert.rejects(
      sns.client.send(new CreateTopicCommand({ Name: 'orders', Attributes: { FifoTopic: 'true' } })),
      { name: 'InvalidParameterException', message: /^Fifo Topic names must end with \.fifo/ },
    );
  });

  it('rejects topic names with characters SNS does not allow, and unknown attributes', async () => {
    await assert.rejects(sns.client.send(new CreateTopicCommand({ Name: 'my topic' })), {
      name: 'InvalidParameterException',
      message: 'Invalid parameter: Topic Name',
    });
    await assert.rejects(sns.client.send(new CreateTopicCommand({ Name: 'x'.repeat(257) })), {
      name: 'InvalidParameterException',
    });
    await assert.rejects(
      sns.client.send(new CreateTopicCommand({ Name: 't', Attributes: { Colour: 'red' } })),
      {
        name: 'InvalidParameterException',
        message: 'Invalid parameter: AttributeName',
      },
    );
  });

  it('lists topics 100 at a time with a NextToken', async () => {
    for (let i = 0; i < 105; i++) await sns.client.send(new CreateTopicCommand({ Name: `t${i}` }));
    const first = await sns.client.send(new ListTopicsCommand({}));
    assert.equal(first.Topics?.length, 100);
    assert.equal(first.Topics?.[0].TopicArn, topicArn('t0'));
    assert.ok(first.NextToken);
    const second = await sns.client.send(new ListTopicsCommand({ NextToken: first.NextToken }));
    assert.deepEqual(
      second.Topics?.map((t) => t.TopicArn),
      [100, 101, 102, 103, 104].map((i) => topicArn(`t${i}`)),
    );
    assert.equal(second.NextToken, undefined);
    await assert.rejects(sns.client.send(new ListTopicsCommand({ NextToken: 'not-a-token' })), {
      name: 'InvalidParameterException',
    });
  });

  it("reports a topic's attributes with SNS's defaults and its subscription counts", async () => {
    const { TopicArn } = await sns.client.send(new CreateTopicCommand({ Name: 'orders' }));
    await sns.client.send(new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: functionArn('f') }));
    await sns.client.send(
      new SubscribeCommand({ TopicArn, Protocol: 'https', Endpoint: 'https://example.com/' }),
    );
    const { Attributes } = await sns.client.send(new GetTopicAttributesCommand({ TopicArn }));
    assert.equal(Attributes?.TopicArn, TopicArn);
    assert.equal(Attributes?.Owner, '123456789012');
    assert.equal(Attributes?.DisplayName, '');
    assert.equal(Attributes?.SubscriptionsConfirmed, '1');
    assert.equal(Attributes?.SubscriptionsPending, '1');
    assert.equal(Attributes?.SubscriptionsDeleted, '0');
    assert.equal(Attributes?.FifoTopic, undefined);
    const policy = JSON.parse(Attributes?.Policy ?? '{}');
    assert.equal(policy.Statement[0].Resource, TopicArn);
    assert.ok(JSON.parse(Attributes?.EffectiveDeliveryPolicy ?? '{}').http);
  });

  it('sets topic attributes, but never FifoTopic after creation', async () => {
    const { TopicArn } = await sns.client.send(new CreateTopicCommand({ Name: 'orders' }));
    await sns.client.send(
      new SetTopicAttributesCommand({ TopicArn, AttributeName: 'DisplayName', AttributeValue: 'Orders' }),
    );
    const { Attributes } = await sns.client.send(new GetTopicAttributesCommand({ TopicArn }));
    assert.equal(Attributes?.DisplayName, 'Orders');
    await assert.rejects(
      sns.client.send(
        new SetTopicAttributesCommand({ TopicArn, AttributeName: 'FifoTopic', AttributeValue: 'true' }),
      ),
      { name: 'InvalidParameterException', message: 'Invalid parameter: AttributeName' },
    );
  });

  it('answers NotFound (404) for a topic that does not exist, and InvalidParameter for a malformed ARN', async () => {
    await assert.rejects(
      sns.client.send(new GetTopicAttributesCommand({ TopicArn: topicArn('nope') })),
      (error) => {
        assert.equal((error as Error).name, 'NotFoundException');
        assert.equal((error as Error).message, 'Topic does not exist');
        assert.equal((error as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode, 404);
        return true;
      },
    );
    await assert.rejects(
      sns.client.send(
        new SetTopicAttributesCommand({
          TopicArn: topicArn('nope'),
          AttributeName: 'DisplayName',
          AttributeValue: 'x',
        }),
      ),
      { name: 'NotFoundException' },
    );
    await assert.rejects(sns.client.send(new GetTopicAttributesCommand({ TopicArn: 'orders' })), {
      name: 'InvalidParameterException',
      message: 'Invalid parameter: TopicArn',
    });
  });

  it('deletes a topic with its subscriptions, and deleting it again is no error', async () => {
    const { TopicArn } = await sns.client.send(new CreateTopicCommand({ Name: 'orders' }));
    await sns.client.send(new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: functionArn('f') }));
    await sns.client.send(new DeleteTopicCommand({ TopicArn }));
    await sns.client.send(new DeleteTopicCommand({ TopicArn }));
    assert.deepEqual((await sns.client.send(new ListTopicsCommand({}))).Topics, []);
    assert.deepEqual((await sns.client.send(new ListSubscriptionsCommand({}))).Subscriptions, []);
  });
});
