import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PythonRuntime } from '../../../src/runtime/runtime-api';
import type { Instance } from '../../../src/runtime/types';
import { functionConfig, invocation, run } from './helpers';

describe("Python runtime: the boto3 Lambda's Python runtimes provide", () => {
  let venv: string;
  let instance: Instance | undefined;

  before(function () {
    this.timeout(60_000);
    // An interpreter without boto3: a virtual environment sees no packages but its own.
    venv = mkdtempSync(path.join(tmpdir(), 'no-boto3-'));
    execFileSync('python3', ['-m', 'venv', '--without-pip', venv]);
  });

  after(async () => {
    await instance?.terminate();
    rmSync(venv, { recursive: true, force: true });
  });

  it('says, when the interpreter has no boto3, that the runtime provides it on AWS and how to install it', async () => {
    const python = path.join(venv, 'bin', 'python3');
    const fn = functionConfig({ handler: 'handlers/uses_boto3.main' });
    const runtime = new PythonRuntime({ python });
    runtime.check(fn);
    instance = runtime.start(fn);
    const { result } = await run(instance, invocation(fn, {}));
    assert.ok(!result.ok);
    assert.equal(result.error.errorType, 'Runtime.ImportModuleError');
    assert.match(
      result.error.errorMessage,
      /^Unable to import module 'handlers\/uses_boto3': No module named 'boto3'/,
    );
    assert.match(
      result.error.errorMessage,
      /boto3 is provided by the Lambda Python runtime on AWS, but this interpreter \(.+no-boto3-.+\) has no copy of it: install it \(.+ -m pip install boto3\)/,
    );
  });
});
