import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ProcessInstance, type ProcessSpec } from '../../../src/runtime/runtime-api/process-instance';
import { eventually, FIXTURES, functionConfig, invocation, run } from './helpers';

const RAW = path.join(FIXTURES, 'raw');
const fn = functionConfig({ handler: 'unused' });
const python = (script: string, ...args: string[]): ProcessSpec => ({
  command: 'python3',
  args: ['-u', path.join(RAW, script), ...args],
  cwd: RAW,
  env: fn.environment,
});

/** `spec` with its stdout also copied to `file` (by tee, which writes its stdout first), for the test to watch. */
const copyingOutput = (spec: ProcessSpec, file: string): ProcessSpec => ({
  ...spec,
  command: 'sh',
  args: ['-c', '"$@" | tee -a "$0"', file, spec.command, ...spec.args],
});

/** Waits until the process has written `line`, then one turn of I/O, in which the instance reads it too. */
async function written(file: string, line: string): Promise<void> {
  const wrote = () => existsSync(file) && readFileSync(file, 'utf8').split('\n').includes(line);
  assert.ok(await eventually(wrote), `the process never wrote ${JSON.stringify(line)}`);
  await new Promise((resolve) => setImmediate(resolve));
}

describe('Runtime API process instance', () => {
  const started: ProcessInstance[] = [];
  const start = (spec: ProcessSpec) => {
    const instance = new ProcessInstance(spec);
    started.push(instance);
    return instance;
  };

  let output: string;
  beforeEach(() => (output = path.join(mkdtempSync(path.join(os.tmpdir(), 'emulate-process-')), 'output')));

  afterEach(async () => {
    await Promise.all(started.splice(0).map((instance) => instance.terminate()));
    rmSync(path.dirname(output), { recursive: true, force: true });
  });

  it('measures init from the spawn to the first next, and reports it once invoked', async () => {
    const instance = start(copyingOutput(python('late_lines.py', '0.3'), output));
    // The runtime asks for its first invocation right after this line: its init is over.
    await written(output, 'init done');
    assert.equal(instance.initDurationMs, undefined);
    const { result } = await run(instance, invocation(fn, { n: 1 }));
    assert.deepEqual(result, { ok: true, payload: '{"n":1}' });
    const init = instance.initDurationMs ?? 0;
    assert.ok(init >= 300 && init < 5000, `init duration ${init}`);
  });

  it('holds lines written between invocations, init output included, for the next invocation', async () => {
    const instance = start(copyingOutput(python('late_lines.py'), output));
    const first = invocation(fn, 1);
    const one = await run(instance, first);
    assert.deepEqual(one.lines, ['init done', `handling ${first.requestId}`]);
    await written(output, `after answering ${first.requestId}`);
    const second = invocation(fn, 2);
    const two = await run(instance, second);
    assert.deepEqual(two.lines, [`after answering ${first.requestId}`, `handling ${second.requestId}`]);
  });

  it('gives Runtime.ExitError to an invocation of a process that exited before asking for one', async () => {
    const failed = start(python('exits_at_start.py', '2'));
    const input = invocation(fn, {});
    const { result, lines } = await run(failed, input);
    assert.deepEqual(result, {
      ok: false,
      fatal: true,
      error: {
        errorType: 'Runtime.ExitError',
        errorMessage: `RequestId: ${input.requestId} Error: Runtime exited with error: exit status 2`,
      },
    });
    assert.deepEqual(lines, ['giving up']);

    const quiet = start(python('exits_at_start.py', '0'));
    const other = invocation(fn, {});
    assert.deepEqual((await run(quiet, other)).result, {
      ok: false,
      fatal: true,
      error: {
        errorType: 'Runtime.ExitError',
        errorMessage: `RequestId: ${other.requestId} Error: Runtime exited without providing a reason`,
      },
    });
  });

  it('gives Runtime.InvalidEntrypoint when the command cannot be started', async () => {
    const instance = start({ command: '/nonexistent/bootstrap', args: [], cwd: RAW, env: {} });
    const input = invocation(fn, {});
    assert.deepEqual((await run(instance, input)).result, {
      ok: false,
      fatal: true,
      error: {
        errorType: 'Runtime.InvalidEntrypoint',
        errorMessage: `RequestId: ${input.requestId} Error: fork/exec /nonexistent/bootstrap: no such file or directory`,
      },
    });
  });

  it('runs one invocation at a time', async () => {
    const instance = start(python('late_lines.py'));
    const first = instance.invoke(invocation(fn, 1), () => undefined);
    await assert.rejects(
      instance.invoke(invocation(fn, 2), () => undefined),
      /one invocation at a time/,
    );
    assert.deepEqual(await first, { ok: true, payload: '1' });
  });
});
