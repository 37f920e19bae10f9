import type { EventBody } from './types';

/**
 * When a body travels as base64. REST API decides by the API's `binaryMediaTypes`; HTTP API, function
 * URLs and ALB decide by whether the content type is text.
 */

export type BinaryTest = (mediaType: string) => boolean;

/**
 * A test against `provider.apiGateway.binaryMediaTypes` (exact types, `type/*` and `*\/*`), built once.
 * REST API base64-encodes a request body whose Content-Type matches, and decodes a base64 response body
 * only when the request's Accept matches; otherwise the function's text goes out as it is (AWS's
 * "Content type conversions" tables:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings-workflow.html).
 */
export function binaryMediaTypesTest(binaryMediaTypes: readonly string[] | undefined): BinaryTest {
  const exact = new Set<string>();
  const families = new Set<string>();
  let any = false;
  for (const entry of binaryMediaTypes ?? []) {
    const type = entry.trim().toLowerCase();
    if (type === '*/*') any = true;
    else if (type.endsWith('/*')) families.add(type.slice(0, -1));
    else exact.add(type);
  }
  if (any) return (mediaType) => mediaType !== '';
  if (exact.size === 0 && families.size === 0) return () => false;
  return (mediaType) => {
    if (exact.has(mediaType)) return true;
    const slash = mediaType.indexOf('/');
    return slash !== -1 && families.has(mediaType.slice(0, slash + 1));
  };
}

const TEXT_TYPES = new Set(['application/json', 'application/xml', 'application/javascript']);

/**
 * Whether HTTP API, a function URL or ALB passes a body as text. AWS documents only "if the content type
 * is binary, the body is base64-encoded"; the split used here (text/*, JSON, XML and JavaScript, plus
 * the +json and +xml suffixes; everything else, a missing Content-Type and form posts included, is
 * binary) is what ministackorg/ministack#766 observed on a real HTTP API.
 */
export function isTextMediaType(mediaType: string): boolean {
  return (
    mediaType.startsWith('text/') ||
    TEXT_TYPES.has(mediaType) ||
    mediaType.endsWith('+json') ||
    mediaType.endsWith('+xml')
  );
}

/** The body as an event carries it: base64 when `binary`, else UTF-8 text; null when empty. */
export function eventBody(body: Buffer, binary: boolean): EventBody {
  if (body.length === 0) return { body: null, isBase64Encoded: false };
  return binary
    ? { body: body.toString('base64'), isBase64Encoded: true }
    : { body: body.toString('utf8'), isBase64Encoded: false };
}
