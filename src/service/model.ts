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
    /** `custom.emulate.functions.<key>`: settings of a function the framework cannot write. */
    functions: Map<string, { recursiveLoop?: string }>;
    /** `custom.emulate.authorizers.<name>.jwks`: a JWT authorizer's signing keys (file or URL), by name. */
    jwks: Map<string, string>;
    pull: PullSettings;
  };
  /** API-wide settings: `provider.apiGateway.binaryMediaTypes` and `provider.httpApi.cors`. */
  api: { binaryMediaTypes: string[]; httpApiCors?: unknown; rest: RestApiSettings };
}

/** The REST API's own settings: API keys, usage plans and gateway responses (service/api-gateway.ts). */
export interface RestApiSettings {
  apiKeys: ApiKeyModel[];
  usagePlans: UsagePlanModel[];
  /** `AWS::ApiGateway::GatewayResponse` resources, by response type (`UNAUTHORIZED`, `DEFAULT_4XX`, ...). */
  gatewayResponses: Map<string, GatewayResponseModel>;
  /** `provider.endpointType`, EDGE unless set (the framework's default). */
  endpointType: 'EDGE' | 'REGIONAL' | 'PRIVATE';
}

export interface ApiKeyModel {
  name: string;
  /** Absent: API Gateway generates one (the emulator does at start, and prints it). */
  value?: string;
  enabled: boolean;
  /** The usage plans it is in, by name. */
  usagePlans: string[];
}

export interface UsagePlanModel {
  /** `default` for the object form of `usagePlan`. */
  name: string;
  throttle?: { rateLimit: number; burstLimit: number };
  quota?: { limit: number; period: 'DAY' | 'WEEK' | 'MONTH'; offset: number };
}

export interface GatewayResponseModel {
  /** The resource's logical id. */
  id: string;
  statusCode?: number;
  /** `gatewayresponse.header.<name>` values as written: `'static'` or `method.request.header.x`, ... */
  headers: Record<string, string>;
  /** Velocity templates by content type. */
  templates: Record<string, string>;
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
  /** With pollInterval 0, the longest wait between reads of a shard told of its records (not configurable). */
  idleWait?: number;
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
  /** `RecursiveLoop` (default `Terminate`): whether Lambda stops the function's recursive loops. */
  recursiveLoop: 'Allow' | 'Terminate';
  url?: UrlEvent;
  events: EventSpec[];
  /** Routes of this service whose Lambda authorizer this function is. */
  authorizes: AuthorizerEvent[];
}

interface EventBase {
  /** Position in the function's `events` list, as the framework counts it (from 0). */
  index: number;
}

/** What guards an API route, as the framework compiles its `authorizer` (service/events/authorizers.ts). */
export type AuthorizerRef = LambdaAuthorizerRef | JwtAuthorizerRef | IamAuthorizerRef | ExternalAuthorizerRef;

interface AuthorizerBase {
  /** The authorizer's name: the routes that name the same one share it, and its cache. */
  name: string;
  /** The function of this service it invokes (Lambda authorizers). */
  functionKey?: string;
}

/** A Lambda authorizer: REST `TOKEN`/`REQUEST`, HTTP API `request`, WebSocket (always `REQUEST`). */
export interface LambdaAuthorizerRef extends AuthorizerBase {
  type: 'TOKEN' | 'REQUEST';
  /** What is invoked: the deployed name or the ARN. */
  function: string;
  identitySource: IdentitySource[];
  identityValidationExpression?: string;
  /** 0: every request invokes it. */
  resultTtlInSeconds: number;
  /** The event and answer formats: HTTP API's `payloadVersion`; REST and WebSocket speak 1.0. */
  payloadVersion: '1.0' | '2.0';
  /** HTTP API: `{ isAuthorized, context }` instead of an IAM policy. */
  enableSimpleResponses: boolean;
}

/** An HTTP API JWT authorizer, or a REST API Cognito user pool authorizer (`COGNITO_USER_POOLS`). */
export interface JwtAuthorizerRef extends AuthorizerBase {
  type: 'JWT' | 'COGNITO_USER_POOLS';
  /** Absent when it cannot be known locally (an intrinsic of another stack). */
  issuer?: string;
  /** `aud` or `client_id` must be one of them (JWT); empty for Cognito, which takes any app client. */
  audience: string[];
  identitySource: IdentitySource[];
  /** The route's scopes: the token must carry one of them. */
  scopes: string[];
}

/**
 * Where the identity is read, from `method.request.header.X` (REST), `$request.querystring.x` (HTTP API),
 * `route.request.header.X` (WebSocket), `context.x` / `$context.x`, `stageVariables.x`.
 */
export interface IdentitySource {
  from: 'header' | 'querystring' | 'context' | 'stageVariables';
  name: string;
}

export interface IamAuthorizerRef extends AuthorizerBase {
  type: 'AWS_IAM';
}

/** An authorizer of another stack, named by its id (`authorizerId`, HTTP API `id`): not emulated. */
export interface ExternalAuthorizerRef extends AuthorizerBase {
  type: 'EXTERNAL';
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
  /** `private: true`: the method requires an API key (`x-api-key`). */
  private: boolean;
  authorizer?: AuthorizerRef;
  /** What API Gateway checks and renders before the integration (service/events/rest-request.ts). */
  request: RestRequestSettings;
  /** `integration: lambda`: the integration responses, the framework's defaults applied. */
  response: RestIntegrationResponse[];
  /** `response.transferMode` (osls): STREAM invokes with response streaming and streams the answer. */
  transferMode: 'BUFFERED' | 'STREAM';
}

/** An `http` event's `request`: validation and, for `integration: lambda`, the request templates. */
export interface RestRequestSettings {
  /** JSON Schemas (draft-04) by content type, as API Gateway models. */
  schemas: Record<string, object>;
  /** Required parameters (`method.request.<location>.<name>` with `true`), by location. */
  required: { querystring: string[]; header: string[]; path: string[] };
  /** Velocity templates by content type: a custom one, or null where the framework's default is removed. */
  templates: Record<string, string | null>;
  passThrough: 'NEVER' | 'WHEN_NO_MATCH' | 'WHEN_NO_TEMPLATES';
}

/** One integration response of `integration: lambda` (`response.statusCodes`). */
export interface RestIntegrationResponse {
  statusCode: number;
  /** A Java regular expression matched against the whole error message; '' is the default response. */
  pattern: string;
  /** `method.response.header.<name>` values: `'static'`, or `integration.response.body...`. */
  headers: Record<string, string>;
  /** Velocity templates by content type. */
  templates: Record<string, string>;
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
  authorizer?: LambdaAuthorizerRef;
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
