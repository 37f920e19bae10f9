import { createHash } from 'node:crypto';
import { parseArn } from '../../service/arn';
import { isFifoTopic, isPending } from './attributes';
import { requireTopic, stringParam, type Operation, type SnsCall, type SnsContext } from './context';
import { lambdaEvent, queueDelivery, topicName } from './delivery';
import { SnsError, invalidParameter } from './errors';
import {
  MAXIMUM_MESSAGE_BYTES,
  messageBytes,
  readMessage,
  readMessageAttributes,
  readSubject,
} from './message';
import type { Topic } from './store';
import type { PublishedMessage } from './types';

const DEDUPLICATION_MS = 5 * 60_000;
const BATCH_ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;
const GROUP_ID_REQUIRED = 'Invalid parameter: The MessageGroupId parameter is required for FIFO topics';
const DEDUPLICATION_ID_REQUIRED =
  'Invalid parameter: The topic should either have ContentBasedDeduplication enabled or ' +
  'MessageDeduplicationId provided explicitly';

/** A message validated against its topic, not yet numbered; its byte size counts toward a batch's. */
interface Draft {
  message: Omit<PublishedMessage, 'messageId' | 'timestamp' | 'sequenceNumber'>;
  bytes: number;
}

function draft(topic: Topic, entry: Record<string, unknown>, attributesAt?: string): Draft {
  const message = readMessage(entry.Message, entry.MessageStructure);
  const subject = readSubject(entry.Subject);
  const attributes = readMessageAttributes(entry.MessageAttributes, attributesAt);
  const text = typeof entry.Message === 'string' ? entry.Message : '';
  const bytes = messageBytes(text, attributes);
  if (bytes > MAXIMUM_MESSAGE_BYTES) throw invalidParameter('Invalid parameter: Message too long');
  const messageGroupId = stringParam(entry, 'MessageGroupId');
  let messageDeduplicationId = stringParam(entry, 'MessageDeduplicationId');
  if (isFifoTopic(topic)) {
    if (!messageGroupId) throw invalidParameter(GROUP_ID_REQUIRED);
    if (!messageDeduplicationId) {
      if (topic.attributes.ContentBasedDeduplication !== 'true') {
        throw invalidParameter(DEDUPLICATION_ID_REQUIRED);
      }
      messageDeduplicationId = createHash('sha256').update(text).digest('hex');
    }
  } else if (messageDeduplicationId !== undefined) {
    throw invalidParameter(
      'Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId ' +
        'parameter that is not valid for this topic type',
    );
  }
  return {
    message: { topicArn: topic.arn, message, subject, attributes, messageGroupId, messageDeduplicationId },
    bytes,
  };
}

/**
 * Numbers the message and fans it out, or (FIFO) answers with the message first published under the
 * same deduplication id in the last 5 minutes without delivering it again.
 */
async function send(context: SnsContext, topic: Topic, { message }: Draft, { traceHeader }: SnsCall) {
  const now = context.clock.now();
  const key = message.messageDeduplicationId && `${topic.arn}\n${message.messageDeduplicationId}`;
  if (key) {
    for (const [k, seen] of context.deduplication) {
      if (seen.expires <= now) context.deduplication.delete(k);
    }
    const seen = context.deduplication.get(key);
    if (seen) return { MessageId: seen.messageId, SequenceNumber: seen.sequenceNumber };
  }
  const published: PublishedMessage = {
    ...message,
    messageId: context.newId(),
    timestamp: new Date(now),
    ...(traceHeader === undefined ? {} : { traceHeader }),
  };
  if (isFifoTopic(topic)) published.sequenceNumber = context.store.nextSequenceNumber(topic.arn);
  if (key && published.sequenceNumber) {
    const { messageId, sequenceNumber } = published;
    context.deduplication.set(key, { expires: now + DEDUPLICATION_MS, messageId, sequenceNumber });
  }
  await fanOut(context, published);
  return { MessageId: published.messageId, SequenceNumber: published.sequenceNumber };
}

/**
 * Delivers the message to every confirmed `lambda` and `sqs` subscription whose filter policy accepts
 * it. A delivery that fails is logged; it does not fail the publish (SNS has already accepted it).
 */
async function fanOut(context: SnsContext, message: PublishedMessage): Promise<void> {
  const topic = topicName(message.topicArn);
  for (const subscription of context.store.subscriptionsOf(message.topicArn)) {
    if (isPending(subscription)) continue;
    try {
      if (!context.filterPolicies.accepts(subscription, message)) continue;
      if (subscription.protocol === 'lambda') {
        const payload = JSON.stringify(lambdaEvent(subscription, message, context.region));
        await context.deliver({
          functionArn: subscription.endpoint,
          payload,
          origin: { kind: 'sns', detail: topic },
          traceHeader: message.traceHeader,
        });
      } else if (subscription.protocol === 'sqs') {
        const delivery = queueDelivery(subscription, message, context.region);
        if (delivery) await context.deliverToQueue(delivery);
        else
          context.log(
            `sns ${topic}: discarded for ${subscription.endpoint}: over 10 attributes for raw delivery`,
          );
      } else {
        context.log(
          `sns ${topic}: ${subscription.protocol} subscriptions are not emulated (${subscription.endpoint})`,
        );
      }
    } catch (error) {
      context.log(`sns ${topic}: delivery to ${subscription.endpoint} failed: ${(error as Error).message}`);
    }
  }
}

