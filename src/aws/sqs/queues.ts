import type { Clock } from '../../clock';
import { buildArn, parseArn } from '../../service/arn';
import { invalidParameterValue, invalidValue, queueDoesNotExist, SqsError } from './errors';
import { redrivePolicyOf, validateAttributes, withDefaults, type RedrivePolicy } from './queue-attributes';
import type { QueueRow, SqsStore } from './store';

/** A queue with its settings read once (the store keeps them as JSON). */
export interface Queue {
  name: string;
  arn: string;
  fifo: boolean;
  /** The attributes the queue sets (without SQS's defaults). */
  attributes: Record<string, string>;
  tags: Record<string, string>;
  /** Epoch seconds. */
  created: number;
  modified: number;
  delaySeconds: number;
  maximumMessageSize: number;
  retentionPeriod: number;
  waitTimeSeconds: number;
  visibilityTimeout: number;
  contentBasedDeduplication: boolean;
  redrive?: RedrivePolicy;
}

const NAME = /^[A-Za-z0-9_-]{1,80}$/;
const FIFO_NAME = /^[A-Za-z0-9_-]{1,75}\.fifo$/;

/**
 * Where the queue URLs of a region start on the emulator's endpoint: `<endpoint>/queue/<region>`, the
 * path form LocalStack uses too (a region in the host name would need DNS for `*.localhost`).
 */
export const localQueueBase = (endpoint: string, region: string): string => `${endpoint}/queue/${region}`;

/**
 * The queue's name in a QueueUrl, as SQS reads it: the last segment of the URL's path, whatever its
 * host and account (`https://sqs.<region>.amazonaws.com/<account>/<name>`, `http://localhost:4566/queue/<region>/<account>/<name>`),
 * or the queue's bare name.
 */
export function queueNameInUrl(url: string): string {
  const path = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '').replace(/[?#].*$/, '');
  return path.replace(/\/+$/, '').split('/').pop() ?? '';
}

/**
 * SQS's queues, cached as read: the store is only written through here. Queues the service defines
 * (origin `model`) are replaced at every start; those created through the API persist.
 */
export class Queues {
  private readonly cache = new Map<string, Queue | null>();

  constructor(
    private readonly store: SqsStore,
    private readonly region: string,
    private readonly accountId: string,
    private readonly clock: Clock,
  ) {}

  arnOf(name: string): string {
    return buildArn('sqs', this.region, this.accountId, name);
  }

  get(name: string): Queue | undefined {
    let queue = this.cache.get(name);
    if (queue === undefined) {
      const row = this.store.queue(name);
      queue = row ? this.read(row) : null;
      this.cache.set(name, queue);
    }
    return queue ?? undefined;
  }

  require(name: string): Queue {
    const queue = this.get(name);
    if (!queue) throw queueDoesNotExist();
    return queue;
  }

  /** The queue a QueueUrl names: a URL of any host and account, or a bare name; QueueDoesNotExist else. */
  fromUrl(url: string): Queue {
    return this.require(queueNameInUrl(url));
  }

  /** The queue a queue ARN names (a redrive policy's, a Lambda destination's). */
  fromArn(arn: string): Queue | undefined {
    const parsed = parseArn(arn);
    return parsed?.service === 'sqs' ? this.get(parsed.resource) : undefined;
  }

  names(prefix: string, after: string): string[] {
    return this.store.queueNames(after).filter((name) => name.startsWith(prefix));
  }

  /**
   * CreateQueue: a new queue, or the existing one when every given attribute has the value it
   * already has (QueueAlreadyExists otherwise). Returns the queue.
   */
  create(
    name: string,
    given: Record<string, string>,
    tags: Record<string, string>,
    origin: QueueRow['origin'],
  ): Queue {
    const fifo = given.FifoQueue === 'true';
    if (!(fifo ? FIFO_NAME : NAME).test(name)) {
      throw invalidParameterValue(
        fifo
          ? 'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.'
          : 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
      );
    }
    const attributes = validateAttributes(given, fifo, true);
    delete attributes.FifoQueue;
    if (attributes.RedrivePolicy === '') delete attributes.RedrivePolicy;
    const existing = this.get(name);
    if (existing && origin === 'api') {
      const current = withDefaults(existing.attributes, existing.fifo);
      const differing = Object.keys(attributes).filter((key) => current[key] !== attributes[key]);
      if (differing.length) {
        throw new SqsError(
          'QueueNameExists',
          `A queue already exists with the same name and a different value for attribute ${differing[0]}`,
        );
      }
      return existing;
    }
    if (origin === 'api') this.checkDeadLetterQueue(attributes, fifo);
    const at = Math.floor(this.clock.now() / 1000);
    this.store.putQueue({
      name,
      attributes: JSON.stringify(attributes),
      tags: JSON.stringify(tags),
      origin,
      created: existing?.created ?? at,
      modified: at,
    });
    this.cache.delete(name);
    return this.require(name);
  }

  setAttributes(queue: Queue, given: Record<string, string>): void {
    const changes = validateAttributes(given, queue.fifo, false);
    const attributes = { ...queue.attributes, ...changes };
    // An empty policy removes it.
    if (attributes.RedrivePolicy === '') delete attributes.RedrivePolicy;
    if (attributes.Policy === '') delete attributes.Policy;
    this.checkDeadLetterQueue(changes, queue.fifo);
    this.store.setAttributes(queue.name, JSON.stringify(attributes), Math.floor(this.clock.now() / 1000));
    this.cache.delete(queue.name);
  }

  setTags(queue: Queue, tags: Record<string, string>): void {
    this.store.setTags(queue.name, JSON.stringify(tags));
    this.cache.delete(queue.name);
  }

  delete(queue: Queue): void {
    this.store.deleteQueue(queue.name);
    this.cache.delete(queue.name);
  }

  /** A redrive policy must name an existing queue of the same type. */
  private checkDeadLetterQueue(attributes: Record<string, string>, fifo: boolean): void {
    const policy = redrivePolicyOf(attributes);
    if (!policy) return;
    const target = this.fromArn(policy.deadLetterTargetArn);
    if (!target || target.fifo !== fifo) {
      throw invalidValue(
        'RedrivePolicy',
        attributes.RedrivePolicy,
        target
          ? 'Dead-letter queue must be same type of queue as the source.'
          : 'Dead letter target does not exist.',
      );
    }
  }

  private read(row: QueueRow): Queue {
    const attributes = JSON.parse(row.attributes) as Record<string, string>;
    const fifo = row.name.endsWith('.fifo');
    const all = withDefaults(attributes, fifo);
    return {
      name: row.name,
      arn: this.arnOf(row.name),
      fifo,
      attributes,
      tags: JSON.parse(row.tags) as Record<string, string>,
      created: row.created,
      modified: row.modified,
      delaySeconds: Number(all.DelaySeconds),
      maximumMessageSize: Number(all.MaximumMessageSize),
      retentionPeriod: Number(all.MessageRetentionPeriod),
      waitTimeSeconds: Number(all.ReceiveMessageWaitTimeSeconds),
      visibilityTimeout: Number(all.VisibilityTimeout),
      contentBasedDeduplication: all.ContentBasedDeduplication === 'true',
      redrive: redrivePolicyOf(attributes),
    };
  }
}
