import { systemClock, type Clock } from '../clock';
import { randomHex } from './random-hex';
import { errorBodyOf } from '../runtime/lambda-errors';
import type { FunctionConfig, Instance, InvocationResult, Runtime } from '../runtime/types';

/** Each execution environment logs to its own stream: `2024/06/17/[$LATEST]<32 hex>`, named the day it starts. */
export function logStreamName(nowMs: number): string {
  const day = new Date(nowMs).toISOString().slice(0, 10).replaceAll('-', '/');
  return `${day}/[$LATEST]${randomHex(16)}`;
}

export interface Lease {
  instance: Instance;
  /** A new instance: its first invocation pays the init (a cold start). */
  cold: boolean;
}

/**
 * The instances of one function, like Lambda's execution environments: each runs one invocation at a
 * time, idle ones are reused (the most recently used first, so it stays warm), and no more than `limit`
 * run at once. After a reload, instances of the old code finish what they run and are then dropped.
 */
export class FunctionPool {
  private idle: Instance[] = [];
  private busy = 0;
  private generation = 0;
  private readonly generationOf = new WeakMap<Instance, number>();
  private freed: () => void = () => undefined;

  constructor(
    readonly config: FunctionConfig,
    private readonly runtime: Runtime,
    readonly limit: number,
    private readonly clock: Clock = systemClock,
  ) {}

  /** The one listener (the async engine) called each time an instance is released: one more can run. */
  onCapacityFreed(listener: () => void): void {
    this.freed = listener;
  }

  get hasCapacity(): boolean {
    return this.busy < this.limit;
  }

  /** An instance to run on, or undefined when the function is at its concurrency limit (throttled). */
  acquire(): Lease | undefined {
    if (!this.hasCapacity) return undefined;
    const warm = this.idle.pop();
    if (warm) {
      this.busy++;
      return { instance: warm, cold: false };
    }
    const instance = this.startInstance();
    this.busy++;
    this.generationOf.set(instance, this.generation);
    return { instance, cold: true };
  }

  private startInstance(): Instance {
    try {
      const environment = {
        ...this.config.environment,
        AWS_LAMBDA_LOG_STREAM_NAME: logStreamName(this.clock.now()),
      };
      return this.runtime.start({ ...this.config, environment });
    } catch (error) {
      return new FailedStart(error as Error);
    }
  }

  release(instance: Instance, dead: boolean): void {
    this.busy--;
    if (dead || this.generationOf.get(instance) !== this.generation) void instance.terminate();
    else this.idle.push(instance);
    this.freed();
  }

  /** New code: later invocations get new instances. */
  reload(): void {
    this.generation++;
    void this.drainIdle();
  }

  async stop(): Promise<void> {
    this.generation++;
    await this.drainIdle();
  }

  private async drainIdle(): Promise<void> {
    const idle = this.idle;
    this.idle = [];
    await Promise.all(idle.map((i) => i.terminate()));
  }
}

/** An instance whose start failed (a TypeScript handler that does not compile): every invoke fails. */
class FailedStart implements Instance {
  readonly initDurationMs = 0;
  readonly initialized = Promise.resolve();

  constructor(private readonly error: Error) {}

  invoke(): Promise<InvocationResult> {
    return Promise.resolve({ ok: false, fatal: true, error: errorBodyOf(this.error) });
  }

  maxMemoryUsedMb(): number {
    return 0;
  }

  terminate(): Promise<void> {
    return Promise.resolve();
  }
}
