import type { AttributeValue, DynamoDBStreamEvent, KinesisStreamEvent, StreamRecord } from 'aws-lambda';
import { buildArn, executionRoleArn } from '../../service/arn';
import type { StreamEvent } from '../../service/model';
import { ALPHABETS, asText, derive, isObject, type SampleContext } from './context';

/**
 * One record as Lambda's Kinesis poller delivers it (https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html):
 * the payload in base64 (`overrides`, JSON unless a string, else a small JSON document), a 56-digit
 * sequence number, the first shard, and the function's execution role as `invokeIdentityArn`.
 */
export function kinesisEvent(spec: StreamEvent, context: SampleContext): KinesisStreamEvent {
  const { service, now, newId, overrides } = context;
  const data =
    overrides !== undefined ? asText(overrides) : JSON.stringify({ message: 'Hello from Kinesis!' });
  const sequenceNumber = `4959${derive(newId(), 52, ALPHABETS.digits)}`;
  const arn =
    spec.stream.arn ??
    buildArn('kinesis', service.region, service.accountId, `stream/${spec.stream.name ?? 'sample-stream'}`);
  return {
    Records: [
      {
        kinesis: {
          kinesisSchemaVersion: '1.0',
          partitionKey: 'sample-partition-key',
          sequenceNumber,
          data: Buffer.from(data, 'utf8').toString('base64'),
          approximateArrivalTimestamp: now.getTime() / 1000,
        },
        eventSource: 'aws:kinesis',
        eventVersion: '1.0',
        eventID: `shardId-000000000000:${sequenceNumber}`,
        eventName: 'aws:kinesis:record',
        invokeIdentityArn: executionRoleArn(service),
        awsRegion: service.region,
        eventSourceARN: arn,
      },
    ],
  };
}

type Image = Record<string, AttributeValue>;

/**
 * An INSERT as Lambda's DynamoDB Streams poller delivers it (https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html):
 * the new item (`overrides`, a plain object, marshalled to attribute values; else `{id, message}`)
 * as far as the table's StreamViewType shows it (NEW_AND_OLD_IMAGES when unknown), its key (`id`, else
 * the item's first attribute), the sequence number and size, the time to the second.
 */
export function dynamodbEvent(spec: StreamEvent, context: SampleContext): DynamoDBStreamEvent {
  const { service, now, newId, overrides } = context;
  const item = isObject(overrides) ? overrides : { id: newId(), message: 'Hello from DynamoDB!' };
  const newImage = marshall(item).M as Image;
  const keyName = 'id' in item ? 'id' : Object.keys(item)[0];
  const keys: Image = keyName === undefined ? {} : { [keyName]: newImage[keyName] };
  const table = [...service.resources.tables.values()].find(
    (t) => t.name === spec.stream.name || (t.streamArn !== undefined && t.streamArn === spec.stream.arn),
  );
  const viewType = (table?.streamViewType ?? 'NEW_AND_OLD_IMAGES') as StreamRecord['StreamViewType'];
  const record: StreamRecord = {
    ApproximateCreationDateTime: Math.floor(now.getTime() / 1000),
    Keys: keys,
    ...(viewType === 'NEW_IMAGE' || viewType === 'NEW_AND_OLD_IMAGES' ? { NewImage: newImage } : {}),
    SequenceNumber: `1${derive(newId(), 20, ALPHABETS.digits)}`,
    SizeBytes: Buffer.byteLength(JSON.stringify(viewType === 'KEYS_ONLY' ? keys : newImage)),
    StreamViewType: viewType,
  };
  const arn =
    spec.stream.arn ??
    buildArn(
      'dynamodb',
      service.region,
      service.accountId,
      `table/${spec.stream.name ?? 'sample-table'}/stream/${now.toISOString().replace('Z', '')}`,
    );
  return {
    Records: [
      {
        eventID: derive(newId(), 32, ALPHABETS.hex),
        eventName: 'INSERT',
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: service.region,
        dynamodb: record,
        eventSourceARN: arn,
      },
    ],
  };
}

/** A JSON value as a DynamoDB attribute value (numbers as text, objects as maps, arrays as lists). */
export function marshall(value: unknown): AttributeValue {
  if (value === null || value === undefined) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map(marshall) };
  if (isObject(value)) {
    return { M: Object.fromEntries(Object.entries(value).map(([k, v]) => [k, marshall(v)])) };
  }
  return { S: String(value) };
}
