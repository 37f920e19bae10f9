import { AwsError } from '../aws-error';

/** A DynamoDB or DynamoDB Streams API error. */
export class DynamoError extends AwsError {
  constructor(
    code: string,
    message: string,
    statusCode = 400,
    /** Extra members of the error body (TransactionCanceledException's CancellationReasons). */
    fields: Record<string, unknown> = {},
  ) {
    super(code, message, { statusCode, fields });
  }

  /** An error dynalite answered (`__type` is `<namespace>#<Code>`). */
  static fromBody(status: number, body: Record<string, unknown>): DynamoError {
    const type = typeof body.__type === 'string' ? body.__type : 'InternalServerError';
    const message = typeof body.message === 'string' ? body.message : '';
    return new DynamoError(type.slice(type.indexOf('#') + 1), message, status);
  }
}

export const validation = (message: string) => new DynamoError('ValidationException', message);

export const serialization = (message: string) => new DynamoError('SerializationException', message);

export const resourceNotFound = (message: string) => new DynamoError('ResourceNotFoundException', message);
