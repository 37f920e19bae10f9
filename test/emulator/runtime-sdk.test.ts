import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { strict as assert } from 'node:assert';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixture, ROOT } from '../helpers/cli';
import { clientConfig, startEmulator, type RunningEmulator } from '../helpers/emulate';

/** The node_modules folders Node would look in above `folder`, as a require from inside it does. */
const ancestorNodeModules = (folder: string) =>
  (createRequire(path.join(folder, 'handler.js')).resolve.paths('x') ?? []).filter(
    (searched) => searched !== path.join(folder, 'node_modules') && existsSync(searched),
  );

describe("sls emulate: the AWS SDK Lambda's runtimes provide", function () {
  this.timeout(60_000);
  let service: string;
  let emulator: RunningEmulator;
  let lambda: LambdaClient;

  before(async () => {
    // Out of the repository, so that no node_modules above the service has the SDK: only the plugin is installed.
    service = mkdtempSync(path.join(tmpdir(), 'runtime-sdk-'));
    const above = ancestorNodeModules(service);
    assert.deepEqual(above, [], `a node_modules above ${service} would lend the handlers its SDK`);
    cpSync(fixture('runtime-sdk'), service, { recursive: true });
    mkdirSync(path.join(service, 'node_modules'));
    symlinkSync(ROOT, path.join(service, 'node_modules', 'serverless-emulate'), 'dir');
    const ownClient = path.join(service, 'node_modules', '@aws-sdk', 'client-sts');
    mkdirSync(ownClient, { recursive: true });
    writeFileSync(
      path.join(ownClient, 'package.json'),
      '{ "name": "@aws-sdk/client-sts", "version": "0.0.0-project" }',
    );
    emulator = await startEmulator(service);
    lambda = new LambdaClient(clientConfig(emulator.aws));
  });

  after(async () => {
    lambda?.destroy();
    assert.equal(await emulator?.stop(), 0);
    rmSync(service, { recursive: true, force: true });
  });

  const invoke = async (name: string, payload: unknown = {}) => {
    const out = await lambda.send(
      new InvokeCommand({ FunctionName: name, Payload: JSON.stringify(payload) }),
    );
    return { error: out.FunctionError, body: JSON.parse(Buffer.from(out.Payload ?? []).toString()) };
  };

  it('runs a CommonJS handler that requires @aws-sdk/client-dynamodb from where this machine has it, against the local DynamoDB', async () => {
    const { error, body } = await invoke('v3', { id: 'cjs' });
    assert.equal(error, undefined, JSON.stringify(body));
    assert.equal(body.via, 'v3');
    assert.ok(body.sdk.startsWith(path.join(ROOT, 'node_modules', '@aws-sdk', 'client-dynamodb')), body.sdk);
  });

  it('runs an ES module handler that imports it', async () => {
    assert.deepEqual(await invoke('v3Esm', { id: 'esm' }), { error: undefined, body: { via: 'esm' } });
  });

  it('gives a nodejs16.x function aws-sdk v2', async () => {
    assert.deepEqual(await invoke('v2'), {
      error: undefined,
      body: { table: 'runtime-sdk-items', version: '2' },
    });
  });

  it("runs a Python handler with the interpreter's boto3 against the local DynamoDB", async () => {
    assert.deepEqual(await invoke('boto', { id: 'py' }), { error: undefined, body: { via: 'boto3' } });
  });

  it("prefers the project's own installed copy, as Lambda prefers the function's node_modules", async () => {
    assert.deepEqual(await invoke('ownVersion'), { error: undefined, body: { version: '0.0.0-project' } });
  });

  it('says, for a client this machine lacks, that the runtime provides it on AWS and how to add it', async () => {
    const { error, body } = await invoke('missingClient');
    assert.equal(error, 'Unhandled');
    assert.equal(body.errorType, 'Runtime.ImportModuleError');
    assert.match(body.errorMessage, /^Error: Cannot find module '@aws-sdk\/client-sagemaker-geospatial'/);
    assert.match(
      body.errorMessage,
      /@aws-sdk\/client-sagemaker-geospatial is provided by the nodejs20\.x runtime on AWS, but this machine has no copy of it: add it to the project \(npm i -D @aws-sdk\/client-sagemaker-geospatial\)/,
    );
  });
});
