/**
 * What every runtime (Node.js worker threads, Runtime API processes for Python and provided.*)
 * implements. A runtime knows how to start one instance of a function and run one invocation at a
 * time on it; concurrency, timeouts and logging around it belong to lambda/.
 */

/** A function as a runtime needs it: where its code is and the environment it runs with. */
export interface FunctionConfig {
  key: string;
  /** The deployed name, e.g. `orders-dev-api`. */
  name: string;
  /** `path/to/file.export` relative to `serviceDir`. */
  handler: string;
  runtime: string;
  timeout: number;
  memorySize: number;
  serviceDir: string;
  arn: string;
  /** The function's complete environment (Lambda's reserved variables included). */
  environment: Record<string, string>;
  /** The emulator's AWS endpoint, where the function's calls to AWS hosts go. */
  awsEndpoint: string;
  /** The folders of its layers (what Lambda mounts under /opt), in Lambda's merge order. */
  layers: string[];
  /** Lambda's recursive loop detection: `Terminate` stops a loop, `Allow` lets it run. */
  recursiveLoop: 'Allow' | 'Terminate';
}

export interface InvocationInput {
  requestId: string;
  /** The event as JSON text. */
  event: string;
  /** Epoch milliseconds when the function times out. */
  deadlineMs: number;
  invokedFunctionArn: string;
  /** Base64 JSON client context (synchronous invocations only). */
  clientContext?: string;
  /** `Root=...;Parent=...;Sampled=0`: the invocation's `_X_AMZN_TRACE_ID` (lambda/trace-id.ts). */
  traceId: string;
  /**
   * Where a streaming handler's response goes as it writes it (InvokeWithResponseStream, a RESPONSE_STREAM
   * function URL). Without it, or from a runtime that cannot stream, the response is buffered as `payload`.
   */
  stream?: ResponseStreamSink;
}

/** The receiving end of a streamed response, called in the order the function writes. */
export interface ResponseStreamSink {
  /** Once, before the first chunk (or at the end when nothing was written): the stream's content type. */
  start(contentType: string): void;
  chunk(data: Buffer): void;
}

/** Lambda's error body, as the Invoke API returns it with X-Amz-Function-Error. */
export interface LambdaErrorBody {
  errorType: string;
  errorMessage: string;
  trace?: string[];
  stackTrace?: string[];
}

export type InvocationResult =
  /** `streamed`: the response went to the invocation's `stream` as it was written; `payload` is empty. */
  | { ok: true; payload: string; streamed?: boolean }
  | {
      ok: false;
      error: LambdaErrorBody;
      /** The instance is dead (exit, crash, out of memory) and must be replaced. */
      fatal?: boolean;
    };

export interface Instance {
  /** Runs one invocation; `log` receives each line the function writes, as it writes it. */
  invoke(input: InvocationInput, log: (line: string) => void): Promise<InvocationResult>;
  /** How long the instance's init (module load) took, once known; undefined before the first invoke. */
  readonly initDurationMs: number | undefined;
  /** Resolves once the init is over (done, failed, or the instance died): the function's timeout starts then. */
  readonly initialized: Promise<void>;
  /** Peak memory of the instance in MB, as far as the runtime can tell. */
  maxMemoryUsedMb(): number;
  /** Stops the instance at once, whatever it is doing. */
  terminate(): Promise<void>;
}

export interface Runtime {
  /** Throws ConfigError when the function cannot run here (missing file, unsupported runtime). */
  check(fn: FunctionConfig): void;
  start(fn: FunctionConfig): Instance;
  /** The local files the function's code is made of, for hot reload. */
  sources?(fn: FunctionConfig): string[];
  /** The function's code changed: forget anything built from the old code. */
  codeChanged?(fn: FunctionConfig): void;
}
