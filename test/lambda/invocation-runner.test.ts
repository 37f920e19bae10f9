import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { directOrigin } from '../../src/classify/origin';
import type { Clock } from '../../src/clock';
import { functionConfig } from '../../src/emulator/function-config';
import { FunctionPool } from '../../src/lambda/function-pool';
import { InvocationRunner, type InvocationSummary } from '../../src/lambda/invocation-runner';
import { NodeRuntime } from '../../src/runtime/node/node-runtime';
import { Transpiler } from '../../src/runtime/node/transpiler';
import { readService } from '../../src/service/read-service';
import { TraceLineage } from '../../src/lambda/lineage';
import { fixture } from '../helpers/cli';

/** A clock whose time moves only when the test says: its timers fire as `advance` passes them. */
function manualClock(start: number) {
  let now = start;
  const timers = new Set<{ at: number; callback: () => void }>();
  const clock: Clock = {
    now: () => now,
    setTimeout: (callback, ms) => {
      const timer = { at: now + ms, callback };
      timers.add(timer);
      return timer;
    },
    clearTimeout: (handle) => timers.delete(handle as { at: number; callback: () => void }),
  };
  const advance = (ms: number) => {
    now += ms;
    for (const timer of [...timers].filter((t) => t.at <= now)) {
      timers.delete(timer);
      timer.callback();
    }
  };
  return { clock, advance, pending: () => timers.size };
}

describe('the invocation runner on an injected clock', () => {
  const dir = fixture('runtime');
  let buildDir: string;
  let pool: FunctionPool;
  let time: ReturnType<typeof manualClock>;
  let runner: InvocationRunner;
  let summaries: InvocationSummary[];

  beforeEach(() => {
    buildDir = mkdtempSync(path.join(tmpdir(), 'runner-'));
    const model = readService(
      {
        service: 'runtime',
        provider: { name: 'aws', runtime: 'nodejs20.x' },
        functions: { sleeper: { handler: 'src/errors.sleeper', timeout: 1 } },
      },
      { stage: 'dev', region: 'us-east-1', serviceDir: dir },
    );
    time = manualClock(Date.parse('2026-11-29T06:00:00Z'));
    const config = functionConfig(
      model,
      model.functions[0],
      {},
      'http://127.0.0.1:1',
      new Date(time.clock.now()),
    );
    pool = new FunctionPool(config, new NodeRuntime(new Transpiler(dir, buildDir)), 1);
    summaries = [];
    runner = new InvocationRunner(
      { log: () => undefined, invocation: (summary) => summaries.push(summary) },
      time.clock,
      new TraceLineage(),
    );
  });

  afterEach(async () => {
    await pool.stop();
    rmSync(buildDir, { recursive: true, force: true });
  });

  it("ends a handler that outlives its timeout, counted from the end of its init, with Lambda's message", async () => {
    const request = {
      payload: '{"ms":600000}',
      type: 'RequestResponse' as const,
      origin: directOrigin('invoke'),
    };
    const running = runner.run(pool, request, 'req-1');
    // Only the init's limit runs while the instance loads the handler; the timeout starts after it.
    assert.equal(time.pending(), 1);
    while (time.pending() < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    time.advance(999);
    time.advance(1);
    const outcome = await running;
    assert.equal(outcome?.functionError, 'Unhandled');
    assert.deepEqual(outcome?.error, {
      errorType: 'Sandbox.Timedout',
      errorMessage: '2026-11-29T06:00:01.000Z req-1 Task timed out after 1.00 seconds',
    });
    assert.equal(summaries[0].status, 'error Sandbox.Timedout');
    assert.equal(time.pending(), 0);
  });

  it('clears its timer when the handler returns first', async () => {
    const request = { payload: '{"ms":0}', type: 'RequestResponse' as const, origin: directOrigin('invoke') };
    const outcome = await runner.run(pool, request, 'req-2');
    assert.equal(outcome?.payload, '{"slept":0}');
    assert.equal(time.pending(), 0);
    assert.equal(summaries[0].status, 'ok');
  });
});
