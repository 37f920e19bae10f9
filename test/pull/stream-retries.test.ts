import { strict as assert } from 'node:assert';
import type { BatchInvocation } from '../../src/pull/invoke-batch';
import type { StreamPulled } from '../../src/pull/stream-records';
import { deliverWithRetries, type Discarded, type StreamRetryPolicy } from '../../src/pull/stream-retries';
import type { Clock } from '../../src/clock';

const NOW = 1_700_000_000_000;
const clock: Clock = {
  now: () => NOW,
  setTimeout: (callback) => setImmediate(callback),
  clearTimeout: (handle) => clearImmediate(handle as NodeJS.Immediate),
};

const records = (n: number, arrivalMs = NOW - 1000): StreamPulled[] =>
  Array.from({ length: n }, (_, i) => ({
    json: '{}',
    matchable: {},
    sequenceNumber: String(100 + i),
    partitionKey: 'k',
    arrivalMs,
  }));

const policy = (overrides: Partial<StreamRetryPolicy> = {}): StreamRetryPolicy => ({
  maximumRetryAttempts: -1,
  maximumRecordAgeInSeconds: -1,
  bisectBatchOnFunctionError: false,
  reportBatchItemFailures: false,
  retryDelayMs: 0,
  ...overrides,
});

const ok = (payload = 'null'): BatchInvocation => ({ kind: 'returned', requestId: 'r', payload });
const failed: BatchInvocation = { kind: 'failed', requestId: 'r', payload: '{}', functionError: 'Unhandled' };

/** Runs a delivery where `outcome` decides each invocation; returns the invoked batches and discards. */
async function run(
  batch: StreamPulled[],
  options: Partial<StreamRetryPolicy>,
  outcome: (batch: string[], call: number) => BatchInvocation,
  accepts?: (payload: string) => boolean,
) {
  const calls: string[][] = [];
  const discarded: Discarded[] = [];
  const marks: string[] = [];
  const settled = await deliverWithRetries(
    batch,
    async (b) => {
      const seqs = b.map((r) => r.sequenceNumber);
      calls.push(seqs);
      return outcome(seqs, calls.length);
    },
    {
      policy: policy(options),
      clock,
      running: () => calls.length < 1000,
      discard: async (d) => void discarded.push(d),
      outcome: (_requestId, mark) => void marks.push(mark),
      accepts,
    },
  );
  return {
    settled,
    calls,
    marks,
    discarded: discarded.map((d) => ({ ...d, records: d.records.map((r) => r.sequenceNumber) })),
  };
}

describe('deliverWithRetries (stream batches)', () => {
  it('invokes a batch that succeeds once', async () => {
    const { settled, calls, discarded } = await run(records(3), {}, () => ok());
    assert.equal(settled, true);
    assert.deepEqual(calls, [['100', '101', '102']]);
    assert.deepEqual(discarded, []);
  });

  it('retries a failing batch maximumRetryAttempts times, then discards it (RetryAttemptsExhausted)', async () => {
    const { calls, discarded } = await run(records(2), { maximumRetryAttempts: 2 }, () => failed);
    assert.equal(calls.length, 3);
    assert.equal(discarded.length, 1);
    assert.equal(discarded[0].condition, 'RetryAttemptsExhausted');
    assert.equal(discarded[0].invokeCount, 3);
    assert.deepEqual(discarded[0].records, ['100', '101']);
    assert.equal(discarded[0].last?.kind, 'failed');
  });

  it('retries until success with maximumRetryAttempts -1', async () => {
    const { calls, discarded } = await run(records(1), {}, (_b, call) => (call < 7 ? failed : ok()));
    assert.equal(calls.length, 7);
    assert.deepEqual(discarded, []);
  });

  it('does not spend attempts on throttles', async () => {
    const notInvoked: BatchInvocation = { kind: 'not-invoked', reason: 'Rate Exceeded.' };
    const { calls, discarded } = await run(records(1), { maximumRetryAttempts: 0 }, (_b, call) =>
      call <= 3 ? notInvoked : ok(),
    );
    assert.equal(calls.length, 4);
    assert.deepEqual(discarded, []);
  });

  it('bisects a failed batch without spending attempts until the bad record is alone', async () => {
    const { calls, discarded, marks } = await run(
      records(4),
      { bisectBatchOnFunctionError: true, maximumRetryAttempts: 1 },
      (b) => (b.includes('101') ? failed : ok()),
    );
    assert.deepEqual(calls, [
      ['100', '101', '102', '103'],
      ['100', '101'],
      ['100'],
      ['101'],
      ['101'],
      ['102', '103'],
    ]);
    assert.deepEqual(
      discarded.map((d) => [d.records, d.condition, d.invokeCount]),
      [[['101'], 'RetryAttemptsExhausted', 2]],
    );
    assert.deepEqual(marks, [
      'bisected: 2 + 2 records',
      'bisected: 1 + 1 records',
      'retried: the shard waits',
    ]);
  });

  it('retries from the lowest failed sequence number of a partial response', async () => {
    const { calls, marks } = await run(records(5), { reportBatchItemFailures: true }, (_b, call) =>
      call === 1
        ? ok(JSON.stringify({ batchItemFailures: [{ itemIdentifier: '103' }, { itemIdentifier: '102' }] }))
        : ok(JSON.stringify({ batchItemFailures: [] })),
    );
    assert.deepEqual(calls, [
      ['100', '101', '102', '103', '104'],
      ['102', '103', '104'],
    ]);
    assert.deepEqual(marks, ['checkpointed before record 3', 'retried: the shard waits']);
  });

  it('treats a malformed partial response as a failure of the whole batch', async () => {
    const { calls, discarded } = await run(
      records(2),
      { reportBatchItemFailures: true, maximumRetryAttempts: 1 },
      () => ok(JSON.stringify({ batchItemFailures: [{ itemIdentifier: 'nope' }] })),
    );
    assert.deepEqual(calls, [
      ['100', '101'],
      ['100', '101'],
    ]);
    assert.deepEqual(discarded[0].records, ['100', '101']);
  });

  it('ignores batchItemFailures without ReportBatchItemFailures', async () => {
    const { calls } = await run(records(2), {}, () =>
      ok(JSON.stringify({ batchItemFailures: [{ itemIdentifier: '100' }] })),
    );
    assert.equal(calls.length, 1);
  });

  it('gives up records older than maximumRecordAgeInSeconds without invoking (RecordAgeExceeded)', async () => {
    const { calls, discarded } = await run(records(2, NOW - 61_000), { maximumRecordAgeInSeconds: 60 }, () =>
      ok(),
    );
    assert.deepEqual(calls, []);
    assert.deepEqual(
      discarded.map((d) => [d.records, d.condition, d.invokeCount]),
      [[['100', '101'], 'RecordAgeExceeded', 0]],
    );
  });

  it('fails a returned response the caller does not accept (a tumbling window without state)', async () => {
    const { calls } = await run(
      records(1),
      { maximumRetryAttempts: 1 },
      () => ok('{}'),
      (payload) => payload.includes('state'),
    );
    assert.equal(calls.length, 2);
  });

  it('stops without settling when the mapping stops', async () => {
    const { settled, calls } = await run(records(1), {}, () => failed);
    assert.equal(settled, false);
    assert.equal(calls.length, 1000);
  });
});
