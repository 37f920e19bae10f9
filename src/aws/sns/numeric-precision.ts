import { PatternError } from '../../filter/event-pattern';

/**
 * SNS compares numbers in filter policies to five digits after the decimal point, for values from
 * -10^9 to 10^9 (docs.aws.amazon.com/sns/latest/dg/subscription-filter-policy-constraints.html): a
 * policy's `100.123456789` matches a message's `100.1234567`. Both sides are brought to that
 * precision before EventBridge's matcher (src/filter, which compares numbers exactly, as EventBridge
 * does) sees them: each number becomes the integer count of 10^-5 it holds, rounded down, which keeps
 * order and equality at SNS's precision.
 */

const SCALE = 1e5;
const LIMIT = 1e9;

/** A number at SNS's precision (`toPrecision` first drops binary noise: 0.29 * 1e5 is 28999.999...). */
export function atSnsPrecision(value: number): number {
  return Math.floor(Number((value * SCALE).toPrecision(15)));
}

/** Every number in a JSON value (a message body, attribute values) at SNS's precision. */
export function numbersAtSnsPrecision(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? atSnsPrecision(value) : value;
  if (Array.isArray(value)) return value.map(numbersAtSnsPrecision);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, numbersAtSnsPrecision(item)]));
  }
  return value;
}

/**
 * A filter policy's numbers at SNS's precision; a PatternError for a number out of SNS's range
 * (Subscribe and SetSubscriptionAttributes refuse the policy).
 */
export function policyAtSnsPrecision(policy: unknown): unknown {
  const check = (value: unknown): void => {
    if (typeof value === 'number' && Math.abs(value) > LIMIT) {
      throw new PatternError('Value must be between -1.0E9 and 1.0E9, inclusive');
    }
    if (typeof value === 'object' && value !== null) Object.values(value).forEach(check);
  };
  check(policy);
  return numbersAtSnsPrecision(policy);
}
