import type { AwsRequest } from '../endpoint';
import { isRequestFor, MISSING_ACTION, NOT_UTF8_QUERY, type QueryCompatibleService } from '../query-protocol';
import { SnsError } from './errors';
import { queryInput, xmlError, xmlResponse } from './query';

/** Query actions only SNS has (SQS also speaks Query, with actions of the same names such as TagResource). */
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
  'GetDataProtectionPolicy',
  'PutDataProtectionPolicy',
]);

/** SNS on the endpoint: AWS JSON 1.0 (`X-Amz-Target: SNS_20100331.<Action>`) and Query. */
export const SNS_PROTOCOL: QueryCompatibleService = {
  signingName: 'sns',
  version: '2010-03-31',
  jsonTarget: 'SNS_20100331.',
  shapeNamespace: 'com.amazonaws.sns',
  ownActions: SNS_ONLY_ACTIONS,
  queryInput: (_action, params) => queryInput(params),
  xmlResponse,
  xmlError,
  malformedJson: () => new SnsError('ValidationError', 'The request body is not valid JSON'),
  malformedQuery: () => new SnsError('MalformedQueryString', NOT_UTF8_QUERY),
  missingAction: () => new SnsError('MissingAction', MISSING_ACTION),
  internalError: (message) => new SnsError('InternalError', message),
  isError: (error): error is SnsError => error instanceof SnsError,
};

export const isSnsRequest = (request: AwsRequest): boolean => isRequestFor(SNS_PROTOCOL, request);
