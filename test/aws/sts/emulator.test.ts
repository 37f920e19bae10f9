import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fixture } from '../../helpers/cli';
import { clientConfig, emulateInProcess, type EmulatorUnderTest } from '../../helpers/emulate';

const SERVICE = fixture('sts-calls');
const ACCOUNT = '111122223333';
const ROLE = 'stscalls-dev-eu-west-1-lambdaRole';

describe("sls emulate: a handler's STS calls are answered locally, IAM's refused in its protocol", function () {
  this.timeout(90_000);
  let emulator: EmulatorUnderTest;
  let lambda: LambdaClient;

  before(async () => {
    rmSync(path.join(SERVICE, '.emulate'), { recursive: true, force: true });
    emulator = await emulateInProcess(SERVICE, {
      env: {
        AWS_ACCESS_KEY_ID: 'AKIAHOSTKEYEXAMPLE01',
        AWS_SECRET_ACCESS_KEY: 'the-developers-own-secret',
      },
    });
    lambda = new LambdaClient(clientConfig(emulator.aws));
  });

  after(async () => {
    lambda?.destroy();
    await emulator?.stop();
    rmSync(path.join(SERVICE, '.emulate'), { recursive: true, force: true });
  });

  const invoke = async (name: string, payload: unknown) => {
    const out = await lambda.send(
      new InvokeCommand({ FunctionName: name, Payload: JSON.stringify(payload) }),
    );
    return { error: out.FunctionError, body: JSON.parse(Buffer.from(out.Payload ?? []).toString()) };
  };

  it("aws-sdk v3: GetCallerIdentity is the function's session of the service's role in the configured account", async () => {
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/app`;
    const { error, body } = await invoke('node', { roleArn });
    assert.equal(error, undefined, JSON.stringify(body));
    assert.equal(body.identity.Account, ACCOUNT);
    assert.equal(body.identity.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/${ROLE}/stscalls-dev-node`);
    assert.match(body.identity.UserId, /^AROA[0-9A-Z]{17}:stscalls-dev-node$/);
    assert.equal(body.assumedArn, `arn:aws:sts::${ACCOUNT}:assumed-role/app/node`);
    assert.ok(Math.abs(body.expiresIn - 3600) < 60, String(body.expiresIn));
    assert.equal(body.iam, 'AccessDenied');
  });

  it('boto3: the same, for the Python function', async () => {
    const { error, body } = await invoke('python', {});
    assert.equal(error, undefined, JSON.stringify(body));
    assert.equal(body.identity.Account, ACCOUNT);
    assert.equal(body.identity.Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/${ROLE}/stscalls-dev-python`);
    assert.equal(body.iam, 'AccessDenied');
    await emulator.waitForOutput(/✗ python called iam at /);
  });
});
