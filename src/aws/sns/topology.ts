import { functionArn } from '../../service/arn';
import { buildArn, parseArn } from '../../service/arn';
import type { ServiceModel } from '../../service/model';
import type { SubscriptionSpec, SnsTopology, TopicSpec } from './types';

/**
 * The topics and subscriptions the service defines: every topic of `resources` and of `sns` events (a
 * topic named by ARN outside the service too, so that publishing to it locally reaches its subscribers),
 * a `lambda` subscription per `sns` event, and the `AWS::SNS::Subscription` resources.
 */
export function topologyFromModel(model: ServiceModel): SnsTopology {
  const { region, accountId } = model;
  const topics = new Map<string, TopicSpec>();
  const addTopic = (arn: string, name: string, fifo: boolean) => {
    if (!topics.has(arn)) topics.set(arn, { arn, name, fifo, attributes: fifo ? { FifoTopic: 'true' } : {} });
  };
  for (const topic of model.resources.topics.values()) addTopic(topic.arn, topic.name, topic.fifo);

  const subscriptions: SubscriptionSpec[] = [];
  for (const fn of model.functions) {
    for (const event of fn.events) {
      if (event.type !== 'sns' || event.topic.status === 'missing' || !event.topic.arn) continue;
      const arn = event.topic.arn;
      const name = event.topic.name ?? parseArn(arn)?.resource ?? arn;
      addTopic(arn, name, name.endsWith('.fifo'));
      const attributes: Record<string, string> = {};
      if (event.filterPolicy !== undefined && event.filterPolicy !== null) {
        attributes.FilterPolicy = JSON.stringify(event.filterPolicy);
        attributes.FilterPolicyScope = event.filterPolicyScope;
      }
      if (event.redrivePolicy?.arn) {
        attributes.RedrivePolicy = JSON.stringify({ deadLetterTargetArn: event.redrivePolicy.arn });
      }
      subscriptions.push({ topicArn: arn, protocol: 'lambda', endpoint: functionArn(model, fn), attributes });
    }
  }

  for (const resource of model.resources.subscriptions) {
    if (!resource.topic || !resource.endpoint) continue;
    const topicArn =
      model.resources.topics.get(resource.topic)?.arn ?? buildArn('sns', region, accountId, resource.topic);
    const endpoint = endpointArn(model, resource.protocol, resource.endpoint);
    const attributes: Record<string, string> = {};
    if (resource.filterPolicy !== undefined && resource.filterPolicy !== null) {
      attributes.FilterPolicy = JSON.stringify(resource.filterPolicy);
      attributes.FilterPolicyScope = resource.filterPolicyScope;
    }
    if (resource.rawMessageDelivery) attributes.RawMessageDelivery = 'true';
    subscriptions.push({ topicArn, protocol: resource.protocol, endpoint, attributes });
  }
  return { topics: [...topics.values()], subscriptions };
}

/** A subscription resource's endpoint, which the service model keeps as a name when it was an ARN. */
function endpointArn(model: ServiceModel, protocol: string, endpoint: string): string {
  if (parseArn(endpoint)) return endpoint;
  const { region, accountId } = model;
  if (protocol === 'lambda') return buildArn('lambda', region, accountId, `function:${endpoint}`);
  if (protocol === 'sqs') {
    return model.resources.queues.get(endpoint)?.arn ?? buildArn('sqs', region, accountId, endpoint);
  }
  return endpoint;
}
