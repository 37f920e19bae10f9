import { strict as assert } from 'node:assert';
import sinon from 'sinon';
import { systemClock } from '../../../src/clock';
import type { InvokeRequest, Invoker } from '../../../src/lambda/types';
import { compileSchedule } from '../../../src/push/schedule/next-fire';
import { scheduledRules, Scheduler } from '../../../src/push/schedule/scheduler';
import { parseScheduleExpression } from '../../../src/service/schedule-expression';
import { modelOf } from '../../helpers/service';

const next = (
  expression: string,
  after: string,
  timezone?: string,
  method: 'eventBus' | 'scheduler' = 'eventBus',
) => {
  const parsed = parseScheduleExpression(expression, method);
  assert.ok(!('error' in parsed));
  return compileSchedule(parsed, timezone)(new Date(after))?.toISOString();
};

describe('schedule expressions: the next fire time', () => {
  it('adds the rate to the last fire', () => {
    assert.equal(next('rate(5 minutes)', '2026-11-29T06:00:00Z'), '2026-11-29T06:05:00.000Z');
  });

  it("reads AWS's cron fields: 1-7 weekdays from Sunday, start/step, #, L and the year", () => {
    assert.equal(next('cron(0 10 ? * 6#3 *)', '2026-11-29T06:00:00Z'), '2026-12-18T10:00:00.000Z');
    assert.equal(next('cron(0 10 ? * 2-6 *)', '2026-11-28T06:00:00Z'), '2026-11-30T10:00:00.000Z');
    assert.equal(next('cron(0/20 8 * * ? *)', '2026-11-29T08:01:00Z'), '2026-11-29T08:20:00.000Z');
    assert.equal(next('cron(0 9 L * ? *)', '2026-02-01T00:00:00Z'), '2026-02-28T09:00:00.000Z');
    assert.equal(next('cron(0 10 1 1 ? 2028)', '2026-11-29T06:00:00Z'), '2028-01-01T10:00:00.000Z');
    assert.equal(next('cron(0 10 1 1 ? 2028)', '2028-01-01T10:00:00Z'), undefined);
  });

  it('honours the timezone of an EventBridge Scheduler schedule, and at() fires once', () => {
    assert.equal(
      next('cron(0 10 * * ? *)', '2026-11-29T00:00:00Z', 'Europe/Paris', 'scheduler'),
      '2026-11-29T09:00:00.000Z',
    );
    assert.equal(
      next('at(2026-12-01T10:00:00)', '2026-11-29T00:00:00Z', undefined, 'scheduler'),
      '2026-12-01T10:00:00.000Z',
    );
    assert.equal(next('at(2026-12-01T10:00:00)', '2026-12-02T00:00:00Z', undefined, 'scheduler'), undefined);
  });
});

describe('the scheduler (on fake time)', () => {
  let clock: sinon.SinonFakeTimers;
  let calls: Array<{ name: string; request: InvokeRequest; at: string }>;
  const invoker: Invoker = {
    invoke: async (name, request) => {
      calls.push({ name, request, at: new Date().toISOString() });
      return { requestId: 'r', statusCode: 202, payload: '', durationMs: 0 };
    },
  };

  beforeEach(() => {
    clock = sinon.useFakeTimers({
      now: Date.parse('2026-11-29T06:00:30Z'),
      toFake: ['setTimeout', 'clearTimeout', 'Date'],
    });
    calls = [];
  });
  afterEach(() => clock.restore());

  const start = (events: unknown[]) => {
    const model = modelOf({ functions: { job: { handler: 'h.h', events } } });
    const scheduler = new Scheduler(
      scheduledRules(model.functions),
      invoker,
      systemClock,
      model,
      () => undefined,
    );
    scheduler.start();
    return scheduler;
  };

  it('invokes the function asynchronously with a Scheduled Event at every fire time', async () => {
    const scheduler = start([{ schedule: 'rate(1 minute)' }]);
    await clock.tickAsync(3 * 60_000);
    scheduler.stop();
    assert.deepEqual(
      calls.map((c) => c.at),
      ['2026-11-29T06:01:30.000Z', '2026-11-29T06:02:30.000Z', '2026-11-29T06:03:30.000Z'],
    );
    const { name, request } = calls[0];
    assert.equal(name, 'job');
    assert.equal(request.type, 'Event');
    const event = JSON.parse(request.payload);
    assert.equal(event['detail-type'], 'Scheduled Event');
    assert.equal(event.source, 'aws.events');
    assert.equal(event.account, '000000000000');
    assert.equal(event.time, '2026-11-29T06:01:30Z');
    assert.deepEqual(event.resources, ['arn:aws:events:us-east-1:000000000000:rule/svc-dev-job-schedule-1']);
    assert.deepEqual(event.detail, {});
  });

  it('sends the configured input instead of the event, and skips disabled schedules', async () => {
    const scheduler = start([
      { schedule: { rate: ['cron(0/1 * * * ? *)'], input: { job: 'report' } } },
      { schedule: { rate: ['rate(1 minute)'], enabled: false } },
    ]);
    await clock.tickAsync(60_000);
    scheduler.stop();
    assert.equal(calls.length, 1);
    assert.deepEqual(JSON.parse(calls[0].request.payload), { job: 'report' });
    assert.equal(calls[0].at, '2026-11-29T06:01:00.000Z');
  });
});
