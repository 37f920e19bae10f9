import {
  CreateTopicCommand,
  PublishCommand,
  SubscribeCommand,
  type MessageAttributeValue,
} from '@aws-sdk/client-sns';
import { strict as assert } from 'node:assert';
import { attributeValues } from '../../../src/aws/sns/filter';
import { functionArn, startSns, type Harness } from './helpers';

describe('aws/sns filter policies', () => {
  let sns: Harness;
  let topic: string;
  let subscribers = 0;

  beforeEach(async () => {
    sns = await startSns();
    topic = (await sns.client.send(new CreateTopicCommand({ Name: 'orders' }))).TopicArn as string;
  });

  afterEach(() => sns.stop());

  /** Subscribes a function with the policy, publishes, and tells whether the function got the message. */
  async function delivered(
    policy: unknown,
    message: { Message?: string; MessageAttributes?: Record<string, MessageAttributeValue> },
    scope?: 'MessageAttributes' | 'MessageBody',
  ): Promise<boolean> {
    const Attributes: Record<string, string> = { FilterPolicy: JSON.stringify(policy) };
    if (scope) Attributes.FilterPolicyScope = scope;
    const endpoint = functionArn(`subscriber-${++subscribers}`);
    await sns.client.send(
      new SubscribeCommand({ TopicArn: topic, Protocol: 'lambda', Endpoint: endpoint, Attributes }),
    );
    const before = sns.lambda.filter((d) => d.functionArn === endpoint).length;
    await sns.client.send(
      new PublishCommand({ TopicArn: topic, Message: message.Message ?? 'm', ...message }),
    );
    return sns.lambda.filter((d) => d.functionArn === endpoint).length > before;
  }

  const string = (StringValue: string) => ({ DataType: 'String', StringValue });
  const number = (StringValue: string) => ({ DataType: 'Number', StringValue });
  const array = (values: unknown[]) => ({ DataType: 'String.Array', StringValue: JSON.stringify(values) });

  describe('with scope MessageAttributes (the default)', () => {
    it('matches exact strings, and any listed value', async () => {
      const policy = { store: ['example_corp', 'other_corp'] };
      assert.equal(await delivered(policy, { MessageAttributes: { store: string('example_corp') } }), true);
      assert.equal(await delivered(policy, { MessageAttributes: { store: string('third_corp') } }), false);
    });

    it('fails a policy key whose attribute is missing, except exists: false', async () => {
      const attributes = { MessageAttributes: { store: string('example_corp') } };
      assert.equal(await delivered({ store: ['example_corp'], event: ['order'] }, attributes), false);
      assert.equal(await delivered({ event: [{ exists: false }] }, attributes), true);
      assert.equal(await delivered({ store: [{ exists: true }] }, attributes), true);
      assert.equal(await delivered({ event: [{ 'anything-but': 'x' }] }, attributes), false);
      assert.equal(await delivered({ store: ['example_corp'] }, {}), false);
    });

    it('compares Number attributes as numbers', async () => {
      const price = (value: string) => ({ MessageAttributes: { price: number(value) } });
      assert.equal(await delivered({ price: [{ numeric: ['>', 100, '<=', 200] }] }, price('150.5')), true);
      assert.equal(await delivered({ price: [{ numeric: ['>', 100, '<=', 200] }] }, price('3.015e2')), false);
      assert.equal(await delivered({ price: [{ numeric: ['=', 301.5] }] }, price('3.015e2')), true);
      assert.equal(await delivered({ price: ['150'] }, price('150')), false);
    });

    it('compares numbers to five digits after the decimal point, as SNS does', async () => {
      const price = (value: string) => ({ MessageAttributes: { price: number(value) } });
      assert.equal(await delivered({ price: [100.123456789] }, price('100.1234567')), true);
      assert.equal(await delivered({ price: [{ numeric: ['=', 100.123456789] }] }, price('100.12345')), true);
      assert.equal(await delivered({ price: [100.12345] }, price('100.12346')), false);
      assert.equal(await delivered({ price: [{ numeric: ['>', 0.29] }] }, price('0.290001')), false);
      assert.equal(await delivered({ price: [{ numeric: ['>=', 0.29] }] }, price('0.29')), true);
      assert.equal(await delivered({ price: [{ 'anything-but': [5.000001] }] }, price('5')), false);
      assert.equal(await delivered({ price: [{ numeric: ['<', -1.5] }] }, price('-1.500001')), true);
      assert.equal(await delivered({ price: [1e9] }, price('1000000000')), true);
      const body = { Message: JSON.stringify({ total: 7.000009 }) };
      assert.equal(await delivered({ total: [7] }, body, 'MessageBody'), true);
    });

    it('refuses a policy number outside -10^9..10^9', async () => {
      for (const value of [1000000000.5, -2e9]) {
        await assert.rejects(
          sns.client.send(
            new SubscribeCommand({
              TopicArn: topic,
              Protocol: 'lambda',
              Endpoint: functionArn('out-of-range'),
              Attributes: { FilterPolicy: JSON.stringify({ price: [{ numeric: ['>', value] }] }) },
            }),
          ),
          {
            name: 'InvalidParameterException',
            message:
              'Invalid parameter: Attributes Reason: FilterPolicy: Value must be between -1.0E9 and 1.0E9, inclusive',
          },
        );
      }
    });

    it('matches a String.Array attribute when any of its values matches', async () => {
      const interests = { MessageAttributes: { interests: array(['soccer', 'rugby', 'hockey']) } };
      assert.equal(await delivered({ interests: ['rugby', 'football'] }, interests), true);
      assert.equal(await delivered({ interests: ['baseball'] }, interests), false);
      assert.equal(await delivered({ interests: [{ prefix: 'hock' }] }, interests), true);
    });

    it('ignores Binary attributes and the message body', async () => {
      const message = {
        Message: '{"store":"example_corp"}',
        MessageAttributes: { store: { DataType: 'Binary', BinaryValue: Buffer.from('example_corp') } },
      };
      assert.equal(await delivered({ store: ['example_corp'] }, message), false);
    });

    it('supports anything-but, prefix, suffix, equals-ignore-case and $or', async () => {
      const event = (value: string) => ({
        MessageAttributes: { event: string(value), source: string('web') },
      });
      assert.equal(
        await delivered({ event: [{ 'anything-but': ['order_cancelled'] }] }, event('order_placed')),
        true,
      );
      assert.equal(
        await delivered({ event: [{ 'anything-but': ['order_placed'] }] }, event('order_placed')),
        false,
      );
      assert.equal(await delivered({ event: [{ prefix: 'order_' }] }, event('order_placed')), true);
      assert.equal(await delivered({ event: [{ suffix: '_placed' }] }, event('order_shipped')), false);
      assert.equal(
        await delivered({ event: [{ 'equals-ignore-case': 'ORDER_PLACED' }] }, event('order_placed')),
        true,
      );
      const or = { $or: [{ event: ['refund'] }, { source: ['web'] }] };
      assert.equal(await delivered(or, event('order_placed')), true);
    });
  });

  describe('with scope MessageBody', () => {
    const body = JSON.stringify({
      store: 'example_corp',
      order: { total: 210.75, items: [{ sku: 'a' }, { sku: 'b' }] },
    });

    it('matches the policy against the parsed message, nested objects included', async () => {
      assert.equal(await delivered({ store: ['example_corp'] }, { Message: body }, 'MessageBody'), true);
      assert.equal(
        await delivered({ order: { total: [{ numeric: ['>', 200] }] } }, { Message: body }, 'MessageBody'),
        true,
      );
      assert.equal(
        await delivered({ order: { items: { sku: ['b'] } } }, { Message: body }, 'MessageBody'),
        true,
      );
      assert.equal(
        await delivered({ order: { total: [{ numeric: ['<', 200] }] } }, { Message: body }, 'MessageBody'),
        false,
      );
      assert.equal(await delivered({ missing: ['x'] }, { Message: body }, 'MessageBody'), false);
    });

    it('does not look at the attributes, and never matches a message that is not a JSON object', async () => {
      const attributes = { store: string('example_corp') };
      assert.equal(
        await delivered(
          { store: ['example_corp'] },
          { Message: '{}', MessageAttributes: attributes },
          'MessageBody',
        ),
        false,
      );
      assert.equal(
        await delivered({ store: ['example_corp'] }, { Message: 'example_corp' }, 'MessageBody'),
        false,
      );
      assert.equal(
        await delivered({ store: [{ exists: false }] }, { Message: '["x"]' }, 'MessageBody'),
        false,
      );
    });

    it("uses the subscription protocol's entry of a json-structured message", async () => {
      const Message = JSON.stringify({ default: '{"kind":"default"}', lambda: '{"kind":"lambda"}' });
      const subscribe = (kind: string) =>
        sns.client.send(
          new SubscribeCommand({
            TopicArn: topic,
            Protocol: 'lambda',
            Endpoint: functionArn(kind),
            Attributes: { FilterPolicy: JSON.stringify({ kind: [kind] }), FilterPolicyScope: 'MessageBody' },
          }),
        );
      await subscribe('lambda');
      await subscribe('default');
      await sns.client.send(new PublishCommand({ TopicArn: topic, Message, MessageStructure: 'json' }));
      assert.deepEqual(
        sns.lambda.map((d) => d.functionArn),
        [functionArn('lambda')],
      );
    });
  });

  it('treats an empty policy as no policy', async () => {
    assert.equal(await delivered({}, {}), true);
  });

  it('builds the attribute object: strings, numbers, parsed arrays, no binaries', () => {
    assert.deepEqual(
      attributeValues({
        s: { DataType: 'String', StringValue: 'x' },
        custom: { DataType: 'String.Custom', StringValue: '7' },
        n: { DataType: 'Number', StringValue: '1e3' },
        nums: { DataType: 'Number.Array', StringValue: '[1, 2]' },
        a: { DataType: 'String.Array', StringValue: '["p", 3, true]' },
        bad: { DataType: 'String.Array', StringValue: 'not json' },
        b: { DataType: 'Binary', BinaryValue: 'aGk=' },
      }),
      { s: 'x', custom: '7', n: 1000, nums: [1, 2], a: ['p', 3, true], bad: 'not json' },
    );
  });
});
