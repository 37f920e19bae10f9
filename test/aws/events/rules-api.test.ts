import { originText } from '../../../src/classify/origin';
import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  DeleteRuleCommand,
  DescribeEventBusCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EnableRuleCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  TestEventPatternCommand,
} from '@aws-sdk/client-eventbridge';
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { rulesFromModel } from '../../../src/aws/events/model-rules';
import type { Delivery } from '../../../src/aws/events/types';
import { openStateDatabase } from '../../../src/state/database';
import { modelOf } from '../../helpers/service';
import { ACCOUNT, failure, fnArn, REGION, startEvents, type RunningEvents } from './helpers';

const PATTERN = JSON.stringify({ source: ['shop.orders'] });
const put = (Source: string, EventBusName?: string) =>
  new PutEventsCommand({ Entries: [{ Source, DetailType: 'Test', Detail: '{"n": 1}', EventBusName }] });

describe('aws/events rules, targets and buses managed through the API', () => {
  let events: RunningEvents;

  beforeEach(async () => {
    events = await startEvents();
  });

  afterEach(() => events.stop());

  it('creates a rule and its targets, describes and lists them, and routes events to them', async () => {
    const { client } = events;
    const { RuleArn } = await client.send(
      new PutRuleCommand({ Name: 'orders', EventPattern: PATTERN, Description: 'd' }),
    );
    assert.equal(RuleArn, `arn:aws:events:${REGION}:${ACCOUNT}:rule/orders`);
    await client.send(new PutRuleCommand({ Name: 'other', EventPattern: '{"source": ["x"]}' }));
    await client.send(
      new PutTargetsCommand({
        Rule: 'orders',
        Targets: [
          { Id: 'fn', Arn: fnArn('handler') },
          { Id: 'queue', Arn: `arn:aws:sqs:${REGION}:${ACCOUNT}:q` },
        ],
      }),
    );
    const described = await client.send(new DescribeRuleCommand({ Name: 'orders' }));
    assert.deepEqual(
      [
        described.Name,
        described.Arn,
        described.EventPattern,
        described.State,
        described.Description,
        described.EventBusName,
      ],
      ['orders', RuleArn, PATTERN, 'ENABLED', 'd', 'default'],
    );
    const listed = await client.send(new ListRulesCommand({ NamePrefix: 'ord' }));
    assert.deepEqual(
      listed.Rules?.map((rule) => rule.Name),
      ['orders'],
    );
    const { Targets } = await client.send(new ListTargetsByRuleCommand({ Rule: 'orders' }));
    assert.deepEqual(
      Targets?.map((target) => target.Id),
      ['fn', 'queue'],
    );

    await client.send(put('shop.orders'));
    assert.deepEqual(
      events.deliveries.map((delivery) => [delivery.functionArn, originText(delivery.origin)]),
      [[fnArn('handler'), 'eventBridge default orders']],
    );
  });

  it('delivers nothing for a disabled rule until it is enabled again', async () => {
    const { client, deliveries } = events;
    await client.send(new PutRuleCommand({ Name: 'orders', EventPattern: PATTERN, State: 'DISABLED' }));
    await client.send(
      new PutTargetsCommand({ Rule: 'orders', Targets: [{ Id: 'fn', Arn: fnArn('handler') }] }),
    );
    await client.send(put('shop.orders'));
    assert.equal(deliveries.length, 0);
    await client.send(new EnableRuleCommand({ Name: 'orders' }));
    await client.send(put('shop.orders'));
    assert.equal(deliveries.length, 1);
    await client.send(new DisableRuleCommand({ Name: 'orders' }));
    await client.send(put('shop.orders'));
    assert.equal(deliveries.length, 1);
  });

  it('removes targets, and deletes a rule with targets only when forced', async () => {
    const { client } = events;
    await client.send(new PutRuleCommand({ Name: 'orders', EventPattern: PATTERN }));
    await client.send(
      new PutTargetsCommand({
        Rule: 'orders',
        Targets: [
          { Id: 'a', Arn: fnArn('a') },
          { Id: 'b', Arn: fnArn('b') },
        ],
      }),
    );
    const refused = await failure(client.send(new DeleteRuleCommand({ Name: 'orders' })));
    assert.deepEqual(refused, {
      name: 'ValidationException',
      message: "Rule can't be deleted since it has targets.",
      status: 400,
    });
    await client.send(new RemoveTargetsCommand({ Rule: 'orders', Ids: ['a'] }));
    await client.send(put('shop.orders'));
    assert.deepEqual(
      events.deliveries.map((delivery) => delivery.functionArn),
      [fnArn('b')],
    );
    await client.send(new DeleteRuleCommand({ Name: 'orders', Force: true }));
    const gone = await failure(client.send(new DescribeRuleCommand({ Name: 'orders' })));
    assert.deepEqual(gone, {
      name: 'ResourceNotFoundException',
      message: 'Rule orders does not exist on EventBus default.',
      status: 400,
    });
  });

  it('refuses what AWS refuses: a bad pattern, no pattern, a target of an unknown rule', async () => {
    const { client } = events;
    const bad = await failure(
      client.send(new PutRuleCommand({ Name: 'r', EventPattern: '{"source": "x"}' })),
    );
    assert.equal(bad.name, 'InvalidEventPatternException');
    assert.match(bad.message, /^Event pattern is not valid\. Reason: source: /);
    const badName = await failure(client.send(new PutRuleCommand({ Name: 'a b', EventPattern: PATTERN })));
    assert.equal(
      badName.message,
      "1 validation error detected: Value 'a b' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+",
    );
    const empty = await failure(client.send(new PutRuleCommand({ Name: 'r' })));
    assert.equal(empty.message, 'Parameter(s) EventPattern or ScheduleExpression must be specified.');
    const orphan = await failure(
      client.send(new PutTargetsCommand({ Rule: 'nope', Targets: [{ Id: 'a', Arn: fnArn('a') }] })),
    );
    assert.equal(orphan.name, 'ResourceNotFoundException');
    const badInput = await failure(
      client
        .send(new PutRuleCommand({ Name: 'r', EventPattern: PATTERN }))
        .then(() =>
          client.send(
            new PutTargetsCommand({ Rule: 'r', Targets: [{ Id: 'a', Arn: fnArn('a'), Input: '{nope' }] }),
          ),
        ),
    );
    assert.equal(badInput.name, 'ValidationException');
  });

  it('creates and deletes custom buses, whose rules see only their own events', async () => {
    const { client, deliveries } = events;
    const { EventBusArn } = await client.send(new CreateEventBusCommand({ Name: 'orders' }));
    assert.equal(EventBusArn, `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/orders`);
    const again = await failure(client.send(new CreateEventBusCommand({ Name: 'orders' })));
    assert.deepEqual(
      [again.name, again.message],
      ['ResourceAlreadyExistsException', 'Event bus orders already exists.'],
    );
    const { RuleArn } = await client.send(
      new PutRuleCommand({ Name: 'r', EventBusName: 'orders', EventPattern: PATTERN }),
    );
    assert.equal(RuleArn, `arn:aws:events:${REGION}:${ACCOUNT}:rule/orders/r`);
    await client.send(
      new PutTargetsCommand({
        Rule: 'r',
        EventBusName: EventBusArn,
        Targets: [{ Id: 'a', Arn: fnArn('a') }],
      }),
    );
    await client.send(put('shop.orders'));
    assert.equal(deliveries.length, 0);
    await client.send(put('shop.orders', 'orders'));
    assert.deepEqual(
      deliveries.map((delivery) => originText(delivery.origin)),
      ['eventBridge orders r'],
    );

    const notDefault = await failure(client.send(new DeleteEventBusCommand({ Name: 'default' })));
    assert.deepEqual(
      [notDefault.name, notDefault.message],
      ['ValidationException', 'Cannot delete event bus default.'],
    );
    await client.send(new DeleteEventBusCommand({ Name: 'orders' }));
    const missing = await failure(client.send(new DescribeEventBusCommand({ Name: 'orders' })));
    assert.deepEqual(
      [missing.name, missing.message],
      ['ResourceNotFoundException', 'Event bus orders does not exist.'],
    );
  });

  it('tests a pattern against an event', async () => {
    const event = {
      id: '1',
      account: ACCOUNT,
      source: 'shop.orders',
      time: 'now',
      region: REGION,
      'detail-type': 'x',
    };
    const yes = await events.client.send(
      new TestEventPatternCommand({ EventPattern: PATTERN, Event: JSON.stringify(event) }),
    );
    assert.equal(yes.Result, true);
    const no = await events.client.send(
      new TestEventPatternCommand({
        EventPattern: PATTERN,
        Event: JSON.stringify({ ...event, source: 'x' }),
      }),
    );
    assert.equal(no.Result, false);
  });

  it('reports a delivery that fails and still accepts the event', async () => {
    await events.stop();
    const failures: string[] = [];
    events = await startEvents({
      deliver: () => Promise.reject(new Error('queue is down')),
      onDeliveryError: (error, delivery) =>
        failures.push(`${delivery.targetArn}: ${(error as Error).message}`),
    });
    await events.client.send(new PutRuleCommand({ Name: 'orders', EventPattern: PATTERN }));
    await events.client.send(
      new PutTargetsCommand({ Rule: 'orders', Targets: [{ Id: 'a', Arn: fnArn('a') }] }),
    );
    const answer = await events.client.send(put('shop.orders'));
    assert.equal(answer.FailedEntryCount, 0);
    assert.deepEqual(failures, [`${fnArn('a')}: queue is down`]);
  });
});

