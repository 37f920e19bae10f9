import type { SNSEvent, SQSEvent } from 'aws-lambda';
import { createHash } from 'node:crypto';
import { definedSubscriptionArn } from '../../aws/sns/context';
import { lambdaEvent } from '../../aws/sns/delivery';
import type { MessageAttributeValue } from '../../aws/sns/types';
import { functionArn } from '../../service/arn';
import { buildArn, parseArn } from '../../service/arn';
import type { Reference, SnsEvent, SqsEvent } from '../../service/model';
import { ALPHABETS, asText, derive, deriveBytes, isObject, type SampleContext } from './context';
import { sampleOfPattern } from './pattern-sample';

/** The ARN of a queue or topic the event names, or one of the right form when it could not be resolved. */
export function arnOf(reference: Reference, awsService: 'sns' | 'sqs', { service }: SampleContext): string {
  if (reference.arn) return reference.arn;
  const name = reference.name ?? `${service.service}-${service.stage}-sample`;
  return buildArn(awsService, service.region, service.accountId, name);
}

/**
 * What SNS sends the function of an `sns` event: one Notification record, built by the embedded SNS's
 * own delivery (aws/sns/delivery.ts) for the function's subscription. The message is `overrides`
 * (JSON unless a string) when given; else, when the subscription has a filter policy, attributes
 * (scope MessageAttributes) or a JSON body (scope MessageBody) it accepts; else a short text.
 */
export function snsEvent(spec: SnsEvent, context: SampleContext): SNSEvent {
  const { service, fn, now, newId, overrides } = context;
  const topicArn = arnOf(spec.topic, 'sns', context);
  const endpoint = functionArn(service, fn);
  const policy = isObject(spec.filterPolicy) ? sampleOfPattern(spec.filterPolicy) : undefined;
  const byBody = spec.filterPolicyScope === 'MessageBody';
  let message = 'Hello from SNS!';
  if (overrides !== undefined) message = asText(overrides);
  else if (policy && byBody) message = JSON.stringify(policy);
  return lambdaEvent(
    {
      arn: definedSubscriptionArn(topicArn, 'lambda', endpoint),
      topicArn,
      protocol: 'lambda',
      endpoint,
      attributes: {},
    },
    {
      messageId: newId(),
      topicArn,
      message,
      attributes: policy && !byBody ? attributesFor(policy) : {},
      timestamp: now,
    },
    service.region,
  );
}

/** Message attributes from a policy's sample: numbers as `Number`, lists as `String.Array`. */
function attributesFor(sample: Record<string, unknown>): Record<string, MessageAttributeValue> {
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(sample)) {
    if (typeof value === 'number') attributes[name] = { DataType: 'Number', StringValue: String(value) };
    else if (Array.isArray(value))
      attributes[name] = { DataType: 'String.Array', StringValue: JSON.stringify(value) };
    else if (typeof value === 'string') attributes[name] = { DataType: 'String', StringValue: value };
  }
  return attributes;
}

/**
 * One message as Lambda's SQS poller delivers it (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html):
 * ids, receipt handle, the system attributes (FIFO queues add the group, deduplication id and
 * sequence number), the body's MD5. The body is `overrides` (JSON unless a string) when given, else
 * JSON the event's first filter pattern on `body` accepts, else a small JSON document.
 */
export function sqsEvent(spec: SqsEvent, context: SampleContext): SQSEvent {
  const { service, now, newId, overrides } = context;
  const queueArn = arnOf(spec.queue, 'sqs', context);
  const body = overrides !== undefined ? asText(overrides) : JSON.stringify(bodyFor(spec.filterPatterns));
  const sent = now.getTime();
  const fifo = (parseArn(queueArn)?.resource ?? '').endsWith('.fifo');
  const messageId = newId();
  return {
    Records: [
      {
        messageId,
        receiptHandle: deriveBytes(`receipt:${messageId}`, 300).toString('base64'),
        body,
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: String(sent),
          SenderId: `AROA${derive(`sender:${service.service}`, 17, ALPHABETS.upper)}:sample`,
          ApproximateFirstReceiveTimestamp: String(sent + 3),
          ...(fifo
            ? {
                SequenceNumber: derive(messageId, 20, ALPHABETS.digits).replace(/^0/, '1'),
                MessageGroupId: 'sample-group',
                MessageDeduplicationId: createHash('sha256').update(body).digest('hex'),
              }
            : {}),
        },
        messageAttributes: {},
        md5OfBody: createHash('md5').update(body).digest('hex'),
        eventSource: 'aws:sqs',
        eventSourceARN: queueArn,
        awsRegion: service.region,
      },
    ],
  };
}

/** A document the first filter pattern on `body` accepts, else `{"message": "Hello from SQS!"}`. */
function bodyFor(filterPatterns: unknown[] | undefined): unknown {
  const pattern = filterPatterns?.find((p) => isObject(p) && isObject(p.body)) as
    { body: Record<string, unknown> } | undefined;
  return pattern ? sampleOfPattern(pattern.body) : { message: 'Hello from SQS!' };
}
