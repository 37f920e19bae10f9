import type { ClassifiedEvent } from '../classify/classify';
import type { EventSpec, FunctionModel, Reference, ServiceModel, SqsEvent } from '../service/model';
import { labelOf } from '../service/references';
import { plural } from '../plural';

export type Level = 'error' | 'warning' | 'info';

export interface Finding {
  level: Level;
  code: string;
  function: string;
  /** The event's index in the function's `events` (absent for function-wide findings). */
  event?: number;
  message: string;
}

export const LEVELS: readonly Level[] = ['error', 'warning', 'info'];

interface Subject {
  fn: FunctionModel;
  events: ClassifiedEvent[];
  service: ServiceModel;
}

type Draft = Omit<Finding, 'function'>;
type Rule = (subject: Subject) => Draft[];

const finding = (level: Level, code: string, message: string, event?: number): Draft => ({
  level,
  code,
  event,
  message,
});

const specs = <T extends EventSpec['type']>(events: ClassifiedEvent[], type: T) =>
  events.map((e) => e.spec).filter((spec): spec is Extract<EventSpec, { type: T }> => spec.type === type);

const queueOf = (spec: SqsEvent, service: ServiceModel) =>
  spec.queue.name ? service.resources.queues.get(spec.queue.name) : undefined;

const isFifoName = (name: string | undefined) => !!name?.endsWith('.fifo');

const isFifo = (spec: SqsEvent, service: ServiceModel) =>
  !!queueOf(spec, service)?.fifo || isFifoName(spec.queue.name);

const days = (seconds: number) => plural(+(seconds / 86400).toFixed(1), 'day');

const sqsVisibility: Rule = ({ fn, events, service }) =>
  specs(events, 'sqs').flatMap((spec) => {
    const queue = queueOf(spec, service);
    if (!queue) return [];
    const { name, visibilityTimeout } = queue;
    const advised = 6 * fn.timeout + spec.maximumBatchingWindow;
    if (visibilityTimeout < fn.timeout) {
      return finding(
        'error',
        'SQS_VISIBILITY_TIMEOUT_BELOW_FUNCTION_TIMEOUT',
        `queue ${name} has a visibility timeout of ${visibilityTimeout} s, under the function timeout of ${fn.timeout} s: AWS rejects the event source mapping at deploy`,
        spec.index,
      );
    }
    if (visibilityTimeout >= advised) return [];
    return finding(
      'warning',
      'SQS_VISIBILITY_TIMEOUT_LOW',
      `queue ${name} has a visibility timeout of ${visibilityTimeout} s; AWS advises at least 6x the function timeout plus the batching window (${advised} s), or messages of a throttled or retried batch come back while still in flight`,
      spec.index,
    );
  });

const sqsRedrive: Rule = ({ events, service }) =>
  specs(events, 'sqs').flatMap((spec) => {
    const queue = queueOf(spec, service);
    if (!queue || queue.redrive) return [];
    return finding(
      'warning',
      'SQS_NO_REDRIVE_POLICY',
      `queue ${queue.name} has no RedrivePolicy: a message that always fails is received again and again until its retention period (${days(queue.messageRetentionPeriod)}) ends, then lost`,
      spec.index,
    );
  });

// SQS only: Kinesis and DynamoDB mappings take batches of 100 with no window by default.
const batchingWindow: Rule = ({ events, service }) =>
  specs(events, 'sqs')
    .filter((spec) => spec.batchSize > 10 && spec.maximumBatchingWindow < 1 && !isFifo(spec, service))
    .map((spec) =>
      finding(
        'error',
        'BATCH_WINDOW_REQUIRED',
        `batchSize ${spec.batchSize} is over 10 without a maximumBatchingWindow of at least 1 s: AWS rejects the SQS event source mapping at deploy`,
        spec.index,
      ),
    );

const fifoQueue: Rule = ({ events, service }) =>
  specs(events, 'sqs')
    .filter((spec) => isFifo(spec, service))
    .flatMap((spec) => [
      ...(spec.batchSize > 10
        ? [
            finding(
              'error',
              'FIFO_BATCH_SIZE_TOO_LARGE',
              `batchSize ${spec.batchSize} on FIFO queue ${labelOf(spec.queue)}: FIFO queues allow at most 10`,
              spec.index,
            ),
          ]
        : []),
      ...(spec.maximumBatchingWindow > 0
        ? [
            finding(
              'error',
              'FIFO_BATCHING_WINDOW',
              `maximumBatchingWindow on FIFO queue ${labelOf(spec.queue)}: batching windows are for standard queues only`,
              spec.index,
            ),
          ]
        : []),
    ]);

