import type { SourceInvocation } from '../classify/origin';
import { readBatchResponse } from './batch-response';
import { recordFilter } from './filter';
import { invokeBatch } from './invoke-batch';
import { MappingLoop, recordsPayload, type MappingDeps, type MappingDriver } from './mapping-loop';
import { plural } from '../plural';
import type { SqsSourceApi } from './source-apis';
import { sqsRecord, type SqsPulled } from './sqs-records';

export interface SqsMappingConfig {
  functionKey: string;
  /** How the mapping invokes, classified from its event. */
  invocation: SourceInvocation;
  queueArn: string;
  region: string;
  batchSize: number;
  /** Seconds. */
  maximumBatchingWindow: number;
  reportBatchItemFailures: boolean;
  filterPatterns?: unknown[];
  /** ScalingConfig.MaximumConcurrency. */
  maximumConcurrency?: number;
  /** The function's own concurrency limit: more concurrent batches would only be throttled. */
  functionConcurrency: number;
}

// Lambda starts polling a queue with five concurrent batches and, while batches come full, adds up to
// 300 more per minute: one every 200 ms.
const INITIAL_POLLERS = 5;
const SCALE_OUT_INTERVAL_MS = 200;
// Long polling, as Lambda's pollers do.
const WAIT_MS = 20_000;
const DELETE_BATCH = 10;

/**
 * An SQS event source mapping: pollers long-poll the queue, invoke the function synchronously with
 * each batch, delete the batch on success (or, with ReportBatchItemFailures, the items not reported
 * as failed) and otherwise leave the messages to reappear after the visibility timeout, so that the
 * queue's redrive policy counts the receives. FIFO order holds because the queue hands out no more
 * messages of a group while some are in flight.
 */
export class SqsMapping implements MappingDriver<SqsPulled> {
  private readonly loops: MappingLoop<SqsPulled>[] = [];
  private queueUrl = '';
  private readonly queueName: string;
  private readonly invocation: SourceInvocation;
  private readonly cap: number;
  private scaledOutAt = -Infinity;

  constructor(
    private readonly api: SqsSourceApi,
    private readonly config: SqsMappingConfig,
    private readonly deps: MappingDeps,
  ) {
    this.queueName = config.queueArn.split(':').pop() ?? config.queueArn;
    const { origin, type } = config.invocation;
    this.invocation = { origin: { ...origin, detail: this.queueName }, type };
    this.cap = Math.min(config.maximumConcurrency ?? 1000, config.functionConcurrency);
  }

  async start(): Promise<void> {
    const { QueueUrl } = await this.api.getQueueUrl({ QueueName: this.queueName });
    this.queueUrl = QueueUrl ?? '';
    this.scaledOutAt = this.deps.clock.now();
    for (let i = 0; i < Math.min(INITIAL_POLLERS, this.cap); i++) this.addPoller();
  }

  async stop(): Promise<void> {
    await Promise.all(this.loops.map((loop) => loop.stop()));
  }

  private addPoller(): void {
    const { batchSize, maximumBatchingWindow, filterPatterns } = this.config;
    const loop = new MappingLoop(
      this,
      { batchSize, windowMs: maximumBatchingWindow * 1000, waitMs: WAIT_MS },
      this.deps.clock,
      recordFilter(filterPatterns),
      (error) => this.log(`polling failed: ${(error as Error).message}`),
      (size) => this.scaleOut(size),
    );
    this.loops.push(loop);
    loop.start();
  }

  /**
   * After each batch: while batches come full, one more poller for every 200 ms since they began to
   * (or since the last was added); a batch that is not full ends the scale-out.
   */
  private scaleOut(size: number): void {
    const now = this.deps.clock.now();
    if (size < this.config.batchSize) {
      this.scaledOutAt = now;
      return;
    }
    const due = Math.floor((now - this.scaledOutAt) / SCALE_OUT_INTERVAL_MS);
    const added = Math.min(due, this.cap - this.loops.length);
    if (added <= 0) return;
    this.scaledOutAt += due * SCALE_OUT_INTERVAL_MS;
    for (let i = 0; i < added; i++) this.addPoller();
  }

  private log(line: string): void {
    this.deps.log(this.config.functionKey, `sqs ${this.queueName}: ${line}`);
  }

  async read(max: number, waitMs: number): Promise<SqsPulled[]> {
    const { Messages } = await this.api.receiveMessage({
      QueueUrl: this.queueUrl,
      MaxNumberOfMessages: Math.min(10, max),
      WaitTimeSeconds: Math.min(20, Math.ceil(waitMs / 1000)),
      MessageSystemAttributeNames: ['All'],
      MessageAttributeNames: ['All'],
    });
    return (Messages ?? []).map((message) => sqsRecord(message, this.config.queueArn, this.config.region));
  }

  async discard(records: SqsPulled[]): Promise<void> {
    await this.delete(records);
    this.log(`${plural(records.length, 'message')} matched no filter pattern → deleted`);
  }

  async process(batch: SqsPulled[]): Promise<void> {
    const { functionKey, reportBatchItemFailures } = this.config;
    // A batch has one trace: its first message's, as the invocation continues one caller's trace.
    const result = await invokeBatch(this.deps.invoker, functionKey, recordsPayload(batch), this.invocation, {
      traceHeader: batch[0]?.traceHeader,
      attempt: Math.max(...batch.map((record) => record.receiveCount)),
    });
    const size = plural(batch.length, 'message');
    if (result.kind === 'not-invoked') {
      return this.log(`${size} not invoked (${result.reason}) → ${this.retried(batch)}`);
    }
    if (result.kind === 'failed') {
      this.deps.outcome(result.requestId, 'function error: the batch stays in the queue');
      return this.log(`${size}, function error → ${this.retried(batch)}`);
    }
    if (!reportBatchItemFailures) {
      await this.delete(batch);
      return this.log(`${size} → deleted`);
    }
    const response = readBatchResponse(result.payload, new Set(batch.map((r) => r.messageId)));
    if (response.kind === 'invalid') {
      this.deps.outcome(result.requestId, 'invalid batchItemFailures: the batch stays in the queue');
      return this.log(`${size}, invalid batchItemFailures response → ${this.retried(batch)}`);
    }
    const failed = new Set(response.kind === 'partial' ? response.failed : []);
    const kept = batch.filter((r) => failed.has(r.messageId));
    await this.delete(batch.filter((r) => !failed.has(r.messageId)));
    this.log(
      kept.length
        ? `${size}, partial: ${batch.length - kept.length} deleted, ${kept.length} → ${this.retried(kept)}`
        : `${size} → deleted`,
    );
  }

  /** What becomes of messages left in the queue, for the log. */
  private retried(records: SqsPulled[]): string {
    const counts = records.map((r) => r.receiveCount);
    return `received again after the visibility timeout (receive count ${Math.min(...counts)}${
      Math.max(...counts) > Math.min(...counts) ? `-${Math.max(...counts)}` : ''
    }; the queue's redrive policy moves them to its DLQ after maxReceiveCount)`;
  }

  private async delete(records: SqsPulled[]): Promise<void> {
    for (let i = 0; i < records.length; i += DELETE_BATCH) {
      const chunk = records.slice(i, i + DELETE_BATCH);
      const { Failed } = await this.api.deleteMessageBatch({
        QueueUrl: this.queueUrl,
        Entries: chunk.map((r, n) => ({ Id: String(n), ReceiptHandle: r.receiptHandle })),
      });
      if (Failed?.length) {
        this.log(
          `could not delete ${plural(Failed.length, 'message')}: ${Failed[0].Message ?? Failed[0].Code}`,
        );
      }
    }
  }
}
