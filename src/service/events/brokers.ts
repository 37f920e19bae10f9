import { describe } from '../intrinsics';
import type { BrokerEvent } from '../model';
import type { ConfigReader } from '../reader';
import type { EventContext } from './context';

// Lambda's own defaults for these mappings (the framework emits nothing when unset).
const DEFAULT_BATCH_SIZE = 100;
const DEFAULT_WINDOW_SECONDS = 0.5;

type BrokerType = BrokerEvent['type'];

/** What names the broker and the topic/queue for each kind. */
const BROKER_KEYS: Record<
  BrokerType,
  { broker: string; brokerWhat: string; topic: string; topicWhat: string }
> = {
  msk: { broker: 'arn', brokerWhat: 'the MSK cluster ARN', topic: 'topic', topicWhat: 'the Kafka topic' },
  kafka: {
    broker: 'bootstrapServers',
    brokerWhat: 'the list of bootstrap servers',
    topic: 'topic',
    topicWhat: 'the Kafka topic',
  },
  activemq: {
    broker: 'arn',
    brokerWhat: 'the Amazon MQ broker ARN',
    topic: 'queue',
    topicWhat: 'the queue name',
  },
  rabbitmq: {
    broker: 'arn',
    brokerWhat: 'the Amazon MQ broker ARN',
    topic: 'queue',
    topicWhat: 'the queue name',
  },
};

export function brokerParser(type: BrokerType) {
  const keys = BROKER_KEYS[type];
  const isKafka = type === 'msk' || type === 'kafka';
  return (r: ConfigReader, { index }: EventContext): BrokerEvent => {
    const broker = r.raw(keys.broker);
    if (broker === undefined || broker === null || broker === '')
      r.fail(keys.broker, `is required (${keys.brokerWhat})`);
    return {
      type,
      index,
      broker: Array.isArray(broker) ? broker.join(',') : describe(broker),
      topic: r.requiredString(keys.topic, keys.topicWhat),
      batchSize: r.number('batchSize', { min: 1, max: 10000 }) ?? DEFAULT_BATCH_SIZE,
      maximumBatchingWindow:
        r.number('maximumBatchingWindow', { min: 0, max: 300 }) ?? DEFAULT_WINDOW_SECONDS,
      startingPosition: isKafka
        ? (r.oneOf('startingPosition', ['LATEST', 'TRIM_HORIZON', 'AT_TIMESTAMP'] as const) ?? 'TRIM_HORIZON')
        : undefined,
      filterPatterns: r.list('filterPatterns'),
      enabled: r.boolean('enabled', true),
    };
  };
}
