import type { Clock } from '../clock';
import { LambdaErrorType, timedOut } from '../runtime/lambda-errors';
import type { InvocationResult } from '../runtime/types';
import type { FunctionPool } from './function-pool';
import { endLine, logTail, reportLine, startLine } from './invocation-log';
import type { InvokeOutcome, InvokeRequest } from './types';
import { recursiveInvocation } from './errors';
import { chainText, RECURSION_LIMIT, type Cause, type TraceLineage } from './lineage';

/** Where invocations write what happens: the functions' log lines and one summary per invocation. */
export interface InvocationSink {
  log(functionKey: string, line: string): void;
  invocation(summary: InvocationSummary): void;
}

export interface InvocationSummary {
  functionKey: string;
  origin: InvokeRequest['origin'];
  requestId: string;
  type: InvokeRequest['type'];
  status: string;
  durationMs: number;
  /** The invocation's X-Ray root, and the invocation that caused it when one did. */
  trace: { root: string; causedBy?: Cause };
}

/**
 * Runs one invocation on a function's pool, as Lambda runs it in an execution environment: START, the
 * handler within the function's timeout (`Sandbox.Timedout` ends the instance), END and REPORT.
 */
export class InvocationRunner {
  constructor(
    private readonly sink: InvocationSink,
    private readonly clock: Clock,
    private readonly lineage: TraceLineage,
  ) {}

  /**
   * Undefined when the function is at its concurrency limit (throttled): nothing ran. Throws
   * RecursiveInvocationException, and runs nothing, when the invocation would go round a recursive loop
   * once more than Lambda allows.
   */
  async run(
    pool: FunctionPool,
    request: InvokeRequest,
    requestId: string,
  ): Promise<InvokeOutcome | undefined> {
    const started = performance.now();
    const { config } = pool;
    const trace = this.lineage.begin(
      config,
      request.traceHeader,
      request.origin,
      requestId,
      this.clock.now(),
    );
    if (trace.loop) {
      const chain = chainText(trace.loop);
      this.sink.log(
        config.key,
        `recursive loop stopped: ${config.key} was invoked ${RECURSION_LIMIT} times for one event (trace ${trace.root}: ${chain}); this invocation does not run (RecursiveLoop: Terminate)`,
      );
      this.summarize(pool, request, requestId, 'stopped (recursive loop)', 0, trace);
      throw recursiveInvocation(config.name, chain);
    }
    const lease = pool.acquire();
    if (!lease) {
      // A throttled async event waits in the engine for an instance, and is summarized when it runs.
      if (request.type !== 'Event') this.summarize(pool, request, requestId, 'throttled', 0, trace);
      return undefined;
    }
    const tail: string[] | undefined = request.logTail ? [] : undefined;
    const log = (line: string) => {
      tail?.push(line);
      this.sink.log(config.key, line);
    };
    log(startLine(requestId));
    const result = await this.withinTimeout(
      lease.instance.invoke(
        {
          requestId,
          event: request.payload,
          deadlineMs: this.clock.now() + config.timeout * 1000,
          invokedFunctionArn: config.arn,
          clientContext: request.clientContext,
          traceId: trace.header,
          stream: request.stream,
        },
        log,
      ),
      config.timeout,
      requestId,
    );
    const dead =
      !result.ok && (result.fatal === true || result.error.errorType === LambdaErrorType.SandboxTimeout);
    // Like Lambda's REPORT, Duration leaves out a cold start's init.
    const initDurationMs = lease.cold ? lease.instance.initDurationMs : undefined;
    const durationMs = Math.max(0, performance.now() - started - (initDurationMs ?? 0));
    // A handler's own error is logged by its runtime; what ends the instance is logged here, as Lambda does.
    if (dead && !result.ok) {
      log(result.error.errorMessage);
      if (result.error.errorType !== LambdaErrorType.SandboxTimeout) log(result.error.errorType);
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
    this.summarize(
      pool,
      request,
      requestId,
      result.ok ? 'ok' : `error ${result.error.errorType}`,
      durationMs,
      trace,
    );
    return {
      requestId,
      statusCode: 200,
      payload: result.ok ? result.payload : JSON.stringify(result.error),
      ...(result.ok && result.streamed ? { streamed: true } : {}),
      functionError: result.ok ? undefined : 'Unhandled',
      error: result.ok ? undefined : result.error,
      logResult: tail && logTail(tail),
      durationMs,
      traceHeader: trace.header,
    };
  }

  private summarize(
    pool: FunctionPool,
    request: InvokeRequest,
    requestId: string,
    status: string,
    durationMs: number,
    { root, causedBy }: { root: string; causedBy?: Cause },
  ) {
    const { origin, type } = request;
    const trace = { root, ...(causedBy ? { causedBy } : {}) };
    this.sink.invocation({
      functionKey: pool.config.key,
      origin,
      requestId,
      type,
      status,
      durationMs,
      trace,
    });
  }

  private withinTimeout(run: Promise<InvocationResult>, seconds: number, requestId: string) {
    let timer: unknown;
    const timeout = new Promise<InvocationResult>((resolve) => {
      timer = this.clock.setTimeout(
        () => resolve({ ok: false, error: timedOut(requestId, seconds, new Date(this.clock.now())) }),
        seconds * 1000,
      );
    });
    return Promise.race([run, timeout]).finally(() => this.clock.clearTimeout(timer));
  }
}
