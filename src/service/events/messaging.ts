import { buildArn, parseArn } from '../arn';
import { describe, evaluate, isIntrinsic, referencedLogicalId } from '../intrinsics';
import type { Reference, S3Event, SnsEvent, SqsEvent, StreamEvent } from '../model';
import type { ConfigReader } from '../reader';
import { resolveReference } from '../references';
import { isObject } from '../values';
import type { EventContext, EventParser } from './context';

const BATCH_SIZE = { min: 1, max: 10000 };
const BATCHING_WINDOW = { min: 0, max: 300 };

export const parseS3: EventParser<S3Event> = (r, { index, catalog, provider }) => {
  const written = typeof r.value === 'string' ? r.value : r.raw('bucket');
  // `provider.s3.<name>` may give the bucket its real name (the framework's s3/index.js).
  const settings = typeof written === 'string' ? provider.s3Buckets[written] : undefined;
  const bucket = isObject(settings) && settings.name !== undefined ? settings.name : written;
  if (bucket === undefined || bucket === null || bucket === '')
    r.fail('bucket', 'is required (the bucket name)');
  const rules = (r.list('rules') ?? []).map((rule, i) => {
    const { prefix, suffix } = isObject(rule) ? rule : {};
    if (typeof prefix !== 'string' && typeof suffix !== 'string') {
      r.fail(`rules.${i}`, 'must be { prefix: ... } or { suffix: ... }');
    }
    return { prefix: prefix as string | undefined, suffix: suffix as string | undefined };
  });
  return {
    type: 's3',
    index,
    bucket: evaluate(bucket, catalog.resources.scope) ?? describe(bucket),
    event: r.string('event') ?? 's3:ObjectCreated:*',
    rules,
    existing: r.boolean('existing', false),
  };
};

export const parseSns: EventParser<SnsEvent> = (r, context) => {
  const { index, catalog } = context;
  const scope = r.oneOf('filterPolicyScope', ['MessageAttributes', 'MessageBody'] as const);
  const redrive = r.child('redrivePolicy');
  const deadLetter = redrive.raw('deadLetterTargetArn') ?? redrive.raw('deadLetterTargetRef');
  return {
    type: 'sns',
    index,
    topic: snsTopic(r, context),
    filterPolicy: r.raw('filterPolicy'),
    filterPolicyScope: scope ?? 'MessageAttributes',
    redrivePolicy:
      deadLetter === undefined
        ? undefined
        : resolveReference(
            typeof deadLetter === 'string' && !parseArn(deadLetter)
              ? { 'Fn::GetAtt': [deadLetter, 'Arn'] }
              : deadLetter,
            catalog,
            'sqs',
          ),
  };
};

/** A topic named by ARN refers to it; a topic named by name is created by the event. */
function snsTopic(r: ConfigReader, { catalog, place }: EventContext): Reference {
  const value = typeof r.value === 'string' ? r.value : (r.raw('arn') ?? r.raw('topicName'));
  if (value === undefined || value === null || value === '') {
    r.fail('arn', 'or topicName is required (the topic ARN, or the name of a topic to create)');
  }
  if (typeof value === 'string' && !parseArn(value)) {
    const arn = buildArn('sns', place.region, place.account, value);
    return { text: value, kind: 'sns', name: value, arn, status: 'service' };
  }
  const topic = resolveReference(value, catalog, 'sns');
  const topicName = r.string('topicName');
  return topic.name === undefined && topicName ? { ...topic, name: topicName } : topic;
}

export const parseSqs: EventParser<SqsEvent> = (r, { index, catalog }) => {
  const arn = typeof r.value === 'string' ? r.value : r.raw('arn');
  if (arn === undefined || arn === null || arn === '') {
    r.fail('arn', 'is required (the queue ARN, e.g. !GetAtt MyQueue.Arn)');
  }
  return {
    type: 'sqs',
    index,
    queue: resolveReference(arn, catalog, 'sqs'),
    batchSize: r.number('batchSize', BATCH_SIZE) ?? 10,
    maximumBatchingWindow: r.number('maximumBatchingWindow', BATCHING_WINDOW) ?? 0,
    reportBatchItemFailures:
      r.oneOf('functionResponseType', ['ReportBatchItemFailures'] as const) !== undefined,
    filterPatterns: r.list('filterPatterns'),
    maximumConcurrency: r.number('maximumConcurrency', { min: 2, max: 1000 }),
    enabled: r.boolean('enabled', true),
  };
};

