import { buildArn, parseArn, partitionOf } from '../../service/arn';
import { invalidParameter } from './errors';
import type { Subscription, Topic } from './store';

const TOPIC_ATTRIBUTES = new Set([
  'DeliveryPolicy',
  'DisplayName',
  'Policy',
  'TracingConfig',
  'KmsMasterKeyId',
  'SignatureVersion',
  'FifoTopic',
  'ContentBasedDeduplication',
  'ArchivePolicy',
  'FifoThroughputScope',
  'DataProtectionPolicy',
]);
const FEEDBACK_ATTRIBUTE =
  /^(HTTP|Firehose|Lambda|Application|SQS)(Success|Failure)Feedback(RoleArn|SampleRate)$/;

const SUBSCRIPTION_ATTRIBUTES = new Set([
  'DeliveryPolicy',
  'FilterPolicy',
  'FilterPolicyScope',
  'RawMessageDelivery',
  'RedrivePolicy',
  'SubscriptionRoleArn',
  'ReplayPolicy',
]);
const RAW_DELIVERY_PROTOCOLS = new Set(['sqs', 'http', 'https', 'firehose']);
/** Protocols whose subscriptions wait for the endpoint to confirm them. */
export const CONFIRMED_BY_ENDPOINT = new Set(['http', 'https', 'email', 'email-json']);

const DEFAULT_EFFECTIVE_DELIVERY_POLICY = JSON.stringify({
  http: {
    defaultHealthyRetryPolicy: {
      minDelayTarget: 20,
      maxDelayTarget: 20,
      numRetries: 3,
      numMaxDelayRetries: 0,
      numNoDelayRetries: 0,
      numMinDelayRetries: 0,
      backoffFunction: 'linear',
    },
    disableSubscriptionOverrides: false,
    defaultRequestPolicy: { headerContentType: 'text/plain; charset=UTF-8' },
  },
});

export function isFifoTopic(topic: Topic): boolean {
  return topic.attributes.FifoTopic === 'true';
}

/** Rejects a topic attribute SNS does not know, or one that cannot change after creation. */
export function checkTopicAttribute(name: string, creating: boolean): void {
  const known = TOPIC_ATTRIBUTES.has(name) || FEEDBACK_ATTRIBUTE.test(name);
  if (!known || (name === 'FifoTopic' && !creating))
    throw invalidParameter('Invalid parameter: AttributeName');
}

/** GetTopicAttributes: SNS's defaults, the counts, then what was set. */
export function topicAttributes(topic: Topic, accountId: string, confirmed: number): Record<string, string> {
  const policy = {
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [
      {
        Sid: '__default_statement_ID',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: [
          'SNS:GetTopicAttributes',
          'SNS:SetTopicAttributes',
          'SNS:AddPermission',
          'SNS:RemovePermission',
          'SNS:DeleteTopic',
          'SNS:Subscribe',
          'SNS:ListSubscriptionsByTopic',
          'SNS:Publish',
        ],
        Resource: topic.arn,
        Condition: { StringEquals: { 'AWS:SourceOwner': accountId } },
      },
    ],
  };
  return {
    Policy: JSON.stringify(policy),
    Owner: accountId,
    SubscriptionsPending: '0',
    TopicArn: topic.arn,
    EffectiveDeliveryPolicy: DEFAULT_EFFECTIVE_DELIVERY_POLICY,
    SubscriptionsConfirmed: String(confirmed),
    DisplayName: '',
    SubscriptionsDeleted: '0',
    ...(isFifoTopic(topic) ? { FifoTopic: 'true', ContentBasedDeduplication: 'false' } : {}),
    ...topic.attributes,
  };
}

/** The subscription still waits for its endpoint's ConfirmSubscription (which stores `PendingConfirmation: false`). */
export function isPending(subscription: Subscription): boolean {
  return (
    CONFIRMED_BY_ENDPOINT.has(subscription.protocol) &&
    subscription.attributes.PendingConfirmation !== 'false'
  );
}

