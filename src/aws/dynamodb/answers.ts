import type { AwsResponse } from '../endpoint';
import type { Json } from './dynalite';

/** An answer as dynalite writes it: its body a string. */
export type Answer = AwsResponse & { body: string };

/** The JSON body of an answer (an empty one is `{}`). */
export const bodyOf = (answer: Answer) => (answer.body ? JSON.parse(answer.body) : {}) as Json;

/** The answer with another body; dynalite's x-amz-crc32 (of its own body) is dropped. */
export function withBody(answer: Answer, output: Json): Answer {
  const body = JSON.stringify(output);
  const { 'x-amz-crc32': _, ...headers } = answer.headers ?? {};
  return { ...answer, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, body };
}

/** A successful answer built here. */
export function success(output: Json): Answer {
  return withBody(
    { status: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: '' },
    output,
  );
}