export const parseStream: EventParser<StreamEvent> = (r, context) => {
  const { index, catalog } = context;
  const arn = typeof r.value === 'string' ? r.value : r.raw('arn');
  if (arn === undefined || arn === null || arn === '') {
    r.fail('arn', 'is required (the Kinesis stream or DynamoDB stream ARN)');
  }
  const streamType = streamTypeOf(r, arn, context);
  const onFailure = r.child('destinations').child('onFailure');
  const failureTarget = typeof onFailure.value === 'string' ? onFailure.value : onFailure.raw('arn');
  const maximumRecordAgeInSeconds = r.number('maximumRecordAgeInSeconds', { min: -1, max: 604800 }) ?? -1;
  if (maximumRecordAgeInSeconds >= 0 && maximumRecordAgeInSeconds < 60) {
    r.fail('maximumRecordAgeInSeconds', `must be -1 or from 60 to 604800, got ${maximumRecordAgeInSeconds}`);
  }
  return {
    type: 'stream',
    index,
    streamType,
    stream: resolveReference(arn, catalog, streamType),
    batchSize: r.number('batchSize', BATCH_SIZE) ?? 10,
    batchWindow: r.number('batchWindow', BATCHING_WINDOW) ?? 0,
    startingPosition:
      r.oneOf('startingPosition', ['TRIM_HORIZON', 'LATEST', 'AT_TIMESTAMP'] as const) ?? 'TRIM_HORIZON',
    startingPositionTimestamp: r.number('startingPositionTimestamp', {
      min: 0,
      max: Number.MAX_SAFE_INTEGER,
    }),
    maximumRetryAttempts: r.number('maximumRetryAttempts', { min: -1, max: 10000 }) ?? -1,
    maximumRecordAgeInSeconds,
    bisectBatchOnFunctionError: r.boolean('bisectBatchOnFunctionError', false),
    parallelizationFactor: r.number('parallelizationFactor', { min: 1, max: 10 }) ?? 1,
    tumblingWindowInSeconds: r.number('tumblingWindowInSeconds', { min: 0, max: 900 }) ?? 0,
    reportBatchItemFailures:
      r.oneOf('functionResponseType', ['ReportBatchItemFailures'] as const) !== undefined,
    onFailure:
      failureTarget === undefined || failureTarget === null
        ? undefined
        : resolveReference(failureTarget, catalog, onFailure.oneOf('type', ['sns', 'sqs'] as const)),
    filterPatterns: r.list('filterPatterns'),
    consumer: r.has('consumer') && r.raw('consumer') !== false,
    enabled: r.boolean('enabled', true),
  };
};

/** `type:`, else the ARN's service, else the type of the resource an intrinsic points at. */
function streamTypeOf(r: ConfigReader, arn: unknown, { catalog }: EventContext): 'kinesis' | 'dynamodb' {
  const given = r.oneOf('type', ['kinesis', 'dynamodb'] as const);
  if (given) return given;
  const evaluated = isIntrinsic(arn) ? evaluate(arn, catalog.resources.scope) : arn;
  const service = typeof evaluated === 'string' ? parseArn(evaluated)?.service : undefined;
  if (service === 'kinesis' || service === 'dynamodb') return service;
  const logicalId = referencedLogicalId(arn);
  const resourceType = logicalId ? catalog.resources.types.get(logicalId) : undefined;
  if (resourceType === 'AWS::Kinesis::Stream') return 'kinesis';
  if (resourceType === 'AWS::DynamoDB::Table') return 'dynamodb';
  return r.fail(
    'type',
    `is required: the arn (${describe(arn)}) does not tell whether it is a Kinesis or a DynamoDB stream`,
  );
}
