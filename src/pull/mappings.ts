import { buildArn, executionRoleArn, functionArn } from '../service/arn';
import { sourceInvocation } from '../classify/origin';
import type { Clock } from '../clock';
import type { BatchFailureRecord } from '../lambda/destinations';
import type { Invoker } from '../lambda/types';
import type {
  ExternalSource,
  FunctionModel,
  Reference,
  ServiceModel,
  SqsEvent,
  StreamEvent,
} from '../service/model';
import type { Checkpoints } from './checkpoints';
import { externalDynamoDbStreams, externalKinesis, externalSqs } from './external';
import { dynamodbSource, kinesisSource, type ShardSource, type StartingPosition } from './shard-sources';
import type {
  DynamoDbStreamsSourceApi,
  KinesisSourceApi,
  RecordsNotifier,
  SqsSourceApi,
} from './source-apis';
import { SqsMapping } from './sqs-mapping';
import { StreamMapping } from './stream-mapping';

/** The emulator's own sources, which the mappings read in-process. */
export interface EmbeddedSources {
  sqs: SqsSourceApi;
  kinesis: KinesisSourceApi & RecordsNotifier;
  dynamodbStreams: DynamoDbStreamsSourceApi &
    RecordsNotifier & { streamArnOf(table: string): string | undefined };
}

export interface MappingsDeps {
  invoker: Invoker;
  clock: Clock;
  /** Where the mappings keep their place in each shard (one per emulator: the live view reads it too). */
  checkpoints: Checkpoints;
  embedded: EmbeddedSources;
  /** Sends a stream's discarded-batch record to its on-failure destination. */
  sendFailure: (target: Reference, record: BatchFailureRecord, functionKey: string) => Promise<void>;
  log: (functionKey: string, line: string) => void;
  outcome: (requestId: string, mark: string) => void;
  /** The emulator host's environment (credentials for external sources). */
  env: NodeJS.ProcessEnv;
}

interface Mapping {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** One line per mapping for the start-up text, e.g. `worker ← sqs orders (batch 10)`. */
export interface MappingSummary {
  functionKey: string;
  text: string;
}

/**
 * Every `sqs` and `stream` event of the served functions as a running event source mapping, reading
 * the embedded services, or an external endpoint when `custom.emulate.pull` names one.
 */
export class EventSourceMappings {
  private readonly mappings: Mapping[] = [];
  private readonly destroy: Array<() => void> = [];
  readonly summaries: MappingSummary[] = [];

  constructor(
    /** The service, with only the functions that are served. */
    private readonly model: ServiceModel,
    private readonly deps: MappingsDeps,
    private readonly functionConcurrency: (fn: FunctionModel) => number,
  ) {}

  async start(): Promise<void> {
    const { checkpoints } = this.deps;
    for (const fn of this.model.functions) {
      for (const event of fn.events) {
        if (event.type !== 'sqs' && event.type !== 'stream') continue;
        const source = event.type === 'sqs' ? event.queue : event.stream;
        const where = this.externalFor(source);
        const described = `${event.type === 'sqs' ? 'sqs' : event.streamType} ${source.name ?? source.text}${where?.endpoint ? ` at ${where.endpoint}` : where ? ' (AWS)' : ''}`;
        if (!event.enabled) {
          this.summaries.push({ functionKey: fn.key, text: `${described}: disabled (enabled: false)` });
          continue;
        }
        try {
          const mapping =
            event.type === 'sqs'
              ? await this.sqsMapping(fn, event, where)
              : await this.streamMapping(fn, event, where, checkpoints);
          await mapping.start();
          this.mappings.push(mapping);
          this.summaries.push({ functionKey: fn.key, text: `${described} (batch ${event.batchSize})` });
        } catch (error) {
          this.summaries.push({
            functionKey: fn.key,
            text: `${described}: not started: ${(error as Error).message}`,
          });
        }
      }
    }
  }

  async stop(): Promise<void> {
    for (const destroy of this.destroy) destroy();
    await Promise.all(this.mappings.map((mapping) => mapping.stop()));
  }

  private externalFor(source: Reference): ExternalSource | undefined {
    const { pull } = this.model.emulate;
    return (
      (source.arn && pull.sources.get(source.arn)) ||
      (source.name && pull.sources.get(source.name)) ||
      pull.external
    );
  }

