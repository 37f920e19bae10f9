import type { SNSEvent, SNSMessage, SNSMessageAttributes } from 'aws-lambda';
import { createHash } from 'node:crypto';
import { parseArn } from '../../service/arn';
import { messageFor } from './message';
import type { Subscription } from './store';
import type { PublishedMessage, QueueDelivery, QueueMessageAttribute } from './types';

/** SQS accepts at most 10 message attributes: SNS discards a raw delivery that carries more. */
const RAW_DELIVERY_MAX_ATTRIBUTES = 10;
const CERTIFICATE = 'SimpleNotificationService-9c6465fa7f48f5cacd23014631ec1136.pem';

/** The SNSEvent, as Lambda's SNS integration sets `Subject` to null when there is none. */
type SnsLambdaMessage = Omit<SNSMessage, 'Subject'> & { Subject: string | null };

function host(region: string): string {
  return `https://sns.${region}.amazonaws.com`;
}

function unsubscribeUrl(region: string, subscriptionArn: string): string {
  return `${host(region)}/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`;
}

/**
 * A stand-in for SNS's SHA1withRSA signature (Base64 of 256 bytes, as AWS's is) over the fields SNS
 * signs. Nothing can verify it: the emulator holds no key of SNS's.
 */
function signature(message: PublishedMessage, text: string): string {
  const fields = [
    text,
    message.messageId,
    message.subject ?? '',
    'Notification',
    message.timestamp.toISOString(),
  ];
  const blocks = [createHash('sha256').update(fields.join('\n')).update(message.topicArn).digest()];
  while (blocks.length < 8)
    blocks.push(
      createHash('sha256')
        .update(blocks[blocks.length - 1])
        .digest(),
    );
  return Buffer.concat(blocks).toString('base64');
}

/** Message attributes as SNS delivers them (Binary values in Base64); none for MessageStructure json. */
function deliveredAttributes(message: PublishedMessage): SNSMessageAttributes {
  if (typeof message.message !== 'string') return {};
  return Object.fromEntries(
    Object.entries(message.attributes).map(([name, value]) => [
      name,
      { Type: value.DataType, Value: value.StringValue ?? value.BinaryValue ?? '' },
    ]),
  );
}

/** The SNSEvent Lambda receives for a `lambda` subscription, field for field as AWS builds it. */
export function lambdaEvent(subscription: Subscription, message: PublishedMessage, region: string): SNSEvent {
  const text = messageFor(message.message, 'lambda');
  const sns: SnsLambdaMessage = {
    Type: 'Notification',
    MessageId: message.messageId,
    TopicArn: message.topicArn,
    Subject: message.subject ?? null,
    Message: text,
    Timestamp: message.timestamp.toISOString(),
    SignatureVersion: '1',
    Signature: signature(message, text),
    SigningCertUrl: `${host(region)}/${CERTIFICATE}`,
    UnsubscribeUrl: unsubscribeUrl(region, subscription.arn),
    MessageAttributes: deliveredAttributes(message),
  };
  const record = {
    EventSource: 'aws:sns',
    EventVersion: '1.0',
    EventSubscriptionArn: subscription.arn,
    Sns: sns as SNSMessage,
  };
  return { Records: [record] };
}

/**
 * The JSON document SNS sends to SQS (and HTTP/S) subscribers: Subject and MessageAttributes only
 * when present; FIFO topics add the SequenceNumber.
 */
export function envelope(subscription: Subscription, message: PublishedMessage, region: string): string {
  const text = messageFor(message.message, subscription.protocol);
  const attributes = deliveredAttributes(message);
  return JSON.stringify({
    Type: 'Notification',
    MessageId: message.messageId,
    ...(message.sequenceNumber === undefined ? {} : { SequenceNumber: message.sequenceNumber }),
    TopicArn: message.topicArn,
    ...(message.subject === undefined ? {} : { Subject: message.subject }),
    Message: text,
    Timestamp: message.timestamp.toISOString(),
    SignatureVersion: '1',
    Signature: signature(message, text),
    SigningCertURL: `${host(region)}/${CERTIFICATE}`,
    UnsubscribeURL: unsubscribeUrl(region, subscription.arn),
    ...(Object.keys(attributes).length === 0 ? {} : { MessageAttributes: attributes }),
  });
}

/**
 * What an `sqs` subscription sends to its queue: the envelope, or with RawMessageDelivery the message
 * itself with its attributes as SQS message attributes (undefined: SNS discards it, over 10 attributes).
 */
export function queueDelivery(
  subscription: Subscription,
  message: PublishedMessage,
  region: string,
): QueueDelivery | undefined {
  const queueArn = subscription.endpoint;
  const raw = subscription.attributes.RawMessageDelivery === 'true';
  const attributes: Record<string, QueueMessageAttribute> = {};
  if (raw && typeof message.message === 'string') {
    for (const [name, value] of Object.entries(message.attributes)) {
      attributes[name] =
        value.BinaryValue === undefined
          ? { DataType: value.DataType, StringValue: value.StringValue }
          : { DataType: value.DataType, BinaryValue: Buffer.from(value.BinaryValue, 'base64') };
    }
    if (Object.keys(attributes).length > RAW_DELIVERY_MAX_ATTRIBUTES) return undefined;
  }
  const body = raw ? messageFor(message.message, 'sqs') : envelope(subscription, message, region);
  const delivery: QueueDelivery = { queueArn, body, attributes };
  if (message.traceHeader !== undefined) delivery.traceHeader = message.traceHeader;
  if (message.messageGroupId !== undefined) delivery.messageGroupId = message.messageGroupId;
  if (parseArn(queueArn)?.resource.endsWith('.fifo') && message.sequenceNumber !== undefined) {
    delivery.messageDeduplicationId =
      message.messageDeduplicationId ??
      createHash('sha256').update(messageFor(message.message, 'sqs')).digest('hex');
  }
  return delivery;
}

/** The topic's name, for the invocation's source (`sns orders`). */
export function topicName(topicArn: string): string {
  return parseArn(topicArn)?.resource ?? topicArn;
}
