import { createHash } from 'node:crypto';
import type { Clock } from '../../clock';
import { parseArn } from '../../service/arn';
import { invalidParameter, topicNotFound } from './errors';
import type { FilterPolicies } from './filter';
import type { SnsStore, Topic } from './store';
import type { LambdaDelivery, QueueDelivery } from './types';

/** What every operation works with. */
export interface SnsContext {
  store: SnsStore;
  region: string;
  accountId: string;
  clock: Clock;
  newId: () => string;
  deliver: (delivery: LambdaDelivery) => void | Promise<void>;
  deliverToQueue: (delivery: QueueDelivery) => void | Promise<void>;
  log: (line: string) => void;
  /** FIFO deduplication: `topic\nid` -> the message first published with that id, for 5 minutes. */
  deduplication: Map<string, { expires: number; messageId: string; sequenceNumber: string }>;
  filterPolicies: FilterPolicies;
}

/** What an operation knows of the request besides its input. */
export interface SnsCall {
  /** The request's `X-Amzn-Trace-Id` header (what the SDKs send from a function's `_X_AMZN_TRACE_ID`). */
  traceHeader?: string;
}

export type Operation = (
  context: SnsContext,
  input: Record<string, unknown>,
  call: SnsCall,
) => Promise<Record<string, unknown> | undefined> | Record<string, unknown> | undefined;

/** A string parameter; anything else (absent, or a structure where a string belongs) is undefined. */
export function stringParam(input: Record<string, unknown>, name: string): string | undefined {
  const value = input[name];
  return typeof value === 'string' ? value : undefined;
}

/** A required ARN parameter: `Invalid parameter: <name>` when absent or not an ARN. */
export function arnParam(input: Record<string, unknown>, name: string): string {
  const value = stringParam(input, name);
  if (!value || !parseArn(value)) throw invalidParameter(`Invalid parameter: ${name}`);
  return value;
}

export function requireTopic(context: SnsContext, arn: string): Topic {
  const topic = context.store.topic(arn);
  if (!topic) throw topicNotFound();
  return topic;
}

/** A subscription ARN of a topic: the topic's ARN and a UUID. */
export function newSubscriptionArn(context: SnsContext, topicArn: string): string {
  return `${topicArn}:${context.newId()}`;
}

/** The stable ARN of a subscription the service defines, so that it is the same at every start. */
export function definedSubscriptionArn(topicArn: string, protocol: string, endpoint: string): string {
  const hex = createHash('sha1').update(`${topicArn}\n${protocol}\n${endpoint}`).digest('hex');
  const uuid = [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `5${hex.slice(13, 16)}`,
    hex.slice(16, 20),
    hex.slice(20, 32),
  ];
  return `${topicArn}:${uuid.join('-')}`;
}
