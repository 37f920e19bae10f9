import { strict as assert } from 'node:assert';
import { batchFailureRecord } from '../../src/pull/batch-failure-record';
import type { Discarded } from '../../src/pull/stream-retries';

const discarded = {
  records: [
    { sequenceNumber: '1', arrivalMs: Date.parse('2024-05-01T12:00:01.234Z') },
    { sequenceNumber: '2', arrivalMs: Date.parse('2024-05-01T12:00:02.567Z') },
  ],
  condition: 'RetryAttemptsExhausted',
  invokeCount: 3,
} as unknown as Discarded;

const infoOf = (kind: 'kinesis' | 'dynamodb') => {
  const record = batchFailureRecord(
    discarded,
    { kind, shardId: 'shardId-000000000000', streamArn: 'arn:stream', functionArn: 'arn:fn' },
    Date.parse('2024-05-01T12:01:00Z'),
    () => 'id',
  ) as Record<string, Record<string, unknown>>;
  return record[kind === 'kinesis' ? 'KinesisBatchInfo' : 'DDBStreamBatchInfo'];
};

describe('pull/batch-failure-record', () => {
  it('writes Kinesis arrival times to the millisecond', () => {
    const info = infoOf('kinesis');
    assert.equal(info.approximateArrivalOfFirstRecord, '2024-05-01T12:00:01.234Z');
    assert.equal(info.approximateArrivalOfLastRecord, '2024-05-01T12:00:02.567Z');
  });

  it('writes DynamoDB Streams arrival times to the second, as AWS does', () => {
    const info = infoOf('dynamodb');
    assert.equal(info.approximateArrivalOfFirstRecord, '2024-05-01T12:00:01Z');
    assert.equal(info.approximateArrivalOfLastRecord, '2024-05-01T12:00:02Z');
  });
});
