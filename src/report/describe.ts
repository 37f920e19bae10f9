import type { RetryPolicy } from '../classify/retry';
import type { EventSpec } from '../service/model';
import { labelOf } from '../service/references';
import { plural } from '../plural';

const compact = (value: unknown, max = 60) => {
  const text = JSON.stringify(value) ?? '';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
};

const seconds = (n: number) => (n === -1 ? 'unlimited' : `${n} s`);

/** What an event names, in a few words: its route, queue, topic, bucket, stream, rule or schedule. */
export function describeResource(spec: EventSpec): string {
  switch (spec.type) {
    case 'http':
      return `${spec.method} ${spec.path}${spec.integration === 'lambda-proxy' ? '' : ` (${spec.integration} integration)`}`;
    case 'httpApi':
      return spec.path === '*'
        ? '* (every route)'
        : `${spec.method === '*' ? 'ANY' : spec.method} ${spec.path} (payload ${spec.payload})`;
    case 'websocket':
      return `route ${spec.route}`;
    case 'alb': {
      const { path, method, host } = spec.conditions;
      const on = [...method, ...host, ...path].join(' ') || 'any request';
      return `priority ${spec.priority}: ${on}`;
    }
    case 'url':
      return `function URL (auth ${spec.authorizer === 'aws_iam' ? 'AWS_IAM' : 'NONE'}, ${spec.invokeMode})`;
    case 's3': {
      const rules = spec.rules.map((r) => (r.prefix ? `prefix ${r.prefix}` : `suffix ${r.suffix}`));
      return [`bucket ${spec.bucket}`, spec.event, ...rules].join(', ');
    }
    case 'sns':
      return `topic ${labelOf(spec.topic)}${spec.filterPolicy ? ' (filtered)' : ''}`;
    case 'sqs':
      return `queue ${labelOf(spec.queue)}`;
    case 'stream':
      return spec.streamType === 'dynamodb'
        ? `table ${labelOf(spec.stream)} stream`
        : `stream ${labelOf(spec.stream)}`;
    case 'msk':
    case 'kafka':
      return `topic ${spec.topic} on ${spec.broker}`;
    case 'activemq':
    case 'rabbitmq':
      return `queue ${spec.topic} on ${spec.broker}`;
    case 'schedule':
      return spec.expressions.join(', ');
    case 'cloudwatchEvent':
    case 'eventBridge':
      return `bus ${spec.eventBus}: ${spec.schedule ?? compact(spec.pattern ?? {})}`;
    case 'cloudwatchLog':
      return `log group ${spec.logGroup}${spec.filter ? ` filter ${spec.filter}` : ''}`;
    case 'iot':
      return spec.sql;
    case 'cognitoUserPool':
      return `pool ${spec.pool}, ${spec.trigger}`;
    case 'alexaSkill':
    case 'alexaSmartHome':
      return spec.appId ?? 'no appId (deprecated form)';
    case 'authorizer':
      return `${spec.authorizerType} authorizer of ${spec.api} ${spec.route} (function ${spec.protects})`;
    case 'iotFleetProvisioning':
    case 'cloudFront':
      return spec.source;
    case 'unknown':
      return `event "${spec.key}"`;
  }
}

/** Who retries and how, in one line. */
export function describeRetry(retry: RetryPolicy): string {
  switch (retry.owner) {
    case 'caller':
    case 'broker':
      return retry.behaviour;
    case 'lambda': {
      const failure = [
        retry.onFailure && `onFailure ${retry.onFailure}`,
        retry.deadLetterQueue && `DLQ ${retry.deadLetterQueue}`,
      ]
        .filter(Boolean)
        .join(' + ');
      const hours = +(retry.maximumEventAge / 3600).toFixed(2);
      const attempts =
        retry.attempts === 0 ? 'no attempt (reservedConcurrency 0)' : plural(retry.attempts, 'attempt');
      return `Lambda async queue: ${attempts} within ${hours} h, then ${failure || 'dropped'}`;
    }
    case 'queue': {
      if (retry.visibilityTimeout === undefined)
        return 'queue defined outside this service: its redrive policy decides';
      const redrive =
        retry.maxReceiveCount === undefined
          ? 'no redrive policy'
          : `to ${retry.deadLetterQueue ?? 'its DLQ'} after ${plural(retry.maxReceiveCount, 'receive')}`;
      const partial = retry.reportBatchItemFailures ? ', partial batch failures' : '';
      return `batch reappears after ${retry.visibilityTimeout} s, ${redrive}${partial}`;
    }
    case 'mapping': {
      const attempts = retry.maximumRetryAttempts === -1 ? 'unlimited' : String(retry.maximumRetryAttempts);
      const extras = [
        retry.bisectBatchOnFunctionError && 'bisect',
        retry.reportBatchItemFailures && 'partial batch failures',
      ];
      return [
        `shard blocks; retries ${attempts}, max age ${seconds(retry.maximumRecordAgeInSeconds)}`,
        ...extras.filter(Boolean),
        `then ${retry.onFailure ? `onFailure ${retry.onFailure}` : 'skipped'}`,
      ].join(', ');
    }
    case 'unknown':
      return 'unknown';
  }
}
