import type { AwsRequest } from '../endpoint';
import { isRequestFor, MISSING_ACTION, NOT_UTF8_QUERY, type QueryCompatibleService } from '../query-protocol';
import { SqsError } from './errors';
import { queryInput, xmlError, xmlResponse } from './query';

/** Query actions only SQS has. */
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

/** Binary values (message attributes) as both protocols carry them: Base64. */
function base64Binaries(_key: string, value: unknown): unknown {
  if (typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'Buffer') {
    return Buffer.from((value as { data: number[] }).data).toString('base64');
  }
  return value;
}

/**
 * SQS on the endpoint: AWS JSON 1.0 (`X-Amz-Target: AmazonSQS.<Action>`) and Query, at `/` or at a
 * queue's URL (where aws-sdk v2 and older clients post a queue's requests; its path names the queue).
 */
export const SQS_PROTOCOL: QueryCompatibleService = {
  signingName: 'sqs',
  version: '2012-11-05',
  jsonTarget: 'AmazonSQS.',
  shapeNamespace: 'com.amazonaws.sqs',
  ownActions: SQS_ACTIONS,
  queryPath: /^(?:\/queue\/[a-z0-9-]+)?\/[^/]+\/[^/]+\/?$/,
  resourcePath: /^(?:\/queue\/[a-z0-9-]+)?\/\d{12}\/[^/]+\/?$/,
  queryInput: (action, params, request) => {
    const input = queryInput(action, params);
    if (input.QueueUrl === undefined && request.path !== '/') input.QueueUrl = request.path;
    return input;
  },
  xmlResponse,
  xmlError,
  jsonReplacer: base64Binaries,
  malformedJson: () => new SqsError('InvalidParameterValue', 'The request body is not valid JSON'),
  malformedQuery: () => new SqsError('MalformedQueryString', NOT_UTF8_QUERY),
  missingAction: () => new SqsError('MissingAction', MISSING_ACTION),
  internalError: (message) => new SqsError('InternalError', message),
  isError: (error): error is SqsError => error instanceof SqsError,
};

export const isSqsRequest = (request: AwsRequest): boolean => isRequestFor(SQS_PROTOCOL, request);
