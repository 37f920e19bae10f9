import path from 'node:path';
import { ConfigError } from '../errors';
import { NODE_RUNTIMES, NodeRuntime } from '../runtime/node/node-runtime';
import { Transpiler } from '../runtime/node/transpiler';
import type { FunctionConfig, Runtime } from '../runtime/types';

/** Picks the runtime for each function by its `runtime` setting. */
export class Runtimes {
  private readonly node: NodeRuntime;

  constructor(serviceDir: string, stateDir: string) {
    this.node = new NodeRuntime(new Transpiler(serviceDir, path.join(stateDir, 'build')));
  }

  for(fn: FunctionConfig): Runtime {
    if (NODE_RUNTIMES.test(fn.runtime)) return this.node;
    throw new ConfigError(
      `Function "${fn.key}": runtime ${fn.runtime} is not supported by sls emulate (supported: nodejs*.x)`,
      'EMULATE_UNSUPPORTED_RUNTIME',
    );
  }
}
