import type { InvocationInput, InvocationResult } from '../types';

/** What a Node.js instance (a worker thread, or the bootstrap of another Node) needs to run a handler. */
export interface HandlerSetup {
  /** Absolute path of the module to load (the user's file, or its transpiled copy). */
  moduleFile: string;
  /** The module is a transpiled copy: stack traces are mapped back to its TypeScript sources. */
  sourceMaps: boolean;
  /** `handler` or `nested.handler`: the export to call. */
  exportPath: string;
  /** The handler as written in serverless.yml, for error messages. */
  handler: string;
  functionName: string;
  memorySize: number;
  logGroupName: string;
  logStreamName: string;
  /** Where the handler's calls to AWS hosts go (aws-network.ts). */
  awsEndpoint: string;
  /** False from nodejs24.x on, where Lambda removed callback handlers and the context's callbacks. */
  callbackHandlers: boolean;
  /** `nodejs20.x`: which SDK Lambda's runtime provides, for the message when it is missing (provided-sdk.ts). */
  runtime: string;
}

/** What the main thread gives a worker when it starts it. */
export interface WorkerData {
  setup: HandlerSetup;
  /** One Int32: the worker's peak heap in MB, kept up to date by the worker, read at any time. */
  peakMemoryMb: Int32Array;
}

/** `stream`: the caller takes a streaming handler's response as it is written (stream-start, chunk). */
export type ToWorker = { stream: boolean } & Omit<InvocationInput, 'stream'>;

export type FromWorker =
  | { type: 'log'; line: string }
  | { type: 'init' }
  | { type: 'stream-start'; requestId: string; contentType: string }
  | { type: 'chunk'; requestId: string; data: Uint8Array }
  | { type: 'result'; requestId: string; result: InvocationResult };
