/** SNS's error codes as the Query protocol names them, with their HTTP status and JSON shape name. */
const CODES: Record<string, { status: number; shape: string }> = {
  InvalidParameter: { status: 400, shape: 'InvalidParameterException' },
  ParameterValueInvalid: { status: 400, shape: 'InvalidParameterValueException' },
  NotFound: { status: 404, shape: 'NotFoundException' },
  ValidationError: { status: 400, shape: 'ValidationException' },
  InvalidAction: { status: 400, shape: 'InvalidAction' },
  EmptyBatchRequest: { status: 400, shape: 'EmptyBatchRequestException' },
  TooManyEntriesInBatchRequest: { status: 400, shape: 'TooManyEntriesInBatchRequestException' },
  BatchEntryIdsNotDistinct: { status: 400, shape: 'BatchEntryIdsNotDistinctException' },
  InvalidBatchEntryId: { status: 400, shape: 'InvalidBatchEntryIdException' },
  BatchRequestTooLong: { status: 400, shape: 'BatchRequestTooLongException' },
  InternalError: { status: 500, shape: 'InternalErrorException' },
};

/** An error SNS answers with: `code` is the Query protocol's code (`NotFound`, `InvalidParameter`, ...). */
export class SnsError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  get status(): number {
    return CODES[this.code]?.status ?? 400;
  }

  /** The error's shape name, which the JSON protocol puts in `__type`. */
  get shape(): string {
    return CODES[this.code]?.shape ?? this.code;
  }

  get sender(): boolean {
    return this.status < 500;
  }
}

export const invalidParameter = (message: string) => new SnsError('InvalidParameter', message);

export const topicNotFound = () => new SnsError('NotFound', 'Topic does not exist');

export const subscriptionNotFound = () => new SnsError('NotFound', 'Subscription does not exist');
