import type { ALBResult, APIGatewayProxyResult, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { HttpResult } from './types';

/**
 * A function's result turned into the HTTP response, as each front reads it. Each mapper returns
 * undefined when the result is malformed; the caller answers with its front's error. Formats:
 * - payload 1.0 (REST lambda-proxy, HTTP API `payload: '1.0'`): an object with a numeric statusCode;
 *   headers and multiValueHeaders merged, multiValueHeaders winning for a name in both
 *   (https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html).
 * - payload 2.0 (HTTP API, function URLs): valid JSON without statusCode is inferred as 200,
 *   content-type application/json, the result as body; `cookies` become Set-Cookie headers
 *   (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html,
 *   https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html).
 * - ALB: statusCode, statusDescription, headers or multiValueHeaders, body, isBase64Encoded.
 */

type Headers = HttpResult['headers'];

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isPrimitive = (value: unknown): value is string | number | boolean =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
/** Headers the server computes itself; a function's values for them are dropped. */
const isHopHeader = (lowerName: string) =>
  lowerName === 'content-length' || lowerName === 'transfer-encoding' || lowerName === 'connection';

function parse(payload: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(payload) };
  } catch {
    return undefined;
  }
}

/** `headers` then `multiValueHeaders` into one map; undefined when either is not a map of scalars. */
function mergeHeaders(single: unknown, multi: unknown): Headers | undefined {
  const out: Headers = {};
  const multiNames = new Set<string>();
  if (multi !== undefined && multi !== null) {
    if (!isObject(multi)) return undefined;
    for (const name in multi) {
      const values = multi[name];
      if (!Array.isArray(values) || !values.every(isPrimitive)) return undefined;
      const lower = name.toLowerCase();
      multiNames.add(lower);
      if (!isHopHeader(lower)) out[name] = values.map(String);
    }
  }
  if (single !== undefined && single !== null) {
    if (!isObject(single)) return undefined;
    for (const name in single) {
      const value = single[name];
      if (!isPrimitive(value)) return undefined;
      const lower = name.toLowerCase();
      if (!multiNames.has(lower) && !isHopHeader(lower)) out[name] = String(value);
    }
  }
  return out;
}

const hasHeader = (headers: Headers, lowerName: string) =>
  Object.keys(headers).some((name) => name.toLowerCase() === lowerName);

function bodyOf(body: unknown, base64: unknown, decode: () => boolean): string | Buffer | undefined {
  if (body === undefined || body === null) return '';
  if (typeof body !== 'string') return undefined;
  return base64 === true && decode() ? Buffer.from(body, 'base64') : body;
}
const always = () => true;

/**
 * Payload format 1.0. `decodeBase64`: whether an `isBase64Encoded` body goes out as binary (REST API only
 * when the request's Accept matches binaryMediaTypes; HTTP API always).
 */
export function v1Response(payload: string, decodeBase64: () => boolean): HttpResult | undefined {
  const parsed = parse(payload);
  if (!parsed || !isObject(parsed.value)) return undefined;
  const result = parsed.value as Partial<Record<keyof APIGatewayProxyResult, unknown>>;
  if (typeof result.statusCode !== 'number' || !Number.isInteger(result.statusCode)) return undefined;
  const headers = mergeHeaders(result.headers, result.multiValueHeaders);
  const body = bodyOf(result.body, result.isBase64Encoded, decodeBase64);
  if (!headers || body === undefined) return undefined;
  if (!hasHeader(headers, 'content-type')) headers['Content-Type'] = 'application/json';
  return { statusCode: result.statusCode, headers, body };
}

/**
 * Payload format 2.0. `inferredBody`: what a result without statusCode sends as body. HTTP API documents
 * a string result as the body itself and an object as its JSON; a function URL sends the JSON text in
 * both cases (its documented string example answers `"Hello, world!"` with the quotes).
 */
export function v2Response(payload: string, inferredBody: 'httpApi' | 'url'): HttpResult | undefined {
  const parsed = parse(payload);
  if (!parsed) return undefined;
  const { value } = parsed;
  if (!isObject(value) || !('statusCode' in value)) {
    const body = inferredBody === 'httpApi' && typeof value === 'string' ? value : payload;
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, body };
  }
  const result = value as Partial<Record<keyof APIGatewayProxyStructuredResultV2, unknown>>;
  if (typeof result.statusCode !== 'number' || !Number.isInteger(result.statusCode)) return undefined;
  const headers = mergeHeaders(result.headers, undefined);
  const body = bodyOf(result.body, result.isBase64Encoded, always);
  if (!headers || body === undefined) return undefined;
  if (result.cookies !== undefined && result.cookies !== null) {
    if (!Array.isArray(result.cookies) || !result.cookies.every((c) => typeof c === 'string'))
      return undefined;
    if (result.cookies.length > 0) headers['set-cookie'] = result.cookies;
  }
  return { statusCode: result.statusCode, headers, body };
}

/** An ALB target's result; `multiValueHeaders`: the target group's setting decides which map is read. */
export function albResponse(payload: string, multiValueHeaders: boolean): HttpResult | undefined {
  const parsed = parse(payload);
  if (!parsed || !isObject(parsed.value)) return undefined;
  const result = parsed.value as Partial<Record<keyof ALBResult, unknown>>;
  if (typeof result.statusCode !== 'number' || !Number.isInteger(result.statusCode)) return undefined;
  const headers = multiValueHeaders
    ? mergeHeaders(undefined, result.multiValueHeaders ?? undefined)
    : mergeHeaders(result.headers, undefined);
  const body = bodyOf(result.body, result.isBase64Encoded, always);
  if (!headers || body === undefined) return undefined;
  const response: HttpResult = { statusCode: result.statusCode, headers, body };
  if (typeof result.statusDescription === 'string') {
    // `200 OK` is the whole status line's tail; the reason phrase is what follows the code.
    const prefix = `${result.statusCode} `;
    const description = result.statusDescription;
    response.statusMessage = description.startsWith(prefix) ? description.slice(prefix.length) : description;
  }
  return response;
}
