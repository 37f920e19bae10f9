import type { CreateTableInput } from '@aws-sdk/client-dynamodb';
import { bucketArn, buildArn, parseArn, resourceNameOf } from './arn';
import { readEventRule, type EventRuleResource } from './event-rule-resources';
import { evaluate, isIntrinsic, type IntrinsicScope } from './intrinsics';
import { isObject, parseJson, toNumber } from './values';

export interface Place {
  region: string;
  account: string;
  stackName: string;
}

interface Named {
  logicalId: string;
  name: string;
  arn: string;
}

export interface QueueResource extends Named {
  fifo: boolean;
  contentBasedDeduplication: boolean;
  visibilityTimeout: number;
  delaySeconds: number;
  messageRetentionPeriod: number;
  /** ReceiveMessageWaitTimeSeconds and MaximumMessageSize, when the resource sets them. */
  receiveMessageWaitTimeSeconds?: number;
  maximumMessageSize?: number;
  /** RedrivePolicy: the DLQ's name (when it can be resolved) and maxReceiveCount. */
  redrive?: { deadLetterQueue?: string; maxReceiveCount: number };
}

export interface TopicResource extends Named {
  fifo: boolean;
}

export interface TableResource extends Named {
  /** StreamSpecification.StreamViewType, when the table has a stream. */
  streamViewType?: string;
  streamArn?: string;
  /** TimeToLiveSpecification.AttributeName, when it is enabled. */
  timeToLiveAttribute?: string;
  /** The CreateTable input its Properties make, intrinsics resolved. */
  definition: CreateTableInput;
}

export interface KinesisStreamResource extends Named {
  shardCount: number;
  /** StreamModeDetails.StreamMode ON_DEMAND: Kinesis sizes the stream itself (ShardCount does not apply). */
  onDemand?: boolean;
}

/** One of a bucket's `CorsConfiguration.CorsRules`, in the shape PutBucketCors gives it. */
export interface BucketCorsRule {
  id?: string;
  allowedOrigins: string[];
  allowedMethods: string[];
  allowedHeaders: string[];
  exposeHeaders: string[];
  maxAgeSeconds?: number;
}

export interface BucketResource extends Named {
  corsRules?: BucketCorsRule[];
}
export type EventBusResource = Named;

export interface SubscriptionResource {
  logicalId: string;
  topic?: string;
  protocol: string;
  endpoint?: string;
  filterPolicy?: unknown;
  filterPolicyScope: string;
  rawMessageDelivery: boolean;
}

export interface ServiceResources {
  queues: Map<string, QueueResource>;
  topics: Map<string, TopicResource>;
  tables: Map<string, TableResource>;
  kinesisStreams: Map<string, KinesisStreamResource>;
  buckets: Map<string, BucketResource>;
  eventBuses: Map<string, EventBusResource>;
  eventRules: EventRuleResource[];
  subscriptions: SubscriptionResource[];
  /** Resource type by logical id, for every resource in `resources.Resources`. */
  types: Map<string, string>;
  scope: IntrinsicScope;
}

interface RawResource {
  Type?: unknown;
  Properties?: Record<string, unknown>;
}

// Seconds; SQS's own defaults.
const QUEUE_DEFAULTS = { visibilityTimeout: 30, messageRetentionPeriod: 345600, delaySeconds: 0 };

/**
 * Reads `resources.Resources` into typed resources keyed by their local name, and the intrinsic scope
 * that resolves Ref / Fn::GetAtt against them. `functionLogicalIds` maps the framework's
 * `<Name>LambdaFunction` logical ids to deployed function names so destinations may GetAtt them.
 */
