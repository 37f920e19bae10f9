import type { EventSpec, EventType } from '../service/model';

export type Model = 'push' | 'pull' | 'unknown';
export type Invocation = 'sync' | 'async' | 'unknown';

export interface SourceClass {
  /** The AWS service behind the event. */
  service: string;
  model: Model;
  invocation: Invocation;
  /** For sync sources: what the caller sees when the function fails (Lambda itself never retries). */
  onError?: string;
}

type Row<T extends EventType> = SourceClass & {
  /** Where a setting of the event changes its class (http async, Cognito custom senders, ...). */
  variant?: (spec: Extract<EventSpec, { type: T }>) => Partial<SourceClass>;
};

/**
 * How AWS invokes a function for each Serverless v3 event key; sources in
 * shared/reference/aws-invocation-semantics.md section 1. The one place that decides push/pull and
 * sync/async.
 */
export const EVENT_TABLE: { [T in EventType]: Row<T> } = {
  http: {
    service: 'API Gateway REST API',
    model: 'push',
    invocation: 'sync',
    onError: 'client gets 502 (504 after 29 s); API Gateway does not retry',
    variant: (spec) => {
      if (spec.async) return { invocation: 'async', onError: undefined };
      if (spec.integration === 'lambda') {
        return {
          onError: "the error message's [NNN] picks the status (504 on timeout), else the client gets 200",
        };
      }
      if (spec.integration !== 'lambda-proxy') {
        return {
          service: `API Gateway REST API (${spec.integration} integration)`,
          model: 'unknown',
          invocation: 'unknown',
          onError: 'API Gateway calls the integration, not this function',
        };
      }
      return {};
    },
  },
  httpApi: {
    service: 'API Gateway HTTP API',
    model: 'push',
    invocation: 'sync',
    onError: 'client gets 500 (503 after 30 s); API Gateway does not retry',
  },
  websocket: {
    service: 'API Gateway WebSocket API',
    model: 'push',
    invocation: 'sync',
    onError: 'client gets an error frame; API Gateway does not retry',
  },
  alb: {
    service: 'Application Load Balancer',
    model: 'push',
    invocation: 'sync',
    onError: 'client gets 502; the load balancer does not retry',
  },
  authorizer: {
    service: 'API Gateway Lambda authorizer',
    model: 'push',
    invocation: 'sync',
    onError: 'the client gets 401/403 (500 when the authorizer fails); no retry',
  },
  url: {
    service: 'Lambda function URL',
    model: 'push',
    invocation: 'sync',
    onError: 'client gets 502; throttled requests get 429',
  },
  s3: { service: 'Amazon S3', model: 'push', invocation: 'async' },
  sns: { service: 'Amazon SNS', model: 'push', invocation: 'async' },
  sqs: { service: 'Amazon SQS', model: 'pull', invocation: 'sync' },
  stream: {
    service: 'Kinesis Data Streams',
    model: 'pull',
    invocation: 'sync',
    variant: (spec) => (spec.streamType === 'dynamodb' ? { service: 'DynamoDB Streams' } : {}),
  },
  msk: { service: 'Amazon MSK', model: 'pull', invocation: 'sync' },
  kafka: { service: 'Self-managed Apache Kafka', model: 'pull', invocation: 'sync' },
  activemq: { service: 'Amazon MQ (ActiveMQ)', model: 'pull', invocation: 'sync' },
  rabbitmq: { service: 'Amazon MQ (RabbitMQ)', model: 'pull', invocation: 'sync' },
  alexaSkill: {
    service: 'Alexa Skills Kit',
    model: 'push',
    invocation: 'sync',
    onError: 'Alexa tells the user the skill failed',
  },
  alexaSmartHome: {
    service: 'Alexa Smart Home',
    model: 'push',
    invocation: 'sync',
    onError: 'Alexa reports the device as unresponsive',
  },
  iot: { service: 'AWS IoT rules engine', model: 'push', invocation: 'async' },
  iotFleetProvisioning: {
    service: 'AWS IoT fleet provisioning hook',
    model: 'push',
    invocation: 'sync',
    onError: 'provisioning is denied (ACCESS_DENIED); no retry',
  },
  schedule: {
    service: 'EventBridge (scheduled rule)',
    model: 'push',
    invocation: 'async',
    variant: (spec) => (spec.method === 'scheduler' ? { service: 'EventBridge Scheduler' } : {}),
  },
  cloudwatchEvent: { service: 'EventBridge (CloudWatch Events rule)', model: 'push', invocation: 'async' },
  eventBridge: { service: 'Amazon EventBridge', model: 'push', invocation: 'async' },
  cloudwatchLog: { service: 'CloudWatch Logs subscription', model: 'push', invocation: 'async' },
  cognitoUserPool: {
    service: 'Cognito user pool trigger',
    model: 'push',
    invocation: 'sync',
    onError: 'the user flow fails; Cognito retries up to 3 times only when there is no answer within 5 s',
    variant: (spec) =>
      spec.trigger === 'CustomSMSSender' || spec.trigger === 'CustomEmailSender'
        ? { invocation: 'async', onError: undefined }
        : {},
  },
  cloudFront: {
    service: 'CloudFront (Lambda@Edge)',
    model: 'push',
    invocation: 'sync',
    onError: 'viewer gets 503 (502 for an invalid response); no retry',
  },
  unknown: { service: 'unknown', model: 'unknown', invocation: 'unknown' },
};
