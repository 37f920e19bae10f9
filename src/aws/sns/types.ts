import type { Clock } from '../../clock';
import type { SourceOrigin } from '../../classify/origin';
import type { Db } from '../../state/database';

/** A topic the service defines (an `sns` event's topic or an `AWS::SNS::Topic`). */
export interface TopicSpec {
  arn: string;
  name: string;
  fifo: boolean;
  attributes: Record<string, string>;
}

/** A subscription the service defines (a function's `sns` event or an `AWS::SNS::Subscription`). */
export interface SubscriptionSpec {
  topicArn: string;
  protocol: string;
  endpoint: string;
  /** Subscription attributes as SNS stores them: FilterPolicy (JSON), FilterPolicyScope, RawMessageDelivery, ... */
  attributes: Record<string, string>;
}

export interface SnsTopology {
  topics: TopicSpec[];
  subscriptions: SubscriptionSpec[];
}

/** A notification for a `lambda` subscription: the SNSEvent as JSON, to invoke the function asynchronously. */
export interface LambdaDelivery {
  functionArn: string;
  payload: string;
  /** `sns`, `<topic>`. */
  origin: SourceOrigin;
  /** The Publish request's trace. */
  traceHeader?: string;
}

/** An SQS message attribute, as SQS's SendMessage takes it. */
export interface QueueMessageAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Buffer;
}

/** A message for an `sqs` subscription: the SNS envelope, or the raw message with its attributes. */
export interface QueueDelivery {
  queueArn: string;
  body: string;
  attributes: Record<string, QueueMessageAttribute>;
  /** Forwarded for FIFO topics (and, for fair queues, standard topics). */
  messageGroupId?: string;
  messageDeduplicationId?: string;
  /** The message's trace, as the queue's `AWSTraceHeader`. */
  traceHeader?: string;
}

export interface SnsServiceOptions {
  db: Db;
  region: string;
  accountId: string;
  topology: SnsTopology;
  deliver: (delivery: LambdaDelivery) => void | Promise<void>;
  deliverToQueue: (delivery: QueueDelivery) => void | Promise<void>;
  /** Time (default: the system clock). */
  clock?: Clock;
  newId?: () => string;
  /** Where a failed delivery or a message SNS drops is reported (default: nowhere). */
  log?: (line: string) => void;
}

/** A message attribute as Publish takes it. */
export interface MessageAttributeValue {
  DataType: string;
  StringValue?: string;
  /** Base64, as both the Query and the JSON protocol carry blobs. */
  BinaryValue?: string;
}

/** One published message, validated, as it fans out to the subscriptions. */
export interface PublishedMessage {
  messageId: string;
  topicArn: string;
  /** The Message parameter; with MessageStructure json, the parsed per-protocol messages. */
  message: string | Record<string, string>;
  subject?: string;
  attributes: Record<string, MessageAttributeValue>;
  timestamp: Date;
  messageGroupId?: string;
  messageDeduplicationId?: string;
  sequenceNumber?: string;
  /** The Publish request's `X-Amzn-Trace-Id`, which SNS passes on to its subscribers. */
  traceHeader?: string;
}
