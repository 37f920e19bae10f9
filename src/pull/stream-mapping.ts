import { randomUUID } from 'node:crypto';
import type { SourceInvocation } from '../classify/origin';
import type { BatchFailureRecord } from '../lambda/destinations';
import { batchFailureRecord, withPayload } from './batch-failure-record';
import type { Checkpoints } from './checkpoints';
import { recordFilter } from './filter';
import { invokeBatch, type BatchInvocation } from './invoke-batch';
import { MappingLoop, recordsPayload, type MappingDeps, type MappingDriver } from './mapping-loop';
import type { ShardInfo, ShardSource, StartingPosition } from './shard-sources';
import { plural } from '../plural';
import type { StreamPulled } from './stream-records';
import { deliverWithRetries, type Discarded, type StreamRetryPolicy } from './stream-retries';
import { TumblingWindow } from './tumbling-window';

export interface StreamMappingConfig {
  /** Names the mapping's checkpoints: the function, the event and the stream. */
  id: string;
  functionKey: string;
  functionArn: string;
  /** How the mapping invokes, classified from its event. */
  invocation: SourceInvocation;
  batchSize: number;
  /** Seconds. */
  batchWindow: number;
  startingPosition: StartingPosition;
  retry: StreamRetryPolicy;
  parallelizationFactor: number;
  tumblingWindowInSeconds: number;
  filterPatterns?: unknown[];
  /** How often an idle shard is polled; 0: as soon as an embedded stream has records. */
  pollIntervalMs: number;
  /**
   * With pollIntervalMs 0, the longest wait for a notification (default 1 s): what none tells, a
   * DynamoDB stream disabled, is seen within it.
   */
  idleWaitMs?: number;
  /** Sends a discarded batch's record to the on-failure destination, when there is one. */
  onFailure?: (record: BatchFailureRecord) => Promise<void>;
}

// Without a notifier to wait on, "as soon as possible" polls this often.
const FALLBACK_POLL_MS = 100;
const IDLE_WAIT_MS = 1000;

/**
 * A Kinesis or DynamoDB stream event source mapping: one poller per shard. Resharding is followed as
 * Lambda follows it: a child shard is read only once its parents are read to their end and what was
 * read from them is processed, so records with one partition key keep their order.
 */
export class StreamMapping {
  private readonly pollers = new Map<string, ShardPoller>();
  private readonly known = new Map<string, ShardInfo>();
  private readonly finished = new Set<string>();
  private running = false;

  constructor(
    private readonly source: ShardSource,
    private readonly config: StreamMappingConfig,
    private readonly deps: MappingDeps,
    private readonly checkpoints: Checkpoints,
  ) {}

  async start(): Promise<void> {
    this.running = true;
    const shards = await this.source.shards();
    for (const shard of shards) this.known.set(shard.id, shard);
    const { startingPosition } = this.config;
    const fresh = !shards.some((shard) => this.checkpoints.get(this.config.id, shard.id));
    if (fresh && 'type' in startingPosition && startingPosition.type === 'LATEST') {
      // A new mapping at LATEST reads what arrives from now on: only open shards get any.
      for (const shard of shards) if (shard.closed) this.finished.add(shard.id);
    }
    await this.startReady(undefined);
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all([...this.pollers.values()].map((poller) => poller.stop()));
  }

  /** A shard whose parents are done (or no longer listed, past the retention period). */
  private ready(shard: ShardInfo): boolean {
    return (
      !this.pollers.has(shard.id) &&
      !this.finished.has(shard.id) &&
      shard.parents.every((parent) => this.finished.has(parent) || !this.known.has(parent))
    );
  }

  private async startReady(from: StartingPosition | undefined): Promise<void> {
    const pollers = [...this.known.values()]
      .filter((shard) => this.ready(shard))
      .map((shard) => {
        const poller = new ShardPoller(this.source, shard.id, this.config, this.deps, this.checkpoints, {
          from,
          onEnd: (children) => this.ended(shard.id, children),
        });
        this.pollers.set(shard.id, poller);
        return poller;
      });
    await Promise.all(pollers.map((poller) => poller.start()));
  }

  /** A shard was read to its end and processed: its children that have all their parents done start. */
  private async ended(shardId: string, children: ShardInfo[]): Promise<void> {
    this.finished.add(shardId);
    for (const child of children) if (!this.known.has(child.id)) this.known.set(child.id, child);
    if (!this.running) return;
    // A child has no checkpoint yet: it is read from its start (or from the mapping's timestamp).
    const { startingPosition } = this.config;
    await this.startReady('timestamp' in startingPosition ? startingPosition : { type: 'TRIM_HORIZON' });
  }
}

/**
 * Reads one shard in order and processes it batch by batch; the shard is blocked while a batch is
 * retried. With a parallelization factor, a batch's records are spread over that many concurrent
 * lanes by partition key, so records with one key keep their order.
 */
