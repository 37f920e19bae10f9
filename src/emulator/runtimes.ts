import path from 'node:path';
import { ConfigError } from '../errors';
import { findNodeBinary } from '../runtime/interpreters/node-binaries';
import { declaredNodeMajor, HOST_NODE_MAJOR, NODE_RUNTIMES, NodeRuntime } from '../runtime/node/node-runtime';
import { ProvidedSdk } from '../runtime/node/provided-sdk';
import { Transpiler } from '../runtime/node/transpiler';
import { ProvidedRuntime, PYTHON_RUNTIMES, PythonRuntime } from '../runtime/runtime-api';
import type { FunctionConfig, Runtime } from '../runtime/types';
import type { EsbuildOptions } from '../service/build-settings';

/**
 * Picks the runtime for each function by its `runtime` setting: Node.js functions by the major they
 * declare (the emulator's own Node, else that major where the machine has it, else the emulator's own
 * with a warning), Python by the version they declare, provided.* as they are.
 */
export class Runtimes {
  private readonly transpiler: Transpiler;
  private readonly sdk: ProvidedSdk;
  private readonly node = new Map<number, NodeRuntime>();
  private readonly python: PythonRuntime;
  private readonly provided = new ProvidedRuntime();

  constructor(
    private readonly serviceDir: string,
    stateDir: string,
    private readonly warn: (line: string) => void = () => {},
    esbuild: EsbuildOptions = {},
  ) {
    this.transpiler = new Transpiler(serviceDir, path.join(stateDir, 'build'), esbuild);
    this.sdk = new ProvidedSdk(path.join(stateDir, 'runtime'));
    this.python = new PythonRuntime({ warn });
  }

  for(fn: FunctionConfig): Runtime {
    if (NODE_RUNTIMES.test(fn.runtime)) return this.nodeRuntime(declaredNodeMajor(fn.runtime));
    if (PythonRuntime.supports(fn.runtime)) return this.python;
    if (ProvidedRuntime.supports(fn.runtime)) return this.provided;
    throw new ConfigError(
      `Function "${fn.key}": runtime ${fn.runtime} is not supported by sls emulate (supported: nodejs*.x, ${PYTHON_RUNTIMES[0]} to ${PYTHON_RUNTIMES.at(-1)}, provided, provided.al2, provided.al2023)`,
      'EMULATE_UNSUPPORTED_RUNTIME',
    );
  }

  /** One runtime per Node major, its binary looked for once. */
  private nodeRuntime(major: number): NodeRuntime {
    let runtime = this.node.get(major);
    if (!runtime) {
      const node = major === HOST_NODE_MAJOR ? undefined : findNodeBinary(major, this.serviceDir);
      runtime = new NodeRuntime(this.transpiler, { node, warn: this.warn, sdk: this.sdk });
      this.node.set(major, runtime);
    }
    return runtime;
  }
}
