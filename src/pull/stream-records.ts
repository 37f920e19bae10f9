import type * as Kinesis from '@aws-sdk/client-kinesis';
import type * as DynamoDbStreams from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, KinesisStreamRecord } from 'aws-lambda';
import { WRITE_CAUSE, type WithWriteCause } from '../lambda/write-causes';
import { withParsedData } from './filter';
import type { PulledRecord } from './mapping-loop';

export interface StreamPulled extends PulledRecord {
  sequenceNumber: string;
  /** Records with the same key keep their order when a shard is processed in parallel. */
  partitionKey: string;
  arrivalMs: number;
  /** The trace header of the call that wrote the record, when an embedded stream knows it. */
  causeHeader?: string;
}

const seconds = (date: Date | undefined) => (date ? date.getTime() / 1000 : 0);

/** The KinesisStreamEvent record Lambda builds from a record read from a shard. */
export function kinesisRecord(
  record: Kinesis._Record,
  place: { shardId: string; streamArn: string; region: string; roleArn: string },
): StreamPulled {
  const data = Buffer.from(record.Data ?? new Uint8Array()).toString('base64');
  const sequenceNumber = record.SequenceNumber ?? '';
  const event: KinesisStreamRecord = {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: record.PartitionKey ?? '',
      sequenceNumber,
      data,
      approximateArrivalTimestamp: seconds(record.ApproximateArrivalTimestamp),
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${place.shardId}:${sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: place.roleArn,
    awsRegion: place.region,
    eventSourceARN: place.streamArn,
  };
  return {
    json: JSON.stringify(event),
    matchable: withParsedData(event, 'data', Buffer.from(data, 'base64').toString('utf8')),
    sequenceNumber,
    partitionKey: record.PartitionKey ?? '',
    arrivalMs: record.ApproximateArrivalTimestamp?.getTime() ?? 0,
    causeHeader: (record as WithWriteCause)[WRITE_CAUSE],
  };
}

type WireAttribute = Record<string, unknown>;

/** An AttributeValue as DynamoDB's JSON carries it (binary in Base64), from the SDK's shape. */
function wireAttribute(value: DynamoDbStreams.AttributeValue): WireAttribute {
  const v = value as unknown as Record<string, unknown>;
  if (v.B instanceof Uint8Array) return { B: Buffer.from(v.B).toString('base64') };
  if (Array.isArray(v.BS))
    return { BS: (v.BS as Uint8Array[]).map((b) => Buffer.from(b).toString('base64')) };
  if (Array.isArray(v.L)) return { L: (v.L as DynamoDbStreams.AttributeValue[]).map(wireAttribute) };
  if (v.M && typeof v.M === 'object')
    return { M: wireImage(v.M as Record<string, DynamoDbStreams.AttributeValue>) };
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined));
}

function wireImage(
  image: Record<string, DynamoDbStreams.AttributeValue> | undefined,
): Record<string, WireAttribute> | undefined {
  return image && Object.fromEntries(Object.entries(image).map(([k, v]) => [k, wireAttribute(v)]));
}

/** The DynamoDBStreamEvent record Lambda builds from a stream record. */
export function dynamodbRecord(record: DynamoDbStreams._Record, streamArn: string): StreamPulled {
  const stream = record.dynamodb ?? {};
  const event: DynamoDBRecord = {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion,
    eventSource: record.eventSource,
    awsRegion: record.awsRegion,
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(seconds(stream.ApproximateCreationDateTime)),
      Keys: wireImage(stream.Keys) as never,
      ...(stream.NewImage && { NewImage: wireImage(stream.NewImage) as never }),
      ...(stream.OldImage && { OldImage: wireImage(stream.OldImage) as never }),
      SequenceNumber: stream.SequenceNumber,
      SizeBytes: stream.SizeBytes,
      StreamViewType: stream.StreamViewType,
    },
    // The Streams API's Identity is { PrincipalId, Type }; Lambda's event writes it { principalId, type }.
    ...(record.userIdentity && {
      userIdentity: { type: record.userIdentity.Type, principalId: record.userIdentity.PrincipalId },
    }),
    eventSourceARN: streamArn,
  };
  return {
    json: JSON.stringify(event),
    matchable: event,
    sequenceNumber: stream.SequenceNumber ?? '',
    partitionKey: JSON.stringify(event.dynamodb?.Keys ?? {}),
    arrivalMs: stream.ApproximateCreationDateTime?.getTime() ?? 0,
    causeHeader: (record as WithWriteCause)[WRITE_CAUSE],
  };
}
