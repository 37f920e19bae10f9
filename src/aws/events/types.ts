import type { SourceOrigin } from '../../classify/origin';
export type RuleState = 'ENABLED' | 'DISABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';

/**
 * Where a rule comes from: the EventBridge API, an `eventBridge` / `cloudwatchEvent` event of the
 * service, or an `AWS::Events::Rule` resource.
 */
export type RuleOrigin = 'api' | 'eventBridge' | 'cloudwatchEvent' | 'resource';

export interface InputTransformer {
  inputPathsMap?: Record<string, string>;
  inputTemplate: string;
}

/** A rule's target as PutTargets carries it (Input is JSON text, as in the API). */
export interface TargetSpec {
  id: string;
  arn: string;
  input?: string;
  inputPath?: string;
  inputTransformer?: InputTransformer;
  /** SqsParameters.MessageGroupId: the message group of a FIFO queue target. */
  messageGroupId?: string;
  /** KinesisParameters.PartitionKeyPath: where in the event a stream target's partition key is. */
  partitionKeyPath?: string;
  /** DeadLetterConfig.Arn: the SQS queue that gets the event when its delivery fails. */
  deadLetterArn?: string;
}

export interface RuleSpec {
  name: string;
  eventBus: string;
  /** The pattern's JSON text, as PutRule takes it. */
  eventPattern?: string;
  scheduleExpression?: string;
  state: RuleState;
  description?: string;
  roleArn?: string;
  origin: RuleOrigin;
  targets: TargetSpec[];
}

export interface BusRecord {
  name: string;
  description?: string;
  /** Epoch milliseconds. */
  createdAt: number;
}

/** What the service hands over for each Lambda target of a matching rule. */
export interface Delivery {
  functionArn: string;
  payload: unknown;
  /** `eventBridge` (or `cloudwatchEvent`), `<bus> <rule>`. */
  origin: SourceOrigin;
  /** The trace of the PutEvents entry, which EventBridge passes to its targets. */
  traceHeader?: string;
}

/** How the service reaches targets outside itself; the composition root fills it from the embedded services. */
export interface TargetPort {
  sendMessage(queueArn: string, body: string, options?: QueueMessageOptions): Promise<void>;
  publish(topicArn: string, message: string, traceHeader?: string): Promise<void>;
  putRecord(streamArn: string, data: string, partitionKey: string): Promise<void>;
}

export interface QueueMessageOptions {
  messageGroupId?: string;
  messageDeduplicationId?: string;
  /** String message attributes. */
  attributes?: Record<string, string>;
  /** The event's trace, as the message's `AWSTraceHeader`. */
  traceHeader?: string;
}

/** An EventBridge event as rules and targets see it. */
export interface EventBridgeEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
  /** The replay that sent the event again (set on replayed events only). */
  'replay-name'?: string;
}
