import type { Checkpoint } from './checkpoints';
import type { DynamoDbStreamsSourceApi, KinesisSourceApi, RecordsNotifier } from './source-apis';
import { dynamodbRecord, kinesisRecord, type StreamPulled } from './stream-records';

/** Where a shard is read from when it has no checkpoint yet. */
export type StartingPosition =
  { type: 'TRIM_HORIZON' } | { type: 'LATEST' } | { type: 'AT_TIMESTAMP'; timestamp: number };

/** A stream as its mapping reads it, whatever the kind: shards, iterators, records. */
export interface ShardSource {
  kind: 'kinesis' | 'dynamodb';
  streamArn: string;
  shardIds(): Promise<string[]>;
  iterator(shardId: string, from: Checkpoint | StartingPosition): Promise<string>;
  read(
    shardId: string,
    iterator: string,
    limit: number,
  ): Promise<{ records: StreamPulled[]; next: string | undefined }>;
  /** Set for embedded streams: told when a shard gets records. */
  notifier?: RecordsNotifier;
}

type IteratorRequest = {
  ShardIteratorType: 'TRIM_HORIZON' | 'LATEST' | 'AFTER_SEQUENCE_NUMBER' | 'AT_TIMESTAMP';
  StartingSequenceNumber?: string;
  Timestamp?: Date;
};

function iteratorRequest(from: Checkpoint | StartingPosition): IteratorRequest {
  if ('sequenceNumber' in from) {
    return { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: from.sequenceNumber };
  }
  if ('timestamp' in from) return { ShardIteratorType: 'AT_TIMESTAMP', Timestamp: new Date(from.timestamp) };
  return { ShardIteratorType: from.type };
}

export function kinesisSource(
  api: KinesisSourceApi,
  streamArn: string,
  place: { region: string; roleArn: string },
  notifier?: RecordsNotifier,
): ShardSource {
  // By name: every implementation takes StreamName; some emulators check a StreamARN's account.
  const StreamName = streamArn.split('/')[1] ?? streamArn;
  return {
    kind: 'kinesis',
    streamArn,
    notifier,
    async shardIds() {
      const ids: string[] = [];
      let token: string | undefined;
      do {
        const page = await api.listShards(token ? { NextToken: token } : { StreamName });
        ids.push(...(page.Shards ?? []).map((shard) => shard.ShardId ?? ''));
        token = page.NextToken;
      } while (token);
      return ids;
    },
    async iterator(shardId, from) {
      const { ShardIterator } = await api.getShardIterator({
        StreamName,
        ShardId: shardId,
        ...iteratorRequest(from),
      });
      return ShardIterator ?? '';
    },
    async read(shardId, iterator, limit) {
      const page = await api.getRecords({ ShardIterator: iterator, Limit: Math.min(limit, 10_000) });
      return {
        records: (page.Records ?? []).map((r) => kinesisRecord(r, { shardId, streamArn, ...place })),
        next: page.NextShardIterator,
      };
    },
  };
}

export function dynamodbSource(
  api: DynamoDbStreamsSourceApi,
  streamArn: string,
  notifier?: RecordsNotifier,
): ShardSource {
  return {
    kind: 'dynamodb',
    streamArn,
    notifier,
    async shardIds() {
      const ids: string[] = [];
      let last: string | undefined;
      do {
        const { StreamDescription } = await api.describeStream({
          StreamArn: streamArn,
          ...(last && { ExclusiveStartShardId: last }),
        });
        ids.push(...(StreamDescription?.Shards ?? []).map((shard) => shard.ShardId ?? ''));
        last = StreamDescription?.LastEvaluatedShardId;
      } while (last);
      return ids;
    },
    async iterator(shardId, from) {
      // DynamoDB Streams has no AT_TIMESTAMP: a LATEST start pinned at a time reads from LATEST.
      const request = iteratorRequest(from);
      const { ShardIterator } = await api.getShardIterator({
        StreamArn: streamArn,
        ShardId: shardId,
        ShardIteratorType:
          request.ShardIteratorType === 'AT_TIMESTAMP' ? 'LATEST' : request.ShardIteratorType,
        ...(request.StartingSequenceNumber && { SequenceNumber: request.StartingSequenceNumber }),
      });
      return ShardIterator ?? '';
    },
    async read(_shardId, iterator, limit) {
      const page = await api.getRecords({ ShardIterator: iterator, Limit: Math.min(limit, 1000) });
      return {
        records: (page.Records ?? []).map((r) => dynamodbRecord(r, streamArn)),
        next: page.NextShardIterator,
      };
    },
  };
}
