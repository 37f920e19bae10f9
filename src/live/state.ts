import type { AsyncStore } from '../lambda/async-store';
import type { Checkpoints } from '../pull/checkpoints';
import { type EmbeddedServices, xmlBlocks, xmlValues } from './services';

const SQS = 'AmazonSQS.';
const DYNAMODB = 'DynamoDB_20120810.';
const KINESIS = 'Kinesis_20131202.';

export interface QueueState {
  name: string;
  url: string;
  arn: string;
  visible: number;
  inFlight: number;
  delayed: number;
  /** The queue its failed messages move to, after `maxReceiveCount` receives. */
  deadLetterQueue?: { name: string; maxReceiveCount: number };
  /** The queues whose failed messages move here: this queue is their DLQ. */
  deadLetterOf: string[];
}

interface QueueAttributes {
  QueueArn: string;
  ApproximateNumberOfMessages: string;
  ApproximateNumberOfMessagesNotVisible: string;
  ApproximateNumberOfMessagesDelayed: string;
  RedrivePolicy?: string;
}

export interface ServiceState {
  queues: QueueState[];
  /** Lambda's async queue: events accepted and not yet ended, by when their next attempt is due. */
  asyncQueue: Array<{
    functionKey: string;
    source: string;
    acceptedAt: number;
    attempts: number;
    nextAttemptAt: number;
    lastError?: string;
    delivering: boolean;
  }>;
  streams: Array<{ name: string; shards: Array<{ id: string; open: boolean }> }>;
  checkpoints: Array<{ mapping: string; shard: string; position: string; iteratorAgeMs?: number }>;
  tables: Array<{ name: string; items: number; streamArn?: string }>;
  buckets: Array<{ name: string; objects: number; truncated: boolean }>;
}

const nameOfArn = (arn: string) => arn.slice(arn.lastIndexOf(':') + 1);
const ASYNC_SHOWN = 200;

/** The state of the embedded services and of Lambda's queues, for the live view's State tab. */
export class LiveState {
  constructor(
    private readonly services: EmbeddedServices,
    private readonly asyncStore: AsyncStore,
    private readonly checkpoints: Checkpoints,
  ) {}

  async read(): Promise<ServiceState> {
    const [queues, streams, tables, buckets] = await Promise.all([
      this.queues(),
      this.streams(),
      this.tables(),
      this.buckets(),
    ]);
    return {
      queues,
      asyncQueue: this.asyncStore.waiting(ASYNC_SHOWN).map((event) => ({
        functionKey: event.functionKey,
        source: event.origin.detail ? `${event.origin.kind} ${event.origin.detail}` : event.origin.kind,
        acceptedAt: event.acceptedAt,
        attempts: event.attempts,
        nextAttemptAt: event.nextAttemptAt,
        ...(event.lastError === undefined ? {} : { lastError: event.lastError }),
        delivering: event.ending !== undefined,
      })),
      streams,
      checkpoints: this.checkpoints.all().map(({ mapping, shard, checkpoint, iteratorAgeMs }) => ({
        mapping,
        shard,
        ...(iteratorAgeMs === undefined ? {} : { iteratorAgeMs }),
        position:
          'sequenceNumber' in checkpoint
            ? `after ${checkpoint.sequenceNumber}`
            : `from ${new Date(checkpoint.timestamp).toISOString()}`,
      })),
      tables,
      buckets,
    };
  }

  async queues(): Promise<QueueState[]> {
    const { QueueUrls = [] } = await this.services.json<{ QueueUrls?: string[] }>(`${SQS}ListQueues`, {
      MaxResults: 1000,
    });
    const read = await Promise.all(
      QueueUrls.map(async (url) => {
        const { Attributes } = await this.services.json<{ Attributes: QueueAttributes }>(
          `${SQS}GetQueueAttributes`,
          { QueueUrl: url, AttributeNames: ['All'] },
        );
        return { url, attributes: Attributes };
      }),
    );
    const redrives = read.map(({ attributes }) => redrivePolicy(attributes.RedrivePolicy));
    return read.map(({ url, attributes }, i) => {
      const name = nameOfArn(attributes.QueueArn);
      const redrive = redrives[i];
      return {
        name,
        url,
        arn: attributes.QueueArn,
        visible: Number(attributes.ApproximateNumberOfMessages),
        inFlight: Number(attributes.ApproximateNumberOfMessagesNotVisible),
        delayed: Number(attributes.ApproximateNumberOfMessagesDelayed),
        ...(redrive
          ? {
              deadLetterQueue: {
                name: nameOfArn(redrive.deadLetterTargetArn),
                maxReceiveCount: redrive.maxReceiveCount,
              },
            }
          : {}),
        deadLetterOf: read
          .filter((_, j) => redrives[j]?.deadLetterTargetArn === attributes.QueueArn)
          .map((source) => nameOfArn(source.attributes.QueueArn)),
      };
    });
  }

