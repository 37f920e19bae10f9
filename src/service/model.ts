import type { BuildSettings } from './build-settings';
import type { ServiceResources } from './resources';

/**
 * The service as this plugin sees it: serverless.yml after the framework resolved its variables,
 * with shorthands expanded, the framework's defaults applied and resource names resolved.
 */
export interface ServiceModel {
  service: string;
  stage: string;
  region: string;
  accountId: string;
  serviceDir: string;
  functions: FunctionModel[];
  /** The service's own `layers:`. */
  layers: LayerModel[];
  /** How a build plugin (serverless-esbuild, serverless-webpack, ...) would have built the handlers. */
  build: BuildSettings;
  resources: ServiceResources;
  /** The plugin's own settings, `custom.emulate`. */
  emulate: {
    /** `custom.emulate.stateDir`, as written (relative to the service). */
    stateDir?: string;
    /** `custom.emulate.accountId`; the model's `accountId` is what is in force. */
    accountId?: string;
    /** Host names the ports answer besides loopback names, IP addresses and `--host`. */
    allowedHosts: string[];
    /** AWS services (by signing name) whose calls from handlers go to AWS itself. */
    passthrough: string[];
    retryDelayScale?: number;
    pull: PullSettings;
  };
  /** API-wide settings: `provider.apiGateway.binaryMediaTypes` and `provider.httpApi.cors`. */
  api: { binaryMediaTypes: string[]; httpApiCors?: unknown };
}

/** Where a mapping polls a source that lives outside the emulator (LocalStack, ElasticMQ, AWS). */
export interface ExternalSource {
  /** Absent: the AWS SDK's own endpoint for the region (AWS itself). */
  endpoint?: string;
  region?: string;
}

/** How the event source mappings poll, `custom.emulate.pull`. */
export interface PullSettings {
  /** Milliseconds between polls of an idle shard; 0: as soon as an embedded stream has records. */
  pollInterval: { kinesis: number; dynamodb: number };
  /** Milliseconds before a stream batch that failed is retried. */
  retryDelay: number;
  /** Every mapping polls there instead of the embedded services. */
  external?: ExternalSource;
  /** Per source, by ARN or name: poll there instead. */
  sources: Map<string, ExternalSource>;
}

/** A layer of `layers:`: what Lambda would mount under /opt is its `path`, a folder of the service. */
export interface LayerModel {
  key: string;
  /** The layer's name in its ARN: `name`, else the key (as the framework names it). */
  name: string;
  /** `<Key>LambdaLayer`, what `Ref` names it by. */
  logicalId: string;
  /** Absolute; absent for a layer given only as a `package.artifact` zip. */
  path?: string;
  artifact?: string;
}

/** A layer a function uses: `layer` is the key of this service's layer; absent, another stack's. */
export interface LayerUse {
  text: string;
  layer?: string;
}

export type TargetKind = 'function' | 'sqs' | 'sns' | 'eventBus' | 's3' | 'kinesis' | 'dynamodb';

/**
 * Something a setting points at (a destination, a DLQ, a queue, a stream). `status` tells whether it is
 * defined by this service, lives outside it (an ARN or an import), or names nothing at all.
 */
export interface Reference {
  text: string;
  kind?: TargetKind;
  name?: string;
  arn?: string;
  status: 'service' | 'external' | 'missing';
}

export interface FunctionModel {
  key: string;
  name: string;
  handler?: string;
  runtime: string;
  timeout: number;
  memorySize: number;
  environment: Record<string, string>;
  reservedConcurrency?: number;
  /** Lambda's async retry settings with AWS's defaults (2 retries, 6 hours). */
  maximumRetryAttempts: number;
  maximumEventAge: number;
  destinations: { onSuccess?: Reference; onFailure?: Reference };
  onError?: Reference;
  /** Its layers in Lambda's merge order (the function's own, else the provider's). */
  layers: LayerUse[];
  url?: UrlEvent;
  events: EventSpec[];
  /** Routes of this service whose Lambda authorizer this function is. */
  authorizes: AuthorizerEvent[];
}

interface EventBase {
  /** Position in the function's `events` list, as the framework counts it (from 0). */
  index: number;
}

/** A Lambda authorizer an API route names: `functionKey` when it is a function of this service. */
export interface AuthorizerRef {
  name: string;
  functionKey?: string;
  type: string;
}

export interface HttpEvent extends EventBase {
  type: 'http';
  method: string;
  path: string;
  integration: string;
  async: boolean;
  cors: boolean;
  /** The `cors` setting as written (true, or origins/headers/...), for the HTTP front. */
  corsSettings?: unknown;
  private: boolean;
  authorizer?: AuthorizerRef;
}

export interface HttpApiEvent extends EventBase {
  type: 'httpApi';
  method: string;
  path: string;
  payload: '1.0' | '2.0';
  authorizer?: AuthorizerRef;
}

export interface WebsocketEvent extends EventBase {
  type: 'websocket';
  route: string;
  routeSelectionExpression: string;
  routeResponseSelectionExpression?: string;
  authorizer?: AuthorizerRef;
}

