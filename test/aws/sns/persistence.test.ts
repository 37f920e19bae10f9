import {
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  ListSubscriptionsCommand,
  ListTopicsCommand,
  PublishCommand,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SnsTopology } from '../../../src/aws/sns/types';
import { openStateDatabase, type Db } from '../../../src/state/database';
import { functionArn, queueArn, startSns, topicArn, type Harness } from './helpers';

const modelTopology = (name: string): SnsTopology => ({
  topics: [{ arn: topicArn(name), name, fifo: false, attributes: {} }],
  subscriptions: [
    { topicArn: topicArn(name), protocol: 'lambda', endpoint: functionArn('worker'), attributes: {} },
  ],
});

describe('aws/sns state across restarts on the same database file', () => {
  let dir: string;
  let db: Db | undefined;
  let sns: Harness | undefined;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'sns-state-'));
  });

  afterEach(async () => {
    await sns?.stop();
    db?.close();
    sns = undefined;
    db = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  /** Stops the running service, closes its database and starts a new service on the same file. */
  async function restart(topology: SnsTopology): Promise<Harness> {
    await sns?.stop();
    db?.close();
    db = openStateDatabase(dir, { reset: false });
    sns = await startSns({ db, topology });
    return sns;
  }

  it('keeps topics and subscriptions created through the API, with their attributes', async () => {
    let service = await restart(modelTopology('model'));
    const { TopicArn } = await service.client.send(
      new CreateTopicCommand({ Name: 'api', Attributes: { DisplayName: 'API' } }),
    );
    const { SubscriptionArn } = await service.client.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'sqs',
        Endpoint: queueArn('jobs'),
        Attributes: { RawMessageDelivery: 'true', FilterPolicy: '{"kind":["keep"]}' },
      }),
    );

    service = await restart(modelTopology('model'));
    const { Topics } = await service.client.send(new ListTopicsCommand({}));
    assert.deepEqual(Topics?.map((t) => t.TopicArn).sort(), [topicArn('api'), topicArn('model')]);
    const { Attributes } = await service.client.send(
      new GetSubscriptionAttributesCommand({ SubscriptionArn }),
    );
    assert.equal(Attributes?.RawMessageDelivery, 'true');
    await service.client.send(
      new PublishCommand({
        TopicArn,
        Message: 'dropped',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'no' } },
      }),
    );
    await service.client.send(
      new PublishCommand({
        TopicArn,
        Message: 'kept',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'keep' } },
      }),
    );
    assert.deepEqual(
      service.queue.map((d) => d.body),
      ['kept'],
    );
  });

  it("replaces the service's own topics and subscriptions with the configuration's at every start", async () => {
    let service = await restart(modelTopology('before'));
    const first = (await service.client.send(new ListSubscriptionsCommand({}))).Subscriptions?.[0]
      .SubscriptionArn;
    service = await restart(modelTopology('before'));
    const again = (await service.client.send(new ListSubscriptionsCommand({}))).Subscriptions?.[0]
      .SubscriptionArn;
    assert.equal(again, first, 'a configured subscription keeps its ARN');

    service = await restart(modelTopology('after'));
    const { Topics } = await service.client.send(new ListTopicsCommand({}));
    assert.deepEqual(Topics, [{ TopicArn: topicArn('after') }]);
    const { Subscriptions } = await service.client.send(new ListSubscriptionsCommand({}));
    assert.deepEqual(
      Subscriptions?.map((s) => s.TopicArn),
      [topicArn('after')],
    );
    await service.client.send(new PublishCommand({ TopicArn: topicArn('after'), Message: 'configured' }));
    assert.equal(service.lambda[0].functionArn, functionArn('worker'));
  });

  it('continues FIFO sequence numbers after a restart', async () => {
    let service = await restart({ topics: [], subscriptions: [] });
    const { TopicArn } = await service.client.send(
      new CreateTopicCommand({
        Name: 'seq.fifo',
        Attributes: { FifoTopic: 'true', ContentBasedDeduplication: 'true' },
      }),
    );
    await service.client.send(new PublishCommand({ TopicArn, Message: 'a', MessageGroupId: 'g' }));
    service = await restart({ topics: [], subscriptions: [] });
    const { SequenceNumber } = await service.client.send(
      new PublishCommand({ TopicArn, Message: 'b', MessageGroupId: 'g' }),
    );
    assert.equal(SequenceNumber, '10000000000000000002');
  });
});
