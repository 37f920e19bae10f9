import type * as Kinesis from '@aws-sdk/client-kinesis';
import type { KinesisContext } from './context';
import { invalidArgument, missing, validation } from './errors';
import { checkLength, oneOf, optionalInteger, optionalString, requiredString } from './input';
import type { Stream } from './store';
import { resolveStream, type StreamInput } from './streams';

const MIN_RETENTION_HOURS = 24;
const MAX_RETENTION_HOURS = 8760;
const MAX_TAGS = 50;
const MAX_TAGS_PER_CALL = 10;
export const SHARD_LEVEL_METRICS = [
  'IncomingBytes',
  'IncomingRecords',
  'OutgoingBytes',
  'OutgoingRecords',
  'WriteProvisionedThroughputExceeded',
  'ReadProvisionedThroughputExceeded',
  'IteratorAgeMilliseconds',
] as const;

/** IncreaseStreamRetentionPeriod and DecreaseStreamRetentionPeriod, with AWS's bounds and wording. */
export function changeRetention(
  context: KinesisContext,
  input: Kinesis.IncreaseStreamRetentionPeriodInput,
  direction: 'increase' | 'decrease',
): void {
  const stream = resolveStream(context, input);
  const hours = optionalInteger(input.RetentionPeriodHours, 'retentionPeriodHours', 1, MAX_RETENTION_HOURS);
  if (hours === undefined) throw missing('retentionPeriodHours');
  if (hours < MIN_RETENTION_HOURS) {
    throw invalidArgument(
      `Minimum allowed retention period is ${MIN_RETENTION_HOURS} hours. Requested retention period (${hours} hours) is too short.`,
    );
  }
  const current = stream.retentionHours;
  if (direction === 'increase' && hours < current) {
    throw invalidArgument(
      `Requested retention period (${hours} hours) for stream ${stream.name} can not be shorter than existing retention period (${current} hours). Use DecreaseRetentionPeriod API.`,
    );
  }
  if (direction === 'decrease' && hours > current) {
    throw invalidArgument(
      `Requested retention period (${hours} hours) for stream ${stream.name} can not be longer than existing retention period (${current} hours). Use IncreaseRetentionPeriod API.`,
    );
  }
  context.store.setRetention(stream, hours);
}

/** The stream a tagging call on a resource names by ARN. */
function streamOfResource(context: KinesisContext, input: { ResourceARN?: unknown }): Stream {
  const arn = checkLength(requiredString(input.ResourceARN, 'resourceARN'), 'resourceARN', 1, 2048);
  return resolveStream(context, { StreamARN: arn });
}

function checkTags(value: unknown, perCall: number): Record<string, string> {
  if (value === undefined || value === null) throw missing('tags');
  if (typeof value !== 'object' || Array.isArray(value))
    throw validation('tags', value, 'Member must be a map');
  const tags = value as Record<string, unknown>;
  if (Object.keys(tags).length > perCall) {
    throw invalidArgument(`Failed to add tags: a request can add at most ${perCall} tags.`);
  }
  for (const [key, tag] of Object.entries(tags)) {
    checkLength(key, 'tags.key', 1, 128);
    checkLength(requiredString(tag, `tags.${key}`), `tags.${key}`, 0, 256);
  }
  return tags as Record<string, string>;
}

function addTags(context: KinesisContext, stream: Stream, tags: Record<string, string>): void {
  const keys = new Set([...context.settings.tags(stream.id).map((t) => t.Key), ...Object.keys(tags)]);
  if (keys.size > MAX_TAGS) {
    throw invalidArgument(
      `Failed to add tags to stream ${stream.name} under account ${context.accountId} because a given stream cannot have more than ${MAX_TAGS} tags associated with it.`,
    );
  }
  context.settings.setTags(stream.id, tags);
}

function tagKeys(value: unknown): string[] {
  if (value === undefined || value === null) throw missing('tagKeys');
  if (!Array.isArray(value) || value.length < 1 || value.length > MAX_TAGS) {
    throw validation('tagKeys', value, `Member must have length between 1 and ${MAX_TAGS}`);
  }
  return value.map((key: unknown, i) =>
    checkLength(requiredString(key, `tagKeys.${i + 1}.member`), 'tagKeys', 1, 128),
  );
}

export function addTagsToStream(context: KinesisContext, input: Kinesis.AddTagsToStreamInput): void {
  addTags(context, resolveStream(context, input), checkTags(input.Tags, MAX_TAGS_PER_CALL));
}

