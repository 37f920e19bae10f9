import { randomUUID } from 'node:crypto';
import type { Clock } from '../../clock';
import { callerTraceHeader, WRITE_CAUSE } from '../../lambda/write-causes';
import type { Db } from '../../state/database';
import type { Json } from './dynalite';
import { DynamoError, resourceNotFound, validation } from './errors';
import { streamRecord, type Change, type UserIdentity } from './stream-records';
import { sequenceNumber, sequenceOf, StreamsStore, type NewRecord, type StreamInfo } from './streams-store';

export interface StreamsOptions {
  db: Db;
  region: string;
  clock: Clock;
  newId?: () => string;
}

const ITERATOR_TYPES = ['TRIM_HORIZON', 'LATEST', 'AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER'];

/**
 * The tables' DynamoDB Streams: records written from captured changes, and the DynamoDB Streams API's
 * read operations in their wire shapes (one shard per stream; an iterator names the row id it reads after).
 */
export class Streams {
  readonly store: StreamsStore;
  private readonly listeners = new Set<(streamArn: string, shardId: string) => void>();
  private readonly newId: () => string;

  constructor(private readonly options: StreamsOptions) {
    this.store = new StreamsStore(options.db);
    this.newId = options.newId ?? (() => randomUUID().replace(/-/g, ''));
  }

  /** Writes the records of a write's changes to the stream, in order; unchanged items yield none. */
  capture(stream: StreamInfo, changes: Change[], userIdentity?: UserIdentity): void {
    const now = this.options.clock.now();
    const cause = callerTraceHeader();
    const records = changes.flatMap((change) => {
      const record = streamRecord(stream, change, {
        region: this.options.region,
        eventId: this.newId(),
        now,
        userIdentity,
      });
      return record ? [cause === undefined ? record : { ...record, cause }] : [];
    });
    if (!records.length) return;
    this.store.append(stream.arn, records, now);
    for (const listener of this.listeners) listener(stream.arn, stream.shardId);
  }

  onRecords(listener: (streamArn: string, shardId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  listStreams(input: Json): Json {
    const table = typeof input.TableName === 'string' ? input.TableName : undefined;
    const limit = typeof input.Limit === 'number' ? input.Limit : 100;
    if (limit < 1 || limit > 100) throw validation('Limit must be between 1 and 100');
    const streams = this.store.list(table);
    const start = streams.findIndex((s) => s.arn === input.ExclusiveStartStreamArn) + 1;
    const page = streams.slice(start, start + limit);
    return {
      Streams: page.map((s) => ({ StreamArn: s.arn, TableName: s.tableName, StreamLabel: s.label })),
      LastEvaluatedStreamArn: start + limit < streams.length ? page[page.length - 1].arn : undefined,
    };
  }

  describeStream(input: Json): Json {
    const stream = this.streamOf(input.StreamArn);
    const { first, last } = this.store.range(stream.arn);
    // A shard without records yet starts at the next sequence number there will be.
    const range = {
      StartingSequenceNumber: sequenceNumber(first ?? this.store.lastSeq() + 1),
      EndingSequenceNumber: stream.enabled || last === undefined ? undefined : sequenceNumber(last),
    };
    return {
      StreamDescription: {
        StreamArn: stream.arn,
        StreamLabel: stream.label,
        StreamStatus: stream.enabled ? 'ENABLED' : 'DISABLED',
        StreamViewType: stream.viewType,
        CreationRequestDateTime: Date.parse(`${stream.label}Z`) / 1000,
        TableName: stream.tableName,
        KeySchema: stream.keySchema,
        Shards: [{ ShardId: stream.shardId, SequenceNumberRange: range }],
      },
    };
  }

  getShardIterator(input: Json): Json {
    const stream = this.streamOf(input.StreamArn);
    if (input.ShardId !== stream.shardId) {
      throw resourceNotFound(
        `Requested resource not found: Shard: ${String(input.ShardId)} in Stream: ${stream.arn} not found`,
      );
    }
    const type = input.ShardIteratorType;
    if (typeof type !== 'string' || !ITERATOR_TYPES.includes(type)) {
      throw validation(
        `1 validation error detected: Value '${String(type)}' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [${ITERATOR_TYPES.join(', ')}]`,
      );
    }
    return { ShardIterator: iterator(stream, this.startAfter(stream, type, input.SequenceNumber)) };
  }

  getRecords(input: Json): Json {
    const limit = input.Limit ?? 1000;
    if (typeof limit !== 'number' || limit < 1 || limit > 1000) {
      throw validation(
        `1 validation error detected: Value '${String(limit)}' at 'limit' failed to satisfy constraint: Member must have value between 1 and 1000`,
      );
    }
    const { arn, after } = parseIterator(input.ShardIterator);
    const stream = this.streamOf(arn);
    const rows = this.store.read(arn, after, limit);
    const next = rows.length ? rows[rows.length - 1].seq : after;
    const closed = !stream.enabled && (this.store.range(arn).last ?? 0) <= next;
    return {
      Records: rows.map(({ seq, record }) => wireRecord(seq, record)),
      NextShardIterator: closed ? undefined : iterator(stream, next),
    };
  }

  private startAfter(stream: StreamInfo, type: string, sequence: unknown): number {
    const { first } = this.store.range(stream.arn);
    if (type === 'TRIM_HORIZON') return first === undefined ? 0 : first - 1;
    if (type === 'LATEST') return this.store.lastSeq();
    const seq = typeof sequence === 'string' ? sequenceOf(sequence) : undefined;
    if (seq === undefined) {
      throw validation(`Invalid SequenceNumber for ${type} iterator: ${String(sequence)}`);
    }
    if (first !== undefined && seq < first) {
      throw new DynamoError(
        'TrimmedDataAccessException',
        `Sequence number ${String(sequence)} is beyond the trim horizon of shard ${stream.shardId}`,
      );
    }
    return type === 'AT_SEQUENCE_NUMBER' ? seq - 1 : seq;
  }

  private streamOf(arn: unknown): StreamInfo {
    const stream = typeof arn === 'string' ? this.store.get(arn) : undefined;
    if (!stream) throw resourceNotFound(`Requested resource not found: Stream: ${String(arn)} not found`);
    return stream;
  }
}

/** The record as GetRecords answers it; its write's cause goes only to callers in this process. */
function wireRecord(seq: number, { cause, ...record }: NewRecord): Json {
  return {
    ...record,
    dynamodb: { ...record.dynamodb, SequenceNumber: sequenceNumber(seq) },
    ...(cause === undefined ? {} : { [WRITE_CAUSE]: cause }),
  };
}

function iterator(stream: StreamInfo, after: number): string {
  return Buffer.from(JSON.stringify([stream.arn, stream.shardId, after])).toString('base64');
}

function parseIterator(value: unknown): { arn: string; after: number } {
  try {
    const [arn, , after] = JSON.parse(Buffer.from(String(value), 'base64').toString('utf8')) as unknown[];
    if (typeof arn === 'string' && typeof after === 'number') return { arn, after };
  } catch {
    // answered below
  }
  throw validation(`Invalid ShardIterator: ${String(value)}`);
}
