import type * as Kinesis from '@aws-sdk/client-kinesis';
import type { KinesisContext } from './context';
import { invalidArgument, KinesisError, missing, validation } from './errors';
import { shardRanges } from './hash-keys';
import { checkLength, oneOf, optionalInteger, requiredString } from './input';
import { openShards, type Shard, type Stream } from './store';
import { checkAccountLimit, findShard, openShardCount, resolveStream } from './streams';

/** What a resharding call changed: the shards it closed (their readers reach their end). */
export interface Resharded {
  stream: Stream;
  closed: Shard[];
}

/** AWS's per-stream bound on UpdateShardCount's target (without a quota increase, 10000). */
const MAX_STREAM_SHARDS = 10_000;

const HASH_KEY = /^(0|[1-9]\d{0,38})$/;

function provisioned(stream: Stream, operation: string): void {
  if (stream.mode === 'ON_DEMAND') {
    throw validation(
      'streamModeDetails',
      'ON_DEMAND',
      `${operation} is only supported for data streams with the provisioned capacity mode`,
    );
  }
}

function openShard(context: KinesisContext, stream: Stream, member: string, value: unknown): Shard {
  const shard = findShard(context, stream, checkLength(requiredString(value, member), member, 1, 128));
  if (shard.closedAt !== undefined) {
    throw new KinesisError(
      'ResourceInUseException',
      `Shard ${shard.id} in stream ${stream.name} under account ${context.accountId} has already been merged or split, and thus is not eligible for merging or splitting.`,
    );
  }
  return shard;
}

/** Closes `shard` and opens its two halves, split at `key` (the second starts there). */
function split(context: KinesisContext, stream: Stream, shard: Shard, key: bigint): Shard[] {
  return context.store.reshard(
    stream,
    [shard],
    [
      { range: { start: shard.range.start, end: key - 1n }, parent: shard.index },
      { range: { start: key, end: shard.range.end }, parent: shard.index },
    ],
    context.clock.now(),
  );
}

/** Closes two adjacent shards (`low` before `high`) and opens the one covering both. */
function merge(context: KinesisContext, stream: Stream, shard: Shard, adjacent: Shard): Shard {
  const [low, high] = shard.range.start < adjacent.range.start ? [shard, adjacent] : [adjacent, shard];
  return context.store.reshard(
    stream,
    [shard, adjacent],
    [
      {
        range: { start: low.range.start, end: high.range.end },
        parent: shard.index,
        adjacentParent: adjacent.index,
      },
    ],
    context.clock.now(),
  )[0];
}

/** SplitShard: the shard closes; two children share its hash key range, the second from NewStartingHashKey. */
export function splitShard(context: KinesisContext, input: Kinesis.SplitShardInput): Resharded {
  const stream = resolveStream(context, input);
  const value = requiredString(input.NewStartingHashKey, 'newStartingHashKey');
  if (!HASH_KEY.test(value)) {
    throw validation(
      'newStartingHashKey',
      value,
      'Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38})',
    );
  }
  provisioned(stream, 'SplitShard');
  const shard = openShard(context, stream, 'shardToSplit', input.ShardToSplit);
  const key = BigInt(value);
  if (key <= shard.range.start + 1n || key >= shard.range.end) {
    throw invalidArgument(
      `NewStartingHashKey ${value} used in SplitShard() on shard ${shard.id} in stream ${stream.name} under account ${context.accountId} is not both greater than one plus the shard's StartingHashKey ${shard.range.start} and less than the shard's EndingHashKey ${shard.range.end}.`,
    );
  }
  checkAccountLimit(context, 1);
  split(context, stream, shard, key);
  return { stream, closed: [shard] };
}

/** MergeShards: two shards whose hash key ranges meet close; one child covers both. */
export function mergeShards(context: KinesisContext, input: Kinesis.MergeShardsInput): Resharded {
  const stream = resolveStream(context, input);
  provisioned(stream, 'MergeShards');
  const shard = openShard(context, stream, 'shardToMerge', input.ShardToMerge);
  const adjacent = openShard(context, stream, 'adjacentShardToMerge', input.AdjacentShardToMerge);
  const [low, high] = shard.range.start < adjacent.range.start ? [shard, adjacent] : [adjacent, shard];
  if (shard === adjacent || low.range.end + 1n !== high.range.start) {
    throw invalidArgument(
      `Shards ${shard.id} and ${adjacent.id} in stream ${stream.name} under account ${context.accountId} are not an adjacent pair of shards eligible for merging`,
    );
  }
  merge(context, stream, shard, adjacent);
  return { stream, closed: [shard, adjacent] };
}

/**
 * UpdateShardCount (UNIFORM_SCALING): as AWS does, through splits and merges, so that every shard
 * has at most two parents (short-lived shards, closed at once, may appear in between). First each
 * open shard is split at every boundary of the target's equal ranges inside it, then the pieces
 * of each target range are merged left to right. Done at once: the stream stays ACTIVE.
 */
export function updateShardCount(
  context: KinesisContext,
  input: Kinesis.UpdateShardCountInput,
): { resharded: Resharded; output: Kinesis.UpdateShardCountOutput } {
  const stream = resolveStream(context, input);
  const target = optionalInteger(input.TargetShardCount, 'targetShardCount', 1, 100_000);
  if (target === undefined) throw missing('targetShardCount');
  if (input.ScalingType === undefined || input.ScalingType === null) throw missing('scalingType');
  oneOf(input.ScalingType, 'scalingType', ['UNIFORM_SCALING']);
  provisioned(stream, 'UpdateShardCount');
  const current = openShardCount(stream);
  const counts = `Current open shard count: ${current}, Target shard count: ${target}`;
  if (target > MAX_STREAM_SHARDS) {
    throw new KinesisError(
      'LimitExceededException',
      `Target shard count or number of open shards cannot be greater than ${MAX_STREAM_SHARDS}. ${counts}`,
    );
  }
  if (target > current * 2) {
    throw new KinesisError(
      'LimitExceededException',
      `UpdateShardCount cannot scale up over double your current open shard count. ${counts}`,
    );
  }
  if (target < current / 2) {
    throw new KinesisError(
      'LimitExceededException',
      `UpdateShardCount cannot scale down below half your current open shard count. ${counts}`,
    );
  }
  if (target > current) checkAccountLimit(context, target - current);
  const before = openShards(stream);
  const targets = shardRanges(target);
  const same =
    before.length === target &&
    before.every((s, i) => s.range.start === targets[i].start && s.range.end === targets[i].end);
  if (!same) {
    context.store.transaction(() => {
      // Split at each target boundary strictly inside an open shard.
      for (const shard of before) {
        let piece = shard;
        for (const { start } of targets) {
          if (start > piece.range.start && start <= piece.range.end)
            piece = split(context, stream, piece, start)[1];
        }
      }
      // Merge the pieces of each target range.
      for (const range of targets) {
        const pieces = openShards(stream).filter(
          (s) => s.range.start >= range.start && s.range.end <= range.end,
        );
        pieces.reduce((merged, next) => merge(context, stream, merged, next));
      }
    });
  }
  const closed = stream.shards.filter((s) => s.closedAt !== undefined && before.includes(s));
  return {
    resharded: { stream, closed },
    output: {
      StreamName: stream.name,
      StreamARN: stream.arn,
      CurrentShardCount: current,
      TargetShardCount: target,
    },
  };
}
