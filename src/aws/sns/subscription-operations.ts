import { createHash } from 'node:crypto';
import { mapParam } from '../query-request';
import { parseArn } from '../../service/arn';
import {
  checkSubscriptionAttribute,
  CONFIRMED_BY_ENDPOINT,
  isFifoTopic,
  isPending,
  subscriptionAttributes,
} from './attributes';
import {
  arnParam,
  newSubscriptionArn,
  requireTopic,
  stringParam,
  type Operation,
  type SnsContext,
} from './context';
import { invalidParameter, subscriptionNotFound } from './errors';
import type { Subscription } from './store';

const PROTOCOLS = new Set([
  'http',
  'https',
  'email',
  'email-json',
  'sms',
  'sqs',
  'application',
  'lambda',
  'firehose',
]);
const SUBSCRIBE_PREFIX = 'Invalid parameter: Attributes Reason: ';

function checkEndpoint(protocol: string, endpoint: string | undefined, fifoTopic: boolean): string {
  if (!endpoint) throw invalidParameter('Invalid parameter: Endpoint');
  const arn = parseArn(endpoint);
  if (protocol === 'sqs') {
    if (!arn || arn.service !== 'sqs') throw invalidParameter('Invalid parameter: SQS endpoint ARN');
    if (arn.resource.endsWith('.fifo') && !fifoTopic) {
      throw invalidParameter(
        'Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics',
      );
    }
  } else if (protocol === 'lambda') {
    if (!arn || arn.service !== 'lambda') throw invalidParameter('Invalid parameter: Lambda endpoint ARN');
    if (fifoTopic)
      throw invalidParameter('Invalid parameter: Protocol Reason: FIFO topics only deliver to SQS queues');
  } else if ((protocol === 'http' || protocol === 'https') && !endpoint.startsWith(`${protocol}://`)) {
    throw invalidParameter('Invalid parameter: Endpoint must match the specified protocol');
  }
  return endpoint;
}

/** Validates Subscribe's or SetSubscriptionAttributes' attributes; returns them as SNS stores them. */
function checkAttributes(
  context: SnsContext,
  attributes: Record<string, string>,
  protocol: string,
  prefix: 'Invalid parameter: ' | typeof SUBSCRIBE_PREFIX,
): Record<string, string> {
  const checked: Record<string, string> = {};
  for (const [name, value] of Object.entries(attributes)) {
    checked[name] = checkSubscriptionAttribute(name, value, protocol, prefix);
  }
  if (checked.FilterPolicy) context.filterPolicies.check(checked.FilterPolicy, prefix);
  return checked;
}

/** Subscribe: idempotent for the same topic, protocol and endpoint (and attributes). */
export const subscribe: Operation = (context, input) => {
  const topicArn = arnParam(input, 'TopicArn');
  const protocol = stringParam(input, 'Protocol') ?? '';
  if (!PROTOCOLS.has(protocol)) {
    throw invalidParameter(
      `Invalid parameter: Amazon SNS does not support this protocol string: ${protocol}`,
    );
  }
  const topic = requireTopic(context, topicArn);
  const endpoint = checkEndpoint(protocol, stringParam(input, 'Endpoint'), isFifoTopic(topic));
  const attributes = checkAttributes(context, mapParam(input, 'Attributes'), protocol, SUBSCRIBE_PREFIX);
  const returnArn = input.ReturnSubscriptionArn === true || input.ReturnSubscriptionArn === 'true';

  const existing = context.store.findSubscription(topicArn, protocol, endpoint);
  if (existing) {
    if (Object.entries(attributes).some(([name, value]) => (existing.attributes[name] ?? '') !== value)) {
      throw invalidParameter(`${SUBSCRIBE_PREFIX}Subscription already exists with different attributes`);
    }
    return { SubscriptionArn: answeredArn(existing, returnArn) };
  }
  const subscription: Subscription = {
    arn: newSubscriptionArn(context, topicArn),
    topicArn,
    protocol,
    endpoint,
    attributes,
  };
  context.store.addSubscription(subscription);
  if (isPending(subscription)) {
    context.log(
      `sns ${topic.name}: ${protocol} subscription ${endpoint} is pending confirmation (ConfirmSubscription token ${confirmationToken(subscription.arn)})`,
    );
  }
  return { SubscriptionArn: answeredArn(subscription, returnArn) };
};

