import type { AwsResponse } from '../endpoint';
import { jsonError } from '../json-protocol';

/** A DynamoDB or DynamoDB Streams API error, answered in AWS JSON 1.0's `{"__type", "message"}` shape. */
export class DynamoError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    /** Extra members of the error body (TransactionCanceledException's CancellationReasons). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DynamoError';
  }

  /** An error dynalite answered (`__type` is `<namespace>#<Code>`). */
  static fromBody(status: number, body: Record<string, unknown>): DynamoError {
    const type = typeof body.__type === 'string' ? body.__type : 'InternalServerError';
    const message = typeof body.message === 'string' ? body.message : '';
    return new DynamoError(type.slice(type.indexOf('#') + 1), message, status);
  }

  toResponse(): AwsResponse {
    const response = jsonError(this.status, this.code, this.message);
    if (!Object.keys(this.extra).length) return response;
    return { ...response, body: JSON.stringify({ __type: this.code, message: this.message, ...this.extra }) };
  }
}

export const validation = (message: string) => new DynamoError('ValidationException', message);

export const serialization = (message: string) => new DynamoError('SerializationException', message);

export const resourceNotFound = (message: string) => new DynamoError('ResourceNotFoundException', message);
