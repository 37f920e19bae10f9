import type * as Kinesis from '@aws-sdk/client-kinesis';
import { callerTraceHeader, WRITE_CAUSE } from '../../lambda/write-causes';
import { invalidArgument, KinesisError, missing, serialization, shardNotFound, validation } from './errors';
import { hashKeyOf, rangeHolding } from './hash-keys';
import {
  checkLength,
  oneOf,
  optionalDate,
  optionalInteger,
  optionalString,
  requiredBlob,
  requiredString,
} from './input';
import type { KinesisContext } from './context';
import { counterOf, decodeIterator, encodeIterator, sequenceNumber, shardIdOf } from './positions';
import { openShards, retentionStart, type Append, type Shard, type Stream } from './store';
import { findShard, resolveStream, type StreamInput } from './streams';

const MAX_RECORD_BYTES = 1024 * 1024;
const MAX_PUT_RECORDS_BYTES = 5 * 1024 * 1024;
const MAX_GET_RECORDS_BYTES = 10 * 1024 * 1024;
const MAX_PUT_RECORDS = 500;
const ITERATOR_LIFETIME = 300_000;

export interface Appended {
  stream: Stream;
  results: Array<{ ShardId: string; SequenceNumber: string }>;
  /** The shards that got records. */
  shards: Set<Shard>;
}

/** A record's members, checked. */
interface Checked {
  partitionKey: string;
  data: Buffer;
  hashKey: bigint;
}

/** Checks one record (members named `<prefix>data`, ...). */
function checkRecord(entry: Kinesis.PutRecordsRequestEntry, prefix: string): Checked {
  const data = requiredBlob(entry.Data, `${prefix}data`);
  const partitionKey = checkLength(
    requiredString(entry.PartitionKey, `${prefix}partitionKey`),
    `${prefix}partitionKey`,
    1,
    256,
  );
  // "The maximum size of the data payload of a record before base64-encoding is up to 1 MiB",
  // counting the partition key with the data blob.
  if (data.length + Buffer.byteLength(partitionKey) > MAX_RECORD_BYTES) {
    throw validation(
      `${prefix}data`,
      'java.nio.HeapByteBuffer',
      `Member must have length less than or equal to ${MAX_RECORD_BYTES}`,
    );
  }
  const explicit = optionalString(entry.ExplicitHashKey, `${prefix}explicitHashKey`);
  return {
    partitionKey,
    data: Buffer.from(data.buffer, data.byteOffset, data.length),
    hashKey: hashKeyOf(partitionKey, explicit),
  };
}

/**
 * Appends checked records to the stream the request names, each to the shard holding its hash key
 * (all or none), and answers with each one's shard and sequence number.
 */
function append(context: KinesisContext, input: StreamInput, checked: Checked[]): Appended {
  const stream = resolveStream(context, input);
  const open = openShards(stream);
  const records: Append[] = checked.map(({ partitionKey, data, hashKey }) => ({
    shard: rangeHolding(open, hashKey),
    partitionKey,
    data,
  }));
  const counters = context.store.append(stream, records, context.clock.now(), callerTraceHeader());
  return {
    stream,
    results: records.map(({ shard }, i) => ({
      ShardId: shard.id,
      SequenceNumber: sequenceNumber(stream.id, shard.index, counters[i]),
    })),
    shards: new Set(records.map(({ shard }) => shard)),
  };
}

export function putRecord(context: KinesisContext, input: Kinesis.PutRecordInput): Appended {
  optionalString(input.SequenceNumberForOrdering, 'sequenceNumberForOrdering');
  return append(context, input, [checkRecord(input, '')]);
}

