import { SnsError, invalidParameter } from './errors';
import type { MessageAttributeValue } from './types';

/** 256 KB: the message and all its attributes (names, types and values). */
export const MAXIMUM_MESSAGE_BYTES = 262_144;

const ATTRIBUTE_NAME = /^(?!\.)(?!.*\.$)(?!.*\.\.)[A-Za-z0-9_.-]+$/;
const CUSTOM_TYPE = /^(String|Number|Binary)\..+$/;

const invalidValue = (message: string) => new SnsError('ParameterValueInvalid', message);

/**
 * Publish's MessageAttributes, validated as SNS does. `at` names the member in the ValidationError
 * for a missing DataType (`messageAttributes` or `publishBatchRequestEntries.N.member.messageAttributes`).
 */
export function readMessageAttributes(
  raw: unknown,
  at = 'messageAttributes',
): Record<string, MessageAttributeValue> {
  if (raw === undefined || raw === '' || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw invalidParameter('Invalid parameter: MessageAttributes');
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    if (name.length > 256)
      throw invalidValue('Length of message attribute name must be less than 256 bytes.');
    if (!ATTRIBUTE_NAME.test(name)) {
      throw invalidValue(
        `Invalid message attribute name '${name}': it can only include alphanumeric characters, hyphens, ` +
          'underscores, or dots, and cannot start or end with a dot or have successive dots.',
      );
    }
    const { DataType, StringValue, BinaryValue } = (value ?? {}) as Record<string, unknown>;
    if (typeof DataType !== 'string' || DataType === '') {
      throw new SnsError(
        'ValidationError',
        `1 validation error detected: Value null at '${at}.${name}.member.dataType' failed to satisfy constraint: ` +
          'Member must not be null',
      );
    }
    if (!['String', 'Number', 'Binary'].includes(DataType) && !CUSTOM_TYPE.test(DataType)) {
      throw invalidValue(
        `The message attribute '${name}' has an invalid message attribute type, the set of supported type ` +
          'prefixes is Binary, Number, and String.',
      );
    }
    const binary = DataType.startsWith('Binary');
    const given = binary ? BinaryValue : StringValue;
    if (given === undefined && (binary ? StringValue : BinaryValue) !== undefined) {
      const field = binary ? 'Binary' : 'String';
      throw invalidValue(
        `The message attribute '${name}' with type '${DataType}' must use field '${field}'.`,
      );
    }
    if (typeof given !== 'string' || given === '') {
      throw invalidValue(
        `The message attribute '${name}' must contain non-empty message attribute value for message ` +
          `attribute type '${DataType}'.`,
      );
    }
    if (DataType.startsWith('Number') && !Number.isFinite(Number(given))) {
      throw invalidValue(`Could not cast message attribute '${name}' value to number.`);
    }
    attributes[name] = binary ? { DataType, BinaryValue: given } : { DataType, StringValue: given };
  }
  return attributes;
}

/** The Message parameter; with MessageStructure `json`, its per-protocol messages (string values only). */
export function readMessage(message: unknown, structure: unknown): string | Record<string, string> {
  if (typeof message !== 'string') {
    throw new SnsError(
      'ValidationError',
      "1 validation error detected: Value null at 'message' failed to satisfy constraint: Member must not be null",
    );
  }
  if (message === '') throw invalidParameter('Invalid parameter: Empty message');
  if (structure === undefined || structure === '') return message;
  if (structure !== 'json') throw invalidParameter('Invalid parameter: MessageStructure');
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw invalidParameter('Invalid parameter: Message Structure - JSON message body failed to parse');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalidParameter('Invalid parameter: Message Structure - JSON message body failed to parse');
  }
  const messages = Object.fromEntries(
    Object.entries(parsed as Record<string, unknown>).filter(
      (e): e is [string, string] => typeof e[1] === 'string',
    ),
  );
  if (messages.default === undefined) {
    throw invalidParameter('Invalid parameter: Message Structure - No default entry in JSON message body');
  }
  return messages;
}

/** Subjects: UTF-8 text under 100 characters, with no line breaks or control characters. */
export function readSubject(subject: unknown): string | undefined {
  if (subject === undefined) return undefined;
  const control = [...(typeof subject === 'string' ? subject : '')].some((c) => c.charCodeAt(0) < 0x20);
  if (typeof subject !== 'string' || subject === '' || subject.length >= 100 || control) {
    throw invalidParameter('Invalid parameter: Subject');
  }
  return subject;
}

/** What a subscription of this protocol receives: its own entry of a json-structured message, else `default`. */
export function messageFor(message: string | Record<string, string>, protocol: string): string {
  if (typeof message === 'string') return message;
  return message[protocol] ?? message.default ?? '';
}

export function messageBytes(message: string, attributes: Record<string, MessageAttributeValue>): number {
  let size = Buffer.byteLength(message);
  for (const [name, value] of Object.entries(attributes)) {
    size += Buffer.byteLength(name) + Buffer.byteLength(value.DataType);
    size +=
      value.BinaryValue === undefined
        ? Buffer.byteLength(value.StringValue ?? '')
        : Buffer.from(value.BinaryValue, 'base64').length;
  }
  return size;
}