export function readResources(
  raw: Record<string, unknown>,
  place: Place,
  functionLogicalIds: Map<string, string>,
): ServiceResources {
  const entries = Object.entries(raw).filter((e): e is [string, RawResource] => isObject(e[1]));
  const types = new Map(entries.map(([id, r]) => [id, typeof r.Type === 'string' ? r.Type : '']));
  const names = new Map<string, string>();
  const scope = buildScope(place, types, names, functionLogicalIds);
  for (const [id, resource] of entries) names.set(id, nameOf(id, resource, scope));

  const result: ServiceResources = {
    queues: new Map(),
    topics: new Map(),
    tables: new Map(),
    kinesisStreams: new Map(),
    buckets: new Map(),
    eventBuses: new Map(),
    eventRules: [],
    subscriptions: [],
    types,
    scope,
  };
  for (const [logicalId, resource] of entries) {
    const name = names.get(logicalId) ?? logicalId;
    const arn = scope.getAtt(logicalId, 'Arn') ?? '';
    const props = resource.Properties ?? {};
    const base = { logicalId, name, arn };
    switch (resource.Type) {
      case 'AWS::SQS::Queue':
        result.queues.set(name, readQueue(base, props, scope));
        break;
      case 'AWS::SNS::Topic':
        result.topics.set(name, { ...base, fifo: props.FifoTopic === true || props.FifoTopic === 'true' });
        break;
      case 'AWS::DynamoDB::Table': {
        const spec = isObject(props.StreamSpecification) ? props.StreamSpecification : undefined;
        const streamViewType = typeof spec?.StreamViewType === 'string' ? spec.StreamViewType : undefined;
        const streamArn = streamViewType ? scope.getAtt(logicalId, 'StreamArn') : undefined;
        const definition = tableDefinition(name, props, scope);
        const timeToLiveAttribute = timeToLiveOf(props, scope);
        result.tables.set(name, { ...base, streamViewType, streamArn, timeToLiveAttribute, definition });
        break;
      }
      case 'AWS::Kinesis::Stream': {
        const mode = isObject(props.StreamModeDetails) ? props.StreamModeDetails.StreamMode : undefined;
        const onDemand = evaluate(mode, scope) === 'ON_DEMAND';
        result.kinesisStreams.set(name, { ...base, shardCount: toNumber(props.ShardCount) ?? 1, onDemand });
        break;
      }
      case 'AWS::S3::Bucket':
        result.buckets.set(name, { ...base, corsRules: corsRulesOf(props.CorsConfiguration, scope) });
        break;
      case 'AWS::Events::EventBus':
        result.eventBuses.set(name, base);
        break;
      case 'AWS::Events::Rule':
        result.eventRules.push(
          readEventRule(logicalId, name, resolveDeep(props, scope) as Record<string, unknown>),
        );
        break;
      case 'AWS::SNS::Subscription':
        result.subscriptions.push(readSubscription(logicalId, props, scope));
        break;
    }
  }
  return result;
}

function readQueue(base: Named, props: Record<string, unknown>, scope: IntrinsicScope): QueueResource {
  const policy =
    typeof props.RedrivePolicy === 'string' ? parseJson(props.RedrivePolicy) : props.RedrivePolicy;
  const maxReceiveCount = isObject(policy) ? toNumber(policy.maxReceiveCount) : undefined;
  const target = isObject(policy) ? evaluate(policy.deadLetterTargetArn, scope) : undefined;
  const targetArn = target ? parseArn(target) : undefined;
  return {
    ...base,
    fifo: props.FifoQueue === true || props.FifoQueue === 'true',
    contentBasedDeduplication: props.ContentBasedDeduplication === true,
    visibilityTimeout: toNumber(props.VisibilityTimeout) ?? QUEUE_DEFAULTS.visibilityTimeout,
    delaySeconds: toNumber(props.DelaySeconds) ?? QUEUE_DEFAULTS.delaySeconds,
    messageRetentionPeriod: toNumber(props.MessageRetentionPeriod) ?? QUEUE_DEFAULTS.messageRetentionPeriod,
    receiveMessageWaitTimeSeconds: toNumber(props.ReceiveMessageWaitTimeSeconds),
    maximumMessageSize: toNumber(props.MaximumMessageSize),
    redrive:
      maxReceiveCount === undefined
        ? undefined
        : { maxReceiveCount, deadLetterQueue: targetArn ? resourceNameOf(targetArn) : undefined },
  };
}

const TABLE_PROPERTIES = [
  'KeySchema',
  'AttributeDefinitions',
  'GlobalSecondaryIndexes',
  'LocalSecondaryIndexes',
  'BillingMode',
  'ProvisionedThroughput',
] as const;

function tableDefinition(
  name: string,
  props: Record<string, unknown>,
  scope: IntrinsicScope,
): CreateTableInput {
  const definition: Record<string, unknown> = { TableName: name };
  for (const property of TABLE_PROPERTIES) {
    if (props[property] !== undefined) definition[property] = resolveDeep(props[property], scope);
  }
  const spec = isObject(props.StreamSpecification) ? props.StreamSpecification : undefined;
  if (spec) definition.StreamSpecification = { StreamEnabled: true, ...(resolveDeep(spec, scope) as object) };
  return definition as unknown as CreateTableInput;
}

function timeToLiveOf(props: Record<string, unknown>, scope: IntrinsicScope): string | undefined {
  const spec = resolveDeep(props.TimeToLiveSpecification, scope);
  if (!isObject(spec) || (spec.Enabled !== true && spec.Enabled !== 'true')) return undefined;
  return typeof spec.AttributeName === 'string' ? spec.AttributeName : undefined;
}

/** A value with every intrinsic in it resolved; numeric strings where CloudFormation takes numbers. */
function resolveDeep(value: unknown, scope: IntrinsicScope, key = ''): unknown {
  if (isIntrinsic(value)) return evaluate(value, scope);
  if (Array.isArray(value)) return value.map((v) => resolveDeep(v, scope));
  if (isObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveDeep(v, scope, k)]));
  }
  return key.endsWith('CapacityUnits') ? (toNumber(value) ?? value) : value;
}

