import { randomUUID } from 'node:crypto';
import { directOrigin } from '../classify/origin';
import type { Clock } from '../clock';
import { buildArn, parseArn, resourceNameOf } from '../service/arn';
import type { Reference, ServiceModel } from '../service/model';
import type { Db } from '../state/database';
import type { Delivery, DestinationSender } from './async-engine';
import type { InvocationRecord } from './async-records';
import { asyncFailureKey, mappingUuid, streamFailureKey } from './s3-failure-keys';
import type { Invoker } from './types';

/** An SQS or SNS message attribute, as SendMessage and Publish take it. */
export interface MessageAttribute {
  DataType: string;
  StringValue: string;
}

/**
 * The AWS services a destination or dead-letter queue can be: filled by the composition root. Each call
 * carries the trace of the invocation it reports (`traceHeader`), as Lambda's own calls do.
 */
export interface DestinationPort {
  invoker: Invoker;
  sendMessage(
    queueArn: string,
    body: string,
    attributes?: Record<string, MessageAttribute>,
    traceHeader?: string,
  ): Promise<void>;
  publish(
    topicArn: string,
    message: string,
    attributes?: Record<string, MessageAttribute>,
    traceHeader?: string,
  ): Promise<void>;
  putEvent(entry: {
    /** The bus's ARN. */
    bus: string;
    source: string;
    detailType: string;
    detail: string;
    resources: string[];
    traceHeader?: string;
  }): Promise<void>;
  /** Writes a JSON object into a bucket (PutObject); rejects when S3 refuses it (no such bucket). */
  putObject(bucket: string, key: string, body: string, traceHeader?: string): Promise<void>;
}

interface BatchInfo {
  shardId: string;
  streamArn: string;
}

/**
 * A stream event source mapping's record of a discarded batch (`pull/batch-failure-record.ts`), with
 * the batch as the function was invoked with it: queues and topics get the record without it (batch
 * metadata only), an S3 bucket with it as `payload`.
 */
export interface BatchFailureRecord {
  requestContext: { functionArn: string };
  KinesisBatchInfo?: BatchInfo;
  DDBStreamBatchInfo?: BatchInfo;
  /** The invocation event (`{"Records": [...]}`) as a JSON string. */
  payload?: string;
}

// SNS's message limit. Where a record is larger, Lambda drops the payload from it: "Amazon SNS
// destinations have a message size limit of 256 KB. If the combined size of the function request and
// response payload exceeds the limit, Lambda will drop the payload when sending OnFailure event to the
// destination." (https://docs.aws.amazon.com/lambda/latest/api/API_OnFailure.html; the same note on
// AWS::Lambda::EventInvokeConfig OnFailure and OnSuccess). Measured here on the whole message, so
// that what is sent always fits.
const SNS_MESSAGE_LIMIT = 256 * 1024;

/**
 * Delivers async invocation records to destinations and failed events to DLQs, as Lambda does: a
 * function is invoked asynchronously with the record, a topic or a queue gets it as the message (a
 * topic without the payloads when they would pass SNS's limit), a bus as the detail of a "Lambda
 * Function Invocation Result" event, an S3 bucket (on failure only) as a JSON object under
 * `aws/lambda/async/<function-name>/...`. A DLQ message is the event, with the request id and the
 * error as message attributes. A stream mapping's discarded batch goes to its queue or topic as its
 * batch-info record, to its bucket with the batch's payload under `aws/lambda/<mapping>/<shard>/...`.
 * A target kind that is not emulated (or that Lambda does not deliver to) keeps the delivery in the
 * state database (table `lambda_parked_deliveries`) and says so.
 */
export class Destinations implements DestinationSender {
  private readonly park;

