import { tablesFromModel } from '../aws/dynamodb/from-model';
import { busesFromModel } from '../aws/events/model-rules';
import { kinesisStreamsFromModel } from '../aws/kinesis/from-model';
import { bucketsFromModel } from '../aws/s3';
import { topologyFromModel } from '../aws/sns/topology';
import { queuesFromModel } from '../aws/sqs/from-model';
import { localQueueBase } from '../aws/sqs/queues';
import type { ServiceModel } from '../service/model';

/** What the embedded services create at start, by name, for the ready text. */
export interface CreatedResources {
  /** Each with its stream's view type, when it has one. */
  tables: Array<{ name: string; streamViewType?: string }>;
  queues: Array<{ name: string; url: string }>;
  topics: string[];
  buckets: string[];
  streams: string[];
  buses: string[];
}

/** Read from the model by the same readers the embedded services are configured with (aws-services.ts). */
export function createdResources(model: ServiceModel, awsUrl: string): CreatedResources {
  return {
    tables: tablesFromModel(model).map(({ name, streamViewType }) => ({ name, streamViewType })),
    // The URL SQS answers GetQueueUrl with on the AWS endpoint.
    queues: queuesFromModel(model).map(({ name }) => ({
      name,
      url: `${localQueueBase(awsUrl, model.region)}/${model.accountId}/${name}`,
    })),
    topics: topologyFromModel(model).topics.map((topic) => topic.name),
    buckets: bucketsFromModel(model),
    streams: kinesisStreamsFromModel(model).map((stream) => stream.name),
    buses: busesFromModel(model),
  };
}
