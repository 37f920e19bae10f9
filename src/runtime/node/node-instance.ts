import { Worker } from 'node:worker_threads';
import { InstanceLog } from '../instance-log';
import { alreadyExited, exitedWithStatus, instanceDied, outOfMemory } from '../lambda-errors';
import type { Instance, InvocationInput, InvocationResult, LambdaErrorBody } from '../types';
import type { FromWorker, HandlerSetup, ToWorker, WorkerData } from './protocol';

// In tests the sources run through tsx; the built package runs the compiled worker.
const WORKER_FILE = __filename.endsWith('.ts')
  ? `${__dirname}/worker-main.ts`
  : `${__dirname}/worker-main.js`;
const WORKER_EXEC_ARGV = __filename.endsWith('.ts') ? ['--require', 'tsx/cjs'] : [];

/**
 * One warm instance of a Node.js function: a worker thread with the function's own environment and a
 * heap bounded by its memorySize. The worker dies with the instance: a timeout, process.exit or running
 * out of memory ends it, and the pool starts a new one.
 */
export class NodeInstance implements Instance {
  private readonly worker: Worker;
  private pending?: { input: InvocationInput; resolve: (r: InvocationResult) => void };
  private readonly log = new InstanceLog();
  private exited = false;
  /** Written by the worker as its heap grows, so that it can be read while the worker is busy. */
  private readonly peakMemoryMb = new Int32Array(new SharedArrayBuffer(4));
  initDurationMs: number | undefined;
  readonly initialized: Promise<void>;
  private initDone!: () => void;
  private readonly created = performance.now();

  constructor(setup: HandlerSetup, environment: Record<string, string>, memorySize: number) {
    this.initialized = new Promise((resolve) => (this.initDone = resolve));
    const workerData: WorkerData = { setup, peakMemoryMb: this.peakMemoryMb };
    this.worker = new Worker(WORKER_FILE, {
      workerData,
      env: environment,
      execArgv: WORKER_EXEC_ARGV,
      resourceLimits: { maxOldGenerationSizeMb: memorySize },
      stdout: false,
      stderr: false,
    });
    this.worker.on('message', (message: FromWorker) => this.onMessage(message));
    this.worker.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        this.fail((requestId) => outOfMemory(requestId, memorySize));
      } else {
        const trace = (error.stack ?? '').split('\n');
        this.fail((requestId) => instanceDied(requestId, error.name, error.message), trace);
      }
    });
    this.worker.on('exit', (code) => {
      this.exited = true;
      this.fail((requestId) => exitedWithStatus(requestId, code));
    });
  }

  private onMessage(message: FromWorker) {
    if (message.type === 'init') {
      // Like Lambda's Init Duration: starting the runtime (the thread) and loading the handler.
      this.initDurationMs = performance.now() - this.created;
      this.initDone();
    } else if (message.type === 'log') {
      this.log.line(message.line);
    } else if (message.type === 'stream-start' || message.type === 'chunk') {
      const stream =
        this.pending?.input.requestId === message.requestId ? this.pending.input.stream : undefined;
      if (message.type === 'stream-start') stream?.start(message.contentType);
      else stream?.chunk(Buffer.from(message.data.buffer, message.data.byteOffset, message.data.byteLength));
    } else if (this.pending && message.requestId === this.pending.input.requestId) {
      const { resolve } = this.pending;
      this.pending = undefined;
      this.log.detach();
      resolve(message.result);
    }
  }

  /** Ends the pending invocation with an error of the instance itself (it is dead). */
  private fail(error: (requestId: string) => LambdaErrorBody, trace: string[] = []) {
    this.initDone();
    if (!this.pending) return;
    const { input, resolve } = this.pending;
    this.pending = undefined;
    this.log.detach();
    resolve({ ok: false, fatal: true, error: { ...error(input.requestId), trace } });
  }

  invoke(input: InvocationInput, log: (line: string) => void): Promise<InvocationResult> {
    if (this.exited) {
      return Promise.resolve({ ok: false, fatal: true, error: alreadyExited(input.requestId) });
    }
    return new Promise((resolve) => {
      this.pending = { input, resolve };
      this.log.attach(log);
      const message: ToWorker = {
        requestId: input.requestId,
        event: input.event,
        deadlineMs: input.deadlineMs,
        invokedFunctionArn: input.invokedFunctionArn,
        traceId: input.traceId,
        stream: input.stream !== undefined,
      };
      if (input.clientContext !== undefined) message.clientContext = input.clientContext;
      this.worker.postMessage(message);
    });
  }

  maxMemoryUsedMb(): number {
    return Atomics.load(this.peakMemoryMb, 0);
  }

  async terminate(): Promise<void> {
    this.pending = undefined;
    this.log.detach();
    if (!this.exited) await this.worker.terminate();
  }
}