/** A subscription that waits for its endpoint to confirm it is answered as `pending confirmation`. */
function answeredArn(subscription: Subscription, returnArn: boolean): string {
  return isPending(subscription) && !returnArn ? 'pending confirmation' : subscription.arn;
}

/** Unsubscribe: unsubscribing from a subscription that does not exist is no error. */
export const unsubscribe: Operation = (context, input) => {
  context.store.deleteSubscription(arnParam(input, 'SubscriptionArn'));
  return undefined;
};

function requireSubscription(context: SnsContext, input: Record<string, unknown>): Subscription {
  const subscription = context.store.subscription(arnParam(input, 'SubscriptionArn'));
  if (!subscription) throw subscriptionNotFound();
  return subscription;
}

export const getSubscriptionAttributes: Operation = (context, input) => {
  const subscription = requireSubscription(context, input);
  return { Attributes: subscriptionAttributes(subscription, context.accountId, context.region) };
};

/**
 * The token that confirms a subscription waiting for its endpoint. SNS would send it to the endpoint
 * in a SubscriptionConfirmation message; the emulator, which delivers to no http or email endpoint,
 * writes it in its log at Subscribe. It is derived from the subscription's ARN, so it outlives restarts.
 */
export function confirmationToken(subscriptionArn: string): string {
  return createHash('sha256').update(`confirm\n${subscriptionArn}`).digest('hex');
}

/** ConfirmSubscription: the token of one of the topic's subscriptions confirms it (again, if confirmed). */
export const confirmSubscription: Operation = (context, input) => {
  const topic = requireTopic(context, arnParam(input, 'TopicArn'));
  const token = stringParam(input, 'Token');
  if (!token) throw invalidParameter('Invalid parameter: Token');
  const subscription = context.store
    .subscriptionsOf(topic.arn)
    .find(
      (candidate) =>
        CONFIRMED_BY_ENDPOINT.has(candidate.protocol) && confirmationToken(candidate.arn) === token,
    );
  if (!subscription) throw invalidParameter('Invalid token');
  const authenticated = String(input.AuthenticateOnUnsubscribe).toLowerCase() === 'true';
  context.store.setSubscriptionAttributes(subscription.arn, {
    ...subscription.attributes,
    PendingConfirmation: 'false',
    ConfirmationWasAuthenticated: String(authenticated),
  });
  return { SubscriptionArn: subscription.arn };
};

export const setSubscriptionAttributes: Operation = (context, input) => {
  const subscription = requireSubscription(context, input);
  const name = stringParam(input, 'AttributeName') ?? '';
  const value = stringParam(input, 'AttributeValue') ?? '';
  const prefix = 'Invalid parameter: ';
  const checked = checkAttributes(context, { [name]: value }, subscription.protocol, prefix)[name];
  const cleared = checked === '' && (name === 'FilterPolicy' || name === 'RedrivePolicy');
  const attributes = Object.fromEntries(
    Object.entries({ ...subscription.attributes, [name]: checked }).filter(
      ([key]) => !cleared || key !== name,
    ),
  );
  context.store.setSubscriptionAttributes(subscription.arn, attributes);
  return undefined;
};

function listed(subscription: Subscription, accountId: string) {
  return {
    SubscriptionArn: isPending(subscription) ? 'PendingConfirmation' : subscription.arn,
    Owner: accountId,
    Protocol: subscription.protocol,
    Endpoint: subscription.endpoint,
    TopicArn: subscription.topicArn,
  };
}

export const listSubscriptions: Operation = (context, input) => {
  const page = context.store.subscriptions(undefined, stringParam(input, 'NextToken'));
  return { Subscriptions: page.items.map((s) => listed(s, context.accountId)), NextToken: page.nextToken };
};

export const listSubscriptionsByTopic: Operation = (context, input) => {
  const topic = requireTopic(context, arnParam(input, 'TopicArn'));
  const page = context.store.subscriptions(topic.arn, stringParam(input, 'NextToken'));
  return { Subscriptions: page.items.map((s) => listed(s, context.accountId)), NextToken: page.nextToken };
};
