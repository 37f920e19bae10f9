import type { AwsRequest, AwsResponse } from '../endpoint';
import { queryParams, signedService } from '../query-request';
import { SnsError } from './errors';
import { queryInput, xmlError, xmlResponse } from './query';

const VERSION = '2010-03-31';
const JSON_TARGET = 'SNS_20100331.';
const JSON_TYPE = 'application/x-amz-json-1.0';

/** Query actions only SNS has: they identify a request that carries no credential scope or version. */
const SNS_ONLY_ACTIONS = new Set([
  'CreateTopic',
  'ListTopics',
  'DeleteTopic',
  'GetTopicAttributes',
  'SetTopicAttributes',
  'Publish',
  'PublishBatch',
  'Subscribe',
  'Unsubscribe',
  'ConfirmSubscription',
  'ListSubscriptions',
  'ListSubscriptionsByTopic',
  'GetSubscriptionAttributes',
  'SetSubscriptionAttributes',
]);

/** One SNS call, whichever protocol carried it. */
export interface SnsCall {
  protocol: 'query' | 'json';
  action: string;
  input: Record<string, unknown>;
}

/**
 * Whether the request is for SNS: the JSON protocol by its X-Amz-Target; the Query protocol by the
 * service of its credential scope, else by its API version, else by an action only SNS has (SQS also
 * speaks Query, with actions of the same names such as TagResource).
 */
export function isSnsRequest(request: AwsRequest): boolean {
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string') return target.startsWith(JSON_TARGET);
  if (request.path !== '/' || !(request.method === 'GET' || request.method === 'POST')) return false;
  const params = queryParams(request);
  const action = params.get('Action');
  if (!action) return false;
  const service = signedService(request);
  if (service) return service === 'sns';
  const version = params.get('Version');
  if (version) return version === VERSION;
  return SNS_ONLY_ACTIONS.has(action);
}

export function readCall(request: AwsRequest): SnsCall {
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string') {
    const text = request.body.toString('utf8');
    let input: unknown;
    try {
      input = text.trim() === '' ? {} : JSON.parse(text);
    } catch {
      throw new SnsError('ValidationError', 'The request body is not valid JSON');
    }
    const object = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
    return { protocol: 'json', action: target.slice(JSON_TARGET.length), input: object };
  }
  const params = queryParams(request);
  return { protocol: 'query', action: params.get('Action') ?? '', input: queryInput(params) };
}

export function success(
  call: Pick<SnsCall, 'protocol' | 'action'>,
  result: Record<string, unknown> | undefined,
  requestId: string,
): AwsResponse {
  if (call.protocol === 'json') {
    return {
      status: 200,
      headers: { 'content-type': JSON_TYPE, 'x-amzn-requestid': requestId },
      body: JSON.stringify(result ?? {}),
    };
  }
  return {
    status: 200,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body: xmlResponse(call.action, result, requestId),
  };
}

/**
 * An error in the caller's protocol. JSON answers carry the shape name in `__type` and, as AWS's
 * query-compatible JSON services do, the Query code in `x-amzn-query-error`.
 */
export function failure(protocol: SnsCall['protocol'], error: SnsError, requestId: string): AwsResponse {
  if (protocol === 'json') {
    return {
      status: error.status,
      headers: {
        'content-type': JSON_TYPE,
        'x-amzn-requestid': requestId,
        'x-amzn-query-error': `${error.code};${error.sender ? 'Sender' : 'Receiver'}`,
      },
      body: JSON.stringify({ __type: `com.amazonaws.sns#${error.shape}`, message: error.message }),
    };
  }
  return {
    status: error.status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body: xmlError(error.code, error.message, error.sender, requestId),
  };
}
