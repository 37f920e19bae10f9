import { ListStreamsCommand, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { strict as assert } from 'node:assert';
import { once } from 'node:events';
import { connect } from 'node:net';
import { failure, startKinesis, type RunningKinesis } from './helpers';

describe('aws/kinesis over HTTP/2 and HTTP/1.1 on one port', () => {
  let kinesis: RunningKinesis;

  beforeEach(async () => {
    kinesis = await startKinesis();
  });

  afterEach(() => kinesis.stop());

  it("answers the SDK's Kinesis client, which speaks HTTP/2 without TLS, and HTTP/1.1 clients", async () => {
    await kinesis.service.createStream({ StreamName: 'orders', ShardCount: 1 });
    const put = await kinesis.client.send(
      new PutRecordCommand({ StreamName: 'orders', PartitionKey: 'a', Data: Buffer.from('h2') }),
    );
    assert.equal(put.ShardId, 'shardId-000000000000');
    assert.deepEqual((await kinesis.client.send(new ListStreamsCommand({}))).StreamNames, ['orders']);
    const missing = await failure(
      kinesis.client.send(
        new PutRecordCommand({ StreamName: 'nope', PartitionKey: 'a', Data: Buffer.from('x') }),
      ),
    );
    assert.equal(missing.name, 'ResourceNotFoundException');
    assert.equal(missing.status, 400);
    const http1 = await fetch(kinesis.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'Kinesis_20131202.ListStreams',
      },
      body: '{}',
    });
    assert.deepEqual(((await http1.json()) as { StreamNames: string[] }).StreamNames, ['orders']);
  });

  it('stops while a connection has sent nothing yet', async () => {
    const socket = connect(Number(new URL(kinesis.url).port), '127.0.0.1');
    await once(socket, 'connect');
    const closed = once(socket, 'close');
    await kinesis.stop();
    await closed;
  });
});
