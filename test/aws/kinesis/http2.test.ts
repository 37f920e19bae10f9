import { KinesisClient, ListStreamsCommand, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { strict as assert } from 'node:assert';
import { once } from 'node:events';
import { connect } from 'node:net';
import { credentials } from '../sns/helpers';
import { failure, REGION, startKinesis, type RunningKinesis } from './helpers';

describe('aws/kinesis for a Kinesis client as the SDK makes it (HTTP/2 without TLS)', () => {
  let kinesis: RunningKinesis;
  let client: KinesisClient;

  beforeEach(async () => {
    kinesis = await startKinesis();
    client = new KinesisClient({ endpoint: kinesis.url, region: REGION, credentials, maxAttempts: 1 });
  });

  afterEach(async () => {
    client.destroy();
    await kinesis.stop();
  });

  it('is answered over HTTP/2 on the same port as HTTP/1.1 clients', async () => {
    await kinesis.service.createStream({ StreamName: 'orders', ShardCount: 1 });
    const put = await client.send(
      new PutRecordCommand({ StreamName: 'orders', PartitionKey: 'a', Data: Buffer.from('h2') }),
    );
    assert.equal(put.ShardId, 'shardId-000000000000');
    assert.deepEqual((await client.send(new ListStreamsCommand({}))).StreamNames, ['orders']);
    assert.deepEqual((await kinesis.client.send(new ListStreamsCommand({}))).StreamNames, ['orders']);
    const missing = await failure(
      client.send(new PutRecordCommand({ StreamName: 'nope', PartitionKey: 'a', Data: Buffer.from('x') })),
    );
    assert.equal(missing.name, 'ResourceNotFoundException');
    assert.equal(missing.status, 400);
  });

  it('stops while a connection has sent nothing yet', async () => {
    const socket = connect(Number(new URL(kinesis.url).port), '127.0.0.1');
    await once(socket, 'connect');
    await kinesis.stop();
    await once(socket, 'close');
  });
});
