import { buildArn } from '../../service/arn';
import { mapParam } from '../query-request';
import { checkTopicAttribute, isPending, topicAttributes } from './attributes';
import { arnParam, requireTopic, stringParam, type Operation } from './context';
import { invalidParameter } from './errors';
import { checkTagCount, tagsParam } from './tag-operations';

const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;
const FIFO_TOPIC_NAME = /^[A-Za-z0-9_-]{1,251}\.fifo$/;

/** CreateTopic: idempotent for the same name, attributes and tags. */
export const createTopic: Operation = (context, input) => {
  const name = stringParam(input, 'Name') ?? '';
  const attributes = mapParam(input, 'Attributes');
  for (const attribute of Object.keys(attributes)) checkTopicAttribute(attribute, true);
  const fifo = attributes.FifoTopic?.toLowerCase() === 'true';
  if (fifo) {
    attributes.FifoTopic = 'true';
    if (!FIFO_TOPIC_NAME.test(name)) {
      throw invalidParameter(
        'Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII ' +
          'letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.',
      );
    }
  } else {
    // SNS does not keep an explicit FifoTopic=false.
    delete attributes.FifoTopic;
    if (!TOPIC_NAME.test(name)) throw invalidParameter('Invalid parameter: Topic Name');
  }
  const tags = tagsParam(input.Tags);
  checkTagCount(tags);
  const arn = buildArn('sns', context.region, context.accountId, name);
  const existing = context.store.topic(arn);
  if (existing) {
    const current = topicAttributes(existing, context.accountId, 0);
    if (Object.entries(attributes).some(([key, value]) => current[key] !== value)) {
      throw invalidParameter(
        'Invalid parameter: Attributes Reason: Topic already exists with different attributes',
      );
    }
    const known = new Map(existing.tags.map((tag) => [tag.Key, tag.Value]));
    if (tags.some((tag) => known.get(tag.Key) !== tag.Value)) {
      throw invalidParameter('Invalid parameter: Tags Reason: Topic already exists with different tags');
    }
    return { TopicArn: arn };
  }
  context.store.addTopic({ arn, name, attributes, tags });
  return { TopicArn: arn };
};

export const listTopics: Operation = (context, input) => {
  const page = context.store.topics(stringParam(input, 'NextToken'));
  return { Topics: page.items.map((topic) => ({ TopicArn: topic.arn })), NextToken: page.nextToken };
};

/** DeleteTopic: deletes its subscriptions too; deleting a topic that does not exist is no error. */
export const deleteTopic: Operation = (context, input) => {
  context.store.deleteTopic(arnParam(input, 'TopicArn'));
  return undefined;
};

export const getTopicAttributes: Operation = (context, input) => {
  const topic = requireTopic(context, arnParam(input, 'TopicArn'));
  const subscriptions = context.store.subscriptionsOf(topic.arn);
  const pending = subscriptions.filter(isPending).length;
  const attributes = topicAttributes(topic, context.accountId, subscriptions.length - pending);
  return { Attributes: { ...attributes, SubscriptionsPending: String(pending) } };
};

export const setTopicAttributes: Operation = (context, input) => {
  const topic = requireTopic(context, arnParam(input, 'TopicArn'));
  const name = stringParam(input, 'AttributeName') ?? '';
  checkTopicAttribute(name, false);
  const value = stringParam(input, 'AttributeValue') ?? '';
  context.store.setTopicAttributes(topic.arn, { ...topic.attributes, [name]: value });
  return undefined;
};