/** The delivery policy an HTTP/S subscription reports when none is set on it or its topic. */
const DEFAULT_SUBSCRIPTION_DELIVERY_POLICY = JSON.stringify({
  healthyRetryPolicy: {
    minDelayTarget: 20,
    maxDelayTarget: 20,
    numRetries: 3,
    numMaxDelayRetries: 0,
    numNoDelayRetries: 0,
    numMinDelayRetries: 0,
    backoffFunction: 'linear',
  },
  sicklyRetryPolicy: null,
  throttlePolicy: null,
  requestPolicy: { headerContentType: 'text/plain; charset=UTF-8' },
  guaranteed: false,
});

/**
 * GetSubscriptionAttributes: what SNS reports for every subscription, in its order, then what was set
 * (FilterPolicy with its scope, RedrivePolicy, DeliveryPolicy, SubscriptionRoleArn, ...). The
 * principal that subscribed is the account's root: the emulator checks no signature.
 */
export function subscriptionAttributes(
  subscription: Subscription,
  accountId: string,
  region: string,
): Record<string, string> {
  const { attributes, protocol } = subscription;
  const scope: Record<string, string> = attributes.FilterPolicy
    ? { FilterPolicyScope: 'MessageAttributes' }
    : {};
  const http = protocol === 'http' || protocol === 'https';
  return {
    SubscriptionPrincipal: buildArn('iam', '', accountId, 'root', partitionOf(region)),
    Owner: accountId,
    RawMessageDelivery: 'false',
    TopicArn: subscription.topicArn,
    Endpoint: subscription.endpoint,
    ...(http
      ? { EffectiveDeliveryPolicy: attributes.DeliveryPolicy ?? DEFAULT_SUBSCRIPTION_DELIVERY_POLICY }
      : {}),
    Protocol: protocol,
    PendingConfirmation: String(isPending(subscription)),
    ConfirmationWasAuthenticated: String(!CONFIRMED_BY_ENDPOINT.has(protocol)),
    SubscriptionArn: subscription.arn,
    ...scope,
    ...attributes,
  };
}

/**
 * Validates a subscription attribute and returns the value SNS stores. Subscribe and
 * SetSubscriptionAttributes word the same errors differently (`prefix`).
 */
export function checkSubscriptionAttribute(
  name: string,
  value: string,
  protocol: string,
  prefix: 'Invalid parameter: ' | 'Invalid parameter: Attributes Reason: ',
): string {
  const fail = (reason: string) => invalidParameter(`${prefix}${reason}`);
  if (!SUBSCRIPTION_ATTRIBUTES.has(name)) throw fail('AttributeName');
  switch (name) {
    case 'FilterPolicy': {
      if (value === '') return value;
      const policy = parse(value);
      if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) {
        throw fail('FilterPolicy: failed to parse JSON.');
      }
      return value;
    }
    case 'FilterPolicyScope':
      if (value !== 'MessageAttributes' && value !== 'MessageBody') {
        throw fail(
          `FilterPolicyScope: Invalid value [${value}]. Please use either MessageBody or MessageAttributes`,
        );
      }
      return value;
    case 'RawMessageDelivery': {
      const raw = value.toLowerCase();
      if (raw !== 'true' && raw !== 'false')
        throw fail(`RawMessageDelivery: Invalid value [${value}]. Must be true or false.`);
      if (raw === 'true' && !RAW_DELIVERY_PROTOCOLS.has(protocol)) {
        throw invalidParameter(
          `Invalid parameter: Attributes Reason: Delivery protocol [${protocol}] does not support raw message delivery.`,
        );
      }
      return raw;
    }
    case 'RedrivePolicy': {
      if (value === '') return value;
      const policy = parse(value);
      if (typeof policy !== 'object' || policy === null) throw fail('RedrivePolicy: failed to parse JSON.');
      const target = (policy as { deadLetterTargetArn?: unknown }).deadLetterTargetArn;
      if (typeof target !== 'string' || !parseArn(target)) {
        throw fail('RedrivePolicy: deadLetterTargetArn is an invalid arn');
      }
      return value;
    }
    default:
      return value;
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
