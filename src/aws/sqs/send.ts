import { createHash } from 'node:crypto';
import { intParam, queueParam, stringParam, type CallInfo, type Operation, type SqsContext } from './context';
import { invalidParameterValue, invalidValue, missingParameter, SqsError } from './errors';
import { checkBatch, eachEntry } from './batch';
import { md5OfAttributes, md5OfBody } from './md5';
import { attributesSize, readMessageAttributes, storedAttributes } from './message-attributes';
import type { Queue } from './queues';
import type { MessageAttribute } from './types';

const DEDUPLICATION_INTERVAL = 5 * 60 * 1000;
const MAX_BATCH_SIZE = 1048576;
// SQS's allowed characters (XML's) include tab, line feed and carriage return.
// eslint-disable-next-line no-control-regex
const VALID_CHARACTERS = /^[\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;
const NOT_FOR_THIS_QUEUE = 'The request include parameter that is not valid for this queue type.';

export interface SendResult {
  MessageId: string;
  MD5OfMessageBody: string;
  MD5OfMessageAttributes?: string;
  MD5OfMessageSystemAttributes?: string;
  SequenceNumber?: string;
}

interface Validated {
  body: string;
  attributes: Record<string, MessageAttribute>;
  delay: number;
  groupId?: string;
  /** FIFO queues only: the given id, or the body's SHA-256 under content-based deduplication. */
  deduplicationId?: string;
  /** `AWSTraceHeader`: the message's system attribute, else the request's `X-Amzn-Trace-Id`. */
  traceHeader?: string;
}

/**
 * The message's system attributes: SQS takes `AWSTraceHeader` (a String) alone, and it wins over the
 * request's `X-Amzn-Trace-Id` header. https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
 */
function traceHeaderOf(
  input: Record<string, unknown>,
  requestHeader: string | undefined,
): string | undefined {
  const attributes = readMessageAttributes(input.MessageSystemAttributes);
  for (const [name, attribute] of Object.entries(attributes)) {
    if (name !== 'AWSTraceHeader' || attribute.DataType !== 'String') {
      throw invalidParameterValue(
        `Message system attribute name '${name}' is invalid: the only supported message system attribute is AWSTraceHeader, of type String.`,
      );
    }
  }
  return attributes.AWSTraceHeader?.StringValue ?? requestHeader;
}

/** The message as SendMessage (or a batch entry) gives it, validated for the queue. */
function validate(queue: Queue, input: Record<string, unknown>, call: CallInfo): Validated {
  const body = stringParam(input, 'MessageBody');
  if (body === undefined || body === '') throw missingParameter('MessageBody');
  if (!VALID_CHARACTERS.test(body)) {
    throw new SqsError(
      'InvalidMessageContents',
      'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF',
    );
  }
  const attributes = readMessageAttributes(input.MessageAttributes);
  if (Buffer.byteLength(body) + attributesSize(attributes) > queue.maximumMessageSize) {
    throw invalidParameterValue(
      `One or more parameters are invalid. Reason: Message must be shorter than ${queue.maximumMessageSize} bytes.`,
    );
  }
  const delay = intParam(input, 'DelaySeconds', [0, 900], 'DelaySeconds must be >= 0 and <= 900.');
  const traceHeader = traceHeaderOf(input, call.traceHeader);
  const groupId = stringParam(input, 'MessageGroupId');
  const deduplicationId = stringParam(input, 'MessageDeduplicationId');
  if (!queue.fifo) {
    if (deduplicationId !== undefined)
      throw invalidValue('MessageDeduplicationId', deduplicationId, NOT_FOR_THIS_QUEUE);
    return { body, attributes, delay: delay ?? queue.delaySeconds, groupId, traceHeader };
  }
  // A FIFO queue's delay is the queue's: a message may only say 0.
  if (delay !== undefined && delay !== 0) throw invalidValue('DelaySeconds', delay, NOT_FOR_THIS_QUEUE);
  if (!groupId) throw missingParameter('MessageGroupId');
  if (!deduplicationId && !queue.contentBasedDeduplication) {
    throw invalidParameterValue(
      'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
    );
  }
  return {
    body,
    attributes,
    delay: queue.delaySeconds,
    groupId,
    deduplicationId: deduplicationId ?? createHash('sha256').update(body).digest('hex'),
    traceHeader,
  };
}

/** Stores one message (a FIFO duplicate within 5 minutes is answered as the first, and not stored). */
function sendOne(
  context: SqsContext,
  queue: Queue,
  input: Record<string, unknown>,
  call: CallInfo,
): SendResult {
  const message = validate(queue, input, call);
  const now = context.clock.now();
  const md5Body = md5OfBody(message.body);
  const md5Attributes = md5OfAttributes(message.attributes);
  const md5System =
    message.traceHeader === undefined
      ? undefined
      : md5OfAttributes({ AWSTraceHeader: { DataType: 'String', StringValue: message.traceHeader } });
  const answer = (MessageId: string, SequenceNumber?: string): SendResult => ({
    MessageId,
    MD5OfMessageBody: md5Body,
    ...(md5Attributes === undefined ? {} : { MD5OfMessageAttributes: md5Attributes }),
    ...(md5System === undefined ? {} : { MD5OfMessageSystemAttributes: md5System }),
    ...(SequenceNumber === undefined ? {} : { SequenceNumber }),
  });
  const messageId = context.newId();
  let sequenceNumber: string | undefined;
  if (message.deduplicationId !== undefined) {
    const scope = queue.attributes.DeduplicationScope === 'messageGroup' ? `${message.groupId}\n` : '';
    const key = scope + message.deduplicationId;
    const duplicate = context.store.duplicate(queue.name, key, now);
    if (duplicate) return answer(duplicate.message_id, duplicate.sequence_number ?? undefined);
    sequenceNumber = String(10n ** 19n + BigInt(context.store.nextSequence(queue.name)));
    context.store.remember(queue.name, key, now + DEDUPLICATION_INTERVAL, messageId, sequenceNumber);
  }
  context.store.insert({
    queue: queue.name,
    id: messageId,
    body: message.body,
    md5_body: md5Body,
    attributes: storedAttributes(message.attributes),
    md5_attributes: md5Attributes ?? null,
    sent: now,
    visible_at: now + message.delay * 1000,
    group_id: message.groupId ?? null,
    dedup_id: message.deduplicationId ?? null,
    sequence_number: sequenceNumber ?? null,
    sender_id: context.accountId,
    trace_header: message.traceHeader ?? null,
  });
  return answer(messageId, sequenceNumber);
}

export const sendMessage: Operation = (context, input, call) => {
  const queue = queueParam(context, input);
  const result = context.store.transaction(() => sendOne(context, queue, input, call));
  context.waiters.notify(queue.name);
  return { ...result };
};

export const sendMessageBatch: Operation = (context, input, call) => {
  const queue = queueParam(context, input);
  const entries = checkBatch(input, 'SendMessageBatchRequestEntry');
  const size = entries.reduce(
    (sum, entry) =>
      sum +
      Buffer.byteLength(stringParam(entry, 'MessageBody') ?? '') +
      attributesSizeOf(entry.MessageAttributes),
    0,
  );
  if (size > MAX_BATCH_SIZE) {
    throw new SqsError(
      'BatchRequestTooLong',
      `Batch requests cannot be longer than ${MAX_BATCH_SIZE} bytes. You have sent ${size} bytes.`,
    );
  }
  const result = context.store.transaction(() =>
    eachEntry(entries, (entry) => ({ ...sendOne(context, queue, entry, call) })),
  );
  if (result.Successful.length) context.waiters.notify(queue.name);
  return { ...result };
};

function attributesSizeOf(value: unknown): number {
  try {
    return attributesSize(readMessageAttributes(value));
  } catch {
    return 0;
  }
}
