import type { Reference } from '../service/model';
import type { InvokeOutcome } from './types';

export type Condition = 'Success' | 'RetriesExhausted' | 'EventAgeExceeded';

/** The invocation record Lambda sends to an async destination (AWS Lambda Developer Guide, invocation-async). */
export interface InvocationRecord {
  version: '1.0';
  timestamp: string;
  requestContext: {
    requestId: string;
    functionArn: string;
    condition: Condition;
    approximateInvokeCount: number;
  };
  requestPayload: unknown;
  responseContext?: { statusCode: number; executedVersion: string; functionError?: string };
  responsePayload?: unknown;
}

const parse = (json: string): unknown => {
  try {
    return JSON.parse(json);
  } catch {
    return json;
  }
};

export function invocationRecord(input: {
  requestId: string;
  functionArn: string;
  condition: Condition;
  invokeCount: number;
  payload: string;
  /** The last attempt's outcome; absent when the function never ran. */
  outcome?: Pick<InvokeOutcome, 'payload' | 'functionError'>;
  now: number;
}): InvocationRecord {
  const { outcome } = input;
  return {
    version: '1.0',
    timestamp: new Date(input.now).toISOString(),
    requestContext: {
      requestId: input.requestId,
      functionArn: `${input.functionArn}:$LATEST`,
      condition: input.condition,
      approximateInvokeCount: input.invokeCount,
    },
    requestPayload: parse(input.payload),
    ...(outcome && {
      responseContext: {
        statusCode: 200,
        executedVersion: '$LATEST',
        ...(outcome.functionError && { functionError: outcome.functionError }),
      },
      responsePayload: parse(outcome.payload),
    }),
  };
}

/** The message attributes Lambda puts on an event it sends to a dead-letter queue or topic. */
export interface DeadLetterAttributes {
  RequestID: string;
  /** The HTTP status of the failed attempt (a Number attribute). */
  ErrorCode: number;
  ErrorMessage: string;
}

const ERROR_MESSAGE_LIMIT = 1024;

export function deadLetterAttributes(requestId: string, outcome?: { payload: string }): DeadLetterAttributes {
  const error = outcome ? parse(outcome.payload) : undefined;
  const message =
    typeof error === 'object' && error !== null && 'errorMessage' in error
      ? String((error as { errorMessage: unknown }).errorMessage)
      : 'The event expired before it could be processed';
  return { RequestID: requestId, ErrorCode: 200, ErrorMessage: message.slice(0, ERROR_MESSAGE_LIMIT) };
}

export type Delivery =
  | { kind: 'destination'; record: InvocationRecord; success: boolean }
  | { kind: 'dead-letter'; event: string; attributes: DeadLetterAttributes };

/** A delivery an ended event still has to make, with its target: plain JSON, kept in the event's row. */
export interface PendingDelivery {
  target: Reference;
  delivery: Delivery;
  /** The trace the delivery continues: the last attempt's, else the event's caller's. */
  traceHeader?: string;
}
