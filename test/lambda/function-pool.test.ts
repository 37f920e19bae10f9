import { strict as assert } from 'node:assert';
import { FunctionPool } from '../../src/lambda/function-pool';
import type { FunctionConfig, Instance, Runtime } from '../../src/runtime/types';
import { ManualClock } from '../helpers/manual-clock';

/** A runtime that records the configuration each instance starts with. */
function recordingRuntime(started: FunctionConfig[]): Runtime {
  return {
    check: () => undefined,
    start: (fn) => {
      started.push(fn);
      return {
        invoke: async () => ({ ok: true, payload: 'null' }),
        initDurationMs: 0,
        initialized: Promise.resolve(),
        maxMemoryUsedMb: () => 0,
        terminate: async () => undefined,
      } satisfies Instance;
    },
  };
}

const config = {
  key: 'fn',
  name: 'svc-dev-fn',
  handler: 'h.main',
  runtime: 'nodejs20.x',
  timeout: 3,
  memorySize: 128,
  serviceDir: '/tmp',
  arn: 'arn:aws:lambda:us-east-1:000000000000:function:svc-dev-fn',
  environment: { AWS_LAMBDA_LOG_STREAM_NAME: 'placeholder' },
  awsEndpoint: 'http://127.0.0.1:4566',
  layers: [],
  recursiveLoop: 'Terminate',
} satisfies FunctionConfig;

describe('lambda/function-pool', () => {
  it("gives each instance its own log stream, named for the day it starts on the pool's clock", () => {
    const started: FunctionConfig[] = [];
    const clock = new ManualClock(Date.parse('2024-06-17T23:59:59Z'));
    const pool = new FunctionPool(config, recordingRuntime(started), 2, clock);
    const first = pool.acquire();
    clock.advance(1000);
    const second = pool.acquire();
    assert.ok(first && second);
    const [a, b] = started.map((fn) => fn.environment.AWS_LAMBDA_LOG_STREAM_NAME);
    assert.match(a, /^2024\/06\/17\/\[\$LATEST\][0-9a-f]{32}$/);
    assert.match(b, /^2024\/06\/18\/\[\$LATEST\][0-9a-f]{32}$/);
    pool.release(first.instance, false);
    assert.equal(pool.acquire()?.cold, false, 'a warm instance keeps its stream');
    assert.equal(started.length, 2);
  });
});
