import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixture } from '../helpers/cli';
import { clientConfig, emulateInProcess, type EmulatorUnderTest } from '../helpers/emulate';
import { recorded } from '../helpers/records';

describe('sls emulate: SNS and EventBridge invoke functions, destinations reach topics and buses', function () {
  this.timeout(60_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'emulate-push-'));
  const recordFile = path.join(dir, 'records.jsonl');
  let emulator: EmulatorUnderTest;
  const config = () => clientConfig(emulator.aws);

  before(async () => {
    emulator = await emulateInProcess(fixture('push'), {
      stateDir: path.join(dir, 'state'),
      env: {
        RECORD_FILE: recordFile,
      },
    });
  });
  after(async () => {
    await emulator?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const { records, waitFor } = recorded(recordFile);

  it('delivers an SNS message that passes the filter policy as an SNSEvent, and not one that does not', async () => {
    const sns = new SNSClient(config());
    const topic = 'arn:aws:sns:us-east-1:000000000000:alerts';
    const attribute = (v: string) => ({ level: { DataType: 'String', StringValue: v } });
    await sns.send(
      new PublishCommand({ TopicArn: topic, Message: 'ignored', MessageAttributes: attribute('info') }),
    );
    await sns.send(
      new PublishCommand({
        TopicArn: topic,
        Message: 'disk full',
        Subject: 'ops',
        MessageAttributes: attribute('error'),
      }),
    );
    const { event } = await waitFor((r) => r.fn === 'push-dev-onTopic');
    const { Sns, EventSource } = event.Records[0];
    assert.equal(EventSource, 'aws:sns');
    assert.equal(Sns.Message, 'disk full');
    assert.equal(Sns.Subject, 'ops');
    assert.equal(Sns.TopicArn, topic);
    assert.deepEqual(Sns.MessageAttributes.level, { Type: 'String', Value: 'error' });
    assert.equal(records().filter((r) => r.fn === 'push-dev-onTopic').length, 1);
    sns.destroy();
  });

  it('delivers a matching EventBridge event, transformed by inputTransformer', async () => {
    const events = new EventBridgeClient(config());
    const entry = (amount: number) => ({
      Source: 'app',
      DetailType: 'Payment',
      Detail: JSON.stringify({ amount }),
      EventBusName: 'app-bus',
    });
    const result = await events.send(new PutEventsCommand({ Entries: [entry(5), entry(250)] }));
    assert.equal(result.FailedEntryCount, 0);
    const { event } = await waitFor((r) => r.fn === 'push-dev-onEvent');
    assert.deepEqual(event, { large: 250 });
    events.destroy();
  });

  it("publishes a failed async event's record to the onFailure topic", async () => {
    const lambda = new LambdaClient(config());
    await lambda.send(
      new InvokeCommand({
        FunctionName: 'failing',
        InvocationType: 'Event',
        Payload: JSON.stringify({ id: 'x1' }),
      }),
    );
    const { event } = await waitFor((r) => r.fn === 'push-dev-onFailureTopic');
    const record = JSON.parse(event.Records[0].Sns.Message);
    assert.equal(record.requestContext.condition, 'RetriesExhausted');
    assert.deepEqual(record.requestPayload, { id: 'x1' });
    assert.equal(record.responsePayload.errorMessage, 'cannot handle x1');
    lambda.destroy();
  });

  it('puts a success record on the onSuccess bus as a "Lambda Function Invocation Result - Success" event', async () => {
    const lambda = new LambdaClient(config());
    await lambda.send(
      new InvokeCommand({
        FunctionName: 'succeeding',
        InvocationType: 'Event',
        Payload: JSON.stringify({ id: 's9' }),
      }),
    );
    const { event } = await waitFor((r) => r.fn === 'push-dev-onLambdaResult');
    assert.equal(event.source, 'lambda');
    assert.equal(event['detail-type'], 'Lambda Function Invocation Result - Success');
    assert.deepEqual(event.detail.responsePayload, { handled: 's9' });
    assert.equal(event.resources[0], 'arn:aws:lambda:us-east-1:000000000000:function:push-dev-succeeding');
    lambda.destroy();
  });
});
