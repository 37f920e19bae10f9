import type * as Kinesis from '@aws-sdk/client-kinesis';
import { systemClock, type Clock } from '../../clock';
import type { KinesisSourceApi, RecordsNotifier } from '../../pull/source-apis';
import type { Db } from '../../state/database';
import { servingCall } from '../../lambda/write-causes';
import { requestTraceHeader, type AwsRequest, type AwsResponse, type AwsService } from '../endpoint';
import { serveJson, targets, type JsonApi } from '../json-protocol';
import type { KinesisContext } from './context';
import * as consumers from './consumers';
import * as records from './records';
import * as resharding from './resharding';
import { SettingsStore } from './settings-store';
import * as options from './stream-options';
import { KinesisStore, retentionStart, type StreamMode } from './store';
import * as streams from './streams';
import { readInput, toWire } from './wire';

/** A stream the service defines, created at start when it does not exist yet. */
export interface KinesisStreamSpec {
  name: string;
  arn: string;
  shardCount: number;
  mode: StreamMode;
}

export interface KinesisServiceOptions {
  db: Db;
  region: string;
  accountId: string;
  streams?: KinesisStreamSpec[];
  /** Time (default: the system clock). */
  clock?: Clock;
}

type Listener = (streamArn: string, shardId: string) => void;

const TARGET_PREFIX = 'Kinesis_20131202.';
const PURGE_INTERVAL = 3_600_000;

/**
 * The embedded Kinesis Data Streams (AWS JSON 1.1, `X-Amz-Target: Kinesis_20131202.<Operation>`):
 * streams, shards and records in the state database. The event source mappings call the same
 * operations in process, with the SDK's shapes (`KinesisSourceApi`), and hear of new records through
 * `onRecords`.
 */
export class KinesisService implements AwsService, KinesisSourceApi, RecordsNotifier {
  private readonly context: KinesisContext;
  private readonly listeners = new Set<Listener>();
  private lastPurge = 0;
  // Each operation checks its members at run time, so a request body may stand for its input type.
  private readonly api: JsonApi<never> = {
    target: TARGET_PREFIX,
    version: '1.1',
    operations: {
      CreateStream: (input) => this.createStream(input),
      DeleteStream: (input) => this.deleteStream(input),
      DescribeStream: (input) => this.describeStream(input),
      DescribeStreamSummary: (input) => this.describeStreamSummary(input),
      ListStreams: (input) => this.listStreams(input),
      ListShards: (input) => this.listShards(input),
      PutRecord: (input) => this.putRecord(input),
      PutRecords: (input) => this.putRecords(input),
      GetShardIterator: (input) => this.getShardIterator(input),
      GetRecords: (input) => this.getRecords(input),
      SplitShard: (input) => this.splitShard(input),
      MergeShards: (input) => this.mergeShards(input),
      UpdateShardCount: (input) => this.updateShardCount(input),
      IncreaseStreamRetentionPeriod: (input) => options.changeRetention(this.context, input, 'increase'),
      DecreaseStreamRetentionPeriod: (input) => options.changeRetention(this.context, input, 'decrease'),
      AddTagsToStream: (input) => options.addTagsToStream(this.context, input),
      RemoveTagsFromStream: (input) => options.removeTagsFromStream(this.context, input),
      ListTagsForStream: (input) => options.listTagsForStream(this.context, input),
      TagResource: (input) => options.tagResource(this.context, input),
      UntagResource: (input) => options.untagResource(this.context, input),
      ListTagsForResource: (input) => options.listTagsForResource(this.context, input),
      StartStreamEncryption: (input) => options.setEncryption(this.context, input, true),
      StopStreamEncryption: (input) => options.setEncryption(this.context, input, false),
      EnableEnhancedMonitoring: (input) => options.changeMonitoring(this.context, input, true),
      DisableEnhancedMonitoring: (input) => options.changeMonitoring(this.context, input, false),
      RegisterStreamConsumer: (input) => consumers.registerStreamConsumer(this.context, input),
      DescribeStreamConsumer: (input) => consumers.describeStreamConsumer(this.context, input),
      ListStreamConsumers: (input) => consumers.listStreamConsumers(this.context, input),
      DeregisterStreamConsumer: (input) => consumers.deregisterStreamConsumer(this.context, input),
      SubscribeToShard: (input) => consumers.subscribeToShard(this.context, input),
    },
    readInput: (request, operation) => readInput(request, operation) as never,
    writeOutput: toWire,
  };

