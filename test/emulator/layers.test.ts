import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { strict as assert } from 'node:assert';
import { fixture } from '../helpers/cli';
import { clientConfig, emulateInProcess, type EmulatorUnderTest } from '../helpers/emulate';

const SERVICE = fixture('layers');

describe('sls emulate: Lambda layers', function () {
  this.timeout(60_000);
  let emulator: EmulatorUnderTest;
  let lambda: LambdaClient;

  before(async () => {
    emulator = await emulateInProcess(SERVICE);
    lambda = new LambdaClient(clientConfig(emulator.aws));
  });

  after(async () => {
    lambda?.destroy();
    await emulator?.stop();
  });

  const invoke = async (name: string) => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: '{}' }));
    assert.equal(out.FunctionError, undefined, Buffer.from(out.Payload ?? []).toString());
    return JSON.parse(Buffer.from(out.Payload ?? []).toString());
  };

  it("gives a function the provider's layers: nodejs/node_modules, nodejs/node20/node_modules and bin", async () => {
    assert.deepEqual(await invoke('fromProvider'), {
      greeting: 'hello layer',
      from: 'shared',
      versioned: 'node20',
      tool: 'layer-tool ran',
    });
  });

  it("merges a function's own layers in order, the later one's module winning; an ARN names this service's layer", async () => {
    assert.equal((await invoke('ordered')).from, 'override');
  });

  it('lets an ES module import from a layer', async () => {
    assert.deepEqual(await invoke('esm'), { greeting: 'hello esm', from: 'shared' });
  });

  it('puts python and python/lib/python3.X/site-packages on the module path of a Python function, bin on PATH', async () => {
    assert.deepEqual(await invoke('python'), {
      greeting: 'hello python',
      site: 'site-packages',
      tool: 'layer-tool py',
    });
  });

  it("names another account's layer once at start and runs the function without it", async () => {
    const note =
      "Layer arn:aws:lambda:us-east-1:999999999999:layer:someone-elses:1 is another account's or stack's: not mounted here, what it provides is missing (used by elsewhere)";
    await emulator.waitForOutput(note);
    assert.equal(emulator.output().split(note).length, 2);
    assert.deepEqual(await invoke('elsewhere'), { missing: 'MODULE_NOT_FOUND' });
  });
});
