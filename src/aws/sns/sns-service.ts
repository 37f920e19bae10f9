import { randomUUID } from 'node:crypto';
import { systemClock } from '../../clock';
import { inAccount } from '../../service/arn';
import { requestTraceHeader, type AwsRequest, type AwsResponse, type AwsService } from '../endpoint';
import { definedSubscriptionArn, type Operation, type SnsContext } from './context';
import { SnsError } from './errors';
import { FilterPolicies } from './filter';
import { serve } from '../query-protocol';
import { isSnsRequest, SNS_PROTOCOL } from './protocol';
import {
  addPermission,
  getDataProtectionPolicy,
  putDataProtectionPolicy,
  removePermission,
} from './policy-operations';
import { publish, publishBatch } from './publish';
import { SnsStore } from './store';
import {
  confirmSubscription,
  getSubscriptionAttributes,
  listSubscriptions,
  listSubscriptionsByTopic,
  setSubscriptionAttributes,
  subscribe,
  unsubscribe,
} from './subscription-operations';
import {
  createTopic,
  deleteTopic,
  getTopicAttributes,
  listTopics,
  setTopicAttributes,
} from './topic-operations';
import { listTagsForResource, tagResource, untagResource } from './tag-operations';
import type { MessageAttributeValue, SnsServiceOptions } from './types';

const OPERATIONS: Record<string, Operation> = {
  CreateTopic: createTopic,
  ListTopics: listTopics,
  DeleteTopic: deleteTopic,
  GetTopicAttributes: getTopicAttributes,
  SetTopicAttributes: setTopicAttributes,
  Publish: publish,
  PublishBatch: publishBatch,
  Subscribe: subscribe,
  Unsubscribe: unsubscribe,
  ListSubscriptions: listSubscriptions,
  ListSubscriptionsByTopic: listSubscriptionsByTopic,
  GetSubscriptionAttributes: getSubscriptionAttributes,
  SetSubscriptionAttributes: setSubscriptionAttributes,
  ConfirmSubscription: confirmSubscription,
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsForResource: listTagsForResource,
  AddPermission: addPermission,
  RemovePermission: removePermission,
  PutDataProtectionPolicy: putDataProtectionPolicy,
  GetDataProtectionPolicy: getDataProtectionPolicy,
};

/**
 * Amazon SNS on the emulator's AWS endpoint, over the Query protocol (what `@aws-sdk/client-sns`,
 * `aws-sdk` v2 and the AWS CLI send) and AWS JSON 1.0 (`X-Amz-Target: SNS_20100331.<Action>`). Topics
 * and subscriptions live in the state database: the service's own, from its configuration, replaced
 * at every start; those created through the API, kept. A publish fans out to the subscriptions whose
 * filter policies accept it: `lambda` ones through `deliver` (an SNSEvent, for an async invocation),
 * `sqs` ones through `deliverToQueue`.
 */
export class SnsService implements AwsService {
  private readonly context: SnsContext;

  constructor(options: SnsServiceOptions) {
    const store = new SnsStore(options.db);
    const local = (arn: string) => inAccount(arn, options.accountId);
    store.seed(
      {
        topics: options.topology.topics.map((topic) => ({ ...topic, arn: local(topic.arn) })),
        subscriptions: options.topology.subscriptions.map((s) => ({ ...s, topicArn: local(s.topicArn) })),
      },
      definedSubscriptionArn,
    );
    this.context = {
      store,
      region: options.region,
      accountId: options.accountId,
      clock: options.clock ?? systemClock,
      newId: options.newId ?? randomUUID,
      deliver: options.deliver,
      deliverToQueue: options.deliverToQueue,
      log: options.log ?? (() => undefined),
      deduplication: new Map(),
      filterPolicies: new FilterPolicies(),
    };
  }

  /**
   * Publishes as the Publish API does, for the emulator's own senders (a Lambda destination or DLQ
   * that names a topic), in the trace of the invocation it reports. Throws an SnsError (e.g. `NotFound`) where the API would answer one.
   */
  async publish(
    input: {
      TopicArn: string;
      Message: string;
      Subject?: string;
      MessageAttributes?: Record<string, MessageAttributeValue>;
    },
    traceHeader?: string,
  ): Promise<{ MessageId: string }> {
    const result = await publish(this.context, this.inAccount({ ...input }), { traceHeader });
    return { MessageId: String(result?.MessageId) };
  }

  handles(request: AwsRequest): boolean {
    return isSnsRequest(request);
  }

  handle(request: AwsRequest): Promise<AwsResponse> {
    return serve(SNS_PROTOCOL, request, async (action, input) => {
      const operation = OPERATIONS[action];
      if (!operation)
        throw new SnsError('InvalidAction', `The action ${action} is not valid for this web service.`);
      return operation(this.context, this.inAccount(input), {
        traceHeader: requestTraceHeader(request),
      });
    });
  }

  /** The input with its topic and subscription ARNs (`TopicArn`, `SubscriptionArn`, ...) in this account. */
  private inAccount<T extends Record<string, unknown>>(input: T): T {
    const local: Record<string, unknown> = { ...input };
    for (const [name, value] of Object.entries(input)) {
      if (name.endsWith('Arn') && typeof value === 'string')
        local[name] = inAccount(value, this.context.accountId);
    }
    return local as T;
  }
}
