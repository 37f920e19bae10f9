import type { Clock } from '../clock';
import type { Invoker } from '../lambda/types';

/** What every mapping runs with: the one door to Lambda, time, and the live log. */
export interface MappingDeps {
  invoker: Invoker;
  clock: Clock;
  log: (functionKey: string, line: string) => void;
  /** Marks an invocation's fate in the live view's history (retried, bisected, given up, ...). */
  outcome: (requestId: string, mark: string) => void;
}

/** A record as read from a source, with its Lambda event record already serialized. */
export interface PulledRecord {
  /** The record's entry in the event's `Records`, as JSON text. */
  json: string;
  /** What `filterPatterns` are matched against. */
  matchable: unknown;
}

/** The part of an event source mapping that knows its source. */
export interface MappingDriver<R extends PulledRecord> {
  /** Reads up to `max` records, waiting up to `waitMs` for the first one. */
  read(max: number, waitMs: number): Promise<R[]>;
  /** Invokes the function with the batch and settles it (delete, checkpoint, retry, bisect, ...). */
  process(batch: R[], read: R[]): Promise<void>;
  /** Settles records that no filter pattern matched (SQS deletes them; streams move past them). */
  discard(records: R[], read: R[]): Promise<void>;
}

export interface BatchingPolicy {
  batchSize: number;
  /** MaximumBatchingWindowInSeconds, in milliseconds. */
  windowMs: number;
  /** How long one read may wait for records (long polling). */
  waitMs: number;
}

/** Lambda flushes a batch at 6 MB of payload. */
export const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

/** The event a batch is invoked with: `{"Records":[...]}` from the records' JSON, without re-serializing. */
export function recordsPayload(records: PulledRecord[], extra = ''): string {
  return `{"Records":[${records.map((r) => r.json).join(',')}]${extra}}`;
}

/**
 * The generic event source mapping loop: read -> filter -> batch -> invoke -> settle, until stopped.
 * A batch is flushed when it reaches the batch size or the payload limit, or when the batching
 * window (which starts as the previous invocation completes) ends.
 */
export class MappingLoop<R extends PulledRecord> {
  private running = false;
  private done: Promise<void> = Promise.resolve();

  constructor(
    private readonly driver: MappingDriver<R>,
    private readonly policy: BatchingPolicy,
    private readonly clock: Clock,
    private readonly filter: ((record: unknown) => boolean) | undefined,
    private readonly onError: (error: unknown) => void,
    /** Told after each batch how full it was (SQS scales out on full batches). */
    private readonly onBatch: (size: number) => void = () => undefined,
  ) {}

  start(): void {
    this.running = true;
    this.done = this.run();
  }

  /** Stops reading; resolves once the batch in progress (if any) is settled. */
  stop(): Promise<void> {
    this.running = false;
    return this.done;
  }

  get active(): boolean {
    return this.running;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const read = await this.gather();
        if (read.length === 0) continue;
        const filter = this.filter;
        const batch = filter ? read.filter((r) => filter(r.matchable)) : read;
        if (batch.length < read.length) {
          const kept = new Set(batch);
          await this.driver.discard(
            read.filter((r) => !kept.has(r)),
            read,
          );
        }
        if (batch.length) await this.driver.process(batch, read);
        this.onBatch(read.length);
      } catch (error) {
        if (!this.running) break;
        this.onError(error);
        await new Promise<void>((resolve) => this.clock.setTimeout(resolve, 1000));
      }
    }
  }

  private async gather(): Promise<R[]> {
    const { batchSize, windowMs, waitMs } = this.policy;
    const deadline = this.clock.now() + windowMs;
    const records: R[] = [];
    let bytes = 0;
    while (this.running && records.length < batchSize) {
      const left = deadline - this.clock.now();
      const wait = records.length === 0 ? Math.max(waitMs, left) : Math.max(0, left);
      const read = await this.driver.read(batchSize - records.length, wait);
      for (const record of read) {
        bytes += record.json.length;
        records.push(record);
      }
      if (records.length === 0 && !this.running) break;
      if (bytes >= MAX_PAYLOAD_BYTES || this.clock.now() >= deadline) break;
      if (read.length === 0 && records.length > 0 && windowMs === 0) break;
    }
    return records;
  }
}
