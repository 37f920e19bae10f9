import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import type { AwsError } from './aws-error';
import type { AwsRequest, AwsResponse } from './endpoint';
import { isForm, isUtf8Form, queryParams, signedService } from './query-request';

const JSON_TYPE = 'application/x-amz-json-1.0';

/**
 * A service that speaks both AWS JSON 1.0 (`X-Amz-Target: <prefix><Action>`, what the SDK v3 sends)
 * and the Query protocol (an `Action` form, with XML answers): SNS and SQS.
 */
export interface QueryCompatibleService {
  /** The name requests are signed for (`sns`, `sqs`). */
  signingName: string;
  version: string;
  jsonTarget: string;
  /** The namespace of JSON error shapes, e.g. `com.amazonaws.sqs`. */
  shapeNamespace: string;
  /** Actions only this service has: they tell a request that carries no credential scope or version. */
  ownActions: ReadonlySet<string>;
  /** Paths besides `/` that Query requests are posted to. */
  queryPath?: RegExp;
  /** The paths of its resources (a queue's URL), which tell an unsigned Query form without `Action`. */
  resourcePath?: RegExp;
  queryInput(action: string, params: URLSearchParams, request: AwsRequest): Record<string, unknown>;
  xmlResponse(action: string, result: Record<string, unknown> | undefined, requestId: string): string;
  xmlError(code: string, message: string, sender: boolean, requestId: string): string;
  /** Serializes what JSON.stringify would not write as AWS does (binary values in Base64). */
  jsonReplacer?: (key: string, value: unknown) => unknown;
  /** The service's error for a JSON body it cannot read, a Query request without `Action`, and anything else thrown. */
  malformedJson(): AwsError;
  /** A form body whose decoded bytes are not UTF-8. */
  malformedQuery(): AwsError;
  missingAction(): AwsError;
  internalError(message: string): AwsError;
  /** Whether the error is this service's: its `code` is the Query code, its `name` the JSON shape. */
  isError(error: unknown): error is AwsError;
}

type Protocol = 'query' | 'json';

/** The message of the MalformedQueryString error both Query services answer for a body that is not UTF-8. */
export const NOT_UTF8_QUERY = 'The request body is not valid UTF-8 once its percent-escapes are decoded.';

/** The message of the MissingAction error both Query services answer. */
export const MISSING_ACTION = 'The request must contain the parameter Action.';

/**
 * Whether the request is for the service: the JSON protocol by its X-Amz-Target; the Query protocol by
 * the service of its credential scope, else by its API version, else by an action only it has (SNS
 * and SQS both have actions such as TagResource). A Query request without `Action` (answered
 * MissingAction) is known by its credential scope, or, unsigned, as a form posted to one of the
 * service's resource paths.
 */
export function isRequestFor(service: QueryCompatibleService, request: AwsRequest): boolean {
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string') return target.startsWith(service.jsonTarget);
  if (!(request.method === 'GET' || request.method === 'POST')) return false;
  if (request.path !== '/' && !service.queryPath?.test(request.path)) return false;
  const params = queryParams(request);
  const action = params.get('Action');
  const signed = signedService(request);
  if (signed) return signed === service.signingName;
  if (!action) {
    return request.method === 'POST' && isForm(request) && !!service.resourcePath?.test(request.path);
  }
  const version = params.get('Version');
  if (version) return version === service.version;
  return service.ownActions.has(action);
}

/**
 * Reads the call, runs it (`run` throws the service's error for an action it does not know), and
 * answers in the protocol the caller used, errors included.
 */
export async function serve(
  service: QueryCompatibleService,
  request: AwsRequest,
  run: (action: string, input: Record<string, unknown>) => Promise<Record<string, unknown> | undefined>,
): Promise<AwsResponse> {
  const requestId = randomUUID();
  const target = request.headers['x-amz-target'];
  const protocol: Protocol = typeof target === 'string' ? 'json' : 'query';
  try {
    const { action, input } = readCall(service, request);
    const result = await run(action, input);
    return protocol === 'json'
      ? answer(200, requestId, JSON_TYPE, JSON.stringify(result ?? {}, service.jsonReplacer))
      : answer(200, requestId, 'text/xml', service.xmlResponse(action, result, requestId));
  } catch (thrown) {
    const error = service.isError(thrown) ? thrown : service.internalError((thrown as Error).message);
    if (protocol === 'query') {
      const xml = service.xmlError(error.code, error.message, error.senderFault, requestId);
      return answer(error.statusCode, requestId, 'text/xml', xml);
    }
    // As AWS's query-compatible JSON services do, the Query code goes in `x-amzn-query-error`: the SDK
    // v3 names the error by it (SQS's `QueueDoesNotExist` for `AWS.SimpleQueueService.NonExistentQueue`).
    const response = answer(
      error.statusCode,
      requestId,
      JSON_TYPE,
      JSON.stringify({ __type: `${service.shapeNamespace}#${error.name}`, message: error.message }),
    );
    response.headers = {
      ...response.headers,
      'x-amzn-query-error': `${error.code};${error.senderFault ? 'Sender' : 'Receiver'}`,
    };
    return response;
  }
}

function readCall(service: QueryCompatibleService, request: AwsRequest) {
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string') {
    // Decoding would replace bad bytes with U+FFFD and store them: AWS refuses the request instead.
    if (!isUtf8(request.body)) throw service.malformedJson();
    const text = request.body.toString('utf8');
    let input: unknown;
    try {
      input = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      throw service.malformedJson();
    }
    const object = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
    return { action: target.slice(service.jsonTarget.length), input: object };
  }
  if (request.method === 'POST' && isForm(request) && !isUtf8Form(request.body)) {
    throw service.malformedQuery();
  }
  const params = queryParams(request);
  const action = params.get('Action');
  if (!action) throw service.missingAction();
  return { action, input: service.queryInput(action, params, request) };
}

function answer(status: number, requestId: string, type: string, body: string): AwsResponse {
  return { status, headers: { 'content-type': type, 'x-amzn-requestid': requestId }, body };
}
