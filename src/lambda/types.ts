import type { Origin } from '../classify/origin';
import type { LambdaErrorBody, ResponseStreamSink } from '../runtime/types';

export type InvocationType = 'RequestResponse' | 'Event' | 'DryRun';

export interface InvokeRequest {
  /** The event as JSON text. */
  payload: string;
  type: InvocationType;
  origin: Origin;
  clientContext?: string;
  /** Return the last 4 KB of the invocation's log, base64 (Invoke API `LogType: Tail`). */
  logTail?: boolean;
  /** Which try this is: an async event's attempt (from 1), an SQS message's receive count. */
  attempt?: number;
  /**
   * The trace header of the call that caused the invocation (the `X-Amzn-Trace-Id` of an HTTP front or of
   * the Invoke API, an SQS message's `AWSTraceHeader`, ...): the invocation continues its trace.
   */
  traceHeader?: string;
  /**
   * The trace header of the call that wrote the stream records in the event (`lambda/write-causes.ts`):
   * it names the invocation's cause, but the invocation starts a trace of its own, as on AWS.
   */
  causeHeader?: string;
  /**
   * InvokeWithResponseStream and RESPONSE_STREAM function URLs: where a streaming handler's bytes go as
   * it writes them (the outcome then says `streamed`). A handler that does not stream answers `payload`.
   */
  stream?: ResponseStreamSink;
}

export interface InvokeOutcome {
  requestId: string;
  statusCode: 200 | 202 | 204;
  /** JSON text: the function's return value, or its error body when `functionError` is set. */
  payload: string;
  /** The response went to the request's `stream` as it was written; `payload` is empty. */
  streamed?: boolean;
  functionError?: 'Unhandled';
  error?: LambdaErrorBody;
  logResult?: string;
  durationMs: number;
  /** The invocation's own trace header (its `_X_AMZN_TRACE_ID`), for what it causes; absent when it did not run. */
  traceHeader?: string;
}

/**
 * The one door through which anything runs a function. Throws LambdaServiceError for what the Lambda
 * service itself rejects (unknown function, throttled, payload too large).
 */
export interface Invoker {
  invoke(functionName: string, request: InvokeRequest): Promise<InvokeOutcome>;
}
