import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../errors';
import { NODE_SEARCH, type NodeBinary } from '../interpreters/node-binaries';
import { layerNodeModules, layerVariables } from '../layer-paths';
import { LambdaErrorType } from '../lambda-errors';
import { ProcessInstance } from '../runtime-api/process-instance';
import type { FunctionConfig, Instance, Runtime } from '../types';
import { NODE_EXTENSIONS, splitHandler } from './handler-name';
import { NodeInstance } from './node-instance';
import { nodePathOf } from './node-path';
import type { HandlerSetup } from './protocol';
import type { ProvidedSdk } from './provided-sdk';
import type { Transpiler } from './transpiler';

export const NODE_RUNTIMES = /^nodejs(\d+)\.x$/;

/** The Node.js major a `nodejs<major>.x` runtime declares. */
export const declaredNodeMajor = (runtime: string) => Number(NODE_RUNTIMES.exec(runtime)?.[1]);

/** The major of the Node running the emulator. */
export const HOST_NODE_MAJOR = Number(process.versions.node.split('.')[0]);

/** Lambda's Node.js 24 runtime is the first without callback handlers. */
const LAST_MAJOR_WITH_CALLBACKS = 22;

// In tests the sources run through tsx; the built package runs the compiled bootstrap.
const BOOTSTRAP_FILE = __filename.endsWith('.ts') ? `${__dirname}/bootstrap.ts` : `${__dirname}/bootstrap.js`;
const BOOTSTRAP_EXEC_ARGV = __filename.endsWith('.ts') ? ['--require', require.resolve('tsx/cjs')] : [];

export interface NodeRuntimeOptions {
  /** Another Node than the emulator's, for functions of its major: each instance is a process of it. */
  node?: NodeBinary;
  /** Where the warning goes when a function runs on another Node major than it declares. */
  warn?: (line: string) => void;
  /** The SDK Lambda's runtime provides, from where this machine has it. */
  sdk?: ProvidedSdk;
}

/**
 * Node.js functions: CommonJS, ES modules and TypeScript handlers. On the emulator's own Node each
 * instance is a worker thread; on another Node (`options.node`), a process of it running bootstrap.ts
 * over the Runtime API. Either way the handler is loaded and called by the same code.
 */
export class NodeRuntime implements Runtime {
  constructor(
    private readonly transpiler: Transpiler,
    private readonly options: NodeRuntimeOptions = {},
  ) {}

  /** The handler's source file, or a ConfigError that names the function and what is wrong. */
  sourceFile(fn: FunctionConfig): string {
    const parts = splitHandler(fn.handler);
    if (!parts) {
      throw new ConfigError(
        `Function "${fn.key}": handler "${fn.handler}" is malformed (${LambdaErrorType.MalformedHandlerName}): use path/to/file.export`,
        'EMULATE_MALFORMED_HANDLER',
      );
    }
    const base = path.resolve(fn.serviceDir, parts.modulePath);
    const file = NODE_EXTENSIONS.map((ext) => base + ext).find((f) => existsSync(f));
    if (!file) {
      throw new ConfigError(
        `Function "${fn.key}": handler file ${parts.modulePath}{${NODE_EXTENSIONS.join(',')}} not found in ${fn.serviceDir}`,
        'EMULATE_HANDLER_NOT_FOUND',
      );
    }
    return file;
  }

  check(fn: FunctionConfig): void {
    this.sourceFile(fn);
    const major = declaredNodeMajor(fn.runtime);
    if (!this.options.node && major !== HOST_NODE_MAJOR) {
      this.options.warn?.(
        `Function "${fn.key}" declares ${fn.runtime}: no Node ${major} found (${NODE_SEARCH}), so it runs on this machine's Node ${process.version}`,
      );
    }
  }

  sources(fn: FunctionConfig): string[] {
    return this.transpiler.localImports(this.sourceFile(fn));
  }

  codeChanged(fn: FunctionConfig): void {
    this.transpiler.invalidate(fn.key);
  }

  start(fn: FunctionConfig): Instance {
    const setup = this.setup(fn);
    const environment = this.environment(fn);
    const { node } = this.options;
    if (!node) return new NodeInstance(setup, environment, fn.memorySize);
    return new ProcessInstance({
      command: node.executable,
      args: [
        `--max-old-space-size=${fn.memorySize}`,
        ...BOOTSTRAP_EXEC_ARGV,
        BOOTSTRAP_FILE,
        JSON.stringify(setup),
      ],
      cwd: fn.serviceDir,
      env: environment,
    });
  }

  /** The function's environment with what its layers and the runtime's SDK add (its own NODE_PATH wins). */
  private environment(fn: FunctionConfig): Record<string, string> {
    const runtimeModules = this.options.sdk?.nodeModulesFor(fn.runtime);
    return {
      ...fn.environment,
      ...layerVariables(fn.environment, fn.layers),
      NODE_PATH:
        fn.environment.NODE_PATH ?? nodePathOf(layerNodeModules(fn.runtime, fn.layers), runtimeModules),
    };
  }

  private setup(fn: FunctionConfig): HandlerSetup {
    const source = this.sourceFile(fn);
    const moduleFile = this.transpiler.moduleFor(fn.key, source);
    return {
      moduleFile,
      sourceMaps: moduleFile !== source,
      exportPath: splitHandler(fn.handler)?.exportPath ?? '',
      handler: fn.handler,
      functionName: fn.name,
      memorySize: fn.memorySize,
      logGroupName: fn.environment.AWS_LAMBDA_LOG_GROUP_NAME,
      logStreamName: fn.environment.AWS_LAMBDA_LOG_STREAM_NAME,
      awsEndpoint: fn.awsEndpoint,
      callbackHandlers: declaredNodeMajor(fn.runtime) <= LAST_MAJOR_WITH_CALLBACKS,
      runtime: fn.runtime,
    };
  }
}
