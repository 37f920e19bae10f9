import { buildArn, parseArn, partitionOf } from '../../service/arn';
import { listParam, queueParam, requiredString, type Operation } from './context';
import { invalidValue, missingParameter, SqsError } from './errors';
import type { Queue } from './queues';

/**
 * AddPermission and RemovePermission: SQS keeps what they grant as statements of the queue's `Policy`
 * attribute (one per label), the policy SetQueueAttributes and GetQueueAttributes see.
 */

const ACTIONS = new Set([
  '*',
  'ChangeMessageVisibility',
  'DeleteMessage',
  'GetQueueAttributes',
  'GetQueueUrl',
  'ListDeadLetterSourceQueues',
  'PurgeQueue',
  'ReceiveMessage',
  'SendMessage',
]);
const MAXIMUM_ACTIONS = 7;
const LABEL = /^[A-Za-z0-9_-]{1,80}$/;

interface Statement {
  Sid?: string;
  [key: string]: unknown;
}

interface Policy {
  Version: string;
  Id: string;
  Statement: Statement[];
}

/** The queue's policy, or the empty one AddPermission starts from. */
function policyOf(queue: Queue): Policy {
  const empty: Policy = { Version: '2012-10-17', Id: `${queue.arn}/SQSDefaultPolicy`, Statement: [] };
  let policy: unknown;
  try {
    policy = JSON.parse(queue.attributes.Policy ?? '');
  } catch {
    return empty;
  }
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) return empty;
  const { Statement } = policy as Partial<Policy>;
  const statements = Array.isArray(Statement)
    ? Statement
    : typeof Statement === 'object' && Statement
      ? [Statement]
      : [];
  return { ...empty, ...policy, Statement: statements };
}

const one = <T>(items: T[]): T | T[] => (items.length === 1 ? items[0] : items);

export const addPermission: Operation = (context, input) => {
  const queue = queueParam(context, input);
  const label = requiredString(input, 'Label');
  if (!LABEL.test(label)) {
    throw invalidValue(
      'Label',
      label,
      'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
    );
  }
  const accounts = listParam(input, 'AWSAccountIds');
  const actions = listParam(input, 'Actions');
  if (actions.length === 0) throw missingParameter('Actions');
  if (accounts.length === 0) throw invalidValue('PrincipalId', '[]', 'Unable to verify.');
  if (actions.length > MAXIMUM_ACTIONS) {
    throw new SqsError(
      'OverLimit',
      `${actions.length} Actions were found, maximum allowed is ${MAXIMUM_ACTIONS}.`,
    );
  }
  const invalid = actions.find((action) => !ACTIONS.has(action));
  if (invalid !== undefined) {
    throw invalidValue(
      'ActionName',
      `SQS:${invalid}`,
      'Only the queue owner is allowed to invoke this action.',
    );
  }
  const policy = policyOf(queue);
  if (policy.Statement.some((statement) => statement.Sid === label)) {
    throw invalidValue('Label', label, 'Already exists.');
  }
  const partition = partitionOf(parseArn(queue.arn)?.region ?? '');
  policy.Statement.push({
    Sid: label,
    Effect: 'Allow',
    Principal: { AWS: one(accounts.map((account) => buildArn('iam', '', account, 'root', partition))) },
    Action: one(actions.map((action) => `SQS:${action}`)),
    Resource: queue.arn,
  });
  context.queues.setAttributes(queue, { Policy: JSON.stringify(policy) });
  return undefined;
};

/** RemovePermission: the label's statement goes; a policy left without statements goes with it. */
export const removePermission: Operation = (context, input) => {
  const queue = queueParam(context, input);
  const label = requiredString(input, 'Label');
  const policy = policyOf(queue);
  const kept = policy.Statement.filter((statement) => statement.Sid !== label);
  if (kept.length === policy.Statement.length) {
    throw invalidValue('Label', label, "can't find label on existing policy.");
  }
  const Policy = kept.length ? JSON.stringify({ ...policy, Statement: kept }) : '';
  context.queues.setAttributes(queue, { Policy });
  return undefined;
};