const GATEWAY_LIMITS: Partial<Record<EventSpec['type'], { seconds: number; status: number }>> = {
  http: { seconds: 29, status: 504 },
  httpApi: { seconds: 30, status: 503 },
  websocket: { seconds: 29, status: 504 },
};

const gatewayTimeout: Rule = ({ fn, events }) =>
  events.flatMap(({ spec, invocation }) => {
    const limit = GATEWAY_LIMITS[spec.type];
    if (!limit || invocation !== 'sync' || fn.timeout < limit.seconds) return [];
    return finding(
      'warning',
      'API_TIMEOUT_EXCEEDS_GATEWAY',
      `function timeout ${fn.timeout} s reaches API Gateway's ${limit.seconds} s limit: a slow call answers the client ${limit.status} while the function keeps running`,
      spec.index,
    );
  });

const asyncFailurePath: Rule = ({ fn, events }) => {
  const asyncTypes = [...new Set(events.filter((e) => e.invocation === 'async').map((e) => e.spec.type))];
  if (asyncTypes.length === 0 || fn.destinations.onFailure || fn.onError || fn.reservedConcurrency === 0)
    return [];
  return [
    finding(
      'warning',
      'ASYNC_NO_FAILURE_DESTINATION',
      `async sources (${asyncTypes.join(', ')}) but neither destinations.onFailure nor onError: an event that fails ${fn.maximumRetryAttempts === 0 ? 'its one attempt' : `all ${1 + fn.maximumRetryAttempts} attempts`} or outlives maximumEventAge is dropped`,
    ),
  ];
};

const asyncSettingsUnused: Rule = ({ fn, events }) => {
  const configured = [
    fn.destinations.onSuccess && 'destinations.onSuccess',
    fn.destinations.onFailure && 'destinations.onFailure',
    fn.onError && 'onError',
  ].filter(Boolean);
  if (configured.length === 0 || events.length === 0 || events.some((e) => e.invocation !== 'sync'))
    return [];
  return [
    finding(
      'warning',
      'ASYNC_SETTINGS_UNUSED',
      `${configured.join(' and ')} apply only to asynchronous invocations, and every source here (${events.map((e) => e.spec.type).join(', ')}) invokes synchronously; for SQS use the queue's redrive policy, for streams the event's destinations.onFailure`,
    ),
  ];
};

const streamFailures: Rule = ({ events }) =>
  specs(events, 'stream').flatMap((spec) => {
    if (spec.maximumRetryAttempts === -1 && spec.maximumRecordAgeInSeconds === -1) {
      const expiry = spec.streamType === 'dynamodb' ? '24 hours' : 'the stream retention, 24 hours or more';
      return finding(
        'warning',
        'STREAM_POISON_RECORD_BLOCKS_SHARD',
        `unlimited maximumRetryAttempts and maximumRecordAgeInSeconds: a record that always fails blocks its shard until it expires (${expiry})${spec.onFailure ? '' : ', and with no destinations.onFailure it is then lost'}`,
        spec.index,
      );
    }
    if (spec.onFailure) return [];
    return finding(
      'warning',
      'STREAM_FAILED_BATCH_DISCARDED',
      'no destinations.onFailure: a batch that exhausts its retries or record age is skipped with no record of it',
      spec.index,
    );
  });

const COGNITO_WAIT_SECONDS = 5;

const cognitoTimeout: Rule = ({ fn, events }) =>
  specs(events, 'cognitoUserPool')
    .filter(() => fn.timeout > COGNITO_WAIT_SECONDS)
    .map((spec) =>
      finding(
        'info',
        'COGNITO_TIMEOUT_EXCEEDS_LIMIT',
        `function timeout ${fn.timeout} s: Cognito waits ${COGNITO_WAIT_SECONDS} s for a ${spec.trigger} trigger, then retries (up to 3 times) and fails the user's request`,
        spec.index,
      ),
    );

const alexaWithoutAppId: Rule = ({ events }) =>
  events
    .map((e) => e.spec)
    .filter((spec) => (spec.type === 'alexaSkill' || spec.type === 'alexaSmartHome') && !spec.appId)
    .map((spec) =>
      finding(
        'warning',
        'ALEXA_SKILL_WITHOUT_APP_ID',
        `${spec.type} without appId is deprecated: the framework creates no permission for it, so Alexa cannot invoke the function`,
        spec.index,
      ),
    );

const BROKER_MAX_TIMEOUT = 840;

