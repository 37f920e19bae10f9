import { PutRuleCommand, TestEventPatternCommand } from '@aws-sdk/client-eventbridge';
import { strict as assert } from 'node:assert';
import { atEventBridgePrecision } from '../../../src/aws/events/event-pattern';
import { compilePattern } from '../../../src/filter/event-pattern';
import { failure, startEvents, type RunningEvents } from './helpers';

const EVENT = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'Reading',
  source: 'meter',
  account: '000000000000',
  time: '2024-05-01T12:00:00Z',
  region: 'us-east-1',
  resources: [],
};

describe('aws/events numeric matching at EventBridge precision (-5.0e9..5.0e9, six decimals)', () => {
  let events: RunningEvents;

  before(async () => {
    events = await startEvents();
  });

  after(() => events.stop());

  const test = async (pattern: unknown, detail: unknown) => {
    const { Result } = await events.client.send(
      new TestEventPatternCommand({
        EventPattern: JSON.stringify(pattern),
        Event: JSON.stringify({ ...EVENT, detail }),
      }),
    );
    return Result;
  };

  it('compares to six digits right of the decimal point', async () => {
    const pattern = { detail: { v: [{ numeric: ['=', 100.1234567] }] } };
    assert.equal(await test(pattern, { v: 100.1234561 }), true);
    assert.equal(await test(pattern, { v: 100.123457 }), false);
    assert.equal(await test({ detail: { v: [{ numeric: ['>', 0.0000001] }] } }, { v: 0.0000009 }), false);
    assert.equal(await test({ detail: { v: [{ numeric: ['>', 0.000001] }] } }, { v: 0.000002 }), true);
    assert.equal(await test({ detail: { v: [0.29] } }, { v: 2.9e-1 }), true);
    assert.equal(await test({ detail: { v: [{ numeric: ['>=', -5e9, '<=', 5e9] }] } }, { v: -5e9 }), true);
    assert.equal(await test({ detail: { v: [{ numeric: ['>', 0] }] } }, { v: 6e9 }), false);
    assert.equal(await test({ detail: { v: [{ 'anything-but': [1.0000001] }] } }, { v: 1 }), false);
  });

  it('matches a literal number beyond the range only by equality', async () => {
    assert.equal(await test({ detail: { account: [123456789012] } }, { account: 123456789012 }), true);
    assert.equal(await test({ detail: { account: [123456789012] } }, { account: 123456789013 }), false);
    assert.equal(await test({ detail: { account: ['123456789012'] } }, { account: 123456789012 }), false);
  });

  it('refuses numeric operands out of the range with InvalidEventPatternException', async () => {
    for (const operand of [
      { numeric: ['>', 5.000001e9] },
      { numeric: ['<', -6e9] },
      { 'anything-but': 1e10 },
    ]) {
      const pattern = JSON.stringify({ detail: { v: [operand] } });
      const refused = await failure(
        events.client.send(new PutRuleCommand({ Name: 'big', EventPattern: pattern })),
      );
      assert.equal(refused.name, 'InvalidEventPatternException');
      assert.equal(refused.status, 400);
      assert.match(refused.message, /Value must be between -5.0E9 and 5.0E9, inclusive/);
      const tested = await failure(
        events.client.send(
          new TestEventPatternCommand({
            EventPattern: pattern,
            Event: JSON.stringify({ ...EVENT, detail: {} }),
          }),
        ),
      );
      assert.equal(tested.name, 'InvalidEventPatternException');
    }
    const edge = JSON.stringify({ detail: { v: [{ numeric: ['<=', 5e9] }] } });
    await events.client.send(new PutRuleCommand({ Name: 'edge', EventPattern: edge }));
  });

  it('rounds down to the sixth decimal, exactly from the decimal text', () => {
    assert.equal(atEventBridgePrecision(4999999999.123456), 4999999999123456);
    assert.equal(atEventBridgePrecision(-1.0000005), -1000001);
    assert.equal(atEventBridgePrecision(0.29), 290000);
    assert.equal(atEventBridgePrecision(1e-7), 0);
    assert.equal(atEventBridgePrecision(-1e-7), -1);
    assert.equal(atEventBridgePrecision(3.018e2), 301800000);
  });

  it("leaves the shared matcher's exact comparison (SNS, Lambda filters) as it was", () => {
    const pattern = { v: [{ numeric: ['=', 100.1234567] }] };
    assert.equal(compilePattern(pattern)({ v: 100.1234561 }), false);
    assert.equal(compilePattern({ v: [{ numeric: ['>', 6e9] }] })({ v: 7e9 }), true);
  });
});
