import type { EventSpec } from '../service/model';

/** How a poller batches records for one invocation, with the defaults already applied. */
export interface BatchSettings {
  batchSize: number;
  /** Seconds. */
  maximumBatchingWindow: number;
  maximumConcurrency?: number;
  parallelizationFactor?: number;
  startingPosition?: string;
  tumblingWindowInSeconds?: number;
  filterPatterns: number;
  enabled: boolean;
}

export function batchSettings(spec: EventSpec): BatchSettings | undefined {
  const filters = (patterns: unknown[] | undefined) => patterns?.length ?? 0;
  switch (spec.type) {
    case 'sqs':
      return {
        batchSize: spec.batchSize,
        maximumBatchingWindow: spec.maximumBatchingWindow,
        maximumConcurrency: spec.maximumConcurrency,
        filterPatterns: filters(spec.filterPatterns),
        enabled: spec.enabled,
      };
    case 'stream':
      return {
        batchSize: spec.batchSize,
        maximumBatchingWindow: spec.batchWindow,
        parallelizationFactor: spec.parallelizationFactor,
        startingPosition: spec.startingPosition,
        tumblingWindowInSeconds: spec.tumblingWindowInSeconds || undefined,
        filterPatterns: filters(spec.filterPatterns),
        enabled: spec.enabled,
      };
    case 'msk':
    case 'kafka':
    case 'activemq':
    case 'rabbitmq':
      return {
        batchSize: spec.batchSize,
        maximumBatchingWindow: spec.maximumBatchingWindow,
        startingPosition: spec.startingPosition,
        filterPatterns: filters(spec.filterPatterns),
        enabled: spec.enabled,
      };
    default:
      return undefined;
  }
}