const brokerTimeout: Rule = ({ fn, events }) =>
  events
    .filter((e) => e.retry.owner === 'broker' && fn.timeout > BROKER_MAX_TIMEOUT)
    .map(({ spec }) =>
      finding(
        'error',
        'BROKER_FUNCTION_TIMEOUT_TOO_LONG',
        `function timeout ${fn.timeout} s: ${spec.type} event source mappings accept functions with a timeout of at most 14 minutes`,
        spec.index,
      ),
    );

const reservedConcurrencyZero: Rule = ({ fn }) =>
  fn.reservedConcurrency === 0
    ? [
        finding(
          'warning',
          'RESERVED_CONCURRENCY_ZERO',
          'reservedConcurrency 0 throttles every invocation: sync callers get 429, async events go straight to the failure destination or DLQ (or are dropped), queue and stream sources stall',
        ),
      ]
    : [];

interface ReferenceSite {
  key: string;
  ref?: Reference;
  event?: number;
  /** A source the event reads from, rather than a place failures go. */
  source?: boolean;
}

function referencesOf(fn: FunctionModel): ReferenceSite[] {
  const eventLevel = fn.events.flatMap((spec): ReferenceSite[] => {
    const event = spec.index;
    switch (spec.type) {
      case 'sqs':
        return [{ key: 'arn', ref: spec.queue, event, source: true }];
      case 'stream':
        return [
          { key: 'arn', ref: spec.stream, event, source: true },
          { key: 'destinations.onFailure', ref: spec.onFailure, event },
        ];
      case 'sns':
        return [
          { key: 'arn', ref: spec.topic, event, source: true },
          { key: 'redrivePolicy', ref: spec.redrivePolicy, event },
        ];
      case 'eventBridge':
        return [{ key: 'deadLetterQueueArn', ref: spec.deadLetterQueue, event }];
      default:
        return [];
    }
  });
  return [
    { key: 'destinations.onSuccess', ref: fn.destinations.onSuccess },
    { key: 'destinations.onFailure', ref: fn.destinations.onFailure },
    { key: 'onError', ref: fn.onError },
    ...eventLevel,
  ];
}

const danglingReferences: Rule = ({ fn }) =>
  referencesOf(fn)
    .filter(({ ref }) => ref?.status === 'missing')
    .map(({ key, ref, event, source }) =>
      finding(
        'error',
        source ? 'SOURCE_NOT_FOUND' : 'DESTINATION_NOT_FOUND',
        `${key} (${ref?.text}) names nothing in this service: no function, and no resource of that name or logical id`,
        event,
      ),
    );

const fifoDestinations: Rule = ({ fn, service }) => {
  const isFifo = (ref: Reference | undefined) => {
    if (!ref?.name) return false;
    if (ref.kind === 'sqs') return !!service.resources.queues.get(ref.name)?.fifo || isFifoName(ref.name);
    if (ref.kind === 'sns') return !!service.resources.topics.get(ref.name)?.fifo || isFifoName(ref.name);
    return false;
  };
  return Object.entries(fn.destinations)
    .filter(([, ref]) => isFifo(ref))
    .map(([key, ref]) =>
      finding(
        'error',
        'DESTINATION_FIFO_UNSUPPORTED',
        `destinations.${key} (${ref && labelOf(ref)}) is FIFO: Lambda destinations accept only standard queues and topics`,
      ),
    );
};

// S3 takes records of failures only, and needs permissions the framework does not grant: it adds
// none for a function's destinations (it refuses an S3 ARN there) and puts a stream's S3 ARN in its
// sqs:SendMessage statement (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html).
const S3_PERMISSIONS =
  "Lambda writes the record with the function's execution role, which needs s3:PutObject and s3:ListBucket on the bucket: add them to provider.iam.role.statements (the framework grants neither)";

const s3Destinations: Rule = ({ fn, events }) => {
  const isS3 = (ref: Reference | undefined) => ref?.kind === 's3';
  const onSuccess = isS3(fn.destinations.onSuccess)
    ? [
        finding(
          'error',
          'DESTINATION_S3_ON_SUCCESS',
          `destinations.onSuccess (${labelOf(fn.destinations.onSuccess as Reference)}) is an S3 bucket: Lambda takes S3 buckets as on-failure destinations only (sls emulate keeps such records in the state database)`,
        ),
      ]
    : [];
  const onFailure = isS3(fn.destinations.onFailure)
    ? [
        finding(
          'info',
          'DESTINATION_S3_PERMISSIONS',
          `destinations.onFailure is an S3 bucket: ${S3_PERMISSIONS}`,
        ),
      ]
    : [];
  const streams = specs(events, 'stream')
    .filter((spec) => isS3(spec.onFailure))
    .map((spec) =>
      finding(
        'info',
        'DESTINATION_S3_PERMISSIONS',
        `destinations.onFailure is an S3 bucket: ${S3_PERMISSIONS}`,
        spec.index,
      ),
    );
  return [...onSuccess, ...onFailure, ...streams];
};

