import { strict as assert } from 'node:assert';
import { parseScheduleExpression } from '../../src/service/schedule-expression';
import { modelOf } from '../helpers/service';

describe('schedule expressions', () => {
  it('parses rate() into seconds, with AWS singular and plural units', () => {
    assert.deepEqual(parseScheduleExpression('rate(1 minute)', 'eventBus'), { kind: 'rate', seconds: 60 });
    assert.deepEqual(parseScheduleExpression('rate(2 hours)', 'eventBus'), { kind: 'rate', seconds: 7200 });
    assert.match(String(Object(parseScheduleExpression('rate(1 days)', 'eventBus')).error), /singular/);
    assert.match(String(Object(parseScheduleExpression('rate(0 minutes)', 'eventBus')).error), /at least 1/);
  });

  it('parses six-field cron() with "?" in exactly one day field', () => {
    assert.deepEqual(parseScheduleExpression('cron(0/15 8-17 ? * MON-FRI *)', 'eventBus'), {
      kind: 'cron',
      fields: ['0/15', '8-17', '?', '*', 'MON-FRI', '*'],
    });
    assert.ok('error' in parseScheduleExpression('cron(0 12 * * * *)', 'eventBus'));
    assert.ok('error' in parseScheduleExpression('cron(0 25x * * ? *)', 'eventBus'));
  });

  it('accepts at() for EventBridge Scheduler only', () => {
    assert.deepEqual(parseScheduleExpression('at(2030-01-01T10:00:00)', 'scheduler'), {
      kind: 'at',
      time: '2030-01-01T10:00:00',
    });
    assert.ok('error' in parseScheduleExpression('at(2030-01-01T10:00:00)', 'eventBus'));
  });

  it('takes schedule.rate as a single expression as well as a list', () => {
    const model = modelOf({
      functions: { f: { handler: 'h.h', events: [{ schedule: { rate: 'rate(1 day)' } }] } },
    });
    assert.deepEqual(
      model.functions[0].events[0].type === 'schedule' && model.functions[0].events[0].expressions,
      ['rate(1 day)'],
    );
    assert.throws(
      () =>
        modelOf({ functions: { f: { handler: 'h.h', events: [{ schedule: { rate: 'rate(1 days)' } }] } } }),
      /functions\.f\.events\.0\.schedule\.rate "rate\(1 days\)"/,
    );
  });
});
