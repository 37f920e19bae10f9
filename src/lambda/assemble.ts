import type { Clock } from '../clock';
import { AsyncEngine, type AsyncEngineDeps } from './async-engine';
import type { FunctionPool } from './function-pool';
import { InvocationRunner, type InvocationSink } from './invocation-runner';
import { FunctionPools, LambdaService } from './lambda-service';
import { TraceLineage } from './lineage';

export interface LambdaDeps {
  pools: FunctionPool[];
  sink: InvocationSink;
  clock: Clock;
  async: Omit<AsyncEngineDeps, 'attempt' | 'log' | 'clock'>;
}

/**
 * The Lambda service with its async engine beside it: the engine attempts events through the same runner
 * as sync invocations, and hears from the pools when an instance is freed.
 */
export function assembleLambda({ pools, sink, clock, async }: LambdaDeps) {
  const byName = new FunctionPools(pools);
  const runner = new InvocationRunner(sink, clock, new TraceLineage());
  const engine = new AsyncEngine({
    ...async,
    clock,
    attempt: (key, payload, requestId, origin, traceHeader) =>
      runner.run(byName.get(key), { payload, type: 'Event', origin, traceHeader }, requestId),
    log: (key, line) => sink.log(key, line),
  });
  for (const pool of pools) pool.onCapacityFreed(() => engine.capacityFreed(pool.config.key));
  return { lambda: new LambdaService(byName, runner, engine), engine };
}
