import { randomUUID } from 'node:crypto';
import type { InvocationResult } from '../runtime/types';
import { LambdaServiceError, throttled } from './errors';
import { AsyncEngine, type AsyncEngineDeps } from './async-engine';
import type { FunctionPool } from './function-pool';
import { endLine, logTail, reportLine, startLine } from './invocation-log';
import type { InvokeOutcome, InvokeRequest, Invoker } from './types';

// Invoke API payload limits.
const SYNC_PAYLOAD_LIMIT = 6 * 1024 * 1024;
const ASYNC_PAYLOAD_LIMIT = 1024 * 1024;

/** Where the service writes what happens: the functions' log lines and one summary per invocation. */
export interface InvocationSink {
  log(functionKey: string, line: string): void;
  invocation(summary: {
    functionKey: string;
    source: string;
    requestId: string;
    type: InvokeRequest['type'];
    status: string;
    durationMs: number;
  }): void;
}

export type AsyncEngineOptions = Omit<AsyncEngineDeps, 'attempt' | 'log'>;

/**
 * The Lambda service: the one door through which every source runs a function. Resolves the name,
 * applies the Invoke API's limits, runs sync invocations on the function's pool with its timeout, and
 * hands async ones to the async engine (durable queue, retries, destinations).
 */
export class LambdaService implements Invoker {
  private readonly byName = new Map<string, FunctionPool>();
  private readonly engine: AsyncEngine;

  constructor(
    pools: FunctionPool[],
    private readonly sink: InvocationSink,
    asyncOptions: AsyncEngineOptions,
  ) {
    for (const pool of pools) {
      const { key, name, arn } = pool.config;
      for (const alias of [key, name, arn, `${arn}:$LATEST`]) this.byName.set(alias, pool);
    }
    this.engine = new AsyncEngine({
      ...asyncOptions,
      attempt: (key, payload, requestId, source) =>
        this.run(this.pool(key), { payload, type: 'Event', source }, requestId),
      log: (key, line) => sink.log(key, line),
    });
  }

  /** Starts the async engine: events accepted before a restart are picked up again. */
  start(): void {
    this.engine.start();
  }

  stop(): void {
    this.engine.stop();
  }

  /** The pool of a function named by its key, its deployed name, or its ARN (unqualified or $LATEST). */
  pool(functionName: string): FunctionPool {
    const pool = this.byName.get(functionName);
    if (!pool) {
      throw new LambdaServiceError(
        'ResourceNotFoundException',
        404,
        `Function not found: ${functionName.startsWith('arn:') ? functionName : `arn:aws:lambda:...:function:${functionName}`}`,
      );
    }
    return pool;
  }

  async invoke(functionName: string, request: InvokeRequest): Promise<InvokeOutcome> {
    const pool = this.pool(functionName);
    const size = Buffer.byteLength(request.payload);
    const requestId = randomUUID();
    if (request.type === 'DryRun') return { requestId, statusCode: 204, payload: '', durationMs: 0 };
    if (request.type === 'Event') {
      if (size > ASYNC_PAYLOAD_LIMIT) throw tooLarge(size, ASYNC_PAYLOAD_LIMIT);
      this.engine.accept(pool.config.key, request.payload, request.source, requestId);
      return { requestId, statusCode: 202, payload: '', durationMs: 0 };
    }
    if (size > SYNC_PAYLOAD_LIMIT) throw tooLarge(size, SYNC_PAYLOAD_LIMIT);
    const outcome = await this.run(pool, request, requestId);
    if (!outcome) {
      this.sink.invocation({ ...this.summary(pool, request, requestId), status: 'throttled', durationMs: 0 });
      throw throttled(pool.config.name);
    }
    return outcome;
  }

  private summary(pool: FunctionPool, request: InvokeRequest, requestId: string) {
    return { functionKey: pool.config.key, source: request.source, requestId, type: request.type };
  }

  /** Runs one invocation; undefined when the function is at its concurrency limit. */
  private async run(
    pool: FunctionPool,
    request: InvokeRequest,
    requestId: string,
  ): Promise<InvokeOutcome | undefined> {
    const started = performance.now();
    const lease = pool.acquire();
    if (!lease) return undefined;
    const { config } = pool;
    const tail: string[] | undefined = request.logTail ? [] : undefined;
    const log = (line: string) => {
      tail?.push(line);
      this.sink.log(config.key, line);
    };
    log(startLine(requestId));
    const result = await withTimeout(
      lease.instance.invoke(
        {
          requestId,
          event: request.payload,
          deadlineMs: Date.now() + config.timeout * 1000,
          invokedFunctionArn: config.arn,
          clientContext: request.clientContext,
        },
        log,
      ),
      config.timeout,
      requestId,
    );
    const dead = !result.ok && (result.fatal === true || result.error.errorType === 'Sandbox.Timedout');
    // Like Lambda's REPORT, Duration leaves out a cold start's init.
    const initDurationMs = lease.cold ? lease.instance.initDurationMs : undefined;
    const durationMs = Math.max(0, performance.now() - started - (initDurationMs ?? 0));
    // A handler's own error is logged by its runtime; what ends the instance is logged here, as Lambda does.
    if (dead && !result.ok) {
      log(result.error.errorMessage);
      if (result.error.errorType !== 'Sandbox.Timedout') log(result.error.errorType);
    }
    log(endLine(requestId));
    log(
      reportLine(requestId, {
        durationMs,
        memorySize: config.memorySize,
        maxMemoryUsedMb: lease.instance.maxMemoryUsedMb(),
        initDurationMs,
      }),
    );
    pool.release(lease.instance, dead);
    this.engine.capacityFreed(config.key);
    this.sink.invocation({
      ...this.summary(pool, request, requestId),
      status: result.ok ? 'ok' : `error ${result.error.errorType}`,
      durationMs,
    });
    return {
      requestId,
      statusCode: 200,
      payload: result.ok ? result.payload : JSON.stringify(result.error),
      functionError: result.ok ? undefined : 'Unhandled',
      error: result.ok ? undefined : result.error,
      logResult: tail && logTail(tail),
      durationMs,
    };
  }
}

function tooLarge(size: number, limit: number) {
  return new LambdaServiceError(
    'RequestTooLargeException',
    413,
    `Request must be smaller than ${limit} bytes for the InvokeFunction operation (got ${size})`,
  );
}

function withTimeout(
  run: Promise<InvocationResult>,
  seconds: number,
  requestId: string,
): Promise<InvocationResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<InvocationResult>((resolve) => {
    timer = setTimeout(
      () =>
        resolve({
          ok: false,
          error: {
            errorType: 'Sandbox.Timedout',
            errorMessage: `${new Date().toISOString()} ${requestId} Task timed out after ${seconds.toFixed(2)} seconds`,
          },
        }),
      seconds * 1000,
    );
  });
  return Promise.race([run, timeout]).finally(() => clearTimeout(timer));
}
