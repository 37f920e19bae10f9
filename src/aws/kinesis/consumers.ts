import type * as Kinesis from '@aws-sdk/client-kinesis';
import type { KinesisContext } from './context';
import { invalidArgument, KinesisError } from './errors';
import { checkLength, optionalInteger, optionalString, requiredString } from './input';
import type { Consumer } from './settings-store';
import { findShard, resolveStream } from './streams';

/** AWS's quota of registered consumers per stream. */
const MAX_CONSUMERS = 20;
const CONSUMER_ARN =
  /^(arn:aws[a-z-]*:kinesis:[a-z0-9-]+:\d{12}:stream\/[a-zA-Z0-9_.-]+)\/consumer\/([a-zA-Z0-9_.-]+):\d+$/;

const consumerName = (value: unknown) => {
  const name = checkLength(requiredString(value, 'consumerName'), 'consumerName', 1, 128);
  if (!/^[a-zA-Z0-9_.-]+$/.test(name)) throw invalidArgument(`Invalid ConsumerName: ${name}`);
  return name;
};

function shape(consumer: Consumer, status: Kinesis.ConsumerStatus): Kinesis.Consumer {
  return {
    ConsumerName: consumer.name,
    ConsumerARN: consumer.arn,
    ConsumerStatus: status,
    ConsumerCreationTimestamp: new Date(consumer.createdAt),
  };
}

const notFound = (name: string, stream: string, accountId: string) =>
  new KinesisError(
    'ResourceNotFoundException',
    `Consumer ${name} under stream ${stream} not found for account ${accountId}.`,
  );

/** RegisterStreamConsumer: the consumer is CREATING in the answer, ACTIVE from then on. */
export function registerStreamConsumer(
  context: KinesisContext,
  input: Kinesis.RegisterStreamConsumerInput,
): Kinesis.RegisterStreamConsumerOutput {
  const stream = resolveStream(context, { StreamARN: requiredString(input.StreamARN, 'streamARN') });
  const name = consumerName(input.ConsumerName);
  const consumers = context.settings.consumers(stream.id);
  if (consumers.some((c) => c.name === name)) {
    throw new KinesisError(
      'ResourceInUseException',
      `Consumer ${name} under stream ${stream.name} already exists for account ${context.accountId}.`,
    );
  }
  if (consumers.length >= MAX_CONSUMERS) {
    throw new KinesisError(
      'LimitExceededException',
      `Stream ${stream.name} under account ${context.accountId} already has ${MAX_CONSUMERS} registered consumers.`,
    );
  }
  const now = context.clock.now();
  const consumer = {
    name,
    arn: `${stream.arn}/consumer/${name}:${Math.floor(now / 1000)}`,
    streamArn: stream.arn,
    createdAt: now,
  };
  context.settings.addConsumer(stream.id, consumer);
  return { Consumer: shape(consumer, 'CREATING') };
}

/** The consumer a request names by ConsumerARN, or by StreamARN and ConsumerName. */
function consumerOf(
  context: KinesisContext,
  input: { StreamARN?: unknown; ConsumerName?: unknown; ConsumerARN?: unknown },
): Consumer {
  const arn = optionalString(input.ConsumerARN, 'consumerARN');
  if (arn !== undefined) {
    const match = CONSUMER_ARN.exec(arn);
    const consumer = match ? context.settings.consumerByArn(arn) : undefined;
    if (!consumer) {
      const stream = match?.[1].slice(match[1].indexOf('/') + 1) ?? arn;
      throw notFound(match?.[2] ?? arn, stream, context.accountId);
    }
    return consumer;
  }
  if (input.StreamARN === undefined || input.ConsumerName === undefined) {
    throw invalidArgument('Either ConsumerARN or both StreamARN and ConsumerName must be provided.');
  }
  const stream = resolveStream(context, { StreamARN: input.StreamARN });
  const name = consumerName(input.ConsumerName);
  const consumer = context.settings.consumers(stream.id).find((c) => c.name === name);
  if (!consumer) throw notFound(name, stream.name, context.accountId);
  return consumer;
}

export function describeStreamConsumer(
  context: KinesisContext,
  input: Kinesis.DescribeStreamConsumerInput,
): Kinesis.DescribeStreamConsumerOutput {
  const consumer = consumerOf(context, input);
  return {
    ConsumerDescription: {
      ...shape(consumer, 'ACTIVE'),
      StreamARN: consumer.streamArn,
    } as Kinesis.ConsumerDescription,
  };
}

export function deregisterStreamConsumer(
  context: KinesisContext,
  input: Kinesis.DeregisterStreamConsumerInput,
): void {
  context.settings.removeConsumer(consumerOf(context, input).arn);
}

export function listStreamConsumers(
  context: KinesisContext,
  input: Kinesis.ListStreamConsumersInput,
): Kinesis.ListStreamConsumersOutput {
  const stream = resolveStream(context, { StreamARN: requiredString(input.StreamARN, 'streamARN') });
  const limit = optionalInteger(input.MaxResults, 'maxResults', 1, 10_000) ?? 100;
  const token = optionalString(input.NextToken, 'nextToken');
  const start = token === undefined ? 0 : Number(Buffer.from(token, 'base64').toString('utf8'));
  if (!Number.isSafeInteger(start) || start < 0) throw invalidArgument('Invalid NextToken.');
  const consumers = context.settings.consumers(stream.id);
  const page = consumers.slice(start, start + limit);
  return {
    Consumers: page.map((consumer) => shape(consumer, 'ACTIVE')),
    NextToken:
      start + limit < consumers.length ? Buffer.from(String(start + limit)).toString('base64') : undefined,
  };
}

/**
 * SubscribeToShard pushes records over an HTTP/2 event stream, which the endpoint does not serve: the
 * consumer and shard are checked as AWS checks them, then the call is refused.
 */
export function subscribeToShard(context: KinesisContext, input: Kinesis.SubscribeToShardInput): never {
  const consumer = consumerOf(context, { ConsumerARN: requiredString(input.ConsumerARN, 'consumerARN') });
  const stream = resolveStream(context, { StreamARN: consumer.streamArn });
  findShard(context, stream, requiredString(input.ShardId, 'shardId'));
  throw invalidArgument(
    'SubscribeToShard (enhanced fan-out) is not emulated: read the shard with GetShardIterator and GetRecords.',
  );
}
