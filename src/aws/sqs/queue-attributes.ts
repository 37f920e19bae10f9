import { parseArn } from '../../service/arn';
import { SqsError, invalidValue } from './errors';

/** SQS's defaults, added on read to what a queue sets. */
const DEFAULTS: Record<string, string> = {
  DelaySeconds: '0',
  MaximumMessageSize: '1048576',
  MessageRetentionPeriod: '345600',
  ReceiveMessageWaitTimeSeconds: '0',
  VisibilityTimeout: '30',
  SqsManagedSseEnabled: 'true',
};

const FIFO_DEFAULTS: Record<string, string> = {
  FifoQueue: 'true',
  ContentBasedDeduplication: 'false',
  DeduplicationScope: 'queue',
  FifoThroughputLimit: 'perQueue',
};

const RANGES: Record<string, [number, number]> = {
  DelaySeconds: [0, 900],
  MaximumMessageSize: [1024, 1048576],
  MessageRetentionPeriod: [60, 1209600],
  ReceiveMessageWaitTimeSeconds: [0, 20],
  VisibilityTimeout: [0, 43200],
  KmsDataKeyReusePeriodSeconds: [60, 86400],
};

const BOOLEANS = new Set(['SqsManagedSseEnabled', 'ContentBasedDeduplication', 'FifoQueue']);
const FIFO_ONLY = new Set(['ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit']);
const CHOICES: Record<string, string[]> = {
  DeduplicationScope: ['messageGroup', 'queue'],
  FifoThroughputLimit: ['perQueue', 'perMessageGroupId'],
};
const FREE_TEXT = new Set(['Policy', 'RedriveAllowPolicy', 'KmsMasterKeyId']);

/** The attributes GetQueueAttributes computes rather than stores. */
export const COMPUTED_ATTRIBUTES = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
  'QueueArn',
] as const;

const KNOWN = new Set([
  ...Object.keys(DEFAULTS),
  ...Object.keys(FIFO_DEFAULTS),
  ...Object.keys(RANGES),
  ...FREE_TEXT,
  'RedrivePolicy',
  ...COMPUTED_ATTRIBUTES,
]);

export const unknownAttribute = (name: string) =>
  new SqsError('InvalidAttributeName', `Unknown Attribute ${name}.`);

const invalidAttribute = (name: string) =>
  new SqsError('InvalidAttributeValue', `Invalid value for the parameter ${name}.`);

export function isKnownAttribute(name: string): boolean {
  return name === 'All' || KNOWN.has(name);
}

/** The attributes a queue reports: its own over SQS's defaults. */
export function withDefaults(attributes: Record<string, string>, fifo: boolean): Record<string, string> {
  return { ...DEFAULTS, ...(fifo ? FIFO_DEFAULTS : {}), ...attributes };
}

/** The redrive policy a queue sets: the DLQ's ARN and how many receives a message gets before it moves. */
export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

function readRedrivePolicy(value: string): RedrivePolicy {
  let policy: unknown;
  try {
    policy = JSON.parse(value);
  } catch {
    throw invalidValue('RedrivePolicy', value, 'Redrive policy is not a valid JSON map.');
  }
  const { deadLetterTargetArn, maxReceiveCount } = (policy ?? {}) as Record<string, unknown>;
  if (typeof deadLetterTargetArn !== 'string' || parseArn(deadLetterTargetArn)?.service !== 'sqs') {
    throw invalidValue('RedrivePolicy', value, 'Invalid value for deadLetterTargetArn.');
  }
  const count = Number(maxReceiveCount);
  if (!Number.isInteger(count) || count < 1 || count > 1000) {
    throw invalidValue(
      'RedrivePolicy',
      value,
      `Invalid value for maxReceiveCount: ${String(maxReceiveCount)}, valid values are from 1 to 1000 both inclusive.`,
    );
  }
  return { deadLetterTargetArn, maxReceiveCount: count };
}

export function redrivePolicyOf(attributes: Record<string, string>): RedrivePolicy | undefined {
  return attributes.RedrivePolicy ? readRedrivePolicy(attributes.RedrivePolicy) : undefined;
}

/**
 * Validates attributes given to CreateQueue or SetQueueAttributes and returns them as SQS stores
 * them (the redrive policy as SQS writes it back). `creating` allows FifoQueue, which only
 * CreateQueue takes.
 */
export function validateAttributes(
  given: Record<string, string>,
  fifo: boolean,
  creating: boolean,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(given)) {
    if (!KNOWN.has(name) || COMPUTED_ATTRIBUTES.includes(name as (typeof COMPUTED_ATTRIBUTES)[number])) {
      throw unknownAttribute(name);
    }
    if ((FIFO_ONLY.has(name) && !fifo) || (name === 'FifoQueue' && !creating)) throw unknownAttribute(name);
    const range = RANGES[name];
    if (range) {
      const number = Number(value);
      if (value === '' || !Number.isInteger(number) || number < range[0] || number > range[1]) {
        throw invalidAttribute(name);
      }
      result[name] = String(number);
    } else if (BOOLEANS.has(name)) {
      if (value !== 'true' && value !== 'false') throw invalidAttribute(name);
      result[name] = value;
    } else if (CHOICES[name]) {
      if (!CHOICES[name].includes(value)) throw invalidAttribute(name);
      result[name] = value;
    } else if (name === 'RedrivePolicy') {
      result[name] = value === '' ? '' : JSON.stringify(readRedrivePolicy(value));
    } else {
      result[name] = value;
    }
  }
  return result;
}
