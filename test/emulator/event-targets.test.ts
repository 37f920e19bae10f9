import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixture } from '../helpers/cli';
import { clientConfig, emulateInProcess, type EmulatorUnderTest } from '../helpers/emulate';

describe('sls emulate: AWS::Events::Rule targets are queues, a dead-letter queue, and one refused', function () {
  this.timeout(60_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'emulate-event-targets-'));
  let emulator: EmulatorUnderTest;
  let sqs: SQSClient;

  before(async () => {
    emulator = await emulateInProcess(fixture('event-targets'), { stateDir: path.join(dir, 'state') });
    sqs = new SQSClient(clientConfig(emulator.aws));
  });
  after(async () => {
    sqs?.destroy();
    await emulator?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const receive = async (QueueName: string) => {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName }));
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl,
        AttributeNames: ['All'],
        MessageAttributeNames: ['All'],
        WaitTimeSeconds: 1,
      }),
    );
    return Messages;
  };

  it('names the target it cannot serve at start', () => {
    assert.match(
      emulator.output(),
      /EventBridge rule OrderPlaced, target workflow: a states target .*stateMachine:fulfil.* is not emulated/,
    );
  });

  it('sends a PutEvents event to the queues, transformed and in its FIFO group, and a failed delivery to the DLQ', async () => {
    const events = new EventBridgeClient(clientConfig(emulator.aws));
    try {
      const answer = await events.send(
        new PutEventsCommand({
          Entries: [{ Source: 'shop.orders', DetailType: 'Order', Detail: JSON.stringify({ id: 7 }) }],
        }),
      );
      assert.equal(answer.FailedEntryCount, 0);
      const id = answer.Entries?.[0].EventId;

      const [summary] = await receive('orders');
      assert.deepEqual(JSON.parse(summary.Body as string), { order: 7, rule: 'OrderPlaced' });

      const [ordered] = await receive('orders.fifo');
      assert.equal(JSON.parse(ordered.Body as string).id, id);
      assert.equal(ordered.Attributes?.MessageGroupId, 'shop');

      const [undelivered] = await receive('undelivered');
      assert.equal(JSON.parse(undelivered.Body as string).id, id);
      assert.equal(undelivered.MessageAttributes?.ERROR_CODE.StringValue, 'NO_RESOURCE');
      assert.match(undelivered.MessageAttributes?.TARGET_ARN.StringValue ?? '', /:no-such-queue$/);
    } finally {
      events.destroy();
    }
  });
});