class ShardPoller implements MappingDriver<StreamPulled> {
  private iterator = '';
  private buffer: StreamPulled[] = [];
  private readonly loop: MappingLoop<StreamPulled>;
  private notified = false;
  private wake: (() => void) | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly window: TumblingWindow | undefined;
  private readonly name: string;
  private readonly invocation: SourceInvocation;
  /** The children a closed shard's last read named: the shard ends once what was read is processed. */
  private end: ShardInfo[] | undefined;
  private readonly fullBatch: number;

  constructor(
    private readonly source: ShardSource,
    private readonly shardId: string,
    private readonly config: StreamMappingConfig,
    private readonly deps: MappingDeps,
    private readonly checkpoints: Checkpoints,
    private readonly lineage: {
      /** Where to start without a checkpoint, instead of the mapping's starting position. */
      from?: StartingPosition;
      onEnd: (children: ShardInfo[]) => Promise<void>;
    },
  ) {
    const { batchSize, parallelizationFactor, batchWindow, pollIntervalMs, idleWaitMs, filterPatterns } =
      config;
    this.fullBatch = batchSize * parallelizationFactor;
    this.loop = new MappingLoop(
      this,
      {
        batchSize: batchSize * parallelizationFactor,
        windowMs: batchWindow * 1000,
        waitMs: pollIntervalMs || (idleWaitMs ?? IDLE_WAIT_MS),
      },
      deps.clock,
      recordFilter(filterPatterns),
      (error) => this.log(`polling failed: ${(error as Error).message}`),
    );
    this.window = config.tumblingWindowInSeconds
      ? new TumblingWindow(config.tumblingWindowInSeconds * 1000, shardId, source.streamArn)
      : undefined;
    this.name = `${source.kind} ${source.streamArn.split('/')[1] ?? source.streamArn} ${shardId}`;
    const { origin, type } = config.invocation;
    this.invocation = { origin: { ...origin, detail: this.name }, type };
  }

  async start(): Promise<void> {
    const saved = this.checkpoints.get(this.config.id, this.shardId);
    let from = saved ?? this.startingPosition;
    if (!saved && 'type' in from && from.type === 'LATEST' && this.source.kind === 'kinesis') {
      // Pinned, so that a restart before the first record reads what arrived meanwhile.
      from = { timestamp: this.deps.clock.now() };
      this.checkpoints.set(this.config.id, this.shardId, from);
    }
    this.iterator = await this.source.iterator(this.shardId, from);
    this.unsubscribe = this.source.notifier?.onRecords((streamArn, shardId) => {
      if (streamArn !== this.source.streamArn || shardId !== this.shardId) return;
      this.notified = true;
      if (this.config.pollIntervalMs === 0) this.wake?.();
    });
    this.loop.start();
  }

  private get startingPosition(): StartingPosition {
    return this.lineage.from ?? this.config.startingPosition;
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    const stopped = this.loop.stop();
    this.wake?.();
    await stopped;
  }

  private log(line: string): void {
    this.deps.log(this.config.functionKey, `${this.name}: ${line}`);
  }

  async read(max: number, waitMs: number): Promise<StreamPulled[]> {
    if (this.buffer.length === 0 && this.end) {
      // Asked for a full batch, the loop holds no records: all that was read is processed.
      if (max < this.fullBatch) {
        await this.sleep(waitMs);
        return [];
      }
      // The shard's last tumbling window ends with it; the children start their own.
      const windowOpen = this.window?.isDue(Number.POSITIVE_INFINITY);
      if (windowOpen && !(await this.window?.finish((records, extra) => this.deliver(records, extra)))) {
        return [];
      }
      this.finish(this.end);
      return [];
    }
    if (this.buffer.length === 0) {
      await this.closeDueWindow();
      this.notified = false;
      const { records, next, end } = await this.readShard(max);
      if (next) this.iterator = next;
      this.end = end;
      this.buffer = records;
      if (records.length === 0 && !end) await this.pause(waitMs);
    }
    return this.buffer.splice(0, max);
  }

  /** The shard is read to its end and processed: the poller stops and the mapping goes on to its children. */
  private finish(children: ShardInfo[]): void {
    this.unsubscribe?.();
    void this.loop.stop();
    const names = children.map((child) => child.id).join(', ');
    this.log(`shard closed, read to its end → ${names ? `children ${names}` : 'no children'}`);
    this.lineage
      .onEnd(children)
      .catch((error: Error) => this.log(`child shards failed to start: ${error.message}`));
  }