/**
 * A destination or DLQ of the function that is also one of its sources (or the function itself):
 * whatever goes there invokes the function again. Lambda stops such a loop through SQS, SNS, S3 or
 * Lambda after 16 invocations of one event, unless RecursiveLoop is Allow
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-recursion.html).
 */
const configuredLoops: Rule = ({ fn, events }) => {
  const sites = referencesOf(fn);
  const sources = [
    ...sites.flatMap(({ ref, event, source }) =>
      source && ref?.name ? [{ kind: ref.kind, name: ref.name, event, what: `its ${ref.kind} source` }] : [],
    ),
    ...specs(events, 's3').map((spec) => ({
      kind: 's3' as const,
      name: spec.bucket,
      event: spec.index,
      what: 'its s3 event',
    })),
    ...[fn.key, fn.name].map((name) => ({
      kind: 'function' as const,
      name,
      event: undefined,
      what: 'itself',
    })),
  ];
  const outcome =
    fn.recursiveLoop === 'Allow'
      ? 'with RecursiveLoop: Allow nothing stops it'
      : 'Lambda stops the loop after 16 invocations of one event and sends the event to the DLQ or on-failure destination, if any';
  return sites.flatMap(({ key, ref, source }) => {
    if (source || !ref?.name) return [];
    const fed = sources.find((s) => s.kind === ref.kind && s.name === ref.name);
    if (!fed) return [];
    return finding(
      'warning',
      'RECURSIVE_LOOP_CONFIGURED',
      `${key} (${labelOf(ref)}) feeds ${fed.what}: what goes there invokes the function again, a recursive loop; ${outcome}`,
      fed.event,
    );
  });
};

const unknownEvents: Rule = ({ events }) =>
  specs(events, 'unknown').map((spec) =>
    finding(
      'warning',
      'UNKNOWN_EVENT_TYPE',
      `event "${spec.key}" is not a Serverless v3 AWS event (another plugin's, or a typo): how AWS invokes it is unknown`,
      spec.index,
    ),
  );

const disabledSources: Rule = ({ events }) =>
  events
    .filter(({ spec }) => 'enabled' in spec && spec.enabled === false)
    .map(({ spec }) =>
      finding(
        'info',
        'EVENT_SOURCE_DISABLED',
        `${spec.type} source has enabled: false: it invokes nothing`,
        spec.index,
      ),
    );

/** Lambda's Node.js runtimes from this major on run no callback handlers. */
const FIRST_NODE_WITHOUT_CALLBACKS = 24;

// The report reads no code: whether the handler declares a callback is seen by sls emulate as it loads it.
const nodeCallbackHandlers: Rule = ({ fn }) => {
  const major = Number(/^nodejs(\d+)\.x$/.exec(fn.runtime)?.[1]);
  if (!(major >= FIRST_NODE_WITHOUT_CALLBACKS)) return [];
  return [
    finding(
      'info',
      'NODEJS_CALLBACK_HANDLER_UNSUPPORTED',
      `${fn.runtime} runs no callback handlers: a handler that declares a third (callback) parameter fails its init with Runtime.CallbackHandlerDeprecated, and the context has no succeed, fail, done or callbackWaitsForEmptyEventLoop; sls emulate checks the handler's parameters when it loads it`,
    ),
  ];
};

const RULES: Rule[] = [
  danglingReferences,
  batchingWindow,
  fifoQueue,
  sqsVisibility,
  sqsRedrive,
  streamFailures,
  brokerTimeout,
  gatewayTimeout,
  cognitoTimeout,
  alexaWithoutAppId,
  asyncFailurePath,
  asyncSettingsUnused,
  fifoDestinations,
  s3Destinations,
  configuredLoops,
  reservedConcurrencyZero,
  unknownEvents,
  disabledSources,
  nodeCallbackHandlers,
];

export function findingsFor(fn: FunctionModel, events: ClassifiedEvent[], service: ServiceModel): Finding[] {
  return RULES.flatMap((rule) => rule({ fn, events, service })).map((f) => ({ ...f, function: fn.key }));
}
