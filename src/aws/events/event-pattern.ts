import { compilePattern, PatternError } from '../../filter/event-pattern';

/**
 * EventBridge's numbers in event patterns (eb-create-pattern-operators, numeric matching): values
 * from -5.0e9 to +5.0e9 inclusive, compared to six digits to the right of the decimal point (15
 * digits of precision), as the rule engine does (aws/event-ruler ComparableNumber: the number times
 * 10^6, rounded down). A `numeric` or `anything-but` operand outside that range makes the pattern
 * invalid (PutRule and TestEventPattern answer InvalidEventPatternException).
 *
 * The shared matcher (src/filter, also SNS's and Lambda's) compares numbers exactly; EventBridge's
 * precision is laid over it here, as SNS lays its own over it: every number of the pattern and of the
 * event becomes the integer count of 10^-6 it holds. A number out of the range cannot be compared
 * (no `numeric` condition matches it) but still equals the same number written in a pattern's list
 * of values: both become the same marker text, which no pattern string can be.
 */

const LIMIT = 5e9;
const DECIMALS = 6;
const OUT_OF_RANGE = '\u0000number:';

/** `{"numeric": [">", 1.5]}` and the other content filters that take numbers as operands. */
const NUMBER_OPERATORS = new Set(['numeric', 'anything-but']);

/** A compiled EventBridge pattern: PatternError for one EventBridge refuses. */
export function compileEventPattern(pattern: unknown): (event: unknown) => boolean {
  const parsed = typeof pattern === 'string' ? parse(pattern) : pattern;
  const matches = compilePattern(atPatternPrecision(parsed));
  return (event) => matches(numbersAtEventBridgePrecision(event));
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new PatternError(`Event pattern is not valid JSON: ${(error as Error).message}`);
  }
}

/** A number as EventBridge compares it: its count of 10^-6, rounded down (exact, from its decimal text). */
export function atEventBridgePrecision(value: number): number | string {
  if (!Number.isFinite(value) || Math.abs(value) > LIMIT) return OUT_OF_RANGE + String(value);
  const [mantissa, exponentText] = String(value).toLowerCase().split('e');
  const negative = mantissa.startsWith('-');
  const [whole, fraction = ''] = mantissa.replace('-', '').split('.');
  const digits = whole + fraction;
  // The position of the decimal point in `digits`, moved by the exponent and by the six decimals.
  const point = whole.length + Number(exponentText ?? 0) + DECIMALS;
  const padded = point > digits.length ? digits.padEnd(point, '0') : digits;
  const kept = point <= 0 ? '0' : padded.slice(0, point);
  const dropped = point <= 0 ? padded : padded.slice(point);
  let scaled = BigInt(kept);
  if (negative) scaled = -scaled - (/[1-9]/.test(dropped) ? 1n : 0n);
  return Number(scaled);
}

/** Every number in an event (at any depth) at EventBridge's precision. */
export function numbersAtEventBridgePrecision(value: unknown): unknown {
  if (typeof value === 'number') return atEventBridgePrecision(value);
  if (Array.isArray(value)) return value.map(numbersAtEventBridgePrecision);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, numbersAtEventBridgePrecision(item)]),
    );
  }
  return value;
}

/**
 * A pattern's numbers at EventBridge's precision: the values of a field's list, and the operands of
 * `numeric` and `anything-but` (which must be within the range). Anything else is left for the
 * matcher to judge, so that a number where a string belongs is still refused.
 */
function atPatternPrecision(pattern: unknown, path = ''): unknown {
  if (pattern === null || typeof pattern !== 'object' || Array.isArray(pattern)) return pattern;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(pattern)) {
    const at = path ? `${path}.${key}` : key;
    if (key === '$or' && Array.isArray(value)) {
      result[key] = value.map((alternative) => atPatternPrecision(alternative, path));
    } else if (Array.isArray(value)) {
      result[key] = value.map((item) =>
        typeof item === 'number' && Number.isFinite(item) ? atEventBridgePrecision(item) : operand(item, at),
      );
    } else {
      result[key] = atPatternPrecision(value, at);
    }
  }
  return result;
}

/** `{"numeric": [...]}` or `{"anything-but": ...}` with its numbers in range and at precision. */
function operand(item: unknown, path: string): unknown {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
  const keys = Object.keys(item);
  if (keys.length !== 1 || !NUMBER_OPERATORS.has(keys[0])) return item;
  const [name] = keys;
  const scale = (value: unknown): unknown => {
    if (typeof value !== 'number' || !Number.isFinite(value)) return value;
    if (Math.abs(value) > LIMIT) {
      throw new PatternError(`${path}: Value must be between -5.0E9 and 5.0E9, inclusive`);
    }
    return atEventBridgePrecision(value);
  };
  const value = (item as Record<string, unknown>)[name];
  return { [name]: Array.isArray(value) ? value.map(scale) : scale(value) };
}
