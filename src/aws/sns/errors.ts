import { AwsError } from '../aws-error';

/** SNS's error codes as the Query protocol names them, with their HTTP status and JSON shape name. */
const CODES: Record<string, { status: number; shape: string }> = {
  InvalidParameter: { status: 400, shape: 'InvalidParameterException' },
  ParameterValueInvalid: { status: 400, shape: 'InvalidParameterValueException' },
  NotFound: { status: 404, shape: 'NotFoundException' },
  ResourceNotFound: { status: 404, shape: 'ResourceNotFoundException' },
  TagLimitExceeded: { status: 400, shape: 'TagLimitExceededException' },
  ValidationError: { status: 400, shape: 'ValidationException' },
  InvalidAction: { status: 400, shape: 'InvalidAction' },
  MissingAction: { status: 400, shape: 'MissingAction' },
  MalformedQueryString: { status: 400, shape: 'MalformedQueryString' },
  EmptyBatchRequest: { status: 400, shape: 'EmptyBatchRequestException' },
  TooManyEntriesInBatchRequest: { status: 400, shape: 'TooManyEntriesInBatchRequestException' },
  BatchEntryIdsNotDistinct: { status: 400, shape: 'BatchEntryIdsNotDistinctException' },
  InvalidBatchEntryId: { status: 400, shape: 'InvalidBatchEntryIdException' },
  BatchRequestTooLong: { status: 400, shape: 'BatchRequestTooLongException' },
  InternalError: { status: 500, shape: 'InternalErrorException' },
};

/**
 * An error SNS answers with, made by the Query protocol's code (`NotFound`, `InvalidParameter`, ...);
 * its `name` is the JSON protocol's shape (`NotFoundException`), as the SDK v3 names it.
 */
export class SnsError extends AwsError {
  constructor(code: string, message: string) {
    const { status, shape } = CODES[code] ?? { status: 400, shape: code };
    super(code, message, { statusCode: status, sdkName: shape });
  }
}

export const invalidParameter = (message: string) => new SnsError('InvalidParameter', message);

export const topicNotFound = () => new SnsError('NotFound', 'Topic does not exist');

export const subscriptionNotFound = () => new SnsError('NotFound', 'Subscription does not exist');
