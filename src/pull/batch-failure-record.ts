import { isoSeconds } from '../clock';
import type { BatchFailureRecord } from '../lambda/destinations';
import type { Discarded } from './stream-retries';

/**
 * The record a stream event source mapping sends to its on-failure destination: the discarded
 * batch's metadata (KinesisBatchInfo / DDBStreamBatchInfo), not its records (an S3 destination's
 * object adds them: `withPayload`).
 */
export function batchFailureRecord(
  discarded: Discarded,
  place: { kind: 'kinesis' | 'dynamodb'; shardId: string; streamArn: string; functionArn: string },
  now: number,
  newId: () => string,
): object {
  const { records, last } = discarded;
  const first = records[0];
  const final = records[records.length - 1];
  // Kinesis writes arrival times to the millisecond, DynamoDB Streams to the second (AWS's examples:
  // https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html and
  // https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html).
  const iso = (ms: number | undefined) =>
    place.kind === 'kinesis' ? new Date(ms ?? now).toISOString() : isoSeconds(new Date(ms ?? now));
  return {
    requestContext: {
      requestId: last?.kind === 'returned' || last?.kind === 'failed' ? last.requestId : newId(),
      functionArn: place.functionArn,
      condition: discarded.condition,
      approximateInvokeCount: discarded.invokeCount,
    },
    responseContext: {
      statusCode: 200,
      executedVersion: '$LATEST',
      ...(last?.kind === 'failed' && { functionError: last.functionError }),
    },
    version: '1.0',
    timestamp: new Date(now).toISOString(),
    [place.kind === 'kinesis' ? 'KinesisBatchInfo' : 'DDBStreamBatchInfo']: {
      shardId: place.shardId,
      startSequenceNumber: first?.sequenceNumber,
      endSequenceNumber: final?.sequenceNumber,
      approximateArrivalOfFirstRecord: iso(first?.arrivalMs),
      approximateArrivalOfLastRecord: iso(final?.arrivalMs),
      batchSize: records.length,
      streamArn: place.streamArn,
    },
  };
}

/**
 * The record with the discarded batch as the function was invoked with it (`{"Records": [...]}`), as a
 * string: what Lambda adds to the object it writes in an S3 on-failure destination, "the `payload`
 * field contains the original invocation record as an escaped JSON string"
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html; the Kinesis page,
 * kinesis-on-failure-destination.html, says the same).
 */
export function withPayload(record: object, payload: string): BatchFailureRecord {
  // `record` is batchFailureRecord's: its requestContext and batch info are there.
  return { ...(record as BatchFailureRecord), payload };
}
