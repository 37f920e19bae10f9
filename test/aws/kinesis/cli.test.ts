import { strict as assert } from 'node:assert';
import { awsCli, startKinesis, streamArn, type RunningKinesis } from './helpers';

describe('aws/kinesis through the AWS CLI v1', () => {
  let kinesis: RunningKinesis;

  beforeEach(async () => {
    kinesis = await startKinesis();
  });

  afterEach(() => kinesis.stop());

  const cli = async (...args: string[]) =>
    JSON.parse((await awsCli(kinesis.url, ['kinesis', ...args])) || '{}');

  it('creates a stream, puts and reads a record', async () => {
    await cli('create-stream', '--stream-name', 'orders', '--shard-count', '4');
    const described = await cli('describe-stream', '--stream-name', 'orders');
    assert.equal(described.StreamDescription.StreamARN, streamArn('orders'));
    assert.equal(described.StreamDescription.Shards.length, 4);
    assert.equal(typeof described.StreamDescription.StreamCreationTimestamp, 'number');

    // The CLI v1 takes --data as text and sends it base64-encoded.
    const put = await cli('put-record', '--stream-name', 'orders', '--partition-key', 'b', '--data', 'hello');
    assert.equal(put.ShardId, 'shardId-000000000002');
    const { ShardIterator } = await cli(
      'get-shard-iterator',
      '--stream-name',
      'orders',
      '--shard-id',
      put.ShardId,
      '--shard-iterator-type',
      'AT_SEQUENCE_NUMBER',
      '--starting-sequence-number',
      put.SequenceNumber,
    );
    const got = await cli('get-records', '--shard-iterator', ShardIterator);
    assert.equal(got.Records.length, 1);
    assert.equal(got.Records[0].SequenceNumber, put.SequenceNumber);
    // ... and prints blobs base64-encoded.
    assert.equal(Buffer.from(got.Records[0].Data, 'base64').toString(), 'hello');
    assert.equal(got.Records[0].ApproximateArrivalTimestamp, kinesis.clock.time / 1000);
    assert.deepEqual((await cli('list-streams')).StreamNames, ['orders']);
  });

  it('shows the AWS error code', async () => {
    await assert.rejects(cli('describe-stream-summary', '--stream-name', 'nope'), (error: Error) => {
      assert.match(error.message, /ResourceNotFoundException/);
      assert.match(error.message, /Stream nope under account 123456789012 not found\./);
      return true;
    });
  });
});
