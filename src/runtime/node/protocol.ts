import type { InvocationInput, InvocationResult } from '../types';

/** What the main thread tells a worker when it starts it. */
export interface WorkerSetup {
  /** Absolute path of the module to load (the user's file, or its transpiled copy). */
  moduleFile: string;
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
}

export type ToWorker = { type: 'invoke' } & InvocationInput;

export type FromWorker =
  | { type: 'log'; line: string }
  | { type: 'init' }
  | ({ type: 'result'; requestId: string; memoryMb: number } & InvocationResult);
