import { AwsError } from '../aws-error';

/**
 * SQS's errors by the name the SDKs give them (the JSON protocol's shape), with the code the Query
 * protocol (and the JSON protocol's `x-amzn-query-error` header) carries, and the HTTP status.
 */
const ERRORS: Record<string, { code: string; status: number }> = {
  QueueDoesNotExist: { code: 'AWS.SimpleQueueService.NonExistentQueue', status: 400 },
  QueueNameExists: { code: 'QueueAlreadyExists', status: 400 },
  ReceiptHandleIsInvalid: { code: 'ReceiptHandleIsInvalid', status: 404 },
  MessageNotInflight: { code: 'AWS.SimpleQueueService.MessageNotInflight', status: 400 },
  EmptyBatchRequest: { code: 'AWS.SimpleQueueService.EmptyBatchRequest', status: 400 },
  TooManyEntriesInBatchRequest: { code: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest', status: 400 },
  BatchEntryIdsNotDistinct: { code: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct', status: 400 },
  InvalidBatchEntryId: { code: 'AWS.SimpleQueueService.InvalidBatchEntryId', status: 400 },
  BatchRequestTooLong: { code: 'AWS.SimpleQueueService.BatchRequestTooLong', status: 400 },
  UnsupportedOperation: { code: 'AWS.SimpleQueueService.UnsupportedOperation', status: 400 },
  InvalidAttributeName: { code: 'InvalidAttributeName', status: 400 },
  InvalidAttributeValue: { code: 'InvalidAttributeValue', status: 400 },
  InvalidMessageContents: { code: 'InvalidMessageContents', status: 400 },
  InvalidParameterValue: { code: 'InvalidParameterValue', status: 400 },
  MissingParameter: { code: 'MissingParameter', status: 400 },
  InvalidAction: { code: 'InvalidAction', status: 400 },
  OverLimit: { code: 'OverLimit', status: 403 },
  MissingAction: { code: 'MissingAction', status: 400 },
  MalformedQueryString: { code: 'MalformedQueryString', status: 400 },
  InternalError: { code: 'InternalError', status: 500 },
};

/**
 * An error SQS answers with, made by the name the SDK v3 gives it (`QueueDoesNotExist`); its `code` is
 * the Query protocol's (`AWS.SimpleQueueService.NonExistentQueue`).
 */
export class SqsError extends AwsError {
  constructor(name: keyof typeof ERRORS, message: string) {
    const { code, status } = ERRORS[name] ?? { code: name, status: 400 };
    super(code, message, { statusCode: status, sdkName: name });
  }
}

export const queueDoesNotExist = () =>
  new SqsError('QueueDoesNotExist', 'The specified queue does not exist.');

export const invalidParameterValue = (message: string) => new SqsError('InvalidParameterValue', message);

/** `Value x for parameter Name is invalid. Reason: ...`, SQS's wording for a value out of its range. */
export const invalidValue = (name: string, value: unknown, reason: string) =>
  invalidParameterValue(`Value ${String(value)} for parameter ${name} is invalid. Reason: ${reason}`);

export const missingParameter = (name: string) =>
  new SqsError('MissingParameter', `The request must contain the parameter ${name}.`);

export const invalidReceiptHandle = (handle: string) =>
  new SqsError(
    'ReceiptHandleIsInvalid',
    `The input receipt handle "${handle}" is not a valid receipt handle.`,
  );
