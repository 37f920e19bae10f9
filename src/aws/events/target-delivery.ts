import type { SourceOrigin } from '../../classify/origin';
import { evaluateJsonPath } from './json-path';
import type { TargetKind } from './target-kinds';
import { targetPayload, targetText, type TransformContext } from './target-input';
import type { Delivery, EventBridgeEvent, TargetPort, TargetSpec } from './types';
import { busNameOf } from './wire';

/** One target of a rule an event matched: what it gets, and where it goes. */
export interface RoutedEvent {
  target: TargetSpec;
  kind: TargetKind;
  origin: SourceOrigin;
  context: TransformContext;
  /** The trace of the PutEvents entry, passed to the target (not in the event itself). */
  traceHeader?: string;
}

/** Where each kind of target is reached. */
export interface TargetDeliverers {
  port: TargetPort;
  lambda: (delivery: Delivery) => void | Promise<void>;
  /** Puts the event on another bus of this EventBridge. */
  bus: (busName: string, event: EventBridgeEvent) => Promise<void>;
}

/**
 * Delivers one target's payload (docs.aws.amazon.com/eventbridge/latest/userguide/eb-targets.html):
 * a function gets it as its event; a queue, topic or stream as the message text. A FIFO queue gets
 * the target's message group and the event id as the deduplication id; a stream's partition key is
 * the value at `PartitionKeyPath`, else the event id (API_KinesisParameters). Another bus gets the
 * event itself, as bus-to-bus routing forwards it.
 */
export async function deliverToTarget(to: TargetDeliverers, routed: RoutedEvent): Promise<void> {
  const { target, context, traceHeader } = routed;
  switch (routed.kind) {
    case 'lambda':
      return to.lambda({
        functionArn: target.arn,
        origin: routed.origin,
        payload: targetPayload(target, context),
        traceHeader,
      });
    case 'sqs':
      return to.port.sendMessage(target.arn, targetText(target, context), {
        messageGroupId: target.messageGroupId,
        messageDeduplicationId: target.messageGroupId === undefined ? undefined : context.event.id,
        traceHeader,
      });
    case 'sns':
      return to.port.publish(target.arn, targetText(target, context), traceHeader);
    case 'kinesis':
      return to.port.putRecord(target.arn, targetText(target, context), partitionKey(target, context.event));
    case 'event-bus':
      return to.bus(busNameOf(target.arn), context.event);
  }
}

function partitionKey(target: TargetSpec, event: EventBridgeEvent): string {
  if (target.partitionKeyPath === undefined) return event.id;
  const value = evaluateJsonPath(event, target.partitionKeyPath);
  if (value === undefined || value === null) {
    throw new Error(
      `KinesisParameters.PartitionKeyPath ${target.partitionKeyPath} finds no value in the event`,
    );
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}