export function removeTagsFromStream(
  context: KinesisContext,
  input: Kinesis.RemoveTagsFromStreamInput,
): void {
  context.settings.removeTags(resolveStream(context, input).id, tagKeys(input.TagKeys));
}

export function listTagsForStream(
  context: KinesisContext,
  input: Kinesis.ListTagsForStreamInput,
): Kinesis.ListTagsForStreamOutput {
  const stream = resolveStream(context, input);
  const limit = optionalInteger(input.Limit, 'limit', 1, 50) ?? 50;
  const after = optionalString(input.ExclusiveStartTagKey, 'exclusiveStartTagKey');
  const tags = context.settings.tags(stream.id).filter((tag) => after === undefined || tag.Key > after);
  return { Tags: tags.slice(0, limit), HasMoreTags: tags.length > limit };
}

export function tagResource(context: KinesisContext, input: Kinesis.TagResourceInput): void {
  addTags(context, streamOfResource(context, input), checkTags(input.Tags, MAX_TAGS));
}

export function untagResource(context: KinesisContext, input: Kinesis.UntagResourceInput): void {
  context.settings.removeTags(streamOfResource(context, input).id, tagKeys(input.TagKeys));
}

export function listTagsForResource(
  context: KinesisContext,
  input: Kinesis.ListTagsForResourceInput,
): Kinesis.ListTagsForResourceOutput {
  return { Tags: context.settings.tags(streamOfResource(context, input).id) };
}

/** StartStreamEncryption (KMS with the key given) and StopStreamEncryption. */
export function setEncryption(
  context: KinesisContext,
  input: Kinesis.StartStreamEncryptionInput,
  on: boolean,
): void {
  const stream = resolveStream(context, input);
  oneOf(input.EncryptionType, 'encryptionType', ['KMS', 'NONE']);
  const keyId = checkLength(requiredString(input.KeyId, 'keyId'), 'keyId', 1, 2048);
  if (on && input.EncryptionType !== 'KMS') throw invalidArgument('EncryptionType must be KMS.');
  const current = context.settings.encryption(stream.id);
  if (!on && current.keyId !== undefined && current.keyId !== keyId) {
    throw invalidArgument(`Stream ${stream.name} is not encrypted with KeyId ${keyId}.`);
  }
  context.settings.setEncryption(stream.id, on ? keyId : undefined);
}

/** EnableEnhancedMonitoring and DisableEnhancedMonitoring (ALL stands for every metric). */
export function changeMonitoring(
  context: KinesisContext,
  input: Kinesis.EnableEnhancedMonitoringInput,
  enable: boolean,
): Kinesis.EnhancedMonitoringOutput {
  const stream = resolveStream(context, input as StreamInput);
  const given: unknown = input.ShardLevelMetrics;
  if (given === undefined || given === null) throw missing('shardLevelMetrics');
  if (!Array.isArray(given) || given.length < 1 || given.length > 7) {
    throw validation('shardLevelMetrics', given, 'Member must have length between 1 and 7');
  }
  const metrics = given.flatMap((metric: unknown, i): string[] =>
    oneOf(metric, `shardLevelMetrics.${i + 1}.member`, [...SHARD_LEVEL_METRICS, 'ALL'] as const) === 'ALL'
      ? [...SHARD_LEVEL_METRICS]
      : [metric as string],
  );
  const current = context.settings.metrics(stream.id);
  const desired = SHARD_LEVEL_METRICS.filter((m) =>
    enable ? current.includes(m) || metrics.includes(m) : current.includes(m) && !metrics.includes(m),
  );
  context.settings.setMetrics(stream.id, desired);
  return {
    StreamName: stream.name,
    StreamARN: stream.arn,
    CurrentShardLevelMetrics: current as Kinesis.MetricsName[],
    DesiredShardLevelMetrics: desired,
  };
}

/** What DescribeStream and DescribeStreamSummary show of the stream's encryption and monitoring. */
export function optionsShape(context: KinesisContext, stream: Stream) {
  const encryption = context.settings.encryption(stream.id);
  return {
    EnhancedMonitoring: [{ ShardLevelMetrics: context.settings.metrics(stream.id) as Kinesis.MetricsName[] }],
    EncryptionType: encryption.type,
    KeyId: encryption.keyId,
  };
}
