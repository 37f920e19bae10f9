import { AwsError } from '../aws-error';

/** An EventBridge API error: status 400 with its code. */
export class EventsError extends AwsError {}

export const validation = (message: string) => new EventsError('ValidationException', message);

export const serialization = (message: string) => new EventsError('SerializationException', message);

export const busNotFound = (bus: string) =>
  new EventsError('ResourceNotFoundException', `Event bus ${bus} does not exist.`);

export const ruleNotFound = (rule: string, bus: string) =>
  new EventsError('ResourceNotFoundException', `Rule ${rule} does not exist on EventBus ${bus}.`);
