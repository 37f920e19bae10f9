import { buildArn, inAccount } from '../../service/arn';
import type * as Kinesis from '@aws-sdk/client-kinesis';
import {
  invalidArgument,
  KinesisError,
  shardNotFound,
  streamInUse,
  streamNotFound,
  validation,
} from './errors';
import { checkLength, oneOf, optionalDate, optionalInteger, optionalString, streamName } from './input';
import type { KinesisContext } from './context';
import { sequenceNumber, shardIdOf, shardIndexOfId } from './positions';
import { retentionStart, type Shard, type Stream, type StreamMode } from './store';
import { optionsShape } from './stream-options';

/** Shards an on-demand stream starts with. */
export const ON_DEMAND_SHARDS = 4;
/** AWS's default shard quota per account (us-east-1, us-west-2, eu-west-1). */
export const ACCOUNT_SHARD_LIMIT = 500;
const LIST_TOKEN_LIFETIME = 300_000;
const STREAM_ARN = /^arn:aws[a-z-]*:kinesis:[a-z0-9-]+:\d{12}:stream\/\S+$/;

export const openShardCount = (stream: Stream) =>
  stream.shards.reduce((sum, shard) => sum + (shard.closedAt === undefined ? 1 : 0), 0);

/** The shards a listing shows: the open ones and those closed within the retention period. */
export function visibleShards(context: KinesisContext, stream: Stream): Shard[] {
  const since = retentionStart(stream, context.clock.now());
  return stream.shards.filter((shard) => shard.closedAt === undefined || shard.closedAt >= since);
}

export const streamArnOf = (context: KinesisContext, name: string) =>
  buildArn('kinesis', context.region, context.accountId, `stream/${name}`);

/** The stream a request names by StreamARN or StreamName (both: they must agree). */
/** The members by which a request names its stream. */
export interface StreamInput {
  StreamName?: unknown;
  StreamARN?: unknown;
}

export function resolveStream(context: KinesisContext, input: StreamInput): Stream {
  const arn = optionalString(input.StreamARN, 'streamARN');
  const name =
    input.StreamName === undefined || input.StreamName === null ? undefined : streamName(input.StreamName);
  if (arn !== undefined) {
    checkLength(arn, 'streamARN', 1, 2048);
    if (!STREAM_ARN.test(arn)) {
      throw validation(
        'streamARN',
        arn,
        `Member must satisfy regular expression pattern: ${STREAM_ARN.source}`,
      );
    }
    const stream = context.store.byArn(inAccount(arn, context.accountId));
    if (!stream) throw streamNotFound(arn.slice(arn.indexOf('/') + 1), context.accountId);
    if (name !== undefined && name !== stream.name) {
      throw invalidArgument(`StreamARN ${arn} and StreamName ${name} name different streams.`);
    }
    return stream;
  }
  if (name === undefined) throw invalidArgument('Either StreamName or StreamARN should be provided.');
  const stream = context.store.byName(name);
  if (!stream) throw streamNotFound(name, context.accountId);
  return stream;
}

export function findShard(context: KinesisContext, stream: Stream, shardId: string): Shard {
  const shard = stream.shards[shardIndexOfId(shardId) ?? -1];
  if (!shard) throw shardNotFound(shardId, stream.name, context.accountId);
  return shard;
}

export function createStream(context: KinesisContext, input: Kinesis.CreateStreamInput): void {
  const name = streamName(input.StreamName);
  const mode: StreamMode = input.StreamModeDetails
    ? oneOf(input.StreamModeDetails.StreamMode, 'streamModeDetails.streamMode', ['PROVISIONED', 'ON_DEMAND'])
    : 'PROVISIONED';
  const given = optionalInteger(input.ShardCount, 'shardCount', 1, 1_000_000);
  const shardCount = mode === 'ON_DEMAND' ? ON_DEMAND_SHARDS : given;
  if (shardCount === undefined) throw invalidArgument('ShardCount is required for a PROVISIONED stream.');
  if (context.store.byName(name)) throw streamInUse(name, context.accountId);
  checkAccountLimit(context, shardCount);
  context.store.create({
    name,
    arn: streamArnOf(context, name),
    shardCount,
    mode,
    createdAt: context.clock.now(),
  });
}

export function deleteStream(context: KinesisContext, input: Kinesis.DeleteStreamInput): void {
  const stream = resolveStream(context, input);
  context.settings.forget(stream.id);
  context.store.delete(stream);
}

function shardShape(stream: Stream, shard: Shard): Kinesis.Shard {
  return {
    ShardId: shard.id,
    ParentShardId: shard.parent === undefined ? undefined : shardIdOf(shard.parent),
    AdjacentParentShardId: shard.adjacentParent === undefined ? undefined : shardIdOf(shard.adjacentParent),
    HashKeyRange: {
      StartingHashKey: shard.range.start.toString(),
      EndingHashKey: shard.range.end.toString(),
    },
    SequenceNumberRange: {
      StartingSequenceNumber: sequenceNumber(stream.id, shard.index, 0),
      EndingSequenceNumber:
        shard.closedAt === undefined ? undefined : sequenceNumber(stream.id, shard.index, shard.last),
    },
  };
}

