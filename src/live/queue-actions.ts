import type { EmbeddedServices } from './services';
import type { QueueState } from './state';

const SQS = 'AmazonSQS.';

interface Received {
  MessageId: string;
  ReceiptHandle: string;
  Body: string;
  Attributes?: Record<string, string>;
  MessageAttributes?: Record<string, unknown>;
}

/** What the live view does to a queue: redrive a DLQ, purge, peek at its messages. */
export class QueueActions {
  constructor(private readonly services: EmbeddedServices) {}

  /**
   * Moves every message of a dead-letter queue back to the queue it came from (its
   * `DeadLetterQueueSourceArn`, else the one queue that names it as DLQ), as the console's "Start DLQ
   * redrive" does, keeping body, attributes and trace header. Returns the moved messages' new ids.
   * `sent` hears of each as soon as it is in its queue: its consumer may have run it before the
   * redrive is over.
   */
  async redrive(dlq: QueueState, queues: QueueState[], sent: (messageId: string) => void): Promise<string[]> {
    const urlOf = new Map(queues.map((queue) => [queue.arn, queue.url]));
    const fallback = queues.find((queue) => queue.name === dlq.deadLetterOf[0])?.url;
    const moved: string[] = [];
    for (;;) {
      const { Messages = [] } = await this.services.json<{ Messages?: Received[] }>(`${SQS}ReceiveMessage`, {
        QueueUrl: dlq.url,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 60,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      });
      if (Messages.length === 0) return moved;
      for (const message of Messages) {
        const target = urlOf.get(message.Attributes?.DeadLetterQueueSourceArn ?? '') ?? fallback;
        if (!target) throw new Error(`${dlq.name} is no queue's dead-letter queue: nowhere to redrive to`);
        const trace = message.Attributes?.AWSTraceHeader;
        const { MessageId } = await this.services.json<{ MessageId: string }>(`${SQS}SendMessage`, {
          QueueUrl: target,
          MessageBody: message.Body,
          ...(message.MessageAttributes ? { MessageAttributes: message.MessageAttributes } : {}),
          ...(trace
            ? { MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: trace } } }
            : {}),
          ...fifoFields(message, target),
        });
        sent(MessageId);
        await this.services.json(`${SQS}DeleteMessage`, {
          QueueUrl: dlq.url,
          ReceiptHandle: message.ReceiptHandle,
        });
        moved.push(MessageId);
      }
    }
  }

  async purge(queue: QueueState): Promise<void> {
    await this.services.json(`${SQS}PurgeQueue`, { QueueUrl: queue.url });
  }

  /** Up to 10 messages, made visible again at once (their receive count grows, as in the console). */
  async peek(queue: QueueState): Promise<Array<{ id: string; body: string; receiveCount: number }>> {
    const { Messages = [] } = await this.services.json<{ Messages?: Received[] }>(`${SQS}ReceiveMessage`, {
      QueueUrl: queue.url,
      MaxNumberOfMessages: 10,
      VisibilityTimeout: 0,
      MessageSystemAttributeNames: ['ApproximateReceiveCount'],
    });
    return Messages.map((message) => ({
      id: message.MessageId,
      body: message.Body,
      receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 0),
    }));
  }
}

function fifoFields(message: Received, target: string) {
  if (!target.endsWith('.fifo')) return {};
  return {
    MessageGroupId: message.Attributes?.MessageGroupId ?? 'redrive',
    MessageDeduplicationId: message.MessageId,
  };
}
