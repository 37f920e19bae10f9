import type { DestinationPort } from '../lambda/destinations';
import type { Invoker } from '../lambda/types';
import type { ServicesOf } from './aws-services';

/** Lambda's destinations and dead-letter queues, reached through the embedded services of their region. */
export function destinationPort(servicesOf: ServicesOf, invoker: Invoker): DestinationPort {
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
  };
}
