import { strict as assert } from 'node:assert';
import type { EventBridgeEvent, ScheduledEvent } from 'aws-lambda';
import { rulesFromModel } from '../../../src/aws/events/model-rules';
import { compilePattern } from '../../../src/filter/event-pattern';
import { sourceInvocation } from '../../../src/classify/origin';
import { matchingEvent, ruleEvent, scheduleEvent } from '../../../src/push/samples/rules';
import { service, sourceOf } from './helpers';

const RULE_ARN = 'arn:aws:events:us-east-1:000000000000:rule/svc-dev-fn-schedule-1';

describe('push/samples rules', () => {
  describe('schedule', () => {
    it('sends the Scheduled Event of the rule, its time to the second', () => {
      const { spec, context, sample } = sourceOf('schedule', service([{ schedule: 'rate(5 minutes)' }]));
      const event = scheduleEvent(spec, context()) as ScheduledEvent<Record<string, never>>;
      const typed: ScheduledEvent = event;
      assert.deepEqual(typed, {
        version: '0',
        id: '5a1e0000-0000-4000-8000-000000000001',
        'detail-type': 'Scheduled Event',
        source: 'aws.events',
        account: '000000000000',
        time: '2024-05-06T07:08:09Z',
        region: 'us-east-1',
        resources: [RULE_ARN],
        detail: {},
      });
      assert.deepEqual(sample(), event);
    });

    it("sends the event's input instead, an object or JSON text", () => {
      const object = sourceOf(
        'schedule',
        service([{ schedule: { rate: 'rate(1 hour)', input: { job: 'sync' } } }]),
      );
      assert.deepEqual(object.sample(), { job: 'sync' });
      const text = sourceOf('schedule', service([{ schedule: { rate: 'rate(1 hour)', input: '{"n":1}' } }]));
      assert.deepEqual(text.sample(), { n: 1 });
    });

    it('sends the part inputPath names', () => {
      const { sample } = sourceOf(
        'schedule',
        service([{ schedule: { rate: 'rate(1 hour)', inputPath: '$.resources' } }]),
      );
      assert.deepEqual(sample(), [RULE_ARN]);
    });

    it("fills inputTransformer's template from the Scheduled Event and the predefined variables", () => {
      const { sample } = sourceOf(
        'schedule',
        service([
          {
            schedule: {
              rate: 'cron(0 12 * * ? *)',
              inputTransformer: {
                inputPathsMap: { time: '$.time', kind: '$.detail-type' },
                inputTemplate: '{"at": <time>, "kind": "<kind>", "rule": "<aws.events.rule-name>"}',
              },
            },
          },
        ]),
      );
      assert.deepEqual(sample(), {
        at: '2024-05-06T07:08:09Z',
        kind: 'Scheduled Event',
        rule: 'svc-dev-fn-schedule-1',
      });
    });

    it('puts the overrides in detail', () => {
      const { sample } = sourceOf('schedule', service([{ schedule: 'rate(1 day)' }]));
      assert.deepEqual((sample({ dryRun: true }) as ScheduledEvent).detail, { dryRun: true });
    });

    it('is invoked asynchronously, both by EventBridge rules and by EventBridge Scheduler', () => {
      assert.equal(
        sourceInvocation(sourceOf('schedule', service([{ schedule: 'rate(1 day)' }])).spec).type,
        'Event',
      );
      const scheduler = sourceOf(
        'schedule',
        service([{ schedule: { rate: 'rate(1 day)', method: 'scheduler' } }]),
      );
      assert.equal(sourceInvocation(scheduler.spec).type, 'Event');
    });
  });

  describe('eventBridge and cloudwatchEvent', () => {
    const pattern = {
      source: ['com.shop', 'com.billing'],
      'detail-type': ['OrderPlaced'],
      resources: ['arn:aws:s3:::orders'],
      detail: {
        status: [{ prefix: 'pa' }],
        total: [{ numeric: ['>', 100, '<=', 200] }],
        region: [{ 'anything-but': ['eu-west-1', 'us-east-1'] }],
        coupon: [{ exists: false }],
        customer: { tier: ['gold'], email: [{ suffix: '@example.com' }] },
        channel: [{ 'equals-ignore-case': 'WEB' }],
        source: [{ wildcard: 'app-*-v2' }],
        ip: [{ cidr: '10.0.0.0/24' }],
        $or: [{ priority: ['high'] }, { rush: [true] }],
      },
    };
    const config = service([{ eventBridge: { eventBus: 'orders', pattern } }]);

    it("sends an event its own rule's pattern matches, first literal of each field", () => {
      const { spec, context, sample } = sourceOf('eventBridge', config);
      const event = ruleEvent(spec, context()) as EventBridgeEvent<string, Record<string, unknown>>;
      const typed: EventBridgeEvent<string, Record<string, unknown>> = event;
      assert.equal(compilePattern(pattern)(typed), true);
      assert.equal(event.source, 'com.shop');
      assert.equal(event['detail-type'], 'OrderPlaced');
      assert.deepEqual(event.resources, ['arn:aws:s3:::orders']);
      assert.equal(event.version, '0');
      assert.equal(event.account, '000000000000');
      assert.equal(event.region, 'us-east-1');
      assert.equal(event.time, '2024-05-06T07:08:09Z');
      assert.equal('coupon' in event.detail, false);
      assert.deepEqual(event.detail.customer, { tier: 'gold', email: 'sample@example.com' });
      assert.equal(event.detail.priority, 'high');
      assert.deepEqual(sample(), event);
    });

    it('fills in the envelope for a pattern that names only detail', () => {
      const { sample } = sourceOf(
        'eventBridge',
        service([{ eventBridge: { pattern: { detail: { a: [1] } } } }]),
      );
      const event = sample() as EventBridgeEvent<string, unknown>;
      assert.equal(typeof event.source, 'string');
      assert.equal(typeof event['detail-type'], 'string');
      assert.deepEqual(event.resources, []);
      assert.deepEqual(event.detail, { a: 1 });
    });

    it('puts the overrides in place of detail', () => {
      const { sample } = sourceOf('eventBridge', config);
      const event = sample({ orderId: 'o-1' }) as EventBridgeEvent<string, unknown>;
      assert.deepEqual(event.detail, { orderId: 'o-1' });
      assert.equal(event.source, 'com.shop');
    });

    it("applies the rule's input transformation, with the rule the embedded EventBridge registers", () => {
      const { model, sample } = sourceOf(
        'eventBridge',
        service([
          { eventBridge: { pattern: { source: ['a'] } } },
          {
            eventBridge: {
              eventBus: 'orders',
              pattern: { source: ['com.shop'], detail: { id: ['o-7'] } },
              inputTransformer: {
                inputPathsMap: { id: '$.detail.id' },
                inputTemplate: '{"order": <id>, "rule": <aws.events.rule-arn>}',
              },
            },
          },
        ]),
        1,
      );
      const rule = rulesFromModel(model)[1];
      assert.equal(rule.name, 'svc-dev-fn-rule-2');
      assert.deepEqual(sample(), {
        order: 'o-7',
        rule: 'arn:aws:events:us-east-1:000000000000:rule/orders/svc-dev-fn-rule-2',
      });
    });

    it('applies input and inputPath', () => {
      const input = sourceOf(
        'eventBridge',
        service([{ eventBridge: { pattern: { source: ['a'] }, input: { k: 1 } } }]),
      );
      assert.deepEqual(input.sample(), { k: 1 });
      const path = sourceOf(
        'eventBridge',
        service([
          { eventBridge: { pattern: { source: ['a'], detail: { k: ['v'] } }, inputPath: '$.detail' } },
        ]),
      );
      assert.deepEqual(path.sample(), { k: 'v' });
    });

    it('sends an eventBridge schedule the Scheduled Event of its rule', () => {
      const { sample } = sourceOf(
        'eventBridge',
        service([{ eventBridge: { schedule: 'rate(10 minutes)' } }]),
      );
      const event = sample() as ScheduledEvent;
      assert.equal(event['detail-type'], 'Scheduled Event');
      assert.equal(event.source, 'aws.events');
      assert.deepEqual(event.resources, ['arn:aws:events:us-east-1:000000000000:rule/svc-dev-fn-rule-1']);
    });

    it("sends a cloudwatchEvent an event its `event` pattern matches, named as the framework's rule", () => {
      const ec2 = { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'] };
      const { spec, model, context, sample } = sourceOf(
        'cloudwatchEvent',
        service([
          {
            cloudwatchEvent: { event: ec2, inputTransformer: { inputTemplate: '"<aws.events.rule-name>"' } },
          },
        ]),
      );
      assert.equal(sample(), rulesFromModel(model)[0].name);
      assert.equal(sample(), 'svc-dev-FnEventsRuleCloudWatchEvent1');
      const event = matchingEvent(spec.pattern, context());
      assert.equal(compilePattern(ec2)(event), true);
      assert.equal(event.source, 'aws.ec2');
    });

    it('is invoked asynchronously', () => {
      assert.equal(sourceInvocation(sourceOf('eventBridge', config).spec).type, 'Event');
      const cw = sourceOf('cloudwatchEvent', service([{ cloudwatchEvent: { event: { source: ['x'] } } }]));
      assert.equal(sourceInvocation(cw.spec).type, 'Event');
    });
  });
});