export function putRecords(context: KinesisContext, input: Kinesis.PutRecordsInput): Appended {
  const entries: unknown = input.Records;
  if (entries === undefined || entries === null) throw missing('records');
  if (!Array.isArray(entries)) throw serialization('records must be a list');
  if (entries.length < 1 || entries.length > MAX_PUT_RECORDS) {
    const bound =
      entries.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_PUT_RECORDS}`;
    throw validation('records', `[${entries.length} records]`, `Member must have length ${bound}`);
  }
  const checked = entries.map((entry: unknown, i) => {
    const member = `records.${i + 1}.member`;
    if (typeof entry !== 'object' || entry === null) throw serialization(`${member} must be a structure`);
    return checkRecord(entry as Kinesis.PutRecordsRequestEntry, `${member}.`);
  });
  const size = checked.reduce((sum, r) => sum + r.data.length + Buffer.byteLength(r.partitionKey), 0);
  if (size > MAX_PUT_RECORDS_BYTES) throw invalidArgument('Records size exceeds 5 MB limit');
  return append(context, input, checked);
}

const ITERATOR_TYPES = [
  'AT_SEQUENCE_NUMBER',
  'AFTER_SEQUENCE_NUMBER',
  'TRIM_HORIZON',
  'LATEST',
  'AT_TIMESTAMP',
] as const;

export function getShardIterator(
  context: KinesisContext,
  stream: Stream,
  input: Kinesis.GetShardIteratorInput,
): Kinesis.GetShardIteratorOutput {
  const shard = findShard(
    context,
    stream,
    checkLength(requiredString(input.ShardId, 'shardId'), 'shardId', 1, 128),
  );
  const type = oneOf(input.ShardIteratorType, 'shardIteratorType', ITERATOR_TYPES);
  const now = context.clock.now();
  const sequence = () => {
    const value = optionalString(input.StartingSequenceNumber, 'startingSequenceNumber');
    if (value === undefined) {
      throw invalidArgument(`StartingSequenceNumber must be provided for ShardIteratorType ${type}.`);
    }
    return counterOf(value, 'StartingSequenceNumber', {
      streamId: stream.id,
      shard: shard.index,
      describe: `GetShardIterator on shard ${shard.id} in stream ${stream.name} under account ${context.accountId}`,
    });
  };
  let next: number;
  switch (type) {
    case 'TRIM_HORIZON':
      next = 0;
      break;
    case 'LATEST':
      next = shard.last + 1;
      break;
    case 'AT_SEQUENCE_NUMBER':
      next = sequence();
      break;
    case 'AFTER_SEQUENCE_NUMBER':
      next = sequence() + 1;
      break;
    case 'AT_TIMESTAMP': {
      const timestamp = optionalDate(input.Timestamp, 'timestamp');
      if (timestamp === undefined) {
        throw invalidArgument(
          'Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current request has no timestamp parameter.',
        );
      }
      if (timestamp.getTime() > now) {
        throw invalidArgument(
          `The timestampInMillis parameter cannot be greater than the currentTimestampInMillis. timestampInMillis: ${timestamp.getTime()}, currentTimestampInMillis: ${now}`,
        );
      }
      next = context.store.firstArrivedAt(stream, shard, timestamp.getTime()) ?? shard.last + 1;
      break;
    }
  }
  return { ShardIterator: encodeIterator({ streamId: stream.id, shard: shard.index, next, issuedAt: now }) };
}

/**
 * GetRecords: up to Limit records (and 10 MiB) from the iterator's position, leaving out those past
 * the stream's retention, and the iterator that continues after them.
 */
export function getRecords(
  context: KinesisContext,
  input: Kinesis.GetRecordsInput,
): Kinesis.GetRecordsOutput {
  const iterator = checkLength(requiredString(input.ShardIterator, 'shardIterator'), 'shardIterator', 1, 512);
  const limit = optionalInteger(input.Limit, 'limit', 1, 10_000) ?? 10_000;
  const position = decodeIterator(iterator);
  const now = context.clock.now();
  if (now - position.issuedAt > ITERATOR_LIFETIME) {
    throw new KinesisError(
      'ExpiredIteratorException',
      `Iterator expired. The iterator was created at time ${new Date(position.issuedAt).toUTCString()} while right now it is ${new Date(now).toUTCString()} which is further in the future than the tolerated delay of ${ITERATOR_LIFETIME} milliseconds.`,
    );
  }
  const stream = context.store.byId(position.streamId);
  const shard = stream?.shards[position.shard];
  if (!stream || !shard) {
    throw shardNotFound(shardIdOf(position.shard), stream?.name ?? 'of the ShardIterator', context.accountId);
  }
  const arn = optionalString(input.StreamARN, 'streamARN');
  if (arn !== undefined && arn !== stream.arn) {
    throw invalidArgument(`The ShardIterator was not issued for the stream ${arn}.`);
  }
  const rows = context.store.read(stream, shard, position.next, retentionStart(stream, now), limit);
  let bytes = 0;
  const kept = rows.filter((row) => (bytes += row.data.length) <= MAX_GET_RECORDS_BYTES);
  const last = kept[kept.length - 1];
  // Past the last record, or when nothing is left to read (only expired records), the tip is next.
  const next = last ? last.counter + 1 : Math.max(position.next, shard.last + 1);
  // A closed shard read to its end: no iterator, its children instead.
  const ended = shard.closedAt !== undefined && next > shard.last;
  return {
    Records: kept.map((row) => ({
      SequenceNumber: sequenceNumber(stream.id, shard.index, row.counter),
      ApproximateArrivalTimestamp: new Date(row.arrival),
      Data: row.data,
      PartitionKey: row.partitionKey,
      // Only callers in this process see it: JSON leaves symbol keys out.
      ...(row.cause === null ? {} : { [WRITE_CAUSE]: row.cause }),
    })),
    NextShardIterator: ended ? undefined : encodeIterator({ ...position, next, issuedAt: now }),
    MillisBehindLatest: last && next <= shard.last ? Math.max(0, now - last.arrival) : 0,
    ChildShards: ended ? childShards(stream, shard) : undefined,
  };
}

/** The shards a split or merge of `shard` opened, with their parents, as GetRecords lists them. */
export function childShards(stream: Stream, shard: Shard): Kinesis.ChildShard[] {
  return stream.shards
    .filter((child) => child.parent === shard.index || child.adjacentParent === shard.index)
    .map((child) => ({
      ShardId: child.id,
      ParentShards: [child.parent, child.adjacentParent]
        .filter((parent): parent is number => parent !== undefined)
        .map(shardIdOf),
      HashKeyRange: {
        StartingHashKey: child.range.start.toString(),
        EndingHashKey: child.range.end.toString(),
      },
    }));
}
