import type { AwsResponse } from '../endpoint';
import { malformedXml, S3Error } from './errors';
import { childrenNamed, childText, parseBody, type XmlElement, xmlResponse } from './xml';

/** One tag of an object or a bucket, in the order it was given. */
export interface Tag {
  key: string;
  value: string;
}

/** S3's limits: 10 tags on an object, 50 on a bucket. */
export const MAX_OBJECT_TAGS = 10;
export const MAX_BUCKET_TAGS = 50;

const invalidTag = (message: string, fields: Record<string, string> = {}) =>
  new S3Error(400, 'InvalidTag', message, fields);

/**
 * Checks a tag set as S3 does: keys of 1 to 128 characters, not `aws:`-prefixed, values of up to 256,
 * no key twice, at most `max` tags.
 */
export function checkTags(tags: Tag[], max: number): Tag[] {
  if (tags.length > max) {
    throw invalidTag(
      max === MAX_OBJECT_TAGS
        ? 'Object tags cannot be greater than 10'
        : 'Bucket tag count cannot be greater than 50',
    );
  }
  const seen = new Set<string>();
  for (const { key, value } of tags) {
    if ([...key].length < 1 || [...key].length > 128)
      throw invalidTag('The TagKey you have provided is invalid', { TagKey: key });
    if (key.toLowerCase().startsWith('aws:'))
      throw invalidTag('Your TagKey cannot be prefixed with aws:', { TagKey: key });
    if ([...value].length > 256)
      throw invalidTag('The TagValue you have provided is invalid', { TagKey: key, TagValue: value });
    if (seen.has(key)) throw invalidTag('Cannot provide multiple Tags with the same key', { TagKey: key });
    seen.add(key);
  }
  return tags;
}

/** The `x-amz-tagging` header of a write: URL query parameters (`a=1&b=2`). */
export function tagsFromHeader(value: string): Tag[] {
  return checkTags(
    [...new URLSearchParams(value)].map(([key, tagValue]) => ({ key, value: tagValue })),
    MAX_OBJECT_TAGS,
  );
}

/** A `<Tagging><TagSet><Tag><Key/><Value/></Tag>...</TagSet></Tagging>` body; a tag without a Key is malformed. */
export function tagsFromBody(body: Buffer, max: number): Tag[] {
  const document = parseBody(body, 'Tagging');
  const sets = childrenNamed(document, 'TagSet');
  if (sets.length !== 1) throw malformedXml();
  return checkTags(childrenNamed(sets[0], 'Tag').map(tagOf), max);
}

function tagOf(element: XmlElement): Tag {
  const key = childText(element, 'Key');
  if (key === undefined) throw malformedXml();
  return { key, value: childText(element, 'Value') ?? '' };
}

/** GetObjectTagging's and GetBucketTagging's answer. */
export function taggingResponse(tags: Tag[], headers: Record<string, string> = {}): AwsResponse {
  const response = xmlResponse('Tagging', {
    TagSet: { Tag: tags.map((t) => ({ Key: t.key, Value: t.value })) },
  });
  response.headers = { ...response.headers, ...headers };
  return response;
}
