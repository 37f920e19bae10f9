import { originText } from '../../../src/classify/origin';
import {
  DescribeEventBusCommand,
  ListEventBusesCommand,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { strict as assert } from 'node:assert';
import { busesFromModel, rulesFromModel } from '../../../src/aws/events/model-rules';
import { ManualClock } from '../../helpers/manual-clock';
import { modelOf } from '../../helpers/service';
import { ACCOUNT, failure, fnArn, REGION, startEvents, type RunningEvents } from './helpers';

const NOW = new Date('2024-05-06T07:08:09.123Z');

const model = modelOf({
  functions: {
    onOrder: { handler: 'h.order', events: [{ eventBridge: { pattern: { source: ['shop.orders'] } } }] },
    onPayment: {
      handler: 'h.payment',
      events: [
        { eventBridge: { eventBus: 'payments', pattern: { detail: { amount: [{ numeric: ['>', 100] }] } } } },
      ],
    },
    onEc2: {
      handler: 'h.ec2',
      events: [
        {
          cloudwatchEvent: {
            event: { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'] },
          },
        },
      ],
    },
    asInput: {
      handler: 'h.input',
      events: [{ eventBridge: { pattern: { source: ['shop.transform'] }, input: { constant: 'yes' } } }],
    },
    asPath: {
      handler: 'h.path',
      events: [{ eventBridge: { pattern: { source: ['shop.transform'] }, inputPath: '$.detail.order' } }],
    },
    asTemplate: {
      handler: 'h.template',
      events: [
        {
          eventBridge: {
            pattern: { source: ['shop.transform'] },
            inputTransformer: {
              inputPathsMap: { id: '$.detail.order.id', items: '$.detail.order.items' },
              inputTemplate:
                '{"order": <id>, "items": <items>, "rule": <aws.events.rule-name>, "note": "order <id> at <aws.events.event.ingestion-time>"}',
            },
          },
        },
      ],
    },
  },
  resources: { Audit: { Type: 'AWS::Events::EventBus', Properties: { Name: 'audit' } } },
});

const entry = (
  source: string,
  detail: object,
  extra: Partial<PutEventsRequestEntry> = {},
): PutEventsRequestEntry => ({
  Source: source,
  DetailType: 'Test',
  Detail: JSON.stringify(detail),
  ...extra,
});

describe('aws/events the embedded EventBridge through @aws-sdk/client-eventbridge', () => {
  let events: RunningEvents;
  let ids: number;

  beforeEach(async () => {
    ids = 0;
    events = await startEvents({
      rules: rulesFromModel(model),
      buses: busesFromModel(model),
      clock: new ManualClock(NOW.getTime()),
      newId: () => `id-${++ids}`,
    });
  });

  afterEach(() => events.stop());

  it('lists the default bus and the buses the service defines', async () => {
    const { EventBuses } = await events.client.send(new ListEventBusesCommand({}));
    assert.deepEqual(
      EventBuses?.map((bus) => [bus.Name, bus.Arn]),
      ['audit', 'default', 'payments'].map((name) => [
        name,
        `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/${name}`,
      ]),
    );
    const described = await events.client.send(new DescribeEventBusCommand({}));
    assert.equal(described.Name, 'default');
  });

  it('delivers an event, as EventBridge builds it, only to the functions whose rules match', async () => {
    const answer = await events.client.send(
      new PutEventsCommand({
        Entries: [
          entry('shop.orders', { id: 7 }, { Resources: ['arn:aws:s3:::bucket'] }),
          entry('shop.nobody', { id: 8 }),
          entry('aws.ec2', { state: 'running' }, { DetailType: 'EC2 Instance State-change Notification' }),
        ],
      }),
    );
    assert.equal(answer.FailedEntryCount, 0);
    assert.deepEqual(answer.Entries, [{ EventId: 'id-1' }, { EventId: 'id-2' }, { EventId: 'id-3' }]);
    assert.deepEqual(
      events.deliveries.map(({ functionArn, origin }) => [functionArn, originText(origin)]),
      [
        [fnArn('svc-dev-onOrder'), 'eventBridge default svc-dev-onOrder-rule-1'],
        [fnArn('svc-dev-onEc2'), 'cloudwatchEvent default svc-dev-OnEc2EventsRuleCloudWatchEvent1'],
      ],
    );
    assert.deepEqual(events.deliveries[0].payload, {
      version: '0',
      id: 'id-1',
      'detail-type': 'Test',
      source: 'shop.orders',
      account: ACCOUNT,
      time: '2024-05-06T07:08:09Z',
      region: REGION,
      resources: ['arn:aws:s3:::bucket'],
      detail: { id: 7 },
    });
  });

  it('answers an error for each invalid entry and accepts the others', async () => {
    const answer = await events.client.send(
      new PutEventsCommand({
        Entries: [
          { DetailType: 'Test', Detail: '{}' },
          { Source: 'shop.orders', Detail: '{}' },
          { Source: 'shop.orders', DetailType: 'Test' },
          entry('shop.orders', {}, { Detail: '[1, 2]' }),
          entry('shop.orders', {}, { Detail: 'not json' }),
          entry('shop.orders', {}, { EventBusName: 'nowhere' }),
          entry('shop.orders', { ok: true }),
        ],
      }),
    );
    assert.equal(answer.FailedEntryCount, 6);
    assert.deepEqual(answer.Entries, [
      {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.',
      },
      {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.',
      },
      {
        ErrorCode: 'InvalidArgument',
        ErrorMessage: 'Parameter Detail is not valid. Reason: Detail is a required argument.',
      },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'ResourceNotFoundException', ErrorMessage: 'Event bus nowhere does not exist.' },
      { EventId: 'id-1' },
    ]);
    assert.equal(events.deliveries.length, 1);
  });

  it('refuses a request with no entry or more than ten', async () => {
    const none = await failure(events.client.send(new PutEventsCommand({ Entries: [] })));
    assert.equal(none.name, 'ValidationException');
    assert.equal(none.status, 400);
    assert.match(none.message, /Member must have length greater than or equal to 1/);
    const eleven = Array.from({ length: 11 }, () => entry('shop.orders', {}));
    const tooMany = await failure(events.client.send(new PutEventsCommand({ Entries: eleven })));
    assert.equal(tooMany.name, 'ValidationException');
    assert.match(tooMany.message, /Member must have length less than or equal to 10/);
    assert.equal(events.deliveries.length, 0);
  });

  it('routes an event to the rules of its own bus, named or given by ARN', async () => {
    const busArn = `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/payments`;
    await events.client.send(
      new PutEventsCommand({
        Entries: [
          entry('shop.pay', { amount: 500 }),
          entry('shop.pay', { amount: 50 }, { EventBusName: 'payments' }),
          entry('shop.pay', { amount: 150 }, { EventBusName: busArn }),
        ],
      }),
    );
    assert.deepEqual(
      events.deliveries.map((delivery) => [
        originText(delivery.origin),
        (delivery.payload as { detail: unknown }).detail,
      ]),
      [['eventBridge payments svc-dev-onPayment-rule-1', { amount: 150 }]],
    );
  });

  it("delivers a target's input, inputPath or inputTransformer payload instead of the event", async () => {
    const order = { id: 'o-1', items: [{ sku: 'a', qty: 2 }] };
    await events.client.send(new PutEventsCommand({ Entries: [entry('shop.transform', { order })] }));
    const byFunction = Object.fromEntries(
      events.deliveries.map((d) => [d.functionArn.split(':').at(-1), d.payload]),
    );
    assert.deepEqual(byFunction, {
      'svc-dev-asInput': { constant: 'yes' },
      'svc-dev-asPath': order,
      'svc-dev-asTemplate': {
        order: 'o-1',
        items: order.items,
        rule: 'svc-dev-asTemplate-rule-1',
        note: `order o-1 at ${NOW.toISOString()}`,
      },
    });
  });

  it('answers errors in the AWS JSON 1.1 shape with status 400', async () => {
    const res = await fetch(events.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.DescribeRule' },
      body: JSON.stringify({ Name: 'nope' }),
    });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('x-amzn-errortype'), 'ResourceNotFoundException');
    const body = (await res.json()) as Record<string, unknown>;
    assert.equal(body.__type, 'ResourceNotFoundException');
    assert.equal(body.message, 'Rule nope does not exist on EventBus default.');
    const unknown = await fetch(events.url, {
      method: 'POST',
      headers: { 'x-amz-target': 'AWSEvents.Frobnicate' },
      body: '{}',
    });
    assert.equal(unknown.status, 400);
    assert.equal(((await unknown.json()) as Record<string, unknown>).__type, 'UnknownOperationException');
  });
});
