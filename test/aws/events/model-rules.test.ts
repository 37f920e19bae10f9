import { strict as assert } from 'node:assert';
import { busesFromModel, rulesFromModel } from '../../../src/aws/events/model-rules';
import { ConfigError } from '../../../src/errors';
import { modelOf } from '../../helpers/service';

const ORDER_PATTERN = { source: ['shop.orders'] };

describe('aws/events rules from the service', () => {
  it("names eventBridge rules and targets as Serverless v3 does: '<function>-rule-<position>' and '-target'", () => {
    const model = modelOf({
      functions: {
        worker: {
          handler: 'h.worker',
          events: [
            { sqs: { arn: 'arn:aws:sqs:us-east-1:000000000000:q' } },
            { eventBridge: { pattern: ORDER_PATTERN } },
          ],
        },
      },
    });
    const [rule] = rulesFromModel(model);
    assert.deepEqual(rule, {
      name: 'svc-dev-worker-rule-2',
      eventBus: 'default',
      eventPattern: JSON.stringify(ORDER_PATTERN),
      scheduleExpression: undefined,
      state: 'ENABLED',
      origin: 'eventBridge',
      targets: [
        {
          id: 'svc-dev-worker-rule-2-target',
          arn: 'arn:aws:lambda:us-east-1:000000000000:function:svc-dev-worker',
          input: undefined,
          inputPath: undefined,
          inputTransformer: undefined,
        },
      ],
    });
  });

  it('shortens names over 64 characters with an md5, as the framework does', () => {
    const key = 'aFunctionWhoseNameIsLongEnoughToPushTheRuleNameOverTheLimit';
    const model = modelOf({
      functions: { [key]: { handler: 'h.x', events: [{ eventBridge: { pattern: ORDER_PATTERN } }] } },
    });
    const [rule] = rulesFromModel(model);
    assert.match(rule.name, /^svc-dev-aFunctionWhoseNam[0-9a-f]{32}-rule-1$/);
    assert.ok(rule.name.length <= 64);
    assert.match(rule.targets[0].id, /^svc-dev-aFunctionWhoseNam[0-9a-f]{32}-target$/);
  });

  it('names cloudwatchEvent rules after their logical id, counted per function, with the target id the framework gives', () => {
    const model = modelOf({
      functions: {
        'audit-log': {
          handler: 'h.audit',
          events: [
            { cloudwatchEvent: { event: { source: ['aws.ec2'] } } },
            { cloudwatchEvent: { event: { source: ['aws.s3'] }, enabled: false, input: { fixed: true } } },
          ],
        },
      },
    });
    const rules = rulesFromModel(model);
    assert.deepEqual(
      rules.map((rule) => [rule.name, rule.state, rule.origin, rule.targets[0].id, rule.targets[0].input]),
      [
        [
          'svc-dev-AuditDashlogEventsRuleCloudWatchEvent1',
          'ENABLED',
          'cloudwatchEvent',
          'audit-logCloudWatchEvent',
          undefined,
        ],
        [
          'svc-dev-AuditDashlogEventsRuleCloudWatchEvent2',
          'DISABLED',
          'cloudwatchEvent',
          'audit-logCloudWatchEvent',
          '{"fixed":true}',
        ],
      ],
    );
  });

  it('leaves schedule-only eventBridge events to the scheduler, and keeps a pattern with a schedule', () => {
    const model = modelOf({
      functions: {
        tick: {
          handler: 'h.tick',
          events: [
            { eventBridge: { schedule: 'rate(5 minutes)' } },
            { eventBridge: { schedule: 'rate(1 hour)', pattern: ORDER_PATTERN } },
          ],
        },
      },
    });
    assert.deepEqual(
      rulesFromModel(model).map((rule) => [rule.name, rule.scheduleExpression]),
      [['svc-dev-tick-rule-2', 'rate(1 hour)']],
    );
  });

  it('carries the bus, inputPath and inputTransformer, and lists the custom buses', () => {
    const model = modelOf({
      functions: {
        ship: {
          handler: 'h.ship',
          events: [
            {
              eventBridge: {
                eventBus: 'arn:aws:events:us-east-1:000000000000:event-bus/orders',
                pattern: ORDER_PATTERN,
                inputPath: '$.detail',
              },
            },
            {
              eventBridge: {
                eventBus: 'payments',
                pattern: ORDER_PATTERN,
                inputTransformer: { inputPathsMap: { id: '$.id' }, inputTemplate: '{"id": <id>}' },
              },
            },
          ],
        },
      },
      resources: { Audit: { Type: 'AWS::Events::EventBus', Properties: { Name: 'audit' } } },
    });
    const [first, second] = rulesFromModel(model);
    assert.equal(first.eventBus, 'orders');
    assert.equal(first.targets[0].inputPath, '$.detail');
    assert.equal(second.eventBus, 'payments');
    assert.deepEqual(second.targets[0].inputTransformer, {
      inputPathsMap: { id: '$.id' },
      inputTemplate: '{"id": <id>}',
    });
    assert.deepEqual(busesFromModel(model).sort(), ['audit', 'orders', 'payments']);
  });

  it('refuses an invalid pattern or input path with an error that names the event', () => {
    const invalid = (eventBridge: object) =>
      modelOf({ functions: { worker: { handler: 'h.worker', events: [{ eventBridge }] } } });
    assert.throws(
      () => rulesFromModel(invalid({ pattern: { source: 'shop.orders' } })),
      (error: unknown) =>
        error instanceof ConfigError &&
        /^functions\.worker\.events\.0\.eventBridge\.pattern is not a valid event pattern: source: /.test(
          error.message,
        ),
    );
    assert.throws(
      () => rulesFromModel(invalid({ pattern: ORDER_PATTERN, inputPath: 'detail' })),
      (error: unknown) =>
        error instanceof ConfigError && /events\.0\.eventBridge\.inputPath: /.test(error.message),
    );
  });
});
