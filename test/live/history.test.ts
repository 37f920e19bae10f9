import { strict as assert } from 'node:assert';
import type { InvocationSummary } from '../../src/lambda/invocation-runner';
import { InvocationHistory } from '../../src/live/history';
import { ManualClock } from '../helpers/manual-clock';

type Options = Partial<InvocationSummary> & { causedBy?: string };

const summary = (requestId: string, { causedBy, ...rest }: Options = {}): InvocationSummary => ({
  functionKey: 'fn',
  origin: { kind: 'httpApi', model: 'push', detail: 'POST /orders' },
  requestId,
  type: 'RequestResponse',
  status: 'ok',
  durationMs: 2,
  trace: {
    root: '1-00000000-000000000000000000000000',
    causedBy: causedBy ? { functionKey: 'fn', requestId: causedBy } : undefined,
  },
  event: '{}',
  result: 'null',
  ...rest,
});

describe('InvocationHistory (the live view’s record)', () => {
  let clock: ManualClock;
  let history: InvocationHistory;
  beforeEach(() => {
    clock = new ManualClock();
    history = new InvocationHistory(clock, 5);
  });

  /** Records one invocation that ran for `ms`, with its log lines. */
  const run = (requestId: string, options: Options = {}, ms = 10, lines: string[] = []) => {
    history.started(options.functionKey ?? 'fn', requestId);
    for (const line of lines) history.log('fn', line, requestId);
    clock.advance(ms);
    history.invocation(summary(requestId, options));
  };

  it('groups the invocations an outside request caused into one journey, in order, with times and lines', () => {
    run('a', {}, 10, ['START', 'got it']);
    run('b', { causedBy: 'a', functionKey: 'audit' });
    run('c', { causedBy: 'b', functionKey: 'worker' });
    run('d', { functionKey: 'other' });
    const { journeys, total } = history.latestJourneys(10);
    assert.equal(total, 2);
    assert.deepEqual(
      journeys.map((j) => [j.title, j.functions]),
      [
        ['other ← httpApi POST /orders', ['other']],
        ['fn ← httpApi POST /orders', ['fn', 'audit', 'worker']],
      ],
    );
    const first = history.journey(journeys[1].id);
    assert.deepEqual(
      first?.invocations.map((i) => [i.requestId, i.causedBy, i.endedAt - i.startedAt]),
      [
        ['a', undefined, 10],
        ['b', 'a', 10],
        ['c', 'b', 10],
      ],
    );
    assert.deepEqual(first?.invocations[0].lines, ['START', 'got it']);
    assert.equal(first?.journey.startedAt, first?.invocations[0].startedAt);
  });

  it("keeps an async event's attempts apart, on its first attempt's journey, marked as retries", () => {
    run('e', {
      type: 'Event',
      attempt: 1,
      status: 'error',
      error: { errorType: 'Error', errorMessage: 'no' },
    });
    run('e', { type: 'Event', attempt: 2 });
    const attempts = history.journey(1)?.invocations ?? [];
    assert.equal(attempts.length, 2);
    assert.notEqual(attempts[0].id, attempts[1].id);
    assert.deepEqual(
      attempts.map((i) => i.marks),
      [['error'], ['retry 1']],
    );
    assert.equal(history.byRequestId('e')?.id, attempts[1].id);
  });

  it('marks what became of an event afterwards, on its latest invocation, and tells the listeners', () => {
    const told: string[] = [];
    history.onInvocation((invocation) =>
      told.push(`${invocation.requestId}: ${invocation.marks.join(', ')}`),
    );
    run('f', {
      type: 'Event',
      attempt: 3,
      status: 'error',
      error: { errorType: 'Error', errorMessage: 'no' },
    });
    history.outcome('f', 'RetriesExhausted: sent to the DLQ');
    history.outcome('unknown', 'ignored');
    assert.deepEqual(told, ['f: retry 2, error', 'f: retry 2, error, RetriesExhausted: sent to the DLQ']);
  });

  it('marks partial batch failures and the messages a redrive sent back', () => {
    history.redrove(['m2']);
    const event = JSON.stringify({
      Records: [{ messageId: 'm1' }, { messageId: 'm2' }, { messageId: 'm3' }],
    });
    const origin = { kind: 'sqs' as const, model: 'pull' as const, detail: 'orders' };
    run('g', { origin, event, result: JSON.stringify({ batchItemFailures: [{ itemIdentifier: 'm1' }] }) });
    run('h', { origin, event });
    assert.deepEqual(history.byRequestId('g')?.marks, [
      'partial batch failure: 1 of 3',
      'redriven from the DLQ: 1',
    ]);
    assert.deepEqual(history.byRequestId('h')?.marks, []);
  });

  it('keeps the latest `limit` invocations, forgetting emptied journeys, and pages journeys by their last time', () => {
    for (let i = 1; i <= 8; i++) run(`r${i}`);
    assert.equal(history.size, 5);
    assert.equal(history.byRequestId('r3'), undefined);
    const { journeys, total } = history.latestJourneys(2);
    assert.equal(total, 5);
    assert.deepEqual(
      journeys.map((j) => history.journey(j.id)?.invocations[0].requestId),
      ['r8', 'r7'],
    );
    const older = history.latestJourneys(2, journeys[1].lastAt).journeys;
    assert.deepEqual(
      older.map((j) => history.journey(j.id)?.invocations[0].requestId),
      ['r6', 'r5'],
    );
    assert.deepEqual(history.latestJourneys(2, older[1].lastAt - 10 * 5).journeys, []);
  });

  it('moves a journey that goes on to the front', () => {
    run('x');
    run('y');
    clock.advance(100);
    run('z', { causedBy: 'x' });
    assert.deepEqual(
      history.latestJourneys(5).journeys.map((j) => j.invocations),
      [2, 1],
    );
  });
});
