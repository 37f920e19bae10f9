import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { directOrigin } from '../classify/origin';
import { systemClock, type Clock } from '../clock';
import { Emulator } from '../emulator/emulator';
import { DEFAULT_RETRY_DELAY_SCALE, EMULATE_DEFAULTS } from '../emulator/options';
import type { InvocationType } from '../lambda/types';
import type { LambdaErrorBody } from '../runtime/types';
import { readService } from '../service/read-service';
import type { ServiceModel } from '../service/model';
import { durationMs } from './duration';
import { matches, Recorder, type Invocation, type InvocationFilter } from './recorder';
import { resolveService } from './resolve';
import { VirtualClock } from './virtual-clock';

export interface EmulateOptions {
  /** The service's folder (its serverless.yml, .yaml, .ts, .js or .json). */
  dir: string;
  stage?: string;
  region?: string;
  /**
   * `virtual`: the emulator's time moves only with `advance` (AWS's delays as they are: an async
   * event's retries 1 and 2 minutes apart, visibility timeouts, schedules, ...); `real` (the default):
   * the system clock, with `sls emulate`'s scaled async retry delays.
   */
  clock?: 'real' | 'virtual';
  /** Where virtual time starts (default: now). */
  startAt?: Date | number;
  /** The state folder; by default a new temporary one, removed by `stop`. */
  stateDir?: string;
  /**
   * Print the functions' log lines, a summary line per invocation and the emulator's own lines as they
   * come, as `sls emulate` does (they are recorded either way); a function receives each line instead.
   */
  printLogs?: boolean | ((line: string) => void);
  /** Variables for the configuration's `${env:...}` and the functions' environment, over the process's. */
  env?: Record<string, string>;
  /** The framework's CLI to resolve the configuration with (default: the service's serverless v3, else osls). */
  framework?: string;
}

/** An SDK v3 client's configuration for the emulated service's AWS endpoint. */
export interface ClientConfig {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** For S3: buckets in the path, since the endpoint is an address. */
  forcePathStyle: true;
}

export interface InvokeResult {
  requestId: string;
  /** What the function returned (parsed), or its error body. */
  payload: unknown;
  error?: LambdaErrorBody;
}

export interface WaitOptions extends InvocationFilter {
  /** How many matching invocations to wait for (default 1). */
  count?: number;
  /** Real time to wait, default `10s`. */
  timeout?: string | number;
}

// Settled means no invocation has run or begun for this long (real time): what an invocation causes
// (an SDK call's delivery, a mapping's poll) begins within a few milliseconds of it.
const QUIET_MS = 25;
// What a timer sets off runs in this process: these turns of the event loop see it through, or see it
// begin an invocation (then the step is settled in full).
const STEP_TURNS = 5;

const sleep = (ms: number) => new Promise<void>((resolve) => systemClock.setTimeout(resolve, ms));
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A service emulated in the test's own process, on free ports. */
export class EmulatedService {
  /** Where virtual time started, and goes back to at each reset. */
  private readonly startedAt: number | undefined;

  private constructor(
    private emulator: Emulator,
    private readonly recorder: Recorder,
    private readonly clock: VirtualClock | undefined,
    readonly model: ServiceModel,
    private readonly removeOnStop: string | undefined,
  ) {
    this.startedAt = clock?.now();
  }

