import { parseArn, resourceNameOf } from './arn';
import { describe, evaluate, isIntrinsic, referencedLogicalId } from './intrinsics';
import type { Reference, TargetKind } from './model';
import type { ServiceResources } from './resources';

/** Everything in the service a reference may name. */
export interface Catalog {
  resources: ServiceResources;
  /** Function key -> deployed name. */
  functions: Map<string, string>;
  /** `<Name>LambdaFunction` logical id -> deployed name. */
  functionLogicalIds: Map<string, string>;
  /** Topics, buckets and buses that events create without a resource. */
  implicit: { sns: Set<string>; s3: Set<string>; eventBus: Set<string> };
}

const KIND_BY_ARN_SERVICE: Record<string, TargetKind> = {
  lambda: 'function',
  sqs: 'sqs',
  sns: 'sns',
  events: 'eventBus',
  s3: 's3',
  kinesis: 'kinesis',
  dynamodb: 'dynamodb',
};

const KIND_BY_RESOURCE_TYPE: Record<string, TargetKind> = {
  'AWS::SQS::Queue': 'sqs',
  'AWS::SNS::Topic': 'sns',
  'AWS::Events::EventBus': 'eventBus',
  'AWS::S3::Bucket': 's3',
  'AWS::Kinesis::Stream': 'kinesis',
  'AWS::DynamoDB::Table': 'dynamodb',
};

/**
 * Resolves an ARN string, a bare function key, or a CloudFormation intrinsic to what it names.
 * `hint` is the kind the setting expects, used when the value itself does not tell.
 */
export function resolveReference(value: unknown, catalog: Catalog, hint?: TargetKind): Reference {
  const text = describe(value);
  if (isIntrinsic(value)) {
    const logicalId = referencedLogicalId(value);
    const isFunction = logicalId !== undefined && catalog.functionLogicalIds.has(logicalId);
    const type = logicalId === undefined ? undefined : catalog.resources.types.get(logicalId);
    if (logicalId !== undefined && !isFunction && type === undefined)
      return { text, kind: hint, status: 'missing' };
    const kind = isFunction ? 'function' : (KIND_BY_RESOURCE_TYPE[type ?? ''] ?? hint);
    const evaluated = evaluate(value, catalog.resources.scope);
    if (evaluated === undefined) return { text, kind, status: 'external' };
    return { ...fromString(evaluated, catalog, kind), text };
  }
  if (typeof value !== 'string') return { text, kind: hint, status: 'missing' };
  return fromString(value, catalog, hint);
}

function fromString(value: string, catalog: Catalog, hint: TargetKind | undefined): Reference {
  const arn = parseArn(value);
  if (arn) {
    const kind = KIND_BY_ARN_SERVICE[arn.service] ?? hint;
    const name = resourceNameOf(arn);
    return {
      text: value,
      kind,
      name,
      arn: value,
      status: isDefined(kind, name, catalog) ? 'service' : 'external',
    };
  }
  const queueUrl = /^https?:\/\/[^/]+(?:\/queue\/[a-z0-9-]+)?\/\d+\/([^/]+)$/.exec(value);
  if (queueUrl) return fromName(queueUrl[1], value, catalog, 'sqs');
  if (hint === undefined || hint === 'function') {
    const deployed = catalog.functions.get(value);
    if (deployed) return { text: value, kind: 'function', name: deployed, status: 'service' };
  }
  return fromName(value, value, catalog, hint);
}

function fromName(name: string, text: string, catalog: Catalog, kind: TargetKind | undefined): Reference {
  return { text, kind, name, status: isDefined(kind, name, catalog) ? 'service' : 'missing' };
}

function isDefined(kind: TargetKind | undefined, name: string, catalog: Catalog): boolean {
  const { resources, implicit } = catalog;
  switch (kind) {
    case 'function':
      return [...catalog.functions.values()].includes(name);
    case 'sqs':
      return resources.queues.has(name);
    case 'sns':
      return resources.topics.has(name) || implicit.sns.has(name);
    case 'eventBus':
      return name === 'default' || resources.eventBuses.has(name) || implicit.eventBus.has(name);
    case 's3':
      return resources.buckets.has(name) || implicit.s3.has(name);
    case 'kinesis':
      return resources.kinesisStreams.has(name);
    case 'dynamodb':
      return resources.tables.has(name);
    default:
      return false;
  }
}

/** How a reference reads in a report: its resolved name, else what was written. */
export function labelOf(reference: Reference): string {
  return reference.name ?? reference.text;
}
