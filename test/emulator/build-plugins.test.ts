import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fixture } from '../helpers/cli';
import { clientConfig, startEmulator, type RunningEmulator } from '../helpers/emulate';

const SERVICE = fixture('esbuild-plugin');

describe('sls emulate: a service built by serverless-esbuild', function () {
  this.timeout(60_000);
  let emulator: RunningEmulator;
  let lambda: LambdaClient;

  before(async () => {
    emulator = await startEmulator(SERVICE);
    lambda = new LambdaClient(clientConfig(emulator.aws));
  });

  after(async () => {
    lambda?.destroy();
    assert.equal(await emulator?.stop(), 0);
  });

  const invoke = async (name: string) => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: '{}' }));
    assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? []).toString());
    return JSON.parse(Buffer.from(out.Payload ?? []).toString());
  };

  it("runs a TypeScript handler with tsconfig's path alias and custom.esbuild's define, alias and loader", async () => {
    assert.deepEqual(await invoke('hello'), {
      greeting: 'hello esbuild',
      flavour: 'bundled',
      config: 'from the alias',
      banner: 'a text file bundled by the loader',
    });
  });

  it('builds a JavaScript handler with the same settings, as serverless-esbuild does', async () => {
    assert.deepEqual(await invoke('plain'), { flavour: 'bundled', config: 'from the alias' });
  });

  it('names, once at start, the setting it cannot apply, and none of the packaging-only ones', async () => {
    await emulator.waitForOutput('custom.esbuild.plugins');
    const lines = emulator
      .output()
      .split('\n')
      .filter((line) => line.includes('not applied by sls emulate'));
    assert.deepEqual(lines, [
      'serverless-esbuild: custom.esbuild.plugins not applied by sls emulate (it builds handlers with its own esbuild)',
    ]);
  });

  it("leaves serverless-esbuild's hooks out of sls emulate: it builds nothing into .esbuild", () => {
    assert.equal(existsSync(path.join(SERVICE, '.esbuild')), false);
  });
});
