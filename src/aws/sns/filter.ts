import { compilePattern, PatternError } from '../../filter/event-pattern';
import { invalidParameter } from './errors';
import { messageFor } from './message';
import { numbersAtSnsPrecision, policyAtSnsPrecision } from './numeric-precision';
import type { Subscription } from './store';
import type { MessageAttributeValue, PublishedMessage } from './types';
import { BoundedMap } from '../../bounded-map';

type PolicyTest = (event: unknown) => boolean;

/** Enough for every policy of a service's subscriptions; past it the oldest compiled one is dropped. */
const MAXIMUM_CACHED_POLICIES = 1000;

/** The filter policies of one SNS service, each compiled once (cached by its text). */
export class FilterPolicies {
  private readonly compiled = new BoundedMap<string, PolicyTest>(MAXIMUM_CACHED_POLICIES);

  /** Rejects a filter policy the matcher cannot compile, as Subscribe and SetSubscriptionAttributes do. */
  check(policy: string, prefix: string): void {
    try {
      this.test(policy);
    } catch (error) {
      if (error instanceof PatternError) throw invalidParameter(`${prefix}FilterPolicy: ${error.message}`);
      throw error;
    }
  }

  /**
   * Whether the subscription's filter policy accepts the message. Scope `MessageAttributes` (the
   * default) matches the policy against the message attributes: String as a string, Number as a
   * number, the `.Array` types as their parsed arrays; Binary attributes are ignored. Scope
   * `MessageBody` matches it against the message (the subscription protocol's own with
   * MessageStructure json), which must be a JSON object. A policy key naming something the message
   * lacks fails unless it says `exists: false`. Numbers compare at SNS's precision (numeric-precision.ts).
   */
  accepts(subscription: Subscription, message: PublishedMessage): boolean {
    const policy = subscription.attributes.FilterPolicy;
    if (!policy) return true;
    const test = this.test(policy);
    if (subscription.attributes.FilterPolicyScope === 'MessageBody') {
      const body = parseJson(messageFor(message.message, subscription.protocol));
      return (
        typeof body === 'object' && body !== null && !Array.isArray(body) && test(numbersAtSnsPrecision(body))
      );
    }
    return test(numbersAtSnsPrecision(attributeValues(message.attributes)));
  }

  /**
   * The compiled filter policy; throws a PatternError for one SNS would refuse. An empty policy (`{}`)
   * filters nothing, as no policy.
   */
  private test(policy: string): PolicyTest {
    let test = this.compiled.get(policy);
    if (!test) {
      const parsed = parseJson(policy);
      const empty = typeof parsed === 'object' && parsed !== null && Object.keys(parsed).length === 0;
      test = empty
        ? () => true
        : compilePattern(parsed === undefined ? policy : policyAtSnsPrecision(parsed));
      this.compiled.set(policy, test);
    }
    return test;
  }
}

/** The message attributes as the object a MessageAttributes-scoped filter policy is matched against. */
export function attributeValues(attributes: Record<string, MessageAttributeValue>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, { DataType, StringValue }] of Object.entries(attributes)) {
    if (DataType.startsWith('Binary') || StringValue === undefined) continue;
    if (DataType.endsWith('.Array')) {
      const parsed = parseJson(StringValue);
      values[name] = Array.isArray(parsed) ? parsed : StringValue;
    } else if (DataType.startsWith('Number')) {
      values[name] = Number(StringValue);
    } else {
      values[name] = StringValue;
    }
  }
  return values;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
