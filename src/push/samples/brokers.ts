import type { MSKEvent, SelfManagedKafkaEvent } from 'aws-lambda';
import { parseArn } from '../../service/arn';
import type { BrokerEvent } from '../../service/model';
import { ALPHABETS, asText, derive, type SampleContext } from './context';

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

function payloadOf({ overrides }: SampleContext): string {
  return overrides !== undefined ? asText(overrides) : JSON.stringify({ message: 'Hello from the broker!' });
}

/**
 * One Kafka record as Lambda's MSK or self-managed Kafka poller delivers it, grouped by
 * `<topic>-<partition>` (https://docs.aws.amazon.com/lambda/latest/dg/with-msk.html,
 * https://docs.aws.amazon.com/lambda/latest/dg/with-kafka.html): key and value in base64, headers as
 * byte arrays.
 */
export function kafkaEvent(spec: BrokerEvent, context: SampleContext): MSKEvent | SelfManagedKafkaEvent {
  const record = {
    topic: spec.topic,
    partition: 0,
    offset: 0,
    timestamp: context.now.getTime(),
    timestampType: 'CREATE_TIME' as const,
    key: base64('sample-key'),
    value: base64(payloadOf(context)),
    headers: [{ source: [...Buffer.from('sample')] }],
  };
  const records = { [`${spec.topic}-0`]: [record] };
  if (spec.type === 'kafka')
    return { eventSource: 'SelfManagedKafka', bootstrapServers: spec.broker, records };
  const cluster = parseArn(spec.broker)?.resource.split('/')[1] ?? 'sample-cluster';
  const region = parseArn(spec.broker)?.region || context.service.region;
  const host = (n: number) =>
    `b-${n}.${cluster}.${derive(spec.broker, 6, ALPHABETS.lower)}.c2.kafka.${region}.amazonaws.com:9098`;
  return {
    eventSource: 'aws:kafka',
    eventSourceArn: spec.broker,
    bootstrapServers: `${host(1)},${host(2)}`,
    records,
  };
}

/** @types/aws-lambda has no Amazon MQ types: the ActiveMQ event's fields as Lambda documents them. */
export interface ActiveMQEvent {
  eventSource: 'aws:mq';
  eventSourceArn: string;
  messages: Array<{
    messageID: string;
    messageType: 'jms/text-message' | 'jms/bytes-message';
    deliveryMode: number;
    replyTo: string | null;
    type: string | null;
    expiration: string;
    priority: number;
    correlationId: string | null;
    redelivered: boolean;
    destination: { physicalName: string };
    data: string;
    timestamp: number;
    brokerInTime: number;
    brokerOutTime: number;
    properties: Record<string, string>;
  }>;
}

/** The RabbitMQ event: messages grouped by `<queue>::<virtual host>`. */
export interface RabbitMQEvent {
  eventSource: 'aws:rmq';
  eventSourceArn: string;
  rmqMessagesByQueue: Record<
    string,
    Array<{ basicProperties: Record<string, unknown>; redelivered: boolean; data: string }>
  >;
}

/**
 * One message as Lambda's Amazon MQ poller delivers it (https://docs.aws.amazon.com/lambda/latest/dg/with-mq.html):
 * for ActiveMQ a JMS text message on the queue, for RabbitMQ a message of the queue on the default
 * virtual host; the body in base64.
 */
export function mqEvent(spec: BrokerEvent, context: SampleContext): ActiveMQEvent | RabbitMQEvent {
  const data = payloadOf(context);
  const time = context.now.getTime();
  if (spec.type === 'rabbitmq') {
    return {
      eventSource: 'aws:rmq',
      eventSourceArn: spec.broker,
      rmqMessagesByQueue: {
        [`${spec.topic}::/`]: [
          {
            basicProperties: {
              contentType: 'application/json',
              contentEncoding: null,
              headers: {},
              deliveryMode: 1,
              priority: 0,
              correlationId: null,
              replyTo: null,
              expiration: null,
              messageId: null,
              timestamp: null,
              type: null,
              userId: null,
              appId: null,
              clusterId: null,
              bodySize: Buffer.byteLength(data),
            },
            redelivered: false,
            data: base64(data),
          },
        ],
      },
    };
  }
  const brokerId = parseArn(spec.broker)?.resource.split(':')[2] ?? 'b-sample';
  return {
    eventSource: 'aws:mq',
    eventSourceArn: spec.broker,
    messages: [
      {
        messageID: `ID:${brokerId}-1.mq.${context.service.region}.amazonaws.com-37557-${time}-4:1:1:1:1`,
        messageType: 'jms/text-message',
        deliveryMode: 1,
        replyTo: null,
        type: null,
        expiration: '0',
        priority: 4,
        correlationId: null,
        redelivered: false,
        destination: { physicalName: spec.topic },
        data: base64(data),
        timestamp: time,
        brokerInTime: time,
        brokerOutTime: time + 1,
        properties: {},
      },
    ],
  };
}
