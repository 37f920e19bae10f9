import { originText } from '../classify/origin';
import path from 'node:path';
import type { Clock } from '../clock';
import { DynamoDbService } from '../aws/dynamodb/dynamodb-service';
import { tablesFromModel } from '../aws/dynamodb/from-model';
import { EventsService } from '../aws/events/events-service';
import { kinesisStreamsFromModel } from '../aws/kinesis/from-model';
import { KinesisService } from '../aws/kinesis/kinesis-service';
import { bucketsFromModel, corsFromModel, notificationsFromModel, S3Service } from '../aws/s3';
import { busesFromModel, rulesFromModel } from '../aws/events/model-rules';
import { SnsService } from '../aws/sns/sns-service';
import { queuesFromModel } from '../aws/sqs/from-model';
import { SqsService } from '../aws/sqs/sqs-service';
import type { QueueDelivery } from '../aws/sns/types';
import type { TargetPort } from '../aws/events/types';
import { topologyFromModel } from '../aws/sns/topology';
import type { LambdaDelivery } from '../push/deliver';
import type { ServiceModel } from '../service/model';
import type { GroupCommit } from '../state/group-commit';
import type { Db } from '../state/database';

/** The embedded services one region holds (S3 is one for all regions: its bucket names are global). */
export interface RegionServices {
  sqs: SqsService;
  sns: SnsService;
  events: EventsService;
  /** The EventBridge rules the service defines (the scheduler runs the scheduled ones). */
  rules: ReturnType<typeof rulesFromModel>;
  dynamodb: DynamoDbService;
  kinesis: KinesisService;
}

/** The region's services that hold the resource an ARN names (a queue, a topic, a stream). */
export type ServicesOf = (arn: string) => Promise<RegionServices>;

/** What every embedded service is built with: where its state is, its time, and where it delivers. */
export interface EmbeddedDeps {
  db: Db;
  /** The group commit every region's database joins. */
  commits?: GroupCommit;
  stateDir: string;
  clock: Clock;
  /** Hands an event that targets a Lambda function to the push adapter. */
  deliver: (delivery: LambdaDelivery) => void;
  log: (line: string) => void;
}

/**
 * The embedded AWS services of one region, configured from the service's events and resources (an
 * empty model for a region the service does not run in). They know nothing of Lambda: what targets a
 * function goes through `deliver`; what targets a queue, topic or stream of any region, through `servicesOf`.
 */
export function regionServices(
  model: ServiceModel,
  { db, stateDir, clock, deliver, log }: EmbeddedDeps,
  servicesOf: ServicesOf,
): RegionServices {
  const { region, accountId } = model;
  const sqs = new SqsService({ db, region, accountId, clock, queues: queuesFromModel(model), log });
  const sns = new SnsService({
    db,
    region,
    accountId,
    clock,
    topology: topologyFromModel(model),
    deliver,
    deliverToQueue: queueDeliverer(async (arn) => (await servicesOf(arn)).sqs),
    log,
  });
  const kinesis = new KinesisService({
    db,
    region,
    accountId,
    clock,
    streams: kinesisStreamsFromModel(model),
  });
  const rules = rulesFromModel(model);
  const events = new EventsService({
    db,
    region,
    accountId,
    clock,
    rules,
    buses: busesFromModel(model),
    deliver: (delivery) => deliver({ ...delivery, payload: JSON.stringify(delivery.payload) }),
    targets: eventTargetPort(servicesOf),
    onDeliveryError: (error, delivery) =>
      log(`${originText(delivery.origin)}: ${delivery.targetArn}: ${(error as Error).message}`),
    log,
  });
  const dynamodb = new DynamoDbService({
    db,
    stateDir,
    region,
    accountId,
    clock,
    tables: tablesFromModel(model),
    log,
  });
  return { sqs, sns, events, rules, dynamodb, kinesis };
}

/** The service's S3: its buckets, their CORS and notifications. */
export function s3Service(
  model: ServiceModel,
  { db, stateDir, clock, deliver, log }: EmbeddedDeps,
): S3Service {
  return new S3Service({
    db,
    dataDir: path.join(stateDir, 's3'),
    region: model.region,
    accountId: model.accountId,
    clock,
    buckets: bucketsFromModel(model),
    cors: corsFromModel(model),
    notifications: notificationsFromModel(model),
    deliver: (delivery) => deliver({ ...delivery, payload: JSON.stringify(delivery.payload) }),
    onDeliveryError: (error, delivery) => log(`${originText(delivery.origin)}: ${(error as Error).message}`),
  });
}

/** EventBridge's queue, topic and stream targets (and its dead-letter queues), through the embedded services. */
export function eventTargetPort(
  servicesOf: (arn: string) => Promise<Pick<RegionServices, 'sqs' | 'sns' | 'kinesis'>>,
): TargetPort {
  return {
    async sendMessage(queueArn, body, options = {}) {
      const attributes = Object.entries(options.attributes ?? {}).map(([name, value]) => [
        name,
        { DataType: 'String', StringValue: value },
      ]);
      const { sqs } = await servicesOf(queueArn);
      await sqs.sendMessage({
        QueueUrl: sqs.queueUrlOf(queueArn),
        MessageBody: body,
        MessageGroupId: options.messageGroupId,
        MessageDeduplicationId: options.messageDeduplicationId,
        MessageAttributes: attributes.length ? Object.fromEntries(attributes) : undefined,
        MessageSystemAttributes: traceAttribute(options.traceHeader),
      });
    },
    async publish(topicArn, message, traceHeader) {
      await (await servicesOf(topicArn)).sns.publish({ TopicArn: topicArn, Message: message }, traceHeader);
    },
    async putRecord(streamArn, data, partitionKey) {
      const { kinesis } = await servicesOf(streamArn);
      await kinesis.putRecord({ StreamARN: streamArn, Data: Buffer.from(data), PartitionKey: partitionKey });
    },
  };
}

/** SNS's deliveries to `sqs` subscriptions, sent as SQS's SendMessage to the queue's region. */
export function queueDeliverer(sqsOf: (queueArn: string) => Promise<SqsService>) {
  return async (delivery: QueueDelivery): Promise<void> => {
    const sqs = await sqsOf(delivery.queueArn);
    await sqs.sendMessage({
      QueueUrl: sqs.queueUrlOf(delivery.queueArn),
      MessageBody: delivery.body,
      MessageAttributes: delivery.attributes,
      MessageGroupId: delivery.messageGroupId,
      MessageDeduplicationId: delivery.messageDeduplicationId,
      MessageSystemAttributes: traceAttribute(delivery.traceHeader),
    });
  };
}

/** A message's `AWSTraceHeader` system attribute, for what the emulator sends in a caller's trace. */
export const traceAttribute = (traceHeader: string | undefined) =>
  traceHeader === undefined
    ? undefined
    : { AWSTraceHeader: { DataType: 'String' as const, StringValue: traceHeader } };
