import type { AwsService } from '../aws/endpoint';
import type { DestinationPort } from '../lambda/destinations';
import type { Invoker } from '../lambda/types';
import { traceAttribute, type ServicesOf } from './aws-services';

/**
 * Lambda's destinations and dead-letter queues, reached through the embedded services of their region
 * (S3, one for every region, through its own API: a path-style PutObject).
 */
export function destinationPort(
  servicesOf: ServicesOf,
  invoker: Invoker,
  s3: Pick<AwsService, 'handle'>,
): DestinationPort {
  return {
    invoker,
    async sendMessage(queueArn, body, attributes, traceHeader) {
      const { sqs } = await servicesOf(queueArn);
      await sqs.sendMessage({
        QueueUrl: sqs.queueUrlOf(queueArn),
        MessageBody: body,
        MessageAttributes: attributes,
        MessageSystemAttributes: traceAttribute(traceHeader),
      });
    },
    async publish(topicArn, message, attributes, traceHeader) {
      const { sns } = await servicesOf(topicArn);
      await sns.publish({ TopicArn: topicArn, Message: message, MessageAttributes: attributes }, traceHeader);
    },
    async putEvent({ bus, source, detailType, detail, resources, traceHeader }) {
      const { events } = await servicesOf(bus);
      const result = await events.putEvents({
        Entries: [
          {
            Source: source,
            DetailType: detailType,
            Detail: detail,
            EventBusName: bus,
            Resources: resources,
            TraceHeader: traceHeader,
          },
        ],
      });
      if (result.FailedEntryCount) throw new Error(`PutEvents failed: ${JSON.stringify(result.Entries)}`);
    },
    async putObject(bucket, key, body, traceHeader) {
      const path = `/${[bucket, ...key.split('/')].map(encodeURIComponent).join('/')}`;
      const response = await s3.handle({
        method: 'PUT',
        path,
        query: new URLSearchParams(),
        headers: {
          host: 's3.amazonaws.com',
          'content-type': 'application/json',
          ...(traceHeader === undefined ? {} : { 'x-amzn-trace-id': traceHeader }),
        },
        body: Buffer.from(body),
      });
      if (response.status >= 300) {
        const xml = String(response.body ?? '');
        const code = /<Code>([^<]*)<\/Code>/.exec(xml)?.[1] ?? String(response.status);
        const message = /<Message>([^<]*)<\/Message>/.exec(xml)?.[1] ?? '';
        throw new Error(`PutObject s3://${bucket}/${key}: ${code} ${message}`.trim());
      }
    },
  };
}
