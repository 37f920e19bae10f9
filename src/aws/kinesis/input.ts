import { missing, serialization, validation } from './errors';

/**
 * Checks of request members, for wire and in-process callers alike. Member names are AWS's
 * (`streamName`), as its messages give them; a value of the wrong type is a SerializationException.
 */
export function optionalString(value: unknown, member: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw serialization(`${member} must be a string`);
  return value;
}

export function requiredString(value: unknown, member: string): string {
  const text = optionalString(value, member);
  if (text === undefined) throw missing(member);
  return text;
}

export function checkLength(value: string, member: string, min: number, max: number): string {
  if (value.length < min) {
    throw validation(member, value, `Member must have length greater than or equal to ${min}`);
  }
  if (value.length > max) {
    throw validation(member, value, `Member must have length less than or equal to ${max}`);
  }
  return value;
}

export function optionalInteger(
  value: unknown,
  member: string,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw serialization(`${member} must be an integer`);
  if (value < min) throw validation(member, value, `Member must have value greater than or equal to ${min}`);
  if (value > max) throw validation(member, value, `Member must have value less than or equal to ${max}`);
  return value;
}

export function oneOf<T extends string>(value: unknown, member: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    throw validation(member, value, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
  }
  return value as T;
}

export function optionalDate(value: unknown, member: string): Date | undefined {
  if (value === undefined || value === null) return undefined;
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw serialization(`${member} must be a timestamp`);
  }
  return value;
}

export function requiredBlob(value: unknown, member: string): Uint8Array {
  if (value === undefined || value === null) throw missing(member);
  if (!(value instanceof Uint8Array)) throw serialization(`${member} must be a blob`);
  return value;
}

export function streamName(value: unknown, member = 'streamName'): string {
  const name = checkLength(requiredString(value, member), member, 1, 128);
  if (!/^[a-zA-Z0-9_.-]+$/.test(name)) {
    throw validation(member, name, 'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+');
  }
  return name;
}
