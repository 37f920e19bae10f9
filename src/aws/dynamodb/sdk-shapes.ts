import type * as DynamoDbStreams from '@aws-sdk/client-dynamodb-streams';
import type { Json } from './dynalite';
import { toSdkItem, type Item } from './items';

/** The wire's epoch seconds as the SDK's Date. */
const date = (seconds: unknown) => new Date((seconds as number) * 1000);

export function sdkDescribeStream(wire: Json): DynamoDbStreams.DescribeStreamOutput {
  const description = wire.StreamDescription as Json;
  return {
    StreamDescription: {
      ...description,
      CreationRequestDateTime: date(description.CreationRequestDateTime),
    } as DynamoDbStreams.StreamDescription,
  };
}

export function sdkGetRecords(wire: Json): DynamoDbStreams.GetRecordsOutput {
  const records = (wire.Records as Json[]).map((record): DynamoDbStreams._Record => {
    const data = record.dynamodb as Json;
    const image = (name: string) => (data[name] ? toSdkItem(data[name] as Item) : undefined);
    return {
      ...(record as DynamoDbStreams._Record),
      dynamodb: {
        ...(data as DynamoDbStreams.StreamRecord),
        ApproximateCreationDateTime: date(data.ApproximateCreationDateTime),
        Keys: image('Keys'),
        NewImage: image('NewImage'),
        OldImage: image('OldImage'),
      },
    };
  });
  return { Records: records, NextShardIterator: wire.NextShardIterator as string | undefined };
}
