import type { SourceInvocation } from '../classify/origin';
import { LambdaServiceError } from '../lambda/errors';
import type { Invoker, InvokeRequest } from '../lambda/types';

/** How one synchronous invocation of a batch ended, as a mapping sees it. */
export type BatchInvocation =
  | { kind: 'returned'; requestId: string; payload: string }
  | { kind: 'failed'; requestId: string; payload: string; functionError: string }
  /** Lambda did not run the function (throttled, or rejected the request): no attempt is spent. */
  | { kind: 'not-invoked'; reason: string };

/**
 * Invokes the function with the batch's event, as the mapping's source class says (synchronously), in
 * the trace of `traceHeader` (an SQS message's `AWSTraceHeader`) when the batch carries one, as its
 * `attempt` (an SQS batch's receive count).
 */
export async function invokeBatch(
  invoker: Invoker,
  functionKey: string,
  payload: string,
  { origin, type }: SourceInvocation,
  { traceHeader, causeHeader, attempt }: Pick<InvokeRequest, 'traceHeader' | 'causeHeader' | 'attempt'> = {},
): Promise<BatchInvocation> {
  try {
    const request = { payload, type, origin, traceHeader, causeHeader, attempt };
    const outcome = await invoker.invoke(functionKey, request);
    return outcome.functionError
      ? {
          kind: 'failed',
          requestId: outcome.requestId,
          payload: outcome.payload,
          functionError: outcome.functionError,
        }
      : { kind: 'returned', requestId: outcome.requestId, payload: outcome.payload };
  } catch (error) {
    if (error instanceof LambdaServiceError) return { kind: 'not-invoked', reason: error.message };
    throw error;
  }
}
