import { directOrigin } from '../classify/origin';
import type { Clock } from '../clock';
import { buildArn } from '../service/arn';
import type { Reference, ServiceModel } from '../service/model';
import type { Db } from '../state/database';
import type { Delivery, DestinationSender } from './async-engine';
import type { Invoker } from './types';

/** An SQS or SNS message attribute, as SendMessage and Publish take it. */
export interface MessageAttribute {
  DataType: string;
  StringValue: string;
}

/** The AWS services a destination or dead-letter queue can be: filled by the composition root. */
export interface DestinationPort {
  invoker: Invoker;
  sendMessage(queueArn: string, body: string, attributes?: Record<string, MessageAttribute>): Promise<void>;
  publish(topicArn: string, message: string, attributes?: Record<string, MessageAttribute>): Promise<void>;
  putEvent(entry: {
    /** The bus's ARN. */
    bus: string;
    source: string;
    detailType: string;
    detail: string;
    resources: string[];
  }): Promise<void>;
}

/**
 * Delivers async invocation records to destinations and failed events to DLQs, as Lambda does: a
 * function is invoked asynchronously with the record, a topic or a queue gets it as the message, a bus
 * as the detail of a "Lambda Function Invocation Result" event. A DLQ message is the event, with the
 * request id and the error as message attributes. A stream mapping's discarded batch goes to its
 * queue or topic as its batch-info record. A target kind that is not emulated yet keeps
 * the delivery in the state database (table `lambda_parked_deliveries`) and says so.
 */
export class Destinations implements DestinationSender {
  private readonly park;

  constructor(
    private readonly port: DestinationPort,
    private readonly place: Pick<ServiceModel, 'region' | 'accountId'>,
    db: Db,
    clock: Clock,
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

  async send(target: Reference, delivery: Delivery, functionKey: string): Promise<void> {
    const message = delivery.kind === 'destination' ? JSON.stringify(delivery.record) : delivery.event;
    if (await this.toQueueOrTopic(target, message, deadLetterAttributes(delivery))) return;
    if (target.kind === 'function' && target.name && delivery.kind === 'destination') {
      await this.port.invoker.invoke(target.name, {
        payload: message,
        type: 'Event',
        origin: directOrigin('destination', functionKey),
      });
    } else if (target.kind === 'eventBus' && target.name && delivery.kind === 'destination') {
      const { record } = delivery;
      const busArn = this.arnOf(target, 'events', `event-bus/${target.name}`);
      await this.port.putEvent({
        source: 'lambda',
        detailType: `Lambda Function Invocation Result - ${delivery.success ? 'Success' : 'Failure'}`,
        detail: message,
        bus: busArn,
        resources: [record.requestContext.functionArn.replace(/:\$LATEST$/, ''), busArn],
      });
    } else {
      this.parkUndeliverable(functionKey, target, delivery);
    }
  }

  /** An event source mapping's record of a discarded batch, for its on-failure queue or topic. */
  async sendBatchFailure(target: Reference, record: object, functionKey: string): Promise<void> {
    const delivery = { kind: 'batch-failure', record };
    if (!(await this.toQueueOrTopic(target, JSON.stringify(record)))) {
      this.parkUndeliverable(functionKey, target, delivery);
    }
  }

  /** Sends the message when the target is a queue or a topic; false when it is neither. */
  private async toQueueOrTopic(
    target: Reference,
    message: string,
    attributes?: Record<string, MessageAttribute>,
  ): Promise<boolean> {
    if (target.kind === 'sns' && target.name) {
      await this.port.publish(this.arnOf(target, 'sns', target.name), message, attributes);
      return true;
    }
    if (target.kind === 'sqs' && target.name) {
      await this.port.sendMessage(this.arnOf(target, 'sqs', target.name), message, attributes);
      return true;
    }
    return false;
  }

  private parkUndeliverable(functionKey: string, target: Reference, delivery: { kind: string }): void {
    this.park(functionKey, target, delivery);
    this.log(
      functionKey,
      `${delivery.kind} for ${target.text} (${target.kind ?? 'unknown kind'}) kept in the state database: delivery to this kind of target is not emulated yet`,
    );
  }
}

/** What Lambda sets on a DLQ message besides the event: the request id and the error. */
function deadLetterAttributes(delivery: Delivery): Record<string, MessageAttribute> | undefined {
  if (delivery.kind !== 'dead-letter') return undefined;
  return {
    RequestID: { DataType: 'String', StringValue: delivery.attributes.RequestID },
    ErrorCode: { DataType: 'Number', StringValue: String(delivery.attributes.ErrorCode) },
    ErrorMessage: { DataType: 'String', StringValue: delivery.attributes.ErrorMessage },
  };
}
