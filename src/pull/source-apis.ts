import type * as Sqs from '@aws-sdk/client-sqs';
import type * as Kinesis from '@aws-sdk/client-kinesis';
import type * as DynamoDbStreams from '@aws-sdk/client-dynamodb-streams';

/**
 * What an event source mapping calls on its source, in the AWS API's own request and result shapes.
 * The embedded services implement these directly (no HTTP hop); the external driver wraps the AWS SDK
 * v3 clients pointed at another endpoint. The mapping loop cannot tell which one it talks to.
 */
export interface SqsSourceApi {
  receiveMessage(input: Sqs.ReceiveMessageRequest): Promise<Sqs.ReceiveMessageResult>;
  deleteMessageBatch(input: Sqs.DeleteMessageBatchRequest): Promise<Sqs.DeleteMessageBatchResult>;
  changeMessageVisibilityBatch(
    input: Sqs.ChangeMessageVisibilityBatchRequest,
  ): Promise<Sqs.ChangeMessageVisibilityBatchResult>;
  getQueueAttributes(input: Sqs.GetQueueAttributesRequest): Promise<Sqs.GetQueueAttributesResult>;
  getQueueUrl(input: Sqs.GetQueueUrlRequest): Promise<Sqs.GetQueueUrlResult>;
}

export interface KinesisSourceApi {
  listShards(input: Kinesis.ListShardsInput): Promise<Kinesis.ListShardsOutput>;
  getShardIterator(input: Kinesis.GetShardIteratorInput): Promise<Kinesis.GetShardIteratorOutput>;
  getRecords(input: Kinesis.GetRecordsInput): Promise<Kinesis.GetRecordsOutput>;
}

export interface DynamoDbStreamsSourceApi {
  describeStream(input: DynamoDbStreams.DescribeStreamInput): Promise<DynamoDbStreams.DescribeStreamOutput>;
  getShardIterator(
    input: DynamoDbStreams.GetShardIteratorInput,
  ): Promise<DynamoDbStreams.GetShardIteratorOutput>;
  getRecords(input: DynamoDbStreams.GetRecordsInput): Promise<DynamoDbStreams.GetRecordsOutput>;
}

/**
 * An embedded stream tells its pollers that a shard has new records, so a poller waiting for its next
 * poll can read at once when the emulator is set to (AWS polls on a fixed rate; see pull/).
 */
export interface RecordsNotifier {
  /** Calls `listener(streamArn, shardId)` after records are appended; returns an unsubscribe. */
  onRecords(listener: (streamArn: string, shardId: string) => void): () => void;
}