  constructor(
    private readonly port: DestinationPort,
    private readonly place: Pick<ServiceModel, 'region' | 'accountId'>,
    db: Db,
    private readonly clock: Clock,
    private readonly log: (functionKey: string, line: string) => void,
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS lambda_parked_deliveries (
      id INTEGER PRIMARY KEY AUTOINCREMENT, function_key TEXT NOT NULL, target TEXT NOT NULL,
      kind TEXT NOT NULL, body TEXT NOT NULL, parked_at TEXT NOT NULL)`);
    const insert = db.prepare(
      'INSERT INTO lambda_parked_deliveries (function_key, target, kind, body, parked_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.park = (functionKey: string, target: Reference, delivery: { kind: string }) =>
      insert.run(
        functionKey,
        target.text,
        delivery.kind,
        JSON.stringify(delivery),
        new Date(clock.now()).toISOString(),
      );
  }

  private arnOf(target: Reference, service: string, resource: string): string {
    return target.arn ?? buildArn(service, this.place.region, this.place.accountId, resource);
  }

  async send(
    target: Reference,
    delivery: Delivery,
    functionKey: string,
    traceHeader?: string,
  ): Promise<void> {
    if (delivery.kind === 'dead-letter') {
      const attributes = deadLetterAttributes(delivery.attributes);
      if (!(await this.toQueueOrTopic(target, delivery.event, attributes, traceHeader))) {
        this.parkUndeliverable(functionKey, target, delivery);
      }
      return;
    }
    const { record } = delivery;
    const message = JSON.stringify(record);
    if (target.kind === 'sns' && target.name) {
      await this.toQueueOrTopic(target, this.forTopic(record, message, functionKey), undefined, traceHeader);
    } else if (target.kind === 's3' && target.name && !delivery.success) {
      const arn = parseArn(record.requestContext.functionArn);
      const key = asyncFailureKey(arn ? resourceNameOf(arn) : functionKey, this.clock.now(), randomUUID());
      await this.port.putObject(target.name, key, message, traceHeader);
    } else if (target.kind === 's3') {
      this.parkUndeliverable(functionKey, target, delivery, 'S3 buckets are on-failure destinations only');
    } else if (await this.toQueueOrTopic(target, message, undefined, traceHeader)) {
      return;
    } else if (target.kind === 'function' && target.name) {
      await this.port.invoker.invoke(target.name, {
        payload: message,
        type: 'Event',
        origin: directOrigin('destination', functionKey),
        traceHeader,
      });
    } else if (target.kind === 'eventBus' && target.name) {
      const busArn = this.arnOf(target, 'events', `event-bus/${target.name}`);
      await this.port.putEvent({
        source: 'lambda',
        detailType: `Lambda Function Invocation Result - ${delivery.success ? 'Success' : 'Failure'}`,
        detail: message,
        bus: busArn,
        resources: [record.requestContext.functionArn.replace(/:\$LATEST$/, ''), busArn],
        traceHeader,
      });
    } else {
      this.parkUndeliverable(functionKey, target, delivery);
    }
  }

  /** An event source mapping's record of a discarded batch, for its on-failure queue, topic or bucket. */
  async sendBatchFailure(target: Reference, record: BatchFailureRecord, functionKey: string): Promise<void> {
    const { payload, ...metadata } = record;
    const info = record.KinesisBatchInfo ?? record.DDBStreamBatchInfo;
    if (target.kind === 's3' && target.name && info) {
      const mapping = mappingUuid(record.requestContext.functionArn, info.streamArn);
      const key = streamFailureKey(mapping, info.shardId, this.clock.now(), randomUUID());
      await this.port.putObject(target.name, key, JSON.stringify(record));
    } else if (!(await this.toQueueOrTopic(target, JSON.stringify(metadata)))) {
      this.parkUndeliverable(functionKey, target, { kind: 'batch-failure', record: metadata, payload });
    }
  }

  /** The record as a topic's message: without its payloads when it would pass SNS's limit. */
  private forTopic(record: InvocationRecord, message: string, functionKey: string): string {
    if (Buffer.byteLength(message) <= SNS_MESSAGE_LIMIT) return message;
    const { requestPayload: _request, responsePayload: _response, ...metadata } = record;
    this.log(
      functionKey,
      `invocation record ${record.requestContext.requestId} is over SNS's 256 KB: sent without requestPayload and responsePayload, as Lambda sends it`,
    );
    return JSON.stringify(metadata);
  }

  /** Sends the message when the target is a queue or a topic; false when it is neither. */
  private async toQueueOrTopic(
    target: Reference,
    message: string,
    attributes?: Record<string, MessageAttribute>,
    traceHeader?: string,
  ): Promise<boolean> {
    if (target.kind === 'sns' && target.name) {
      await this.port.publish(this.arnOf(target, 'sns', target.name), message, attributes, traceHeader);
      return true;
    }
    if (target.kind === 'sqs' && target.name) {
      await this.port.sendMessage(this.arnOf(target, 'sqs', target.name), message, attributes, traceHeader);
      return true;
    }
    return false;
  }

  private parkUndeliverable(
    functionKey: string,
    target: Reference,
    delivery: { kind: string; [field: string]: unknown },
    reason = 'delivery to this kind of target is not emulated yet',
  ): void {
    this.park(functionKey, target, delivery);
    this.log(
      functionKey,
      `${delivery.kind} for ${target.text} (${target.kind ?? 'unknown kind'}) kept in the state database: ${reason}`,
    );
  }
}

/** What Lambda sets on a DLQ message besides the event: the request id and the error. */
function deadLetterAttributes(
  attributes: Extract<Delivery, { kind: 'dead-letter' }>['attributes'],
): Record<string, MessageAttribute> {
  return {
    RequestID: { DataType: 'String', StringValue: attributes.RequestID },
    ErrorCode: { DataType: 'Number', StringValue: String(attributes.ErrorCode) },
    ErrorMessage: { DataType: 'String', StringValue: attributes.ErrorMessage },
  };
}
