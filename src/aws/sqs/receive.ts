import { intParam, listParam, queueParam, type Operation, type SqsContext } from './context';
import { attributeSelector, parseStoredAttributes } from './message-attributes';
import { md5OfAttributes } from './md5';
import type { Queue } from './queues';
import { receiptHandle } from './receipts';
import type { MessageRow } from './store';
import type { MessageAttribute } from './types';
import { plural } from '../../plural';

const SYSTEM_ATTRIBUTES = [
  'SenderId',
  'SentTimestamp',
  'ApproximateReceiveCount',
  'ApproximateFirstReceiveTimestamp',
  'SequenceNumber',
  'MessageDeduplicationId',
  'MessageGroupId',
  'AWSTraceHeader',
  'DeadLetterQueueSourceArn',
];

export interface ReceiveRequest {
  max: number;
  visibilityTimeout: number;
  /** The system attributes asked for. */
  systemAttributes: Set<string>;
  messageAttributes?: (name: string) => boolean;
}

export interface ReceivedMessage {
  MessageId: string;
  ReceiptHandle: string;
  MD5OfBody: string;
  Body: string;
  Attributes?: Record<string, string>;
  MD5OfMessageAttributes?: string;
  MessageAttributes?: Record<string, MessageAttribute>;
}

/** What a receive does with a message it comes to. */
type Decision = { row: MessageRow; action: 'receive' | 'dead-letter' };

/**
 * The messages a receive takes from a FIFO queue: in order of arrival, skipping every group that has
 * a message in flight (or delayed), so that a group's messages are processed one batch at a time.
 */
function fifoPicks(context: SqsContext, queue: Queue, max: number, now: number): Decision[] {
  const cutoff = now - queue.retentionPeriod * 1000;
  const blocked = new Set<string | null>();
  const decisions: Decision[] = [];
  let received = 0;
  for (const row of context.store.inArrivalOrder(queue.name)) {
    if (row.sent <= cutoff || blocked.has(row.group_id)) continue;
    if (row.visible_at > now) {
      blocked.add(row.group_id);
      continue;
    }
    const action = movesToDeadLetter(context, queue, row) ? 'dead-letter' : 'receive';
    decisions.push({ row, action });
    if (action === 'receive' && ++received === max) break;
  }
  return decisions;
}

/** SQS moves a message to the dead-letter queue when a receive would exceed maxReceiveCount. */
function movesToDeadLetter(context: SqsContext, queue: Queue, row: MessageRow): boolean {
  if (!queue.redrive || row.receive_count < queue.redrive.maxReceiveCount) return false;
  return context.queues.fromArn(queue.redrive.deadLetterTargetArn) !== undefined;
}

/** The message in the dead-letter queue: same id, body and attributes; its receives start again. */
function moveToDeadLetter(context: SqsContext, queue: Queue, row: MessageRow, now: number): string {
  const target = context.queues.fromArn(queue.redrive?.deadLetterTargetArn ?? '') as Queue;
  context.log(
    `sqs ${queue.name}: message ${row.id} redriven to ${target.name} after ${plural(row.receive_count, 'receive')} (maxReceiveCount ${queue.redrive?.maxReceiveCount})`,
  );
  const { seq, ...message } = row;
  context.store.deleteRow(seq);
  context.store.insert({
    ...message,
    queue: target.name,
    sent: target.fifo ? now : row.sent,
    visible_at: now,
    receive_count: 0,
    first_receive: null,
    dead_letter_source: queue.arn,
    sequence_number: target.fifo
      ? String(10n ** 19n + BigInt(context.store.nextSequence(target.name)))
      : null,
  });
  return target.name;
}

function systemAttributes(
  row: MessageRow,
  names: Set<string>,
  now: number,
): Record<string, string> | undefined {
  if (names.size === 0) return undefined;
  const all: Record<string, string | null> = {
    SenderId: row.sender_id,
    SentTimestamp: String(row.sent),
    ApproximateReceiveCount: String(row.receive_count + 1),
    ApproximateFirstReceiveTimestamp: String(row.first_receive ?? now),
    SequenceNumber: row.sequence_number,
    MessageDeduplicationId: row.dedup_id,
    MessageGroupId: row.group_id,
    AWSTraceHeader: row.trace_header,
    DeadLetterQueueSourceArn: row.dead_letter_source,
  };
  const chosen: Record<string, string> = {};
  for (const name of SYSTEM_ATTRIBUTES) {
    const value = all[name];
    if (value !== null && (names.has('All') || names.has(name))) chosen[name] = value;
  }
  return chosen;
}

