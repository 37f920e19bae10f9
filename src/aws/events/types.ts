import type { SourceOrigin } from '../../classify/origin';
export type RuleState = 'ENABLED' | 'DISABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';

/** Where a rule comes from: the EventBridge API, or an `eventBridge` / `cloudwatchEvent` event of the service. */
export type RuleOrigin = 'api' | 'eventBridge' | 'cloudwatchEvent';

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
}