describe('aws/events state kept in the database across restarts', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'events-state-'));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps the API's buses, rules and targets, and reloads the service's own rules from its configuration", async () => {
    const withRule = modelOf({
      functions: {
        old: { handler: 'h.old', events: [{ eventBridge: { pattern: { source: ['shop.orders'] } } }] },
      },
    });
    const firstDb = openStateDatabase(dir, { reset: false });
    const first = await startEvents({ db: firstDb, rules: rulesFromModel(withRule) });
    await first.client.send(new CreateEventBusCommand({ Name: 'orders' }));
    await first.client.send(
      new PutRuleCommand({ Name: 'api-rule', EventBusName: 'orders', EventPattern: PATTERN }),
    );
    await first.client.send(
      new PutTargetsCommand({
        Rule: 'api-rule',
        EventBusName: 'orders',
        Targets: [
          { Id: 'a', Arn: fnArn('kept'), InputTransformer: { InputTemplate: '"<aws.events.rule-name>"' } },
        ],
      }),
    );
    await first.client.send(put('shop.orders'));
    assert.deepEqual(
      first.deliveries.map((d: Delivery) => d.functionArn),
      [fnArn('svc-dev-old')],
    );
    await first.stop();
    firstDb.close();

    const secondDb = openStateDatabase(dir, { reset: false });
    const second = await startEvents({ db: secondDb, rules: [] });
    try {
      await second.client.send(put('shop.orders'));
      await second.client.send(put('shop.orders', 'orders'));
      assert.deepEqual(
        second.deliveries.map((d) => [d.functionArn, d.payload]),
        [[fnArn('kept'), 'api-rule']],
      );
      const rules = await second.client.send(new ListRulesCommand({}));
      assert.deepEqual(rules.Rules, []);
    } finally {
      await second.stop();
      secondDb.close();
    }
  });
});
