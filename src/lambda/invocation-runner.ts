import type { Clock } from '../clock';
import { LambdaErrorType, timedOut } from '../runtime/lambda-errors';
import type { InvocationResult, LambdaErrorBody } from '../runtime/types';
import type { FunctionPool } from './function-pool';
import { endLine, logTail, reportLine, startLine } from './invocation-log';
import type { InvokeOutcome, InvokeRequest } from './types';
import { recursiveInvocation } from './errors';
import { chainText, RECURSION_LIMIT, type Cause, type TraceLineage } from './lineage';

// Lambda's limit on an on-demand function's init; past it, the init is retried within the timeout.
const INIT_LIMIT_MS = 10_000;

/**
 * Where invocations write what happens: that one begins, the functions' log lines (with the request id
 * of the invocation that wrote them, when one did), and one summary per invocation.
 */
export interface InvocationSink {
  started?(functionKey: string, requestId: string): void;
  log(functionKey: string, line: string, requestId?: string): void;
  invocation(summary: InvocationSummary): void;
  /** What became of an invocation's event afterwards (a retry, a bisect, a destination, a drop). */
  outcome?(requestId: string, mark: string): void;
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
  /** The event, as JSON text. */
  event: string;
  /** What the function returned (JSON text), when it ran and did not fail. */
  result?: string;
  /** Its error, when it failed. */
  error?: LambdaErrorBody;
  /** The attempt of an async event (1 for the first), or the receive count of an SQS message. */
  attempt?: number;
}

/**
 * Runs one invocation on a function's pool, as Lambda runs it in an execution environment: START, the
 * handler within the function's timeout (`Sandbox.Timedout` ends the instance), END and REPORT.
 */
export class InvocationRunner {
  /**
   * `clock` is the emulator's time (the trace's); handlers run in `handlerClock`'s, where their deadline
   * and timeout are: real time, even when the emulator's is virtual.
   */
  constructor(
    private readonly sink: InvocationSink,
    private readonly clock: Clock,
    private readonly lineage: TraceLineage,
    private readonly handlerClock: Clock = clock,
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
      request.causeHeader,
    );
    if (trace.loop) {
      const chain = chainText(trace.loop);
      this.sink.log(
        config.key,
        `recursive loop stopped: ${config.key} was invoked ${RECURSION_LIMIT} times for one event (trace ${trace.root}: ${chain}); this invocation does not run (RecursiveLoop: Terminate)`,
        requestId,
      );
      const error = recursiveInvocation(config.name, chain);
      this.summarize(pool, request, requestId, {
        status: 'stopped (recursive loop)',
        durationMs: 0,
        trace,
        error: { errorType: error.code, errorMessage: error.message },
      });
      throw error;
    }
    const lease = pool.acquire();
    if (!lease) {
      // A throttled async event waits in the engine for an instance, and is summarized when it runs.
      if (request.type !== 'Event') {
        this.summarize(pool, request, requestId, { status: 'throttled', durationMs: 0, trace });
      }
      return undefined;
    }
    this.sink.started?.(config.key, requestId);
    const tail: string[] | undefined = request.logTail ? [] : undefined;
    const log = (line: string) => {
      tail?.push(line);
      this.sink.log(config.key, line, requestId);
    };
    log(startLine(requestId));
    const result = await this.withinTimeout(
      lease.instance.invoke(
        {
          requestId,
          event: request.payload,
          deadlineMs: this.handlerClock.now() + config.timeout * 1000,
          invokedFunctionArn: config.arn,
          clientContext: request.clientContext,
          traceId: trace.header,
          stream: request.stream,
        },
        log,
      ),
      config.timeout,
      requestId,
      lease.instance.initialized,
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
      result.ok
        ? { status: 'ok', durationMs, trace, result: result.payload }
        : { status: `error ${result.error.errorType}`, durationMs, trace, error: result.error },
    );
    const outcome: InvokeOutcome = {
      requestId,
      statusCode: 200,
      payload: result.ok ? result.payload : JSON.stringify(result.error),
      functionError: result.ok ? undefined : 'Unhandled',
      error: result.ok ? undefined : result.error,
      logResult: tail && logTail(tail),
      durationMs,
      traceHeader: trace.header,
    };
    if (result.ok && result.streamed) outcome.streamed = true;
    return outcome;
  }

  private summarize(
    pool: FunctionPool,
    request: InvokeRequest,
    requestId: string,
    ended: Pick<InvocationSummary, 'status' | 'durationMs' | 'result' | 'error'> & {
      trace: { root: string; causedBy?: Cause };
    },
  ) {
    // Built by assignment, not spreads: this runs once per invocation, and spreads of objects of
    // several shapes are the slowest way V8 has to copy a few fields.
    const { causedBy } = ended.trace;
    const summary: InvocationSummary = {
      functionKey: pool.config.key,
      origin: request.origin,
      requestId,
      type: request.type,
      status: ended.status,
      durationMs: ended.durationMs,
      trace: causedBy ? { root: ended.trace.root, causedBy } : { root: ended.trace.root },
      event: request.payload,
    };
    if (ended.result !== undefined) summary.result = ended.result;
    if (ended.error !== undefined) summary.error = ended.error;
    if (request.attempt !== undefined) summary.attempt = request.attempt;
    this.sink.invocation(summary);
  }

  /**
   * The function's timeout runs from the end of the instance's init, as on Lambda, where the init has
   * a limit of its own (10 s) and one that takes longer is retried within the function's timeout.
   */
  private withinTimeout(
    run: Promise<InvocationResult>,
    seconds: number,
    requestId: string,
    initialized: Promise<void>,
  ) {
    const clock = this.handlerClock;
    const timers: unknown[] = [];
    let running = false;
    let over = false;
    const timeout = new Promise<InvocationResult>((resolve) => {
      const startTimeout = () => {
        if (running || over) return;
        running = true;
        const fire = () => resolve({ ok: false, error: timedOut(requestId, seconds, new Date(clock.now())) });
        timers.push(clock.setTimeout(fire, seconds * 1000));
      };
      timers.push(clock.setTimeout(startTimeout, INIT_LIMIT_MS));
      void initialized.then(startTimeout);
    });
    return Promise.race([run, timeout]).finally(() => {
      over = true;
      for (const timer of timers) clock.clearTimeout(timer);
    });
  }
}