  constructor(options: KinesisServiceOptions) {
    const store = new KinesisStore(options.db);
    this.context = {
      store,
      settings: new SettingsStore(options.db),
      region: options.region,
      accountId: options.accountId,
      clock: options.clock ?? systemClock,
    };
    const createdAt = this.context.clock.now();
    for (const spec of options.streams ?? []) {
      if (!store.byName(spec.name)) store.create({ ...spec, createdAt });
    }
    this.purgeExpired();
  }

  handles(request: AwsRequest): boolean {
    return targets(request, TARGET_PREFIX);
  }

  handle(request: AwsRequest): Promise<AwsResponse> {
    return servingCall(requestTraceHeader(request), () => serveJson(this.api, request));
  }

  onRecords(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async createStream(input: Kinesis.CreateStreamInput): Promise<void> {
    streams.createStream(this.context, input);
  }

  async deleteStream(input: Kinesis.DeleteStreamInput): Promise<void> {
    streams.deleteStream(this.context, input);
  }

  async describeStream(input: Kinesis.DescribeStreamInput): Promise<Kinesis.DescribeStreamOutput> {
    return streams.describeStream(this.context, input);
  }

  async describeStreamSummary(
    input: Kinesis.DescribeStreamSummaryInput,
  ): Promise<Kinesis.DescribeStreamSummaryOutput> {
    return streams.describeStreamSummary(this.context, input);
  }

  async listStreams(input: Kinesis.ListStreamsInput): Promise<Kinesis.ListStreamsOutput> {
    return streams.listStreams(this.context, input);
  }

  async listShards(input: Kinesis.ListShardsInput): Promise<Kinesis.ListShardsOutput> {
    return streams.listShards(this.context, input);
  }

  async putRecord(input: Kinesis.PutRecordInput): Promise<Kinesis.PutRecordOutput> {
    return this.appended(records.putRecord(this.context, input)).results[0];
  }

  async putRecords(input: Kinesis.PutRecordsInput): Promise<Kinesis.PutRecordsOutput> {
    return { FailedRecordCount: 0, Records: this.appended(records.putRecords(this.context, input)).results };
  }

  async getShardIterator(input: Kinesis.GetShardIteratorInput): Promise<Kinesis.GetShardIteratorOutput> {
    const stream = streams.resolveStream(this.context, input);
    return records.getShardIterator(this.context, stream, input);
  }

  async getRecords(input: Kinesis.GetRecordsInput): Promise<Kinesis.GetRecordsOutput> {
    return records.getRecords(this.context, input);
  }

  async splitShard(input: Kinesis.SplitShardInput): Promise<void> {
    this.resharded(resharding.splitShard(this.context, input));
  }

  async mergeShards(input: Kinesis.MergeShardsInput): Promise<void> {
    this.resharded(resharding.mergeShards(this.context, input));
  }

  async updateShardCount(input: Kinesis.UpdateShardCountInput): Promise<Kinesis.UpdateShardCountOutput> {
    const { resharded, output } = resharding.updateShardCount(this.context, input);
    this.resharded(resharded);
    return output;
  }

  /** Tells the listeners which shards got records. */
  private appended(appended: records.Appended): records.Appended {
    for (const shard of appended.shards) {
      for (const listener of this.listeners) listener(appended.stream.arn, shard.id);
    }
    if (this.context.clock.now() - this.lastPurge >= PURGE_INTERVAL) this.purgeExpired();
    return appended;
  }

  /** Tells the listeners of the shards a resharding closed: their readers find their end. */
  private resharded(resharded: resharding.Resharded): void {
    for (const shard of resharded.closed) {
      for (const listener of this.listeners) listener(resharded.stream.arn, shard.id);
    }
  }

  /** Deletes the records past their stream's retention (reads already leave them out). */
  private purgeExpired(): void {
    const now = this.context.clock.now();
    for (const stream of this.context.store.list()) {
      this.context.store.deleteExpired(stream, retentionStart(stream, now));
    }
    this.lastPurge = now;
  }
}