function received(row: MessageRow, request: ReceiveRequest, now: number): ReceivedMessage {
  const message: ReceivedMessage = {
    MessageId: row.id,
    ReceiptHandle: receiptHandle(row.queue, row.seq, row.receive_count + 1, row.id),
    MD5OfBody: row.md5_body,
    Body: row.body,
  };
  const attributes = systemAttributes(row, request.systemAttributes, now);
  if (attributes) message.Attributes = attributes;
  if (request.messageAttributes && row.attributes) {
    const all = parseStoredAttributes(row.attributes);
    const selected = Object.entries(all).filter(([name]) => request.messageAttributes?.(name));
    if (selected.length) {
      message.MessageAttributes = Object.fromEntries(selected);
      message.MD5OfMessageAttributes =
        selected.length === Object.keys(all).length && row.md5_attributes
          ? row.md5_attributes
          : md5OfAttributes(message.MessageAttributes);
    }
  }
  return message;
}

/**
 * One receive, now: takes up to `max` messages, makes them invisible for the visibility timeout,
 * and moves those past their queue's maxReceiveCount to its dead-letter queue. A standard queue
 * gives the earliest visible first, a FIFO queue its decisions in order of arrival.
 */
export function receiveNow(context: SqsContext, queue: Queue, request: ReceiveRequest): ReceivedMessage[] {
  const now = context.clock.now();
  const cutoff = now - queue.retentionPeriod * 1000;
  const visibleAt = now + request.visibilityTimeout * 1000;
  const movedTo = new Set<string>();
  const messages: ReceivedMessage[] = [];
  const apply = ({ row, action }: Decision) => {
    if (action === 'dead-letter') {
      movedTo.add(moveToDeadLetter(context, queue, row, now));
    } else {
      context.store.markReceived(row.seq, visibleAt, now);
      messages.push(received(row, request, now));
    }
  };
  const decide = (row: MessageRow): Decision => ({
    row,
    action: movesToDeadLetter(context, queue, row) ? 'dead-letter' : 'receive',
  });
  context.store.transaction(() => {
    context.store.expire(queue.name, cutoff, now, true);
    if (queue.fifo) {
      fifoPicks(context, queue, request.max, now).forEach(apply);
      return;
    }
    for (let more = true; more && messages.length < request.max;) {
      const decisions = context.store
        .visible(queue.name, now, cutoff, request.max - messages.length)
        .map(decide);
      decisions.forEach(apply);
      more = decisions.some((decision) => decision.action === 'dead-letter');
    }
  });
  for (const name of movedTo) context.waiters.notify(name);
  if (messages.length) context.waiters.visibilityChanged(queue.name);
  return messages;
}

export function readReceiveRequest(queue: Queue, input: Record<string, unknown>): ReceiveRequest {
  const max = intParam(input, 'MaxNumberOfMessages', [1, 10], 'Must be between 1 and 10, if provided.') ?? 1;
  const visibilityTimeout =
    intParam(input, 'VisibilityTimeout', [0, 43200], 'Must be between 0 and 43200, if provided.') ??
    queue.visibilityTimeout;
  const names = [...listParam(input, 'AttributeNames'), ...listParam(input, 'MessageSystemAttributeNames')];
  return {
    max,
    visibilityTimeout,
    systemAttributes: new Set(names),
    messageAttributes: attributeSelector(listParam(input, 'MessageAttributeNames')),
  };
}

/**
 * ReceiveMessage: what is there now, else (WaitTimeSeconds, or the queue's
 * ReceiveMessageWaitTimeSeconds) as soon as a message comes, or nothing when the wait ends.
 */
export const receiveMessage: Operation = async (context, input) => {
  const queue = queueParam(context, input);
  const request = readReceiveRequest(queue, input);
  const wait =
    intParam(input, 'WaitTimeSeconds', [0, 20], 'Must be >= 0 and <= 20, if provided.') ??
    queue.waitTimeSeconds;
  const checkedAt = context.clock.now();
  const now = receiveNow(context, queue, request);
  if (now.length || wait === 0) return listed(now);
  const messages = await new Promise<ReceivedMessage[]>((resolve) => {
    context.waiters.add(
      queue.name,
      context.clock.now() + wait * 1000,
      () => {
        if (!context.queues.get(queue.name)) {
          resolve([]);
          return true;
        }
        const found = receiveNow(context, queue, request);
        if (found.length) resolve(found);
        return found.length > 0;
      },
      () => resolve([]),
      checkedAt,
    );
  });
  return listed(messages);
};

/** As SQS answers: no Messages member when there are none. */
const listed = (messages: ReceivedMessage[]) => (messages.length ? { Messages: messages } : {});
