import { buildArn, parseArn } from '../../service/arn';
import type { Reference, ServiceModel } from '../../service/model';
import type { QueueResource } from '../../service/resources';
import type { QueueSpec } from './types';

function resourceAttributes(model: ServiceModel, queue: QueueResource): Record<string, string> {
  const attributes: Record<string, string> = {
    VisibilityTimeout: String(queue.visibilityTimeout),
    DelaySeconds: String(queue.delaySeconds),
    MessageRetentionPeriod: String(queue.messageRetentionPeriod),
  };
  if (queue.receiveMessageWaitTimeSeconds !== undefined) {
    attributes.ReceiveMessageWaitTimeSeconds = String(queue.receiveMessageWaitTimeSeconds);
  }
  if (queue.maximumMessageSize !== undefined)
    attributes.MaximumMessageSize = String(queue.maximumMessageSize);
  if (queue.fifo) {
    attributes.FifoQueue = 'true';
    attributes.ContentBasedDeduplication = String(queue.contentBasedDeduplication);
  }
  if (queue.redrive?.deadLetterQueue) {
    const target = queue.redrive.deadLetterQueue;
    const deadLetterTargetArn =
      model.resources.queues.get(target)?.arn ?? buildArn('sqs', model.region, model.accountId, target);
    attributes.RedrivePolicy = JSON.stringify({
      deadLetterTargetArn,
      maxReceiveCount: queue.redrive.maxReceiveCount,
    });
  }
  return attributes;
}

/** The queues a setting of the service names outside its resources: a queue's name, by ARN or by name. */
function namedQueues(model: ServiceModel): string[] {
  const references: Array<Reference | undefined> = [];
  for (const fn of model.functions) {
    references.push(fn.destinations.onSuccess, fn.destinations.onFailure, fn.onError);
    for (const event of fn.events) {
      if (event.type === 'sqs') references.push(event.queue);
      if (event.type === 'stream') references.push(event.onFailure);
      if (event.type === 'sns') references.push(event.redrivePolicy);
    }
  }
  const names = references
    .filter((reference) => reference?.kind === 'sqs')
    .map((reference) => reference?.name ?? (reference?.arn ? parseArn(reference.arn)?.resource : undefined));
  for (const subscription of model.resources.subscriptions) {
    if (subscription.protocol !== 'sqs' || !subscription.endpoint) continue;
    names.push(parseArn(subscription.endpoint)?.resource ?? subscription.endpoint);
  }
  return names.filter((name): name is string => typeof name === 'string' && name !== '');
}

/**
 * The queues the service defines: every `AWS::SQS::Queue` with its attributes, and every queue that
 * an `sqs` event, an SNS subscription, a destination or a DLQ names without a resource (a FIFO queue
 * when its name ends in `.fifo`).
 */
export function queuesFromModel(model: ServiceModel): QueueSpec[] {
  const specs = new Map<string, QueueSpec>();
  for (const queue of model.resources.queues.values()) {
    specs.set(queue.name, { name: queue.name, attributes: resourceAttributes(model, queue) });
  }
  for (const name of namedQueues(model)) {
    if (!specs.has(name))
      specs.set(name, { name, attributes: name.endsWith('.fifo') ? { FifoQueue: 'true' } : {} });
  }
  return [...specs.values()];
}
