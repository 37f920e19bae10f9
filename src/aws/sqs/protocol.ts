import type { AwsRequest, AwsResponse } from '../endpoint';
import { queryParams, signedService } from '../query-request';
import { SqsError } from './errors';
import { queryInput, xmlError, xmlResponse } from './query';

const VERSION = '2012-11-05';
const JSON_TARGET = 'AmazonSQS.';
const JSON_TYPE = 'application/x-amz-json-1.0';
/** A queue URL's path, where aws-sdk v2 and older clients post a queue's Query requests. */
const QUEUE_PATH = /^\/[^/]+\/[^/]+\/?$/;

/** Query actions only SQS has: they identify a request that carries no credential scope or version. */
const SQS_ACTIONS = new Set([
  'CreateQueue',
  'GetQueueUrl',
  'ListQueues',
  'DeleteQueue',
  'GetQueueAttributes',
  'SetQueueAttributes',
  'SendMessage',
  'SendMessageBatch',
  'ReceiveMessage',
  'DeleteMessage',
  'DeleteMessageBatch',
  'ChangeMessageVisibility',
  'ChangeMessageVisibilityBatch',
  'PurgeQueue',
  'TagQueue',
  'UntagQueue',
  'ListQueueTags',
  'ListDeadLetterSourceQueues',
]);

/** One SQS call, whichever protocol carried it. */
export interface SqsCall {
  protocol: 'query' | 'json';
  action: string;
  input: Record<string, unknown>;
}

/**
 * Whether the request is for SQS: the JSON protocol by its X-Amz-Target; the Query protocol (at `/`
 * or at a queue's URL) by the service of its credential scope, else by its API version, else by an
 * action only SQS has.
 */
export function isSqsRequest(request: AwsRequest): boolean {
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string') return target.startsWith(JSON_TARGET);
  if (!(request.method === 'GET' || request.method === 'POST')) return false;
  if (request.path !== '/' && !QUEUE_PATH.test(request.path)) return false;
  const params = queryParams(request);
  const action = params.get('Action');
  if (!action) return false;
  const service = signedService(request);
  if (service) return service === 'sqs';
  const version = params.get('Version');
  if (version) return version === VERSION;
  return SQS_ACTIONS.has(action);
}

export function readCall(request: AwsRequest): SqsCall {
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string') {
    const text = request.body.toString('utf8');
    let input: unknown;
    try {
      input = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      throw new SqsError('InvalidParameterValue', 'The request body is not valid JSON');
    }
    const object = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
    return { protocol: 'json', action: target.slice(JSON_TARGET.length), input: object };
  }
  const params = queryParams(request);
  const action = params.get('Action') ?? '';
  const input = queryInput(action, params);
  if (input.QueueUrl === undefined && request.path !== '/') input.QueueUrl = request.path;
  return { protocol: 'query', action, input };
}

/** Binary values (message attributes) as both protocols carry them: Base64. */
function base64Binaries(_key: string, value: unknown): unknown {
  if (typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'Buffer') {
    return Buffer.from((value as { data: number[] }).data).toString('base64');
  }
  return value;
}

export function success(
  call: Pick<SqsCall, 'protocol' | 'action'>,
  result: Record<string, unknown> | undefined,
  requestId: string,
): AwsResponse {
  if (call.protocol === 'json') {
    return {
      status: 200,
      headers: { 'content-type': JSON_TYPE, 'x-amzn-requestid': requestId },
      body: JSON.stringify(result ?? {}, base64Binaries),
    };
  }
  return {
    status: 200,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body: xmlResponse(call.action, result, requestId),
  };
}

/**
 * An error in the caller's protocol. JSON answers carry the shape in `__type` and, as SQS does for
 * its query-compatible clients, the Query code in `x-amzn-query-error`: the SDK v3 names the error
 * by it (`QueueDoesNotExist` for `AWS.SimpleQueueService.NonExistentQueue`).
 */
export function failure(protocol: SqsCall['protocol'], error: SqsError, requestId: string): AwsResponse {
  if (protocol === 'json') {
    return {
      status: error.status,
      headers: {
        'content-type': JSON_TYPE,
        'x-amzn-requestid': requestId,
        'x-amzn-query-error': `${error.code};${error.sender ? 'Sender' : 'Receiver'}`,
      },
      body: JSON.stringify({ __type: `com.amazonaws.sqs#${error.name}`, message: error.message }),
    };
  }
  return {
    status: error.status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body: xmlError(error.code, error.message, error.sender, requestId),
  };
}