/** The topic a Publish names: TopicArn, or TargetArn (which may name a topic too). */
function targetTopic(context: SnsContext, input: Record<string, unknown>): Topic {
  const arn = stringParam(input, 'TopicArn') ?? stringParam(input, 'TargetArn');
  if (!arn)
    throw invalidParameter(
      'Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter',
    );
  const parsed = parseArn(arn);
  if (!parsed) throw invalidParameter(`Invalid parameter: ${input.TopicArn ? 'TopicArn' : 'TargetArn'}`);
  if (parsed.resource.startsWith('endpoint/')) {
    throw invalidParameter(
      'Invalid parameter: TargetArn Reason: No endpoint found for the target arn specified',
    );
  }
  return requireTopic(context, arn);
}

export const publish: Operation = async (context, input, call) => {
  const phoneNumber = stringParam(input, 'PhoneNumber');
  if (phoneNumber && !input.TopicArn && !input.TargetArn) {
    readMessage(input.Message, input.MessageStructure);
    context.log(`sns: SMS to ${phoneNumber} is not emulated; the message is dropped`);
    return { MessageId: context.newId() };
  }
  const topic = targetTopic(context, input);
  return send(context, topic, draft(topic, input), call);
};

/**
 * A FIFO topic refuses the whole batch, not one entry, when an entry has no MessageGroupId, or no
 * MessageDeduplicationId without content-based deduplication.
 */
function checkFifoBatch(topic: Topic, entries: Array<Record<string, unknown>>): void {
  if (entries.some((entry) => !stringParam(entry, 'MessageGroupId'))) {
    throw invalidParameter(GROUP_ID_REQUIRED);
  }
  const contentBased = topic.attributes.ContentBasedDeduplication === 'true';
  if (!contentBased && entries.some((entry) => !stringParam(entry, 'MessageDeduplicationId'))) {
    throw invalidParameter(DEDUPLICATION_ID_REQUIRED);
  }
}

/** PublishBatch: up to 10 entries, each answered in Successful or Failed. */
export const publishBatch: Operation = async (context, input, call) => {
  const topic = targetTopic(context, { TopicArn: input.TopicArn ?? '' });
  const raw = input.PublishBatchRequestEntries;
  const entries = Array.isArray(raw) ? (raw as Array<Record<string, unknown>>) : [];
  if (entries.length === 0) {
    throw new SnsError('EmptyBatchRequest', "The batch request doesn't contain any entries.");
  }
  if (entries.length > 10) {
    throw new SnsError(
      'TooManyEntriesInBatchRequest',
      'The batch request contains more entries than permissible.',
    );
  }
  const ids = entries.map((entry) => stringParam(entry, 'Id') ?? '');
  if (new Set(ids).size !== ids.length) {
    throw new SnsError(
      'BatchEntryIdsNotDistinct',
      'Two or more batch entries in the request have the same Id.',
    );
  }
  const badId = ids.find((id) => !BATCH_ENTRY_ID.test(id));
  if (badId !== undefined) {
    throw new SnsError(
      'InvalidBatchEntryId',
      `The Id of a batch entry in the batch request contains an impermissible character: ${badId}`,
    );
  }
  if (isFifoTopic(topic)) checkFifoBatch(topic, entries);
  const drafts = entries.map((entry, i) => {
    try {
      return draft(topic, entry, `publishBatchRequestEntries.${i + 1}.member.messageAttributes`);
    } catch (error) {
      if (error instanceof SnsError) return error;
      throw error;
    }
  });
  const total = drafts.reduce((sum, d) => sum + (d instanceof SnsError ? 0 : d.bytes), 0);
  if (total > MAXIMUM_MESSAGE_BYTES) {
    throw new SnsError(
      'BatchRequestTooLong',
      'The length of all the messages put together is more than the limit.',
    );
  }
  const successful: Array<Record<string, unknown>> = [];
  const failed: Array<Record<string, unknown>> = [];
  for (const [i, d] of drafts.entries()) {
    if (d instanceof SnsError) {
      failed.push({ Id: ids[i], Code: d.code, Message: d.message, SenderFault: d.senderFault });
    } else {
      successful.push({ Id: ids[i], ...(await send(context, topic, d, call)) });
    }
  }
  return { Successful: successful, Failed: failed };
};