  private async streams(): Promise<ServiceState['streams']> {
    const { StreamNames = [] } = await this.services.json<{ StreamNames?: string[] }>(
      `${KINESIS}ListStreams`,
      {},
    );
    return Promise.all(
      StreamNames.map(async (name) => {
        const { Shards = [] } = await this.services.json<{
          Shards?: Array<{ ShardId: string; SequenceNumberRange: { EndingSequenceNumber?: string } }>;
        }>(`${KINESIS}ListShards`, { StreamName: name });
        return {
          name,
          shards: Shards.map((shard) => ({
            id: shard.ShardId,
            open: shard.SequenceNumberRange.EndingSequenceNumber === undefined,
          })),
        };
      }),
    );
  }

  private async tables(): Promise<ServiceState['tables']> {
    const { TableNames = [] } = await this.services.json<{ TableNames?: string[] }>(
      `${DYNAMODB}ListTables`,
      {},
    );
    return Promise.all(
      TableNames.map(async (name) => {
        const { Count } = await this.services.json<{ Count: number }>(`${DYNAMODB}Scan`, {
          TableName: name,
          Select: 'COUNT',
        });
        const { Table } = await this.services.json<{ Table: { LatestStreamArn?: string } }>(
          `${DYNAMODB}DescribeTable`,
          { TableName: name },
        );
        return { name, items: Count, ...(Table.LatestStreamArn ? { streamArn: Table.LatestStreamArn } : {}) };
      }),
    );
  }

  private async buckets(): Promise<ServiceState['buckets']> {
    const names = xmlValues(await this.services.s3('GET', '/'), 'Name');
    return Promise.all(
      names.map(async (name) => {
        const listing = await this.services.s3('GET', `/${name}`, { 'list-type': '2', 'max-keys': '1000' });
        return {
          name,
          objects: xmlBlocks(listing, 'Contents').length,
          truncated: xmlValues(listing, 'IsTruncated')[0] === 'true',
        };
      }),
    );
  }

  /** A page of a table's items, as DynamoDB's Scan gives them (`next` is the LastEvaluatedKey, as JSON). */
  async tableItems(name: string, next?: string): Promise<{ items: unknown[]; next?: string }> {
    const { Items = [], LastEvaluatedKey } = await this.services.json<{
      Items?: unknown[];
      LastEvaluatedKey?: unknown;
    }>(`${DYNAMODB}Scan`, {
      TableName: name,
      Limit: 25,
      ...(next ? { ExclusiveStartKey: JSON.parse(next) as unknown } : {}),
    });
    return { items: Items, ...(LastEvaluatedKey ? { next: JSON.stringify(LastEvaluatedKey) } : {}) };
  }

  /** A page of a bucket's objects. */
  async bucketObjects(
    name: string,
    next?: string,
  ): Promise<{ objects: Array<{ key: string; size: number; lastModified: string }>; next?: string }> {
    const listing = await this.services.s3('GET', `/${name}`, {
      'list-type': '2',
      'max-keys': '100',
      ...(next ? { 'continuation-token': next } : {}),
    });
    const objects = xmlBlocks(listing, 'Contents').map((block) => ({
      key: xmlValues(block, 'Key')[0] ?? '',
      size: Number(xmlValues(block, 'Size')[0] ?? 0),
      lastModified: xmlValues(block, 'LastModified')[0] ?? '',
    }));
    const token = xmlValues(listing, 'NextContinuationToken')[0];
    return { objects, ...(token ? { next: token } : {}) };
  }
}

function redrivePolicy(
  text: string | undefined,
): { deadLetterTargetArn: string; maxReceiveCount: number } | undefined {
  if (!text) return undefined;
  try {
    const policy = JSON.parse(text) as { deadLetterTargetArn?: string; maxReceiveCount?: number | string };
    return policy.deadLetterTargetArn
      ? { deadLetterTargetArn: policy.deadLetterTargetArn, maxReceiveCount: Number(policy.maxReceiveCount) }
      : undefined;
  } catch {
    return undefined;
  }
}