function summaryShape(context: KinesisContext, stream: Stream) {
  return {
    StreamName: stream.name,
    StreamARN: stream.arn,
    StreamStatus: 'ACTIVE' as const,
    StreamModeDetails: { StreamMode: stream.mode },
    RetentionPeriodHours: stream.retentionHours,
    StreamCreationTimestamp: new Date(stream.createdAt),
    ...optionsShape(context, stream),
  };
}

/** The shards after `exclusiveStartShardId`, if one is given. */
function shardsAfter(shards: Shard[], exclusiveStartShardId: unknown): Shard[] {
  const after = optionalString(exclusiveStartShardId, 'exclusiveStartShardId');
  if (after === undefined) return shards;
  checkLength(after, 'exclusiveStartShardId', 1, 128);
  const index = shardIndexOfId(after);
  return index === undefined ? shards : shards.filter((shard) => shard.index > index);
}

export function describeStream(
  context: KinesisContext,
  input: Kinesis.DescribeStreamInput,
): Kinesis.DescribeStreamOutput {
  const stream = resolveStream(context, input);
  const limit = optionalInteger(input.Limit, 'limit', 1, 10_000) ?? 100;
  const shards = shardsAfter(visibleShards(context, stream), input.ExclusiveStartShardId);
  return {
    StreamDescription: {
      ...summaryShape(context, stream),
      Shards: shards.slice(0, limit).map((shard) => shardShape(stream, shard)),
      HasMoreShards: shards.length > limit,
    },
  };
}

export function describeStreamSummary(
  context: KinesisContext,
  input: Kinesis.DescribeStreamSummaryInput,
): Kinesis.DescribeStreamSummaryOutput {
  const stream = resolveStream(context, input);
  return {
    StreamDescriptionSummary: {
      ...summaryShape(context, stream),
      OpenShardCount: openShardCount(stream),
      ConsumerCount: context.settings.consumers(stream.id).length,
    },
  };
}

export function listStreams(
  context: KinesisContext,
  input: Kinesis.ListStreamsInput,
): Kinesis.ListStreamsOutput {
  const limit = optionalInteger(input.Limit, 'limit', 1, 10_000) ?? 100;
  const token = optionalString(input.NextToken, 'nextToken');
  const after =
    token !== undefined
      ? Buffer.from(token, 'base64').toString('utf8')
      : input.ExclusiveStartStreamName === undefined
        ? undefined
        : streamName(input.ExclusiveStartStreamName, 'exclusiveStartStreamName');
  const streams = context.store.list().filter((stream) => after === undefined || stream.name > after);
  const page = streams.slice(0, limit);
  const more = streams.length > limit;
  return {
    StreamNames: page.map((stream) => stream.name),
    HasMoreStreams: more,
    NextToken: more ? Buffer.from(page[page.length - 1].name).toString('base64') : undefined,
    StreamSummaries: page.map((stream) => {
      const { StreamName, StreamARN, StreamStatus, StreamModeDetails, StreamCreationTimestamp } =
        summaryShape(context, stream);
      return { StreamName, StreamARN, StreamStatus, StreamModeDetails, StreamCreationTimestamp };
    }),
  };
}

interface ListShardsToken {
  streamId: number;
  after: number;
  issuedAt: number;
  /** The filter of the first page, by type and time (AFTER_SHARD_ID lives on in `after`). */
  filter?: { type: string; at?: number };
}

const SHARD_FILTERS = [
  'AFTER_SHARD_ID',
  'AT_TRIM_HORIZON',
  'FROM_TRIM_HORIZON',
  'AT_LATEST',
  'AT_TIMESTAMP',
  'FROM_TIMESTAMP',
] as const;

