import type { Checkpoint } from './checkpoints';
import type { DynamoDbStreamsSourceApi, KinesisSourceApi, RecordsNotifier } from './source-apis';
import { dynamodbRecord, kinesisRecord, type StreamPulled } from './stream-records';

/** Where a shard is read from when it has no checkpoint yet. */
export type StartingPosition =
  { type: 'TRIM_HORIZON' } | { type: 'LATEST' } | { type: 'AT_TIMESTAMP'; timestamp: number };

/** A shard and where it came from (a split or merge of its parents), as a listing shows it. */
export interface ShardInfo {
  id: string;
  parents: string[];
  /** Closed by a split or merge: it gets no more records. */
  closed: boolean;
}

/** A stream as its mapping reads it, whatever the kind: shards, iterators, records. */
export interface ShardSource {
  kind: 'kinesis' | 'dynamodb';
  streamArn: string;
  shards(): Promise<ShardInfo[]>;
  iterator(shardId: string, from: Checkpoint | StartingPosition): Promise<string>;
  read(
    shardId: string,
    iterator: string,
    limit: number,
  ): Promise<{
    records: StreamPulled[];
    next: string | undefined;
    /** Set when a closed shard is read to its end (Kinesis: no NextShardIterator): its children. */
    end?: ShardInfo[];
  }>;
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
    async shards() {
      const shards: ShardInfo[] = [];
      let token: string | undefined;
      do {
        const page = await api.listShards(token ? { NextToken: token } : { StreamName });
        shards.push(
          ...(page.Shards ?? []).map((shard) => ({
            id: shard.ShardId ?? '',
            parents: [shard.ParentShardId, shard.AdjacentParentShardId].filter((id): id is string => !!id),
            closed: shard.SequenceNumberRange?.EndingSequenceNumber !== undefined,
          })),
        );
        token = page.NextToken;
      } while (token);
      return shards;
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
        next: page.NextShardIterator ?? undefined,
        end: page.NextShardIterator
          ? undefined
          : (page.ChildShards ?? []).map((child) => ({
              id: child.ShardId ?? '',
              parents: child.ParentShards ?? [shardId],
              closed: false,
            })),
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
    async shards() {
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
      // Read independently, as before resharding was followed (Kinesis only).
      return ids.map((id) => ({ id, parents: [], closed: false }));
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
