import { strict as assert } from 'node:assert';
import { awsCli as aws, fnArn, REGION, startEvents, type RunningEvents } from './helpers';

describe('aws/events the embedded EventBridge through the AWS CLI (aws events ... --endpoint-url)', function () {
  this.timeout(60_000);
  let events: RunningEvents;

  before(async () => {
    events = await startEvents();
  });

  after(() => events.stop());

  it('manages a rule and puts events that reach its function', async () => {
    const pattern = JSON.stringify({ source: ['cli.test'], detail: { kind: [{ prefix: 'ord' }] } });
    const rule = await aws(
      events.url,
      'events',
      'put-rule',
      '--name',
      'from-cli',
      '--event-pattern',
      pattern,
    );
    assert.equal(rule.code, 0, rule.stderr);
    assert.deepEqual(rule.json, { RuleArn: `arn:aws:events:${REGION}:000000000000:rule/from-cli` });
    const targets = await aws(
      events.url,
      'events',
      'put-targets',
      '--rule',
      'from-cli',
      '--targets',
      `Id=fn,Arn=${fnArn('cli')}`,
    );
    assert.equal(targets.code, 0, targets.stderr);
    assert.deepEqual(targets.json, { FailedEntryCount: 0, FailedEntries: [] });

    const entries = JSON.stringify([
      { Source: 'cli.test', DetailType: 'Order', Detail: '{"kind": "order"}' },
      { Source: 'cli.test', DetailType: 'Other', Detail: '{"kind": "refund"}' },
      { Source: 'cli.test', DetailType: 'Broken', Detail: 'not json' },
    ]);
    const put = await aws(events.url, 'events', 'put-events', '--entries', entries);
    assert.equal(put.code, 0, put.stderr);
    const answer = put.json as { FailedEntryCount: number; Entries: Array<Record<string, string>> };
    assert.equal(answer.FailedEntryCount, 1);
    assert.match(answer.Entries[0].EventId, /^[0-9a-f-]{36}$/);
    assert.deepEqual(answer.Entries[2], {
      ErrorCode: 'MalformedDetail',
      ErrorMessage: 'Detail is malformed.',
    });
    assert.deepEqual(
      events.deliveries.map((delivery) => [delivery.functionArn, (delivery.payload as { id: string }).id]),
      [[fnArn('cli'), answer.Entries[0].EventId]],
    );
  });

  it('lists buses and describes rules, and fails with the AWS error code for an unknown rule', async () => {
    const buses = await aws(events.url, 'events', 'list-event-buses');
    assert.equal(buses.code, 0, buses.stderr);
    assert.deepEqual(
      (buses.json as { EventBuses: Array<{ Name: string }> }).EventBuses.map((bus) => bus.Name),
      ['default'],
    );
    const missing = await aws(events.url, 'events', 'describe-rule', '--name', 'nope');
    assert.notEqual(missing.code, 0);
    assert.match(
      missing.stderr,
      /\(ResourceNotFoundException\).*Rule nope does not exist on EventBus default\./,
    );
  });
});
