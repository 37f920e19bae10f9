import { stringParam, type Operation, type SnsContext } from './context';
import { invalidParameter, SnsError } from './errors';
import type { Topic } from './store';

/** SNS's tags: a topic's list of `{Key, Value}`, set by CreateTopic and TagResource. */

export type Tag = { Key: string; Value: string };

const MAXIMUM_TAGS = 50;

/** The Tags parameter (CreateTopic, TagResource), as a list of `{Key, Value}`. */
export function tagsParam(value: unknown): Tag[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((tag): tag is Record<string, unknown> => typeof tag === 'object' && tag !== null)
    .map((tag) => ({ Key: String(tag.Key ?? ''), Value: String(tag.Value ?? '') }));
}

/** Rejects more tags than a topic may have. */
export function checkTagCount(tags: Tag[]): void {
  if (tags.length > MAXIMUM_TAGS) {
    throw new SnsError('TagLimitExceeded', 'Could not complete request: tag quota of per resource exceeded');
  }
}

function taggedTopic(context: SnsContext, input: Record<string, unknown>): Topic {
  const arn = stringParam(input, 'ResourceArn');
  if (!arn) throw invalidParameter('Invalid parameter: ResourceArn');
  const topic = context.store.topic(arn);
  if (!topic) throw new SnsError('ResourceNotFound', 'Resource does not exist');
  return topic;
}

/** TagResource: adds the tags, replacing the value of a key the topic has. */
export const tagResource: Operation = (context, input) => {
  const topic = taggedTopic(context, input);
  const given = tagsParam(input.Tags);
  const merged = new Map(topic.tags.map((tag) => [tag.Key, tag.Value]));
  for (const tag of given) merged.set(tag.Key, tag.Value);
  const tags = [...merged].map(([Key, Value]) => ({ Key, Value }));
  checkTagCount(tags);
  context.store.setTopicTags(topic.arn, tags);
  return {};
};

export const untagResource: Operation = (context, input) => {
  const topic = taggedTopic(context, input);
  const keys = new Set(Array.isArray(input.TagKeys) ? input.TagKeys.map(String) : []);
  context.store.setTopicTags(
    topic.arn,
    topic.tags.filter((tag) => !keys.has(tag.Key)),
  );
  return {};
};

export const listTagsForResource: Operation = (context, input) => ({
  Tags: taggedTopic(context, input).tags,
});
