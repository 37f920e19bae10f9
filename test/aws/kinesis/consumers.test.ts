import {
  CreateStreamCommand,
  DeregisterStreamConsumerCommand,
  DescribeStreamConsumerCommand,
  DescribeStreamSummaryCommand,
  ListStreamConsumersCommand,
  RegisterStreamConsumerCommand,
  SubscribeToShardCommand,
} from '@aws-sdk/client-kinesis';
import assert from 'node:assert/strict';
import { failure, startKinesis, streamArn, T0, type RunningKinesis } from './helpers';

describe('aws/kinesis stream consumers', () => {
  let kinesis: RunningKinesis;
  const StreamARN = streamArn('orders');

  beforeEach(async () => {
    kinesis = await startKinesis();
    await kinesis.client.send(new CreateStreamCommand({ StreamName: 'orders', ShardCount: 1 }));
  });

  afterEach(() => kinesis.stop());

  it('registers, describes, lists and deregisters consumers', async () => {
    const { Consumer } = await kinesis.client.send(
      new RegisterStreamConsumerCommand({ StreamARN, ConsumerName: 'fan' }),
    );
    assert.deepEqual(Consumer, {
      ConsumerName: 'fan',
      ConsumerARN: `${StreamARN}/consumer/fan:${T0 / 1000}`,
      ConsumerStatus: 'CREATING',
      ConsumerCreationTimestamp: new Date(T0),
    });
    const ConsumerARN = Consumer?.ConsumerARN;
    const byArn = await kinesis.client.send(new DescribeStreamConsumerCommand({ ConsumerARN }));
    assert.equal(byArn.ConsumerDescription?.ConsumerStatus, 'ACTIVE');
    assert.equal(byArn.ConsumerDescription?.StreamARN, StreamARN);
    const byName = await kinesis.client.send(
      new DescribeStreamConsumerCommand({ StreamARN, ConsumerName: 'fan' }),
    );
    assert.equal(byName.ConsumerDescription?.ConsumerARN, ConsumerARN);
    await kinesis.client.send(new RegisterStreamConsumerCommand({ StreamARN, ConsumerName: 'second' }));
    const page = await kinesis.client.send(new ListStreamConsumersCommand({ StreamARN, MaxResults: 1 }));
    assert.deepEqual(
      page.Consumers?.map((c) => c.ConsumerName),
      ['fan'],
    );
    const next = await kinesis.client.send(
      new ListStreamConsumersCommand({ StreamARN, NextToken: page.NextToken }),
    );
    assert.deepEqual(
      next.Consumers?.map((c) => c.ConsumerName),
      ['second'],
    );
    assert.equal(next.NextToken, undefined);
    const summary = await kinesis.client.send(new DescribeStreamSummaryCommand({ StreamARN }));
    assert.equal(summary.StreamDescriptionSummary?.ConsumerCount, 2);

    const again = await failure(
      kinesis.client.send(new RegisterStreamConsumerCommand({ StreamARN, ConsumerName: 'fan' })),
    );
    assert.equal(again.name, 'ResourceInUseException');
    await kinesis.client.send(new DeregisterStreamConsumerCommand({ ConsumerARN }));
    const gone = await failure(kinesis.client.send(new DescribeStreamConsumerCommand({ ConsumerARN })));
    assert.equal(gone.name, 'ResourceNotFoundException');
  });

  it('SubscribeToShard checks the consumer and shard, then refuses (enhanced fan-out is not emulated)', async () => {
    const { Consumer } = await kinesis.client.send(
      new RegisterStreamConsumerCommand({ StreamARN, ConsumerName: 'fan' }),
    );
    const subscribe = (ConsumerARN: string, ShardId: string) =>
      failure(
        kinesis.client.send(
          new SubscribeToShardCommand({ ConsumerARN, ShardId, StartingPosition: { Type: 'LATEST' } }),
        ),
      );
    const unknown = await subscribe(`${StreamARN}/consumer/none:1`, 'shardId-000000000000');
    assert.equal(unknown.name, 'ResourceNotFoundException');
    const refused = await subscribe(Consumer?.ConsumerARN ?? '', 'shardId-000000000000');
    assert.equal(refused.name, 'InvalidArgumentException');
    assert.match(refused.message, /not emulated/);
  });
});
