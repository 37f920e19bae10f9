import type { Message } from '@aws-sdk/client-sqs';
import type { SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import { withParsedData } from './filter';
import type { PulledRecord } from './mapping-loop';

// The system attributes Lambda puts in an SQS record, in its order.
const RECORD_ATTRIBUTES = [
  'ApproximateReceiveCount',
  'AWSTraceHeader',
  'SentTimestamp',
  'SequenceNumber',
  'MessageGroupId',
  'SenderId',
  'MessageDeduplicationId',
  'ApproximateFirstReceiveTimestamp',
];

export interface SqsPulled extends PulledRecord {
  messageId: string;
  receiptHandle: string;
  receiveCount: number;
  /** The message's `AWSTraceHeader`: the trace of the call that sent it. */
  traceHeader?: string;
}

function messageAttributes(message: Message): SQSMessageAttributes {
  return Object.fromEntries(
    Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
      name,
      {
        ...(value.StringValue !== undefined && { stringValue: value.StringValue }),
        ...(value.BinaryValue !== undefined && {
          binaryValue: Buffer.from(value.BinaryValue).toString('base64'),
        }),
        stringListValues: value.StringListValues ?? [],
        binaryListValues: (value.BinaryListValues ?? []).map((b) => Buffer.from(b).toString('base64')),
        dataType: value.DataType ?? 'String',
      },
    ]),
  );
}

/** The SQSEvent record Lambda builds from a received message. */
export function sqsRecord(message: Message, queueArn: string, region: string): SqsPulled {
  const attributes = message.Attributes ?? {};
  const record: SQSRecord = {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: Object.fromEntries(
      RECORD_ATTRIBUTES.filter((name) => name in attributes).map((name) => [
        name,
        attributes[name as keyof typeof attributes],
      ]),
    ) as unknown as SQSRecord['attributes'],
    messageAttributes: messageAttributes(message),
    md5OfBody: message.MD5OfBody ?? '',
    ...(message.MD5OfMessageAttributes && { md5OfMessageAttributes: message.MD5OfMessageAttributes }),
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
  return {
    json: JSON.stringify(record),
    matchable: withParsedData(record, 'body', record.body),
    messageId: record.messageId,
    receiptHandle: record.receiptHandle,
    receiveCount: Number(attributes.ApproximateReceiveCount ?? 1),
    traceHeader: attributes.AWSTraceHeader,
  };
}