/** ListShards: a page of the stream's shards; a NextToken lives five minutes, as AWS's does. */
export function listShards(
  context: KinesisContext,
  input: Kinesis.ListShardsInput,
): Kinesis.ListShardsOutput {
  const limit = optionalInteger(input.MaxResults, 'maxResults', 1, 10_000) ?? 1000;
  const now = context.clock.now();
  const token = optionalString(input.NextToken, 'nextToken');
  let stream: Stream;
  let shards: Shard[];
  let filter: ListShardsToken['filter'];
  if (token !== undefined) {
    if (input.StreamName !== undefined || input.StreamARN !== undefined) {
      throw invalidArgument('NextToken and StreamName or StreamARN cannot be provided together.');
    }
    if (input.ExclusiveStartShardId !== undefined) {
      throw invalidArgument('NextToken and ExclusiveStartShardId cannot be provided together.');
    }
    const position = readListToken(token);
    if (now - position.issuedAt > LIST_TOKEN_LIFETIME) {
      throw new KinesisError('ExpiredNextTokenException', 'The NextToken has expired.');
    }
    const found = context.store.byId(position.streamId);
    if (!found) throw invalidArgument('NextToken names a stream that no longer exists.');
    stream = found;
    filter = position.filter;
    shards = applyFilter(context, stream, visibleShards(context, stream), filter).filter(
      (shard) => shard.index > position.after,
    );
  } else {
    stream = resolveStream(context, input);
    const listed = shardsAfter(visibleShards(context, stream), input.ExclusiveStartShardId);
    const read = readFilter(input.ShardFilter);
    filter = read?.filter;
    shards = applyFilter(context, stream, listed, filter);
    if (read?.after !== undefined) shards = shards.filter((shard) => shard.index > (read.after ?? -1));
  }
  const page = shards.slice(0, limit);
  const token_: ListShardsToken = {
    streamId: stream.id,
    after: page[page.length - 1]?.index ?? -1,
    issuedAt: now,
    filter,
  };
  const nextToken =
    shards.length > limit ? Buffer.from(JSON.stringify(token_)).toString('base64') : undefined;
  return { Shards: page.map((shard) => shardShape(stream, shard)), NextToken: nextToken };
}

function readListToken(token: string): ListShardsToken {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as ListShardsToken;
    if ([parsed.streamId, parsed.after, parsed.issuedAt].every(Number.isSafeInteger)) return parsed;
  } catch {
    // answered below
  }
  throw invalidArgument('Invalid NextToken.');
}

/** A ShardFilter, checked: AFTER_SHARD_ID as the index to list after, the others by type and time. */
function readFilter(
  given: Kinesis.ShardFilter | undefined,
): { filter?: ListShardsToken['filter']; after?: number } | undefined {
  if (given === undefined || given === null) return undefined;
  const type = oneOf(given.Type, 'shardFilter.type', SHARD_FILTERS);
  const shardId = optionalString(given.ShardId, 'shardFilter.shardId');
  const timestamp = optionalDate(given.Timestamp, 'shardFilter.timestamp');
  if (type === 'AFTER_SHARD_ID') {
    if (shardId === undefined)
      throw invalidArgument('ShardId must be provided for the AFTER_SHARD_ID filter.');
    return { after: shardIndexOfId(shardId) ?? -1 };
  }
  if (shardId !== undefined) {
    throw invalidArgument(`ShardId can only be provided for the AFTER_SHARD_ID filter, not for ${type}.`);
  }
  if (type === 'AT_TIMESTAMP' || type === 'FROM_TIMESTAMP') {
    if (timestamp === undefined) throw invalidArgument(`Timestamp must be provided for the ${type} filter.`);
    return { filter: { type, at: timestamp.getTime() } };
  }
  if (timestamp !== undefined) {
    throw invalidArgument(
      `Timestamp can only be provided for the AT_TIMESTAMP or FROM_TIMESTAMP filter, not for ${type}.`,
    );
  }
  return { filter: { type } };
}

/**
 * The shards a ShardFilter keeps, as AWS documents them: AT_LATEST the open ones; AT_TRIM_HORIZON
 * and AT_TIMESTAMP those open at that time (the stream's creation if earlier); FROM_TIMESTAMP the
 * open ones and those closed at or after the time (the trim horizon if earlier); FROM_TRIM_HORIZON,
 * the default, every one within the retention period.
 */
function applyFilter(
  context: KinesisContext,
  stream: Stream,
  shards: Shard[],
  filter: ListShardsToken['filter'],
): Shard[] {
  if (!filter) return shards;
  const horizon = retentionStart(stream, context.clock.now());
  const openAt = (time: number) => {
    const at = Math.max(time, stream.createdAt);
    return shards.filter((s) => s.createdAt <= at && (s.closedAt === undefined || s.closedAt >= at));
  };
  switch (filter.type) {
    case 'AT_LATEST':
      return shards.filter((s) => s.closedAt === undefined);
    case 'AT_TRIM_HORIZON':
      return openAt(horizon);
    case 'AT_TIMESTAMP':
      return openAt(filter.at ?? horizon);
    case 'FROM_TIMESTAMP': {
      const from = Math.max(filter.at ?? horizon, horizon);
      return shards.filter((s) => s.closedAt === undefined || s.closedAt >= from);
    }
    default:
      return shards;
  }
}

/** The account's shard quota counts open shards, the children a call opens and not its parents. */
export function checkAccountLimit(context: KinesisContext, added: number): void {
  const open = context.store.list().reduce((sum, stream) => sum + openShardCount(stream), 0);
  if (open + added > ACCOUNT_SHARD_LIMIT) {
    throw new KinesisError(
      'LimitExceededException',
      `This request would exceed the shard limit for the account ${context.accountId} in ${context.region}. ` +
        `Current limit on shards is ${ACCOUNT_SHARD_LIMIT}. ` +
        `Number of additional shards that would have resulted from this request: ${added}.`,
    );
  }
}
