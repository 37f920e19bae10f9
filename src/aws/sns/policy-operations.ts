import { buildArn, partitionOf } from '../../service/arn';
import { topicAttributes } from './attributes';
import { arnParam, requireTopic, stringParam, type Operation, type SnsContext } from './context';
import { invalidParameter } from './errors';
import type { Topic } from './store';

/**
 * A topic's policy documents: its access policy (the `Policy` attribute), which AddPermission and
 * RemovePermission edit a statement at a time, and its data protection policy (the
 * `DataProtectionPolicy` attribute). The emulator keeps both as SNS answers them and enforces neither.
 */

/** The actions AddPermission may grant (`ActionName`). */
const ACTIONS = new Set([
  'GetTopicAttributes',
  'SetTopicAttributes',
  'AddPermission',
  'RemovePermission',
  'DeleteTopic',
  'Subscribe',
  'ListSubscriptionsByTopic',
  'Publish',
  'Receive',
]);
const MAXIMUM_DATA_PROTECTION_POLICY = 30_720;

interface Policy {
  Statement: Array<{ Sid?: string } & Record<string, unknown>>;
}

/** The topic's access policy as GetTopicAttributes answers it; one SetTopicAttributes made unreadable is the default. */
function topicPolicy(context: SnsContext, topic: Topic): Policy {
  const read = (text: string): Policy | undefined => {
    try {
      const policy: unknown = JSON.parse(text);
      if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) return undefined;
      const { Statement } = policy as { Statement?: unknown };
      const statements = Array.isArray(Statement) ? Statement : Statement ? [Statement] : [];
      return { ...policy, Statement: statements as Policy['Statement'] };
    } catch {
      return undefined;
    }
  };
  const { Policy: text } = topicAttributes(topic, context.accountId, 0);
  const byDefault = topicAttributes({ ...topic, attributes: {} }, context.accountId, 0).Policy;
  return read(text) ?? (read(byDefault) as Policy);
}

const one = <T>(items: T[]): T | T[] => (items.length === 1 ? items[0] : items);
const listParam = (input: Record<string, unknown>, name: string): string[] =>
  Array.isArray(input[name]) ? (input[name] as unknown[]).map(String) : [];

export const addPermission: Operation = (context, input) => {
  const topic = requireTopic(context, arnParam(input, 'TopicArn'));
  const label = stringParam(input, 'Label');
  if (!label) throw invalidParameter('Invalid parameter: Label');
  const accounts = listParam(input, 'AWSAccountId');
  const actions = listParam(input, 'ActionName');
  if (accounts.length === 0) throw invalidParameter('Invalid parameter: AWSAccountId');
  if (actions.length === 0) throw invalidParameter('Invalid parameter: ActionName');
  const policy = topicPolicy(context, topic);
  if (policy.Statement.some((statement) => statement.Sid === label)) {
    throw invalidParameter('Statement already exists');
  }
  if (actions.some((action) => !ACTIONS.has(action))) {
    throw invalidParameter('Policy statement action out of service scope!');
  }
  const partition = partitionOf(context.region);
  policy.Statement.push({
    Sid: label,
    Effect: 'Allow',
    Principal: { AWS: one(accounts.map((account) => buildArn('iam', '', account, 'root', partition))) },
    Action: one(actions.map((action) => `SNS:${action}`)),
    Resource: topic.arn,
  });
  context.store.setTopicAttributes(topic.arn, { ...topic.attributes, Policy: JSON.stringify(policy) });
  return undefined;
};

/** RemovePermission: the label's statement goes (a label the policy lacks is no error). */
export const removePermission: Operation = (context, input) => {
  const topic = requireTopic(context, arnParam(input, 'TopicArn'));
  const label = stringParam(input, 'Label');
  if (!label) throw invalidParameter('Invalid parameter: Label');
  const policy = topicPolicy(context, topic);
  const Statement = policy.Statement.filter((statement) => statement.Sid !== label);
  if (Statement.length !== policy.Statement.length) {
    const Policy = JSON.stringify({ ...policy, Statement });
    context.store.setTopicAttributes(topic.arn, { ...topic.attributes, Policy });
  }
  return undefined;
};

export const putDataProtectionPolicy: Operation = (context, input) => {
  const topic = requireTopic(context, arnParam(input, 'ResourceArn'));
  const policy = stringParam(input, 'DataProtectionPolicy');
  if (policy === undefined) throw invalidParameter('Invalid parameter: DataProtectionPolicy');
  if (policy.length > MAXIMUM_DATA_PROTECTION_POLICY) {
    throw invalidParameter('Invalid parameter: DataProtectionPolicy Reason: Policy is too long');
  }
  if (policy !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(policy);
    } catch {
      throw invalidParameter('Invalid parameter: DataProtectionPolicy Reason: Policy is not valid JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw invalidParameter('Invalid parameter: DataProtectionPolicy Reason: Policy is not a JSON object');
    }
  }
  context.store.setTopicAttributes(topic.arn, { ...topic.attributes, DataProtectionPolicy: policy });
  return undefined;
};

export const getDataProtectionPolicy: Operation = (context, input) => {
  const topic = requireTopic(context, arnParam(input, 'ResourceArn'));
  const policy = topic.attributes.DataProtectionPolicy;
  return policy ? { DataProtectionPolicy: policy } : {};
};
