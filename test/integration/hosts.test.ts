import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixture, OSLS3_BIN, OSLS4_BIN, serverless } from '../helpers/cli';
import { clientConfig, startEmulator, type RunningEmulator } from '../helpers/emulate';

const SERVICE = fixture('hosts');

// serverless@3 hosts every other suite; these are the forks that must host the plugin as well.
const HOSTS = [
  { name: 'osls 3', bin: OSLS3_BIN },
  { name: 'osls 4', bin: OSLS4_BIN },
];

for (const host of HOSTS) {
  describe(`${host.name} hosts the plugin`, function () {
    this.timeout(60_000);

    it('runs invocation-report: every source classified, custom.emulate passing its schema validation', async () => {
      const result = await serverless(SERVICE, ['invocation-report', '--format', 'json'], {}, host.bin);
      assert.equal(result.code, 0, result.stdout + result.stderr);
      const report = JSON.parse(result.stdout) as {
        functions: Array<{
          name: string;
          events: Array<{ type: string; model: string; invocation: string }>;
        }>;
        findings: unknown[];
      };
      assert.deepEqual(
        report.functions.map(({ name, events }) => ({
          name,
          events: events.map(({ type, model, invocation }) => `${type} ${model}/${invocation}`),
        })),
        [
          { name: 'hello', events: ['httpApi push/sync'] },
          { name: 'worker', events: ['sqs pull/sync'] },
        ],
      );
      assert.deepEqual(report.findings, []);
    });

    it("turns the plugin's configuration errors into the host's error", async () => {
      const result = await serverless(SERVICE, ['invocation-report', '-f', 'nope'], {}, host.bin);
      assert.equal(result.code, 1);
      assert.match(result.stdout + result.stderr, /Function "nope" doesn't exist in this service/);
    });

    describe('emulate', () => {
      const stateDir = mkdtempSync(path.join(tmpdir(), 'emulate-hosts-'));
      let emulator: RunningEmulator;
      let sqs: SQSClient;

      before(async () => {
        emulator = await startEmulator(SERVICE, ['--state-dir', stateDir], {}, host.bin);
        sqs = new SQSClient(clientConfig(emulator.aws));
      });
      after(async () => {
        sqs?.destroy();
        await emulator?.stop();
        rmSync(stateDir, { recursive: true, force: true });
      });

      it('answers an HTTP API request from its function', async () => {
        const response = await fetch(`${emulator.http}/hello`);
        assert.equal(response.status, 200);
        assert.deepEqual(await response.json(), { path: '/hello' });
      });

      it("runs an SQS message through the worker's mapping, whose SDK call reaches the other queue", async () => {
        const queueUrl = (name: string) => `${emulator.aws}/123456789012/${name}`;
        await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl('hosts-jobs'), MessageBody: host.name }));
        const received = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: queueUrl('hosts-done'), WaitTimeSeconds: 10 }),
        );
        assert.deepEqual(
          received.Messages?.map((message) => message.Body),
          [`done: ${host.name}`],
        );
      });

      it('stops on Ctrl-C with exit code 0', async () => {
        assert.equal(await emulator.stop(), 0, emulator.output());
      });
    });
  });
}