  /** Waits `ms` on the clock (or until stopped). */
  private sleep(ms: number): Promise<void> {
    if (ms <= 0 || !this.loop.active) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.deps.clock.clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = this.deps.clock.setTimeout(done, ms);
      this.wake = done;
    });
  }

  /**
   * Reads at the iterator. An iterator lives 5 minutes: one that expired while a batch blocked the
   * shard (retries, a long invocation) is renewed after the checkpoint, where that batch settled.
   */
  private async readShard(max: number): ReturnType<ShardSource['read']> {
    try {
      return await this.source.read(this.shardId, this.iterator, max);
    } catch (error) {
      if ((error as Error).name !== 'ExpiredIteratorException') throw error;
      const from = this.checkpoints.get(this.config.id, this.shardId) ?? this.startingPosition;
      this.iterator = await this.source.iterator(this.shardId, from);
      return this.source.read(this.shardId, this.iterator, max);
    }
  }

  /** Waits before the next poll: the poll interval, or until the embedded stream has records. */
  private pause(waitMs: number): Promise<void> {
    if (waitMs <= 0 || !this.loop.active) return Promise.resolve();
    const { pollIntervalMs } = this.config;
    const byNotification = pollIntervalMs === 0 && this.source.notifier !== undefined;
    if (byNotification && this.notified) return Promise.resolve();
    const ms = byNotification ? waitMs : Math.min(waitMs, pollIntervalMs || FALLBACK_POLL_MS);
    // Woken when the open tumbling window ends, to close it then however long the wait.
    const windowEnd = this.window?.endsAt();
    return this.sleep(
      windowEnd === undefined ? ms : Math.min(ms, Math.max(1, windowEnd - this.deps.clock.now())),
    );
  }

  async discard(records: StreamPulled[], read: StreamPulled[]): Promise<void> {
    this.log(`${plural(records.length, 'record')} matched no filter pattern → skipped`);
    if (records.length === read.length) this.checkpoint(read);
  }

  async process(batch: StreamPulled[], read: StreamPulled[]): Promise<void> {
    const settled = this.window
      ? await this.window.process(batch, this.config.batchSize, (records, extra) =>
          this.deliver(records, extra),
        )
      : await this.processLanes(batch);
    if (settled) this.checkpoint(read);
  }

  private checkpoint(read: StreamPulled[]): void {
    const last = read[read.length - 1];
    this.checkpoints.set(
      this.config.id,
      this.shardId,
      { sequenceNumber: last.sequenceNumber },
      last.arrivalMs ? Math.max(0, this.deps.clock.now() - last.arrivalMs) : undefined,
    );
  }

  private async closeDueWindow(): Promise<void> {
    if (this.window?.isDue(this.deps.clock.now())) {
      await this.window.finish((records, extra) => this.deliver(records, extra));
    }
  }

  private async processLanes(batch: StreamPulled[]): Promise<boolean> {
    const { batchSize, parallelizationFactor } = this.config;
    const lanes = spread(batch, parallelizationFactor);
    const results = await Promise.all(
      lanes.map(async (lane) => {
        for (let i = 0; i < lane.length; i += batchSize) {
          if (!(await this.deliver(lane.slice(i, i + batchSize)))) return false;
        }
        return true;
      }),
    );
    return results.every(Boolean);
  }

  private deliver(
    records: StreamPulled[],
    window?: { extra: string; accepts: (payload: string) => boolean },
  ): Promise<boolean> {
    return deliverWithRetries(records, (batch) => this.invoke(batch, window?.extra ?? ''), {
      policy: this.config.retry,
      clock: this.deps.clock,
      running: () => this.loop.active,
      discard: (discarded) => this.discarded(discarded),
      outcome: this.deps.outcome,
      accepts: window?.accepts,
    });
  }

  private async invoke(records: StreamPulled[], extra: string): Promise<BatchInvocation> {
    const result = await invokeBatch(
      this.deps.invoker,
      this.config.functionKey,
      recordsPayload(records, extra),
      this.invocation,
      { causeHeader: records.find((record) => record.causeHeader)?.causeHeader },
    );
    const size = plural(records.length, 'record');
    if (result.kind === 'not-invoked') this.log(`${size} not invoked (${result.reason}) → retried`);
    else if (result.kind === 'failed') this.log(`${size}, function error → shard blocked, batch retried`);
    else this.log(`${size} → processed`);
    return result;
  }

  private async discarded(discarded: Discarded): Promise<void> {
    const { onFailure, functionArn } = this.config;
    const what = `${plural(discarded.records.length, 'record')} given up (${discarded.condition}, ${plural(discarded.invokeCount, 'invocation')})`;
    const mark = (fate: string) => {
      if (discarded.last?.kind !== 'not-invoked' && discarded.last) {
        this.deps.outcome(discarded.last.requestId, `${discarded.condition}: ${fate}`);
      }
    };
    if (!onFailure) {
      mark('batch discarded');
      return this.log(`${what} → discarded (no onFailure destination)`);
    }
    const record = batchFailureRecord(
      discarded,
      { kind: this.source.kind, shardId: this.shardId, streamArn: this.source.streamArn, functionArn },
      this.deps.clock.now(),
      randomUUID,
    );
    await onFailure(withPayload(record, recordsPayload(discarded.records)));
    mark('batch info sent to onFailure');
    this.log(`${what} → batch info sent to onFailure`);
  }
}

/** Spreads records over `lanes` by partition key, keeping each key's order. */
function spread(records: StreamPulled[], lanes: number): StreamPulled[][] {
  if (lanes === 1) return [records];
  const result: StreamPulled[][] = Array.from({ length: lanes }, () => []);
  for (const record of records) result[hash(record.partitionKey) % lanes].push(record);
  return result.filter((lane) => lane.length);
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