  static async start(options: EmulateOptions): Promise<EmulatedService> {
    const env = { ...process.env, ...options.env };
    const { raw, location } = await resolveService(options.dir, { ...options, env });
    const model = readService(raw, location);
    const virtual = options.clock === 'virtual' ? new VirtualClock(startOf(options.startAt)) : undefined;
    if (virtual) {
      model.emulate.pull.pollInterval = { kinesis: 0, dynamodb: 0 };
      // Each wake of an idle shard reader is a step of advance: told of its records, a reader needs no
      // 1 s heartbeat, and a tumbling window's end wakes it anyway.
      model.emulate.pull.idleWait = 60_000;
    }
    const stateDir = options.stateDir ?? mkdtempSync(path.join(tmpdir(), 'serverless-emulate-test-'));
    const { printLogs } = options;
    const recorder = new Recorder(
      typeof printLogs === 'function' ? printLogs : printLogs ? (line) => console.log(line) : undefined,
    );
    const clock: Clock = virtual ?? systemClock;
    const emulator = await Emulator.start(
      model,
      {
        host: EMULATE_DEFAULTS.host,
        port: 0,
        awsPort: 0,
        websocketPort: 0,
        maxConcurrency: EMULATE_DEFAULTS.maxConcurrency,
        reload: false,
        stagePrefix: true,
        stateDir,
        // A folder of the test's own keeps what it holds, as sls emulate does.
        reset: options.stateDir === undefined,
        retryDelayScale: virtual ? 1 : (model.emulate.retryDelayScale ?? DEFAULT_RETRY_DELAY_SCALE),
        hostEnv: env,
        clock,
        handlerClock: systemClock,
      },
      recorder,
    ).catch((error: unknown) => {
      if (options.stateDir === undefined) rmSync(stateDir, { recursive: true, force: true });
      throw error;
    });
    return new EmulatedService(emulator, recorder, virtual, model, options.stateDir ? undefined : stateDir);
  }

  /** The HTTP fronts (API Gateway REST and HTTP APIs, ALB, function URLs), when the service has any. */
  get http(): { url: string } | undefined {
    const { http } = this.emulator.endpoints;
    return http && { url: http.url };
  }

  get websocket(): { url: string } | undefined {
    const { websocket } = this.emulator.endpoints;
    return websocket && { url: websocket.url };
  }

  /** The embedded AWS endpoint, and the configuration an SDK v3 client needs for it. */
  get aws(): { endpoint: string; clientConfig: ClientConfig } {
    const endpoint = this.emulator.endpoints.aws;
    return {
      endpoint,
      clientConfig: {
        endpoint,
        region: this.model.region,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        forcePathStyle: true,
      },
    };
  }

  /** The emulator's time: the virtual clock's, else the system's. */
  now(): Date {
    return new Date((this.clock ?? systemClock).now());
  }

  /** Invokes a function as the Invoke API does: `RequestResponse` waits for its result, `Event` queues it. */
  async invoke(
    functionName: string,
    event: unknown = {},
    { type = 'RequestResponse' }: { type?: InvocationType } = {},
  ): Promise<InvokeResult> {
    const outcome = await this.emulator.invoke(functionName, {
      payload: JSON.stringify(event),
      type,
      origin: directOrigin('invoke'),
    });
    const payload = outcome.payload === '' ? undefined : (JSON.parse(outcome.payload) as unknown);
    return { requestId: outcome.requestId, payload, ...(outcome.error ? { error: outcome.error } : {}) };
  }

  /** The invocations recorded so far (since the start, or the last `clearInvocations`), oldest first. */
  invocations(filter: InvocationFilter = {}): Invocation[] {
    return this.recorder.invocations.filter(matches(filter));
  }

  clearInvocations(): void {
    this.recorder.clear();
  }

  /**
   * Resolves with the matching invocations once there are `count` of them; else fails after `timeout`
   * (real time) saying what did happen: the last invocations of that function, with their errors.
   */
  async waitFor(options: WaitOptions = {}): Promise<Invocation[]> {
    const count = options.count ?? 1;
    const found = () => this.invocations(options);
    if (found().length >= count) return found();
    const timeoutMs = durationMs(options.timeout ?? '10s');
    await new Promise<void>((resolve, reject) => {
      const stop = this.recorder.onInvocation(() => {
        if (found().length < count) return;
        finish();
        resolve();
      });
      const timer = systemClock.setTimeout(() => {
        finish();
        reject(new Error(this.waitFailure(options, count, timeoutMs)));
      }, timeoutMs);
      const finish = () => {
        stop();
        systemClock.clearTimeout(timer);
      };
    });
    return found();
  }