function readSubscription(
  logicalId: string,
  props: Record<string, unknown>,
  scope: IntrinsicScope,
): SubscriptionResource {
  const nameFromArn = (value: unknown) => {
    const arn = parseArn(evaluate(value, scope) ?? '');
    return arn ? resourceNameOf(arn) : undefined;
  };
  return {
    logicalId,
    topic: nameFromArn(props.TopicArn),
    protocol: typeof props.Protocol === 'string' ? props.Protocol : '',
    endpoint: nameFromArn(props.Endpoint) ?? evaluate(props.Endpoint, scope),
    filterPolicy: typeof props.FilterPolicy === 'string' ? parseJson(props.FilterPolicy) : props.FilterPolicy,
    filterPolicyScope:
      typeof props.FilterPolicyScope === 'string' ? props.FilterPolicyScope : 'MessageAttributes',
    rawMessageDelivery: props.RawMessageDelivery === true || props.RawMessageDelivery === 'true',
  };
}

const NAME_PROPERTY: Record<string, string> = {
  'AWS::SQS::Queue': 'QueueName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::Kinesis::Stream': 'Name',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::Events::EventBus': 'Name',
  'AWS::Events::Rule': 'Name',
};

/** The resource's name: its name property, or (as CloudFormation would generate one) its logical id. */
function nameOf(logicalId: string, resource: RawResource, scope: IntrinsicScope): string {
  const property = NAME_PROPERTY[String(resource.Type)];
  const given = property ? evaluate(resource.Properties?.[property], scope) : undefined;
  if (given) return given;
  const fifo = resource.Type === 'AWS::SQS::Queue' && resource.Properties?.FifoQueue;
  return fifo ? `${logicalId}.fifo` : logicalId;
}

function buildScope(
  place: Place,
  types: Map<string, string>,
  names: Map<string, string>,
  functionLogicalIds: Map<string, string>,
): IntrinsicScope {
  const { region, account } = place;
  const arnOf = (type: string, name: string): string | undefined => {
    switch (type) {
      case 'AWS::SQS::Queue':
        return buildArn('sqs', region, account, name);
      case 'AWS::SNS::Topic':
        return buildArn('sns', region, account, name);
      case 'AWS::DynamoDB::Table':
        return buildArn('dynamodb', region, account, `table/${name}`);
      case 'AWS::Kinesis::Stream':
        return buildArn('kinesis', region, account, `stream/${name}`);
      case 'AWS::S3::Bucket':
        return bucketArn(region, name);
      case 'AWS::Events::EventBus':
        return buildArn('events', region, account, `event-bus/${name}`);
      case 'AWS::Events::Rule':
        return buildArn('events', region, account, `rule/${name}`);
      case 'AWS::Lambda::Function':
        return buildArn('lambda', region, account, `function:${name}`);
      default:
        return undefined;
    }
  };
  const lookup = (id: string): { type: string; name: string } | undefined => {
    const fn = functionLogicalIds.get(id);
    if (fn) return { type: 'AWS::Lambda::Function', name: fn };
    const type = types.get(id);
    // A name property may refer to another resource; until its name is read, its logical id stands in.
    return type === undefined ? undefined : { type, name: names.get(id) ?? id };
  };
  return {
    pseudo: {
      'AWS::Region': region,
      'AWS::AccountId': account,
      'AWS::Partition': 'aws',
      'AWS::StackName': place.stackName,
      'AWS::URLSuffix': 'amazonaws.com',
    },
    ref(id) {
      const found = lookup(id);
      if (!found) return undefined;
      if (found.type === 'AWS::SQS::Queue')
        return `https://sqs.${region}.amazonaws.com/${account}/${found.name}`;
      if (found.type === 'AWS::SNS::Topic') return arnOf(found.type, found.name);
      return found.name;
    },
    getAtt(id, attribute) {
      const found = lookup(id);
      if (!found) return undefined;
      const arn = arnOf(found.type, found.name);
      switch (attribute) {
        case 'Arn':
        case 'TopicArn':
          return arn;
        case 'StreamArn':
          return found.type === 'AWS::DynamoDB::Table' ? `${arn}/stream/1970-01-01T00:00:00.000` : arn;
        case 'QueueName':
        case 'TopicName':
        case 'Name':
          return found.name;
        case 'QueueUrl':
          return this.ref(id);
        default:
          return undefined;
      }
    },
  };
}

function corsRulesOf(configuration: unknown, scope: IntrinsicScope): BucketCorsRule[] | undefined {
  if (!isObject(configuration) || !Array.isArray(configuration.CorsRules)) return undefined;
  const strings = (value: unknown) =>
    (Array.isArray(value) ? value : []).map((v) => evaluate(v, scope)).filter((v) => v !== undefined);
  return configuration.CorsRules.filter(isObject).map((rule) => ({
    id: evaluate(rule.Id, scope),
    allowedOrigins: strings(rule.AllowedOrigins),
    allowedMethods: strings(rule.AllowedMethods),
    allowedHeaders: strings(rule.AllowedHeaders),
    exposeHeaders: strings(rule.ExposedHeaders),
    maxAgeSeconds: toNumber(rule.MaxAge),
  }));
}
