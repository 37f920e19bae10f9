import {
  AddPermissionCommand,
  ConfirmSubscriptionCommand,
  CreateTopicCommand,
  GetDataProtectionPolicyCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListTagsForResourceCommand,
  PutDataProtectionPolicyCommand,
  RemovePermissionCommand,
  SetTopicAttributesCommand,
  SubscribeCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-sns';
import { strict as assert } from 'node:assert';
import { awsCli, jsonCall, query, startSns, topicArn, type Harness } from './helpers';

describe('aws/sns tags, permissions, data protection and confirmations', () => {
  let sns: Harness;
  let orders: string;

  beforeEach(async () => {
    sns = await startSns();
    orders = (
      await sns.client.send(new CreateTopicCommand({ Name: 'orders', Tags: [{ Key: 'team', Value: 'a' }] }))
    ).TopicArn as string;
  });
  afterEach(() => sns.stop());

  const tags = async (ResourceArn = orders) =>
    (await sns.client.send(new ListTagsForResourceCommand({ ResourceArn }))).Tags;

  it('tags and untags a topic: CreateTopic’s tags, TagResource replacing a key’s value, UntagResource', async () => {
    assert.deepEqual(await tags(), [{ Key: 'team', Value: 'a' }]);
    await sns.client.send(
      new TagResourceCommand({
        ResourceArn: orders,
        Tags: [
          { Key: 'team', Value: 'b' },
          { Key: 'env', Value: 'dev' },
        ],
      }),
    );
    assert.deepEqual(await tags(), [
      { Key: 'team', Value: 'b' },
      { Key: 'env', Value: 'dev' },
    ]);
    await sns.client.send(new UntagResourceCommand({ ResourceArn: orders, TagKeys: ['team'] }));
    assert.deepEqual(await tags(), [{ Key: 'env', Value: 'dev' }]);
    const cli = JSON.parse(
      await awsCli(sns.url, ['sns', 'list-tags-for-resource', '--resource-arn', orders]),
    );
    assert.deepEqual(cli, { Tags: [{ Key: 'env', Value: 'dev' }] });
  });

  it('answers ResourceNotFound for a topic that does not exist and TagLimitExceeded past 50 tags', async () => {
    await assert.rejects(tags(topicArn('nope')), {
      name: 'ResourceNotFoundException',
      message: 'Resource does not exist',
    });
    const many = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await assert.rejects(sns.client.send(new TagResourceCommand({ ResourceArn: orders, Tags: many })), {
      name: 'TagLimitExceededException',
      message: 'Could not complete request: tag quota of per resource exceeded',
    });
    await assert.rejects(
      sns.client.send(new CreateTopicCommand({ Name: 'crowded', Tags: [...many, ...many] })),
      {
        name: 'TagLimitExceededException',
      },
    );
  });

  it('adds and removes statements of the topic’s Policy with AddPermission and RemovePermission', async () => {
    const policy = async () =>
      JSON.parse(
        (await sns.client.send(new GetTopicAttributesCommand({ TopicArn: orders }))).Attributes?.Policy ?? '',
      ) as { Statement: Array<Record<string, unknown>> };
    await sns.client.send(
      new AddPermissionCommand({
        TopicArn: orders,
        Label: 'partners',
        AWSAccountId: ['111122223333'],
        ActionName: ['Publish'],
      }),
    );
    const added = await policy();
    assert.deepEqual(
      added.Statement.map((statement) => statement.Sid),
      ['__default_statement_ID', 'partners'],
    );
    assert.deepEqual(added.Statement[1], {
      Sid: 'partners',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:root' },
      Action: 'SNS:Publish',
      Resource: orders,
    });
    await assert.rejects(
      sns.client.send(
        new AddPermissionCommand({
          TopicArn: orders,
          Label: 'partners',
          AWSAccountId: ['1'],
          ActionName: ['Publish'],
        }),
      ),
      { name: 'InvalidParameterException', message: 'Statement already exists' },
    );
    await assert.rejects(
      sns.client.send(
        new AddPermissionCommand({
          TopicArn: orders,
          Label: 'x',
          AWSAccountId: ['1'],
          ActionName: ['Dance'],
        }),
      ),
      { name: 'InvalidParameterException', message: 'Policy statement action out of service scope!' },
    );
    // The Query form the AWS CLI sends: AWSAccountId.member.N, ActionName.member.N.
    const viaQuery = await query(sns.url, {
      Action: 'AddPermission',
      TopicArn: orders,
      Label: 'two',
      'AWSAccountId.member.1': '111122223333',
      'AWSAccountId.member.2': '444455556666',
      'ActionName.member.1': 'Subscribe',
      'ActionName.member.2': 'Receive',
    });
    assert.equal(viaQuery.status, 200, viaQuery.text);
    assert.deepEqual((await policy()).Statement[2].Action, ['SNS:Subscribe', 'SNS:Receive']);
    await sns.client.send(new RemovePermissionCommand({ TopicArn: orders, Label: 'partners' }));
    await sns.client.send(new RemovePermissionCommand({ TopicArn: orders, Label: 'never-added' }));
    assert.deepEqual(
      (await policy()).Statement.map((statement) => statement.Sid),
      ['__default_statement_ID', 'two'],
    );
  });

  it('adds a statement to SNS’s default policy when SetTopicAttributes left an unreadable one', async () => {
    await sns.client.send(
      new SetTopicAttributesCommand({
        TopicArn: orders,
        AttributeName: 'Policy',
        AttributeValue: 'not json',
      }),
    );
    await sns.client.send(
      new AddPermissionCommand({
        TopicArn: orders,
        Label: 'p',
        AWSAccountId: ['111122223333'],
        ActionName: ['Publish'],
      }),
    );
    const { Attributes } = await sns.client.send(new GetTopicAttributesCommand({ TopicArn: orders }));
    const policy = JSON.parse(Attributes?.Policy ?? '') as { Statement: Array<{ Sid: string }> };
    assert.deepEqual(
      policy.Statement.map((statement) => statement.Sid),
      ['__default_statement_ID', 'p'],
    );
  });

  it('keeps a topic’s data protection policy, answering it back as it was put', async () => {
    const get = async () =>
      (await sns.client.send(new GetDataProtectionPolicyCommand({ ResourceArn: orders })))
        .DataProtectionPolicy;
    assert.equal(await get(), undefined);
    const document = JSON.stringify({
      Name: 'pii',
      Version: '2021-06-01',
      Statement: [
        {
          Sid: 'deny',
          DataDirection: 'Inbound',
          Principal: ['*'],
          DataIdentifier: [],
          Operation: { Deny: {} },
        },
      ],
    });
    await sns.client.send(
      new PutDataProtectionPolicyCommand({ ResourceArn: orders, DataProtectionPolicy: document }),
    );
    assert.equal(await get(), document);
    const { Attributes } = await sns.client.send(new GetTopicAttributesCommand({ TopicArn: orders }));
    assert.equal(Attributes?.DataProtectionPolicy, document);
    await assert.rejects(
      sns.client.send(
        new PutDataProtectionPolicyCommand({ ResourceArn: orders, DataProtectionPolicy: '{nope' }),
      ),
      { name: 'InvalidParameterException' },
    );
    await assert.rejects(
      sns.client.send(new GetDataProtectionPolicyCommand({ ResourceArn: topicArn('nope') })),
      { name: 'NotFoundException' },
    );
    const json = await jsonCall(sns.url, 'GetDataProtectionPolicy', { ResourceArn: orders });
    assert.equal(json.body.DataProtectionPolicy, document);
  });

  it('confirms an HTTP subscription with the token the log gives, as ConfirmSubscription does', async () => {
    await sns.client.send(
      new SubscribeCommand({ TopicArn: orders, Protocol: 'https', Endpoint: 'https://example.com/hook' }),
    );
    const token = /ConfirmSubscription token ([0-9a-f]+)/.exec(sns.logs.join('\n'))?.[1] as string;
    assert.ok(token, sns.logs.join('\n'));
    await assert.rejects(
      sns.client.send(new ConfirmSubscriptionCommand({ TopicArn: orders, Token: 'f00d' })),
      {
        name: 'InvalidParameterException',
        message: 'Invalid token',
      },
    );
    await assert.rejects(
      sns.client.send(new ConfirmSubscriptionCommand({ TopicArn: topicArn('nope'), Token: token })),
      {
        name: 'NotFoundException',
        message: 'Topic does not exist',
      },
    );
    const { SubscriptionArn } = await sns.client.send(
      new ConfirmSubscriptionCommand({ TopicArn: orders, Token: token, AuthenticateOnUnsubscribe: 'true' }),
    );
    assert.match(SubscriptionArn ?? '', /^arn:aws:sns:us-east-1:123456789012:orders:/);
    const { Subscriptions } = await sns.client.send(
      new ListSubscriptionsByTopicCommand({ TopicArn: orders }),
    );
    assert.deepEqual(
      Subscriptions?.map((s) => s.SubscriptionArn),
      [SubscriptionArn],
    );
    const { Attributes } = await sns.client.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }));
    assert.deepEqual(Object.keys(Attributes ?? {}), [
      'SubscriptionPrincipal',
      'Owner',
      'RawMessageDelivery',
      'TopicArn',
      'Endpoint',
      'EffectiveDeliveryPolicy',
      'Protocol',
      'PendingConfirmation',
      'ConfirmationWasAuthenticated',
      'SubscriptionArn',
    ]);
    assert.equal(Attributes?.PendingConfirmation, 'false');
    assert.equal(Attributes?.ConfirmationWasAuthenticated, 'true');
    assert.equal(JSON.parse(Attributes?.EffectiveDeliveryPolicy ?? '').healthyRetryPolicy.numRetries, 3);
    const { Attributes: topic } = await sns.client.send(new GetTopicAttributesCommand({ TopicArn: orders }));
    assert.equal(topic?.SubscriptionsConfirmed, '1');
    assert.equal(topic?.SubscriptionsPending, '0');
  });
});
