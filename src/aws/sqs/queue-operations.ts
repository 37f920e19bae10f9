import { mapParam } from '../query-request';
import {
  intParam,
  listParam,
  queueParam,
  queueUrl,
  requiredString,
  stringParam,
  type Operation,
} from './context';
import { invalidParameterValue, missingParameter, queueDoesNotExist } from './errors';
import { isKnownAttribute, unknownAttribute, withDefaults } from './queue-attributes';
import type { Queue } from './queues';

const LIST_LIMIT = 1000;
const MAXIMUM_TAGS = 50;

export const createQueue: Operation = (context, input, call) => {
  const name = requiredString(input, 'QueueName');
  const queue = context.queues.create(name, mapParam(input, 'Attributes'), mapParam(input, 'tags'), 'api');
  return { QueueUrl: queueUrl(context, call, queue) };
};

export const getQueueUrl: Operation = (context, input, call) => {
  const queue = context.queues.get(requiredString(input, 'QueueName'));
  if (!queue) throw queueDoesNotExist();
  return { QueueUrl: queueUrl(context, call, queue) };
};

/** ListQueues: by name prefix; with MaxResults, in pages (the token is the last name given). */
export const listQueues: Operation = (context, input, call) => {
  const prefix = stringParam(input, 'QueueNamePrefix') ?? '';
  const max = intParam(input, 'MaxResults', [1, 1000], 'Must be between 1 and 1000, if provided.');
  const token = stringParam(input, 'NextToken');
  let after = '';
  if (token) {
    after = Buffer.from(token, 'base64').toString('utf8');
    if (max === undefined)
      throw invalidParameterValue(
        'MaxResults is a mandatory parameter when you provide a value for NextToken.',
      );
  }
  const names = context.queues.names(prefix, after);
  const page = names.slice(0, max ?? LIST_LIMIT);
  const result: Record<string, unknown> = {
    QueueUrls: page.map((name) => queueUrl(context, call, { name })),
  };
  if (max !== undefined && names.length > page.length) {
    result.NextToken = Buffer.from(page[page.length - 1]).toString('base64');
  }
  return result;
};

export const deleteQueue: Operation = (context, input) => {
  context.queues.delete(queueParam(context, input));
  return undefined;
};

export const purgeQueue: Operation = (context, input) => {
  context.store.purge(queueParam(context, input).name);
  return undefined;
};

function attributesOf(context: Parameters<Operation>[0], queue: Queue): Record<string, string> {
  const now = context.clock.now();
  context.store.expire(queue.name, now - queue.retentionPeriod * 1000, now);
  const counts = context.store.counts(queue.name, now);
  return {
    ...withDefaults(queue.attributes, queue.fifo),
    ApproximateNumberOfMessages: String(counts.visible),
    ApproximateNumberOfMessagesNotVisible: String(counts.inFlight),
    ApproximateNumberOfMessagesDelayed: String(counts.delayed),
    CreatedTimestamp: String(queue.created),
    LastModifiedTimestamp: String(queue.modified),
    QueueArn: queue.arn,
  };
}

/** GetQueueAttributes: `All`, or the attributes named (those the queue has). */
export const getQueueAttributes: Operation = (context, input) => {
  const queue = queueParam(context, input);
  const names = listParam(input, 'AttributeNames');
  const unknown = names.find((name) => !isKnownAttribute(name));
  if (unknown) throw unknownAttribute(unknown);
  if (names.length === 0) return {};
  const all = attributesOf(context, queue);
  if (names.includes('All')) return { Attributes: all };
  const chosen = Object.fromEntries(names.filter((name) => name in all).map((name) => [name, all[name]]));
  return Object.keys(chosen).length ? { Attributes: chosen } : {};
};

export const setQueueAttributes: Operation = (context, input) => {
  context.queues.setAttributes(queueParam(context, input), mapParam(input, 'Attributes'));
  return undefined;
};

/** TagQueue: adds or replaces tags, up to 50 on a queue. */
export const tagQueue: Operation = (context, input) => {
  const queue = queueParam(context, input);
  const given = mapParam(input, 'Tags');
  if (Object.keys(given).length === 0) throw missingParameter('Tags');
  const tags = { ...queue.tags, ...given };
  if (Object.keys(tags).length > MAXIMUM_TAGS) {
    throw invalidParameterValue(`Too many tags added for queue ${queue.name}.`);
  }
  context.queues.setTags(queue, tags);
  return undefined;
};

export const untagQueue: Operation = (context, input) => {
  const queue = queueParam(context, input);
  const removed = new Set(listParam(input, 'TagKeys'));
  if (removed.size === 0) {
    throw invalidParameterValue('Tag keys must be between 1 and 128 characters in length.');
  }
  context.queues.setTags(
    queue,
    Object.fromEntries(Object.entries(queue.tags).filter(([key]) => !removed.has(key))),
  );
  return undefined;
};

export const listQueueTags: Operation = (context, input) => {
  const { tags } = queueParam(context, input);
  return Object.keys(tags).length ? { Tags: tags } : {};
};

/** The queues whose redrive policy names this queue as their dead-letter queue. */
export const listDeadLetterSourceQueues: Operation = (context, input, call) => {
  const target = queueParam(context, input);
  const sources = context.queues
    .names('', '')
    .filter((name) => context.queues.get(name)?.redrive?.deadLetterTargetArn === target.arn);
  return { queueUrls: sources.map((name) => queueUrl(context, call, { name })) };
};
