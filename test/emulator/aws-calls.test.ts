import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fixture } from '../helpers/cli';
import { clientConfig, startEmulator, type RunningEmulator } from '../helpers/emulate';

const SERVICE = fixture('aws-calls');
const HOST_KEY = 'AKIAHOSTKEYEXAMPLE01';

/** Stands for AWS Secrets Manager (the opted-in service): records who signed what it was sent. */
async function fakeSecretsManager() {
  const seen: Array<{ target: string; authorization: string }> = [];
  const server: Server = createServer((req, res) => {
    seen.push({
      target: String(req.headers['x-amz-target']),
      authorization: String(req.headers.authorization),
    });
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ Name: 'db', SecretString: 'from-the-real-service', VersionId: 'v1' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { seen, server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe("sls emulate: a handler's own AWS calls stay local, whatever the client", function () {
  this.timeout(90_000);
  let emulator: RunningEmulator;
  let lambda: LambdaClient;
  let secrets: Awaited<ReturnType<typeof fakeSecretsManager>>;

  before(async () => {
    rmSync(path.join(SERVICE, '.emulate'), { recursive: true, force: true });
    secrets = await fakeSecretsManager();
    emulator = await startEmulator(SERVICE, [], {
      AWS_ACCESS_KEY_ID: HOST_KEY,
      AWS_SECRET_ACCESS_KEY: 'the-developers-own-secret',
      AWS_ENDPOINT_URL_SECRETSMANAGER: secrets.url,
    });
    lambda = new LambdaClient(clientConfig(emulator.aws));
  });

  after(async () => {
    lambda?.destroy();
    assert.equal(await emulator?.stop(), 0);
    secrets?.server.close();
  });

  const invoke = async (name: string, payload: unknown) => {
    const out = await lambda.send(
      new InvokeCommand({ FunctionName: name, Payload: JSON.stringify(payload) }),
    );
    return { error: out.FunctionError, body: JSON.parse(Buffer.from(out.Payload ?? []).toString()) };
  };

  it('lands aws-sdk v3 clients made without endpoint on the emulator, with placeholder credentials', async () => {
    const { error, body } = await invoke('v3', { id: 'a' });
    assert.equal(error, undefined, JSON.stringify(body));
    assert.equal(body.item, 'a');
    assert.equal(body.object, 'a');
    assert.match(body.messageId, /^[0-9a-f-]{36}$/);
    assert.match(body.accessKeyId, /^ASIA[0-9A-F]{16}$/);
    assert.equal(body.queueUrl, `${emulator.aws}/queue/us-east-1/000000000000/awscalls-jobs`);
  });

  it('lands aws-sdk v2 clients (DocumentClient, SQS with an AWS-shaped QueueUrl, S3) on the emulator', async () => {
    const { error, body } = await invoke('v2', { id: 'b' });
    assert.equal(error, undefined, JSON.stringify(body));
    assert.deepEqual(body.item, { id: 'b', from: 'v2' });
    assert.equal(body.object, 'b');
  });

  it('lands boto3 clients made without endpoint_url on the emulator', async () => {
    const { error, body } = await invoke('python', { id: 'c' });
    assert.equal(error, undefined, JSON.stringify(body));
    assert.equal(body.item, 'c');
    assert.equal(body.object, 'c');
    assert.match(body.accessKeyId, /^ASIA[0-9A-F]{16}$/);
  });

  it('puts the messages the handlers sent on the embedded queue', async () => {
    const sqs = new SQSClient(clientConfig(emulator.aws));
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: `${emulator.aws}/queue/us-east-1/000000000000/awscalls-jobs`,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
      }),
    );
    sqs.destroy();
    assert.deepEqual(Messages.map((m) => m.Body).sort(), ['a', 'b', 'c']);
  });

  it('refuses a call to a service that is not emulated at once, naming the function, service and host', async () => {
    const v2 = await invoke('v2', { call: 'ssm' });
    assert.equal(v2.error, 'Unhandled');
    assert.equal(v2.body.errorType, 'AccessDeniedException');
    assert.match(v2.body.errorMessage, /sls emulate does not emulate ssm .*custom\.emulate\.passthrough/);
    const python = await invoke('python', { call: 'ssm' });
    assert.deepEqual(python.body, { error: 'AccessDeniedException', code: 'AccessDeniedException' });
    await emulator.waitForOutput(/✗ v2 called ssm at ssm\.us-east-1\.amazonaws\.com: refused/);
    await emulator.waitForOutput(/✗ python called ssm at 127\.0\.0\.1:\d+: refused/);
  });

  it("sends an opted-in service's calls on, signed with the developer's credentials, never the handler's", async () => {
    const { error, body } = await invoke('v2', { call: 'secret' });
    assert.equal(error, undefined, JSON.stringify(body));
    assert.equal(body.SecretString, 'from-the-real-service');
    assert.equal(secrets.seen.length, 1);
    assert.equal(secrets.seen[0].target, 'secretsmanager.GetSecretValue');
    assert.match(
      secrets.seen[0].authorization,
      new RegExp(`Credential=${HOST_KEY}/\\d{8}/us-east-1/secretsmanager/`),
    );
  });
});