  /**
   * Virtual time only: moves the emulator's time forward by `duration`, running what falls due on the
   * way in order (each step settled before the next), then settles.
   */
  async advance(duration: string | number): Promise<void> {
    const clock = this.virtualClock('advance');
    const target = clock.now() + durationMs(duration);
    await this.settle();
    for (let next = clock.nextDueAt(); next !== undefined && next <= target; next = clock.nextDueAt()) {
      clock.moveTo(next);
      await this.step(clock);
    }
    clock.moveTo(target);
    await this.settle();
  }

  /** Fires what is due now; settles in full only when that began an invocation (most timers are polls). */
  private async step(clock: VirtualClock): Promise<void> {
    const begun = this.recorder.begun;
    clock.fireDue();
    await clock.idle();
    for (let i = 0; i < STEP_TURNS && this.recorder.begun === begun; i += 1) await turn();
    if (this.recorder.begun !== begun || this.recorder.inFlight > 0) await this.settle();
  }

  /**
   * Resolves once nothing runs: no invocation in flight or begun for a moment, and (virtual time)
   * nothing due now.
   */
  async settle(): Promise<void> {
    for (;;) {
      await this.quiet();
      if (!this.clock?.fireDue()) return;
      await this.clock.idle();
    }
  }

  /**
   * Empties the queues, topics' subscriptions made through the API, streams, tables, buckets, the async
   * queue and the recorded invocations, as at the service's first start; the functions' instances stay
   * warm, the ports stay as they are, and virtual time goes back to where it started.
   */
  async reset(): Promise<void> {
    this.emulator = await this.emulator.restartEmpty(() => {
      if (this.clock && this.startedAt !== undefined) this.clock.restart(this.startedAt);
    });
    this.recorder.clear();
  }

  async stop(): Promise<void> {
    await this.emulator.stop();
    if (this.removeOnStop) rmSync(this.removeOnStop, { recursive: true, force: true });
  }

  private async quiet(): Promise<void> {
    for (;;) {
      while (this.recorder.inFlight > 0) {
        await new Promise<void>((resolve) => {
          const stop = this.recorder.onInvocation(() => {
            stop();
            resolve();
          });
        });
      }
      const begun = this.recorder.begun;
      await sleep(QUIET_MS);
      if (this.recorder.inFlight === 0 && this.recorder.begun === begun) return;
    }
  }

  private virtualClock(operation: string): VirtualClock {
    if (!this.clock) throw new Error(`${operation} needs virtual time: emulate({ ..., clock: 'virtual' })`);
    return this.clock;
  }

  private waitFailure(options: WaitOptions, count: number, timeoutMs: number): string {
    const { function: fn, outcome, source } = options;
    const what = [
      fn && `of ${fn}`,
      outcome && `with outcome ${outcome}`,
      source && `from ${source}`,
      options.where && 'matching the predicate',
    ]
      .filter(Boolean)
      .join(' ');
    const seen = this.invocations(options).length;
    const recent = this.invocations(fn === undefined ? {} : { function: fn }).slice(-5);
    const lines = recent.map(
      (i) =>
        `  - ${i.function} ← ${i.source.text}${i.attempt ? ` (attempt ${i.attempt})` : ''}: ${i.outcome}${
          i.error ? ` ${i.error.errorType}: ${i.error.errorMessage}` : ''
        }`,
    );
    return [
      `waitFor: expected ${count} invocation${count === 1 ? '' : 's'}${what ? ` ${what}` : ''}, saw ${seen} within ${timeoutMs} ms.`,
      recent.length
        ? `The last invocations${fn ? ` of ${fn}` : ''}:\n${lines.join('\n')}`
        : `No invocation${fn ? ` of ${fn}` : ''} at all.`,
    ].join('\n');
  }
}

function startOf(startAt: Date | number | undefined): number {
  if (startAt === undefined) return systemClock.now();
  return typeof startAt === 'number' ? startAt : startAt.getTime();
}

/** Starts the service in this process, on free ports. */
export const emulate = (options: EmulateOptions): Promise<EmulatedService> => EmulatedService.start(options);
