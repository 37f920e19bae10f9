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
  /** Where handlers' deadlines and timeouts are (real time); `clock` by default. */
  handlerClock?: Clock;
  async: Omit<AsyncEngineDeps, 'attempt' | 'log' | 'outcome' | 'clock'>;
}

/**
 * The Lambda service with its async engine beside it: the engine attempts events through the same runner
 * as sync invocations, and hears from the pools when an instance is freed.
 */
export function assembleLambda({ pools, sink, clock, handlerClock, async }: LambdaDeps) {
  const byName = new FunctionPools(pools);
  const runner = new InvocationRunner(sink, clock, new TraceLineage(), handlerClock);
  const engine = new AsyncEngine({
    ...async,
    clock,
    attempt: ({ functionKey, payload, origin, traceHeader, attempts, id }) =>
      runner.run(
        byName.get(functionKey),
        { payload, type: 'Event', origin, traceHeader, attempt: attempts + 1 },
        id,
      ),
    log: (key, line) => sink.log(key, line),
    outcome: (requestId, mark) => sink.outcome?.(requestId, mark),
  });
  for (const pool of pools) pool.onCapacityFreed(() => engine.capacityFreed(pool.config.key));
  return { lambda: new LambdaService(byName, runner, engine), engine };
}
