import { AwsError } from '../aws-error';

/** A Kinesis API error: status 400 with its code. */
export class KinesisError extends AwsError {}

export const invalidArgument = (message: string) => new KinesisError('InvalidArgumentException', message);

export const serialization = (message: string) => new KinesisError('SerializationException', message);

/** A request member outside its modelled constraint, worded as AWS words it. */
export const validation = (member: string, value: unknown, constraint: string) =>
  new KinesisError(
    'ValidationException',
    `1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: ${constraint}`,
  );

export const missing = (member: string) =>
  new KinesisError(
    'ValidationException',
    `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
  );

export const streamNotFound = (stream: string, accountId: string) =>
  new KinesisError('ResourceNotFoundException', `Stream ${stream} under account ${accountId} not found.`);

export const streamInUse = (stream: string, accountId: string) =>
  new KinesisError('ResourceInUseException', `Stream ${stream} under account ${accountId} already exists.`);

export const shardNotFound = (shardId: string, stream: string, accountId: string) =>
  new KinesisError(
    'ResourceNotFoundException',
    `Shard ${shardId} in stream ${stream} under account ${accountId} does not exist`,
  );
