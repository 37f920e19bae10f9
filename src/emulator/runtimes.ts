import path from 'node:path';
import { ConfigError } from '../errors';
import { NODE_RUNTIMES, NodeRuntime } from '../runtime/node/node-runtime';
import { Transpiler } from '../runtime/node/transpiler';
import { ProvidedRuntime, PythonRuntime } from '../runtime/runtime-api';
import type { FunctionConfig, Runtime } from '../runtime/types';

/** Picks the runtime for each function by its `runtime` setting. */
export class Runtimes {
  private readonly node: NodeRuntime;
  private readonly python = new PythonRuntime();
  private readonly provided = new ProvidedRuntime();

  constructor(serviceDir: string, stateDir: string) {
    this.node = new NodeRuntime(new Transpiler(serviceDir, path.join(stateDir, 'build')));
  }

  for(fn: FunctionConfig): Runtime {
    if (NODE_RUNTIMES.test(fn.runtime)) return this.node;
    if (PythonRuntime.supports(fn.runtime)) return this.python;
    if (ProvidedRuntime.supports(fn.runtime)) return this.provided;
    throw new ConfigError(
      `Function "${fn.key}": runtime ${fn.runtime} is not supported by sls emulate (supported: nodejs*.x, python3.8 to python3.13, provided, provided.al2, provided.al2023)`,
      'EMULATE_UNSUPPORTED_RUNTIME',
    );
  }
}