export interface AlbEvent extends EventBase {
  type: 'alb';
  listenerArn: string;
  priority: number;
  conditions: {
    path: string[];
    method: string[];
    host: string[];
    header?: unknown;
    query?: unknown;
    ip: string[];
  };
  multiValueHeaders: boolean;
}

export interface UrlEvent extends EventBase {
  type: 'url';
  authorizer: 'none' | 'aws_iam';
  cors: boolean;
  corsSettings?: unknown;
  invokeMode: 'BUFFERED' | 'RESPONSE_STREAM';
}

/** A function of this service that API Gateway calls as the Lambda authorizer of a route. */
export interface AuthorizerEvent extends EventBase {
  type: 'authorizer';
  api: 'http' | 'httpApi' | 'websocket';
  /** The route it protects and the function behind that route. */
  route: string;
  protects: string;
  authorizerType: string;
}

export interface S3Event extends EventBase {
  type: 's3';
  bucket: string;
  event: string;
  rules: Array<{ prefix?: string; suffix?: string }>;
  existing: boolean;
}

export interface SnsEvent extends EventBase {
  type: 'sns';
  topic: Reference;
  filterPolicy?: unknown;
  filterPolicyScope: 'MessageAttributes' | 'MessageBody';
  redrivePolicy?: Reference;
}

export interface SqsEvent extends EventBase {
  type: 'sqs';
  queue: Reference;
  batchSize: number;
  maximumBatchingWindow: number;
  reportBatchItemFailures: boolean;
  filterPatterns?: unknown[];
  maximumConcurrency?: number;
  enabled: boolean;
}

export interface StreamEvent extends EventBase {
  type: 'stream';
  streamType: 'kinesis' | 'dynamodb';
  stream: Reference;
  batchSize: number;
  batchWindow: number;
  startingPosition: 'TRIM_HORIZON' | 'LATEST' | 'AT_TIMESTAMP';
  startingPositionTimestamp?: number;
  /** -1 means unlimited, as in AWS. */
  maximumRetryAttempts: number;
  maximumRecordAgeInSeconds: number;
  bisectBatchOnFunctionError: boolean;
  parallelizationFactor: number;
  tumblingWindowInSeconds: number;
  reportBatchItemFailures: boolean;
  onFailure?: Reference;
  filterPatterns?: unknown[];
  consumer: boolean;
  enabled: boolean;
}

/** msk, kafka, activemq, rabbitmq: brokers Lambda polls. */
export interface BrokerEvent extends EventBase {
  type: 'msk' | 'kafka' | 'activemq' | 'rabbitmq';
  /** The cluster or broker (ARN or bootstrap servers) and the topic or queue. */
  broker: string;
  topic: string;
  batchSize: number;
  maximumBatchingWindow: number;
  startingPosition?: string;
  filterPatterns?: unknown[];
  enabled: boolean;
}

export interface ScheduleEvent extends EventBase {
  type: 'schedule';
  expressions: string[];
  method: 'eventBus' | 'scheduler';
  input?: unknown;
  inputPath?: string;
  inputTransformer?: unknown;
  timezone?: string;
  enabled: boolean;
}

/** cloudwatchEvent and eventBridge: an EventBridge rule with a pattern (or, for eventBridge, a schedule). */
export interface RuleEvent extends EventBase {
  type: 'cloudwatchEvent' | 'eventBridge';
  eventBus: string;
  pattern?: unknown;
  schedule?: string;
  input?: unknown;
  inputPath?: string;
  inputTransformer?: unknown;
  deadLetterQueue?: Reference;
  retryPolicy?: { maximumEventAge?: number; maximumRetryAttempts?: number };
  enabled: boolean;
}

export interface CloudwatchLogEvent extends EventBase {
  type: 'cloudwatchLog';
  logGroup: string;
  filter: string;
}

export interface IotEvent extends EventBase {
  type: 'iot';
  sql: string;
  enabled: boolean;
}

export interface CognitoEvent extends EventBase {
  type: 'cognitoUserPool';
  pool: string;
  trigger: string;
  existing: boolean;
}

export interface AlexaEvent extends EventBase {
  type: 'alexaSkill' | 'alexaSmartHome';
  /** The skill id; absent in the deprecated bare form, for which the framework creates no permission. */
  appId?: string;
  enabled: boolean;
}

/** Sources that only name what sends them: iotFleetProvisioning, cloudFront. */
export interface NamedSourceEvent extends EventBase {
  type: 'iotFleetProvisioning' | 'cloudFront';
  /** The provisioning template, or the CloudFront event type and path pattern. */
  source: string;
  enabled: boolean;
}

/** An event key the Serverless v3 AWS provider does not define (another plugin's event, or a typo). */
export interface UnknownEvent extends EventBase {
  type: 'unknown';
  key: string;
}

export type EventSpec =
  | HttpEvent
  | HttpApiEvent
  | WebsocketEvent
  | AlbEvent
  | UrlEvent
  | S3Event
  | SnsEvent
  | SqsEvent
  | StreamEvent
  | BrokerEvent
  | ScheduleEvent
  | RuleEvent
  | CloudwatchLogEvent
  | IotEvent
  | CognitoEvent
  | AlexaEvent
  | NamedSourceEvent
  | AuthorizerEvent
  | UnknownEvent;

export type EventType = EventSpec['type'];
