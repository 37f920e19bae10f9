import { invalidValue, missingParameter } from './errors';
import type { Clock } from '../../clock';
import type { Queue, Queues } from './queues';
import type { SqsStore } from './store';
import type { Waiters } from './waiters';

/** What every operation works with. */
export interface SqsContext {
  store: SqsStore;
  queues: Queues;
  waiters: Waiters;
  accountId: string;
  clock: Clock;
  newId: () => string;
  /** Told of what SQS does on its own (a message redriven to its dead-letter queue). */
  log: (line: string) => void;
}

/** What an operation knows of the call that asked for it. */
export interface CallInfo {
  /** Where the caller reached SQS (`http://<Host header>/queue/<region>`), the base of the queue URLs it is given. */
  baseUrl: string;
  /** The request's `X-Amzn-Trace-Id` header (what the SDKs send from a function's `_X_AMZN_TRACE_ID`). */
  traceHeader?: string;
}

export type Operation = (
  context: SqsContext,
  input: Record<string, unknown>,
  call: CallInfo,
) => Promise<Record<string, unknown> | undefined> | Record<string, unknown> | undefined;

export function queueUrl(context: SqsContext, call: CallInfo, queue: Pick<Queue, 'name'>): string {
  return `${call.baseUrl}/${context.accountId}/${queue.name}`;
}

/** A string parameter; anything else (absent, or a structure where a string belongs) is undefined. */
export function stringParam(input: Record<string, unknown>, name: string): string | undefined {
  const value = input[name];
  return typeof value === 'string' ? value : undefined;
}

export function requiredString(input: Record<string, unknown>, name: string): string {
  const value = stringParam(input, name);
  if (value === undefined || value === '') throw missingParameter(name);
  return value;
}

/** An integer parameter (a number in JSON, a string in Query) within `[min, max]`, with SQS's wording. */
export function intParam(
  input: Record<string, unknown>,
  name: string,
  [min, max]: [number, number],
  reason: string,
): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  if (!Number.isInteger(number) || number < min || number > max) throw invalidValue(name, value, reason);
  return number;
}

export function listParam(input: Record<string, unknown>, name: string): string[] {
  const value = input[name];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** The queue the request's QueueUrl names. */
export function queueParam(context: SqsContext, input: Record<string, unknown>): Queue {
  return context.queues.fromUrl(requiredString(input, 'QueueUrl'));
}
