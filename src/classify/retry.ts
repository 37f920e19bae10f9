import type { EventSpec, FunctionModel, ServiceModel } from '../service/model';
import { labelOf } from '../service/references';
import type { SourceClass } from './table';

/** Who retries a failed invocation, and how. */
export type RetryPolicy =
  /** Sync push: Lambda does not retry; the caller sees the error. */
  | { owner: 'caller'; behaviour: string }
  /** Async: Lambda's internal queue retries, then hands the event to a destination or DLQ. */
  | {
      owner: 'lambda';
      attempts: number;
      maximumEventAge: number;
      onSuccess?: string;
      onFailure?: string;
      deadLetterQueue?: string;
    }
  /** SQS: the message reappears after the visibility timeout until the queue's redrive policy moves it. */
  | {
      owner: 'queue';
      visibilityTimeout?: number;
      maxReceiveCount?: number;
      deadLetterQueue?: string;
      reportBatchItemFailures: boolean;
    }
  /** Streams: the mapping retries the batch and blocks the shard. -1 means unlimited. */
  | {
      owner: 'mapping';
      maximumRetryAttempts: number;
      maximumRecordAgeInSeconds: number;
      bisectBatchOnFunctionError: boolean;
      reportBatchItemFailures: boolean;
      onFailure?: string;
    }
  /** Kafka and MQ: the mapping retries the whole batch until it succeeds or the records expire. */
  | { owner: 'broker'; behaviour: string }
  | { owner: 'unknown' };

export function retryPolicy(
  spec: EventSpec,
  sourceClass: SourceClass,
  fn: FunctionModel,
  service: ServiceModel,
): RetryPolicy {
  if (sourceClass.model === 'unknown') return { owner: 'unknown' };
  if (sourceClass.invocation === 'async') {
    const { onSuccess, onFailure } = fn.destinations;
    return {
      owner: 'lambda',
      attempts: fn.reservedConcurrency === 0 ? 0 : 1 + fn.maximumRetryAttempts,
      maximumEventAge: fn.maximumEventAge,
      onSuccess: onSuccess && labelOf(onSuccess),
      onFailure: onFailure && labelOf(onFailure),
      deadLetterQueue: fn.onError && labelOf(fn.onError),
    };
  }
  switch (spec.type) {
    case 'sqs': {
      const queue = spec.queue.name ? service.resources.queues.get(spec.queue.name) : undefined;
      return {
        owner: 'queue',
        visibilityTimeout: queue?.visibilityTimeout,
        maxReceiveCount: queue?.redrive?.maxReceiveCount,
        deadLetterQueue: queue?.redrive?.deadLetterQueue,
        reportBatchItemFailures: spec.reportBatchItemFailures,
      };
    }
    case 'stream':
      return {
        owner: 'mapping',
        maximumRetryAttempts: spec.maximumRetryAttempts,
        maximumRecordAgeInSeconds: spec.maximumRecordAgeInSeconds,
        bisectBatchOnFunctionError: spec.bisectBatchOnFunctionError,
        reportBatchItemFailures: spec.reportBatchItemFailures,
        onFailure: spec.onFailure && labelOf(spec.onFailure),
      };
    case 'msk':
    case 'kafka':
    case 'activemq':
    case 'rabbitmq':
      return {
        owner: 'broker',
        behaviour: 'the whole batch is retried until it succeeds or the records expire',
      };
    default:
      return {
        owner: 'caller',
        behaviour: sourceClass.onError ?? 'the caller sees the error; Lambda does not retry',
      };
  }
}
