import { invalidParameterValue, SqsError } from './errors';
import type { MessageAttribute } from './types';

const MAX_ATTRIBUTES = 10;
const NAME = /^[A-Za-z0-9_\-.]{1,256}$/;
const TYPE = /^(String|Number|Binary)(\..+)?$/;

const invalid = (message: string) => new SqsError('InvalidParameterValue', message);

function binaryOf(value: unknown): Buffer | undefined {
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (typeof value === 'string') return Buffer.from(value, 'base64');
  return undefined;
}

function checkName(name: string): void {
  if (
    !NAME.test(name) ||
    name.startsWith('.') ||
    name.endsWith('.') ||
    name.includes('..') ||
    /^(aws\.|amazon\.)/i.test(name)
  ) {
    throw invalid(
      `Message (user) attribute '${name}' must contain a non-empty attribute name and valid characters.`,
    );
  }
}

/**
 * A message's attributes as SendMessage takes them (JSON: Base64 binaries; the SDK's types:
 * Uint8Array), validated as SQS validates them.
 */
export function readMessageAttributes(value: unknown): Record<string, MessageAttribute> {
  if (typeof value !== 'object' || value === null) return {};
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > MAX_ATTRIBUTES) {
    throw invalidParameterValue(
      `Number of message attributes [${entries.length}] exceeds the allowed maximum [${MAX_ATTRIBUTES}].`,
    );
  }
  const attributes: Record<string, MessageAttribute> = {};
  for (const [name, raw] of entries) {
    checkName(name);
    const { DataType, StringValue, BinaryValue } = (raw ?? {}) as Record<string, unknown>;
    if (typeof DataType !== 'string' || DataType === '') {
      throw invalid(`The message attribute '${name}' must contain non-empty message attribute type.`);
    }
    if (!TYPE.test(DataType)) {
      throw invalid(
        `The type of message (user) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`,
      );
    }
    const binary = DataType.startsWith('Binary');
    const text = typeof StringValue === 'string' ? StringValue : undefined;
    const bytes = binaryOf(BinaryValue);
    if (binary ? !bytes?.length : !text) {
      throw invalid(
        `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${DataType.split('.')[0]}'.`,
      );
    }
    if (DataType.startsWith('Number') && !/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text ?? '')) {
      throw invalid(`Can't cast the value of message (user) attribute '${name}' to a number.`);
    }
    attributes[name] = binary ? { DataType, BinaryValue: bytes } : { DataType, StringValue: text };
  }
  return attributes;
}

/** The bytes the attributes add to a message's size: names, types and values. */
export function attributesSize(attributes: Record<string, MessageAttribute>): number {
  let size = 0;
  for (const [name, { DataType, StringValue, BinaryValue }] of Object.entries(attributes)) {
    size += Buffer.byteLength(name) + Buffer.byteLength(DataType);
    size += BinaryValue ? BinaryValue.length : Buffer.byteLength(StringValue ?? '');
  }
  return size;
}

/** As the store keeps them: JSON, binaries in Base64. */
export function storedAttributes(attributes: Record<string, MessageAttribute>): string | null {
  const names = Object.keys(attributes);
  if (names.length === 0) return null;
  return JSON.stringify(
    Object.fromEntries(
      names.map((name) => {
        const { DataType, StringValue, BinaryValue } = attributes[name];
        return [
          name,
          BinaryValue ? { DataType, BinaryValue: BinaryValue.toString('base64') } : { DataType, StringValue },
        ];
      }),
    ),
  );
}

export function parseStoredAttributes(stored: string): Record<string, MessageAttribute> {
  const parsed = JSON.parse(stored) as Record<
    string,
    { DataType: string; StringValue?: string; BinaryValue?: string }
  >;
  const attributes: Record<string, MessageAttribute> = {};
  for (const [name, { DataType, StringValue, BinaryValue }] of Object.entries(parsed)) {
    attributes[name] =
      BinaryValue === undefined
        ? { DataType, StringValue }
        : { DataType, BinaryValue: Buffer.from(BinaryValue, 'base64') };
  }
  return attributes;
}

/**
 * Whether ReceiveMessage's MessageAttributeNames select an attribute: `All`, `.*` or `*` select every
 * one, `prefix.*` those whose name starts with `prefix` (as SQS matches it: `Custom.*` selects both
 * `Custom.a` and `CustomB`), anything else the attribute of that name.
 */
export function attributeSelector(names: string[]): ((name: string) => boolean) | undefined {
  if (names.length === 0) return undefined;
  if (names.some((name) => name === 'All' || name === '.*' || name === '*')) return () => true;
  const exact = new Set(names.filter((name) => !name.endsWith('.*')));
  const prefixes = names.filter((name) => name.endsWith('.*')).map((name) => name.slice(0, -2));
  return (name) => exact.has(name) || prefixes.some((prefix) => name.startsWith(prefix));
}