  private arnOf(source: Reference, service: string, resource: string): string {
    return source.arn ?? buildArn(service, this.model.region, this.model.accountId, resource);
  }

  private async sqsMapping(fn: FunctionModel, event: SqsEvent, where: ExternalSource | undefined) {
    const api = where
      ? await this.external(externalSqs(where, this.model.region, this.deps.env))
      : this.deps.embedded.sqs;
    return new SqsMapping(
      api,
      {
        functionKey: fn.key,
        invocation: sourceInvocation(event),
        queueArn: this.arnOf(event.queue, 'sqs', event.queue.name ?? ''),
        region: this.model.region,
        batchSize: event.batchSize,
        maximumBatchingWindow: event.maximumBatchingWindow,
        reportBatchItemFailures: event.reportBatchItemFailures,
        filterPatterns: event.filterPatterns,
        maximumConcurrency: event.maximumConcurrency,
        functionConcurrency: this.functionConcurrency(fn),
      },
      this.deps,
    );
  }

  private async streamMapping(
    fn: FunctionModel,
    event: StreamEvent,
    where: ExternalSource | undefined,
    checkpoints: Checkpoints,
  ) {
    const source = await this.shardSource(event, where);
    const { pull } = this.model.emulate;
    const onFailure = event.onFailure;
    return new StreamMapping(
      source,
      {
        id: `${fn.key}#${event.index}|${source.streamArn}`,
        functionKey: fn.key,
        functionArn: functionArn(this.model, fn),
        invocation: sourceInvocation(event),
        batchSize: event.batchSize,
        batchWindow: event.batchWindow,
        startingPosition: startingPosition(event),
        retry: {
          maximumRetryAttempts: event.maximumRetryAttempts,
          maximumRecordAgeInSeconds: event.maximumRecordAgeInSeconds,
          bisectBatchOnFunctionError: event.bisectBatchOnFunctionError,
          reportBatchItemFailures: event.reportBatchItemFailures,
          retryDelayMs: pull.retryDelay,
        },
        parallelizationFactor: event.parallelizationFactor,
        tumblingWindowInSeconds: event.tumblingWindowInSeconds,
        filterPatterns: event.filterPatterns,
        pollIntervalMs: pull.pollInterval[event.streamType],
        idleWaitMs: pull.idleWait,
        onFailure: onFailure && ((record) => this.deps.sendFailure(onFailure, record, fn.key)),
      },
      this.deps,
      checkpoints,
    );
  }

  private async shardSource(event: StreamEvent, where: ExternalSource | undefined): Promise<ShardSource> {
    const { region } = this.model;
    const name = event.stream.name ?? '';
    if (event.streamType === 'kinesis') {
      const streamArn = this.arnOf(event.stream, 'kinesis', `stream/${name}`);
      const roleArn = executionRoleArn(this.model);
      if (!where)
        return kinesisSource(
          this.deps.embedded.kinesis,
          streamArn,
          { region, roleArn },
          this.deps.embedded.kinesis,
        );
      const api = await this.external(externalKinesis(where, region, this.deps.env));
      return kinesisSource(api, streamArn, { region: where.region ?? region, roleArn });
    }
    if (!where) {
      const embedded = this.deps.embedded.dynamodbStreams;
      const streamArn = embedded.streamArnOf(name);
      if (!streamArn) throw new Error(`the table ${name} has no stream (StreamSpecification)`);
      return dynamodbSource(embedded, streamArn, embedded);
    }
    const api = await this.external(externalDynamoDbStreams(where, region, this.deps.env));
    const given =
      event.stream.arn?.includes('/stream/') && event.stream.status === 'external'
        ? event.stream.arn
        : undefined;
    const streamArn = given ?? (await api.latestStreamArn(name));
    if (!streamArn) throw new Error(`the table ${name} has no stream at ${where.endpoint ?? 'AWS'}`);
    return dynamodbSource(api, streamArn);
  }

  private async external<Api extends { destroy(): void }>(created: Promise<Api>): Promise<Api> {
    const api = await created;
    this.destroy.push(() => api.destroy());
    return api;
  }
}

function startingPosition(event: StreamEvent): StartingPosition {
  if (event.startingPosition === 'AT_TIMESTAMP') {
    return { type: 'AT_TIMESTAMP', timestamp: (event.startingPositionTimestamp ?? 0) * 1000 };
  }
  return { type: event.startingPosition };
}
