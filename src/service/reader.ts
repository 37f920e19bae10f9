import { ConfigError } from '../errors';
import { isObject, toNumber } from './values';

/**
 * Reads one configuration object (an event, a function) with type checks. Every error names the
 * path as the framework prints it, e.g. `functions.worker.events.2.sqs.arn`.
 */
export class ConfigReader {
  private readonly fields: Record<string, unknown>;

  constructor(
    readonly path: string,
    readonly value: unknown,
    private readonly subject: string,
  ) {
    this.fields = isObject(value) ? value : {};
  }

  get isObject(): boolean {
    return isObject(this.value);
  }

  has(key: string): boolean {
    return this.fields[key] !== undefined && this.fields[key] !== null;
  }

  raw(key: string): unknown {
    return this.fields[key];
  }

  fail(key: string | undefined, message: string): never {
    const where = key === undefined ? this.path : `${this.path}.${key}`;
    throw new ConfigError(
      `Invalid configuration of ${this.subject}: ${where} ${message}`,
      'EMULATE_INVALID_CONFIG',
    );
  }

  string(key: string): string | undefined {
    const value = this.fields[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') this.fail(key, `must be a string, got ${JSON.stringify(value)}`);
    return value;
  }

  requiredString(key: string, what: string): string {
    const value = this.string(key);
    if (value === undefined || value.trim() === '') this.fail(key, `is required (${what})`);
    return value;
  }

  number(key: string, range: { min: number; max: number }): number | undefined {
    const value = this.fields[key];
    if (value === undefined || value === null) return undefined;
    const n = toNumber(value);
    if (n === undefined || n < range.min || n > range.max) {
      this.fail(key, `must be a number from ${range.min} to ${range.max}, got ${JSON.stringify(value)}`);
    }
    return n;
  }

  boolean(key: string, fallback: boolean): boolean {
    const value = this.fields[key];
    if (value === undefined || value === null) return fallback;
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    return this.fail(key, `must be true or false, got ${JSON.stringify(value)}`);
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T | undefined {
    const value = this.string(key);
    if (value === undefined) return undefined;
    if (!allowed.includes(value as T)) this.fail(key, `must be one of ${allowed.join(', ')}, got "${value}"`);
    return value as T;
  }

  /** One of `allowed` in any case, as `allowed` spells it (the framework normalises such values). */
  oneOfIgnoringCase<T extends string>(key: string, allowed: readonly T[]): T | undefined {
    const value = this.string(key);
    if (value === undefined) return undefined;
    const found = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
    return found ?? this.fail(key, `must be one of ${allowed.join(', ')}, got "${value}"`);
  }

  /** An array of strings, also accepting a single string. */
  strings(key: string): string[] {
    const value = this.fields[key];
    if (value === undefined || value === null) return [];
    const list = Array.isArray(value) ? value : [value];
    if (!list.every((v) => typeof v === 'string')) this.fail(key, 'must be a string or a list of strings');
    return list as string[];
  }

  list(key: string): unknown[] | undefined {
    const value = this.fields[key];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) this.fail(key, 'must be a list');
    return value;
  }

  child(key: string): ConfigReader {
    return new ConfigReader(`${this.path}.${key}`, this.fields[key], this.subject);
  }
}
