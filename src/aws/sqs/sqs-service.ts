import type * as Sqs from '@aws-sdk/client-sqs';
import { randomUUID } from 'node:crypto';
import { systemClock } from '../../clock';
import type { SqsSourceApi } from '../../pull/source-apis';
import { requestTraceHeader, type AwsRequest, type AwsResponse, type AwsService } from '../endpoint';
import type { CallInfo, Operation, SqsContext } from './context';
import { SqsError } from './errors';
import {
  changeMessageVisibility,
  changeMessageVisibilityBatch,
  deleteMessage,
  deleteMessageBatch,
} from './message-operations';
import { serve } from '../query-protocol';
import { isSqsRequest, SQS_PROTOCOL } from './protocol';
import {
  createQueue,
  deleteQueue,
  getQueueAttributes,
  getQueueUrl,
  listDeadLetterSourceQueues,
  listQueues,
  listQueueTags,
  purgeQueue,
  setQueueAttributes,
  tagQueue,
  untagQueue,
} from './queue-operations';
import { addPermission, removePermission } from './permissions';
import { localQueueBase, Queues } from './queues';
import { receiveMessage } from './receive';
import { sendMessage, sendMessageBatch } from './send';
import { SqsStore } from './store';
import type { SqsServiceOptions } from './types';
import { Waiters } from './waiters';

const OPERATIONS: Record<string, Operation> = {
  CreateQueue: createQueue,
  GetQueueUrl: getQueueUrl,
  ListQueues: listQueues,
  DeleteQueue: deleteQueue,
  GetQueueAttributes: getQueueAttributes,
  SetQueueAttributes: setQueueAttributes,
  PurgeQueue: purgeQueue,
  TagQueue: tagQueue,
  UntagQueue: untagQueue,
  ListQueueTags: listQueueTags,
  ListDeadLetterSourceQueues: listDeadLetterSourceQueues,
  AddPermission: addPermission,
  RemovePermission: removePermission,
  SendMessage: sendMessage,
  SendMessageBatch: sendMessageBatch,
  ReceiveMessage: receiveMessage,
  DeleteMessage: deleteMessage,
  DeleteMessageBatch: deleteMessageBatch,
  ChangeMessageVisibility: changeMessageVisibility,
  ChangeMessageVisibilityBatch: changeMessageVisibilityBatch,
};

/**
 * Amazon SQS on the emulator's AWS endpoint, over AWS JSON 1.0 (`X-Amz-Target: AmazonSQS.<Action>`,
 * what the SDKs and the AWS CLI send now) and the Query protocol (older clients, posting to `/` or to
 * the queue's URL). Queues and messages live in the state database: the service's own queues, from
 * its configuration, are created with their attributes at every start; those created through the API
 * and every message persist. Queue URLs are `http://<the Host the caller used>/queue/<region>/<account>/<name>`; as in
 * SQS, a QueueUrl names the queue by its last path segment, whatever the host and account, or is the
 * queue's bare name.
 *
 * The event source mappings (and SNS, and Lambda's destinations) call the same operations directly,
 * in the SDK v3 shapes, through the methods below; errors are SqsErrors named as the SDK names them.
 */
export class SqsService implements AwsService, SqsSourceApi {
  private readonly context: SqsContext;
  /** Queue URLs handed to direct callers, which reach no Host: the AWS form, which names the queue as well. */
  private readonly direct: CallInfo;
  private readonly region: string;

  constructor(options: SqsServiceOptions) {
    this.region = options.region;
    const store = new SqsStore(options.db);
    const clock = options.clock ?? systemClock;
    const queues = new Queues(store, options.region, options.accountId, clock);
    for (const spec of options.queues) queues.create(spec.name, spec.attributes, {}, 'model');
    this.context = {
      store,
      queues,
      waiters: new Waiters(clock, (queue, since) => store.nextVisible(queue, since)),
      accountId: options.accountId,
      clock,
      newId: options.newId ?? randomUUID,
      log: options.log ?? (() => undefined),
    };
    this.direct = { baseUrl: `https://sqs.${options.region}.amazonaws.com` };
  }

  handles(request: AwsRequest): boolean {
    return isSqsRequest(request);
  }

  handle(request: AwsRequest): Promise<AwsResponse> {
    return serve(SQS_PROTOCOL, request, async (action, input) => {
      const operation = OPERATIONS[action];
      if (!operation) {
        throw new SqsError('InvalidAction', `The action ${action} is not valid for this web service.`);
      }
      return operation(this.context, input, {
        baseUrl: localQueueBase(`http://${request.headers.host ?? 'localhost'}`, this.region),
        traceHeader: requestTraceHeader(request),
      });
    });
  }

  /** The URL of the queue an ARN names (what the service's configuration knows queues by). */
  queueUrlOf(queueArn: string): string {
    const queue = this.context.queues.fromArn(queueArn);
    if (!queue) throw new SqsError('QueueDoesNotExist', 'The specified queue does not exist.');
    return `${this.direct.baseUrl}/${this.context.accountId}/${queue.name}`;
  }

  private async call<T>(operation: Operation, input: object): Promise<T> {
    return ((await operation(this.context, { ...input }, this.direct)) ?? {}) as T;
  }

  sendMessage(input: Sqs.SendMessageRequest): Promise<Sqs.SendMessageResult> {
    return this.call(sendMessage, input);
  }

  sendMessageBatch(input: Sqs.SendMessageBatchRequest): Promise<Sqs.SendMessageBatchResult> {
    return this.call(sendMessageBatch, input);
  }

  receiveMessage(input: Sqs.ReceiveMessageRequest): Promise<Sqs.ReceiveMessageResult> {
    return this.call(receiveMessage, input);
  }

  deleteMessageBatch(input: Sqs.DeleteMessageBatchRequest): Promise<Sqs.DeleteMessageBatchResult> {
    return this.call(deleteMessageBatch, input);
  }

  changeMessageVisibilityBatch(
    input: Sqs.ChangeMessageVisibilityBatchRequest,
  ): Promise<Sqs.ChangeMessageVisibilityBatchResult> {
    return this.call(changeMessageVisibilityBatch, input);
  }

  getQueueAttributes(input: Sqs.GetQueueAttributesRequest): Promise<Sqs.GetQueueAttributesResult> {
    return this.call(getQueueAttributes, input);
  }

  getQueueUrl(input: Sqs.GetQueueUrlRequest): Promise<Sqs.GetQueueUrlResult> {
    return this.call(getQueueUrl, input);
  }

  /** Ends every long poll with no messages and leaves no timer. */
  stop(): void {
    this.context.waiters.stop();
  }
}
