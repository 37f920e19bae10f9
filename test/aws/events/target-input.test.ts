import { strict as assert } from 'node:assert';
import { evaluateJsonPath, parseJsonPath } from '../../../src/aws/events/json-path';
import { targetPayload, type TransformContext } from '../../../src/aws/events/target-input';
import type { EventBridgeEvent, TargetSpec } from '../../../src/aws/events/types';

/** The example event of docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html. */
const EVENT: EventBridgeEvent = {
  version: '0',
  id: '7bf73129-1428-4cd3-a780-95db273d1602',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '123456789012',
  time: '2015-11-11T21:29:54Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111'],
  detail: { 'instance-id': 'i-0123456789', state: 'RUNNING' },
};
const CONTEXT: TransformContext = {
  event: EVENT,
  ruleName: 'example',
  ruleArn: 'arn:aws:events:us-east-2:123456789012:rule/example',
  ingestionTime: '2015-11-11T21:29:55.123Z',
};
const PATHS = { timestamp: '$.time', instance: '$.detail.instance-id', state: '$.detail.state' };
const transformed = (inputTemplate: string, inputPathsMap: Record<string, string> = PATHS) =>
  targetPayload({ id: 't', arn: 'arn', inputTransformer: { inputPathsMap, inputTemplate } }, CONTEXT);

describe('aws/events target input', () => {
  describe('an input transformer, with the examples of eb-transform-target-input', () => {
    it('fills a simple string template', () => {
      assert.equal(transformed('"instance <instance> is in <state>"'), 'instance i-0123456789 is in RUNNING');
    });

    it('keeps escaped quotes of a string template', () => {
      assert.equal(
        transformed('"instance \\"<instance>\\" is in <state>"'),
        'instance "i-0123456789" is in RUNNING',
      );
    });

    it('puts a string variable outside quotes as a JSON string', () => {
      assert.deepEqual(transformed('{"instance" : <instance>, "state": <state>}'), {
        instance: 'i-0123456789',
        state: 'RUNNING',
      });
    });

    it('mixes variables inside and outside strings', () => {
      const template =
        '{"instance" : <instance>, "state": "<state>", "instanceStatus": "instance \\"<instance>\\" is in <state>"}';
      assert.deepEqual(transformed(template), {
        instance: 'i-0123456789',
        state: 'RUNNING',
        instanceStatus: 'instance "i-0123456789" is in RUNNING',
      });
    });

    it('mixes variables with static JSON', () => {
      assert.deepEqual(
        transformed('{"instance" : <instance>, "state": [ 9, <state>, true ], "Transformed" : "Yes"}'),
        {
          instance: 'i-0123456789',
          state: [9, 'RUNNING', true],
          Transformed: 'Yes',
        },
      );
    });

    it('offers the rule, the event without its detail, the whole event and the ingestion time', () => {
      const template =
        '{"ruleArn": <aws.events.rule-arn>, "ruleName": <aws.events.rule-name>, "original": <aws.events.event>, ' +
        '"json": <aws.events.event.json>, "at": <aws.events.event.ingestion-time>}';
      const { detail: _detail, ...withoutDetail } = EVENT;
      assert.deepEqual(transformed(template, {}), {
        ruleArn: CONTEXT.ruleArn,
        ruleName: 'example',
        original: withoutDetail,
        json: EVENT,
        at: '2015-11-11T21:29:55.123Z',
      });
    });

    it('puts a predefined variable inside a string', () => {
      assert.equal(transformed('"<aws.events.rule-name> triggered"', {}), 'example triggered');
    });

    it('keeps numbers, objects and arrays as JSON outside strings', () => {
      assert.deepEqual(transformed('{"d": <d>, "r": <r>}', { d: '$.detail', r: '$.resources' }), {
        d: EVENT.detail,
        r: EVENT.resources,
      });
    });

    it('removes the quotes of an object put inside a string', () => {
      assert.equal(
        transformed('"detail is <d>"', { d: '$.detail' }),
        'detail is {instance-id:i-0123456789,state:RUNNING}',
      );
    });

    it('does not create a variable whose path finds nothing: null outside strings, empty inside', () => {
      assert.deepEqual(transformed('{"a": <gone>, "b": "x<gone>y"}', { gone: '$.detail.nothing' }), {
        a: null,
        b: 'xy',
      });
    });

    it('leaves <text> that names no variable as written, and delivers text that is not JSON as text', () => {
      assert.equal(transformed('<b>hello</b> <state>'), '<b>hello</b> "RUNNING"');
    });
  });

  describe('Input and InputPath', () => {
    const target = (extra: Partial<TargetSpec>): TargetSpec => ({ id: 't', arn: 'arn', ...extra });

    it('delivers the matched event when the target changes nothing', () => {
      assert.deepEqual(targetPayload(target({}), CONTEXT), EVENT);
    });

    it('delivers Input, the constant JSON text, instead of the event', () => {
      assert.deepEqual(targetPayload(target({ input: '{"fixed": [1, 2]}' }), CONTEXT), { fixed: [1, 2] });
    });

    it('delivers the part of the event InputPath names', () => {
      assert.deepEqual(targetPayload(target({ inputPath: '$.detail' }), CONTEXT), EVENT.detail);
      assert.equal(targetPayload(target({ inputPath: '$.resources[0]' }), CONTEXT), EVENT.resources[0]);
      assert.equal(targetPayload(target({ inputPath: '$.detail.missing' }), CONTEXT), null);
    });
  });

  describe('the JSONPath subset', () => {
    const doc = { a: { 'b-c': [1, { d: 2 }], 'x y': 3 } };

    it('follows dots, dashes, brackets, indices and wildcards', () => {
      assert.deepEqual(evaluateJsonPath(doc, '$'), doc);
      assert.deepEqual(evaluateJsonPath(doc, '$.a.b-c[1].d'), 2);
      assert.equal(evaluateJsonPath(doc, "$.a['x y']"), 3);
      assert.deepEqual(evaluateJsonPath(doc, '$.a.*'), [[1, { d: 2 }], 3]);
      assert.deepEqual(evaluateJsonPath(doc, '$.a.b-c[*]'), [1, { d: 2 }]);
      assert.equal(evaluateJsonPath(doc, '$.a.nothing.deeper'), undefined);
    });

    it('refuses paths that do not start with $ or use other syntax', () => {
      assert.throws(() => parseJsonPath('detail.x'), /must start with \$/);
      assert.throws(() => parseJsonPath('$..x'), /not supported/);
      assert.throws(() => parseJsonPath('$.a[?(@.b)]'), /not supported/);
    });
  });
});
