import type { AwsResponse } from '../endpoint';
import { jsonError } from '../json-protocol';

/** An EventBridge API error: answered with status 400 in AWS JSON 1.1's `{"__type", "message"}` shape. */
export class EventsError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'EventsError';
  }

  toResponse(): AwsResponse {
    return jsonError(400, this.code, this.message);
  }
}

export const validation = (message: string) => new EventsError('ValidationException', message);

export const serialization = (message: string) => new EventsError('SerializationException', message);

export const busNotFound = (bus: string) =>
  new EventsError('ResourceNotFoundException', `Event bus ${bus} does not exist.`);

export const ruleNotFound = (rule: string, bus: string) =>
  new EventsError('ResourceNotFoundException', `Rule ${rule} does not exist on EventBus ${bus}.`);
