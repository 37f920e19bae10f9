import type { AwsService } from '../aws/endpoint';
import type { DestinationPort } from '../lambda/destinations';
import type { Invoker } from '../lambda/types';
import type { ServicesOf } from './aws-services';

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
    async sendMessage(queueArn, body, attributes) {
      const { sqs } = await servicesOf(queueArn);
      await sqs.sendMessage({
        QueueUrl: sqs.queueUrlOf(queueArn),
        MessageBody: body,
        MessageAttributes: attributes,
      });
    },
    async publish(topicArn, message, attributes) {
      const { sns } = await servicesOf(topicArn);
      await sns.publish({ TopicArn: topicArn, Message: message, MessageAttributes: attributes });
    },
    async putEvent({ bus, source, detailType, detail, resources }) {
      const { events } = await servicesOf(bus);
      const result = await events.putEvents({
        Entries: [
          { Source: source, DetailType: detailType, Detail: detail, EventBusName: bus, Resources: resources },
        ],
      });
      if (result.FailedEntryCount) throw new Error(`PutEvents failed: ${JSON.stringify(result.Entries)}`);
    },
    async putObject(bucket, key, body) {
      const path = `/${[bucket, ...key.split('/')].map(encodeURIComponent).join('/')}`;
      const response = await s3.handle({
        method: 'PUT',
        path,
        query: new URLSearchParams(),
        headers: { host: 's3.amazonaws.com', 'content-type': 'application/json' },
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
