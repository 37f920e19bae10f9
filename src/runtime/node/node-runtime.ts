import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../errors';
import { LambdaErrorType } from '../lambda-errors';
import type { FunctionConfig, Instance, Runtime } from '../types';
import { NODE_EXTENSIONS, splitHandler } from './handler-name';
import { NodeInstance } from './node-instance';
import type { Transpiler } from './transpiler';

export const NODE_RUNTIMES = /^nodejs\d+\.x$/;

/** Node.js functions: CommonJS, ES modules and TypeScript handlers, each instance a worker thread. */
export class NodeRuntime implements Runtime {
  constructor(private readonly transpiler: Transpiler) {}

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
  }

  sources(fn: FunctionConfig): string[] {
    return this.transpiler.localImports(this.sourceFile(fn));
  }

  codeChanged(fn: FunctionConfig): void {
    this.transpiler.invalidate(fn.key);
  }

  start(fn: FunctionConfig): Instance {
    const parts = splitHandler(fn.handler);
    const moduleFile = this.transpiler.moduleFor(fn.key, this.sourceFile(fn));
    return new NodeInstance(
      {
        moduleFile,
        exportPath: parts?.exportPath ?? '',
        handler: fn.handler,
        functionName: fn.name,
        memorySize: fn.memorySize,
        logGroupName: fn.environment.AWS_LAMBDA_LOG_GROUP_NAME,
        logStreamName: fn.environment.AWS_LAMBDA_LOG_STREAM_NAME,
        awsEndpoint: fn.awsEndpoint,
      },
      fn.environment,
      fn.memorySize,
    );
  }
}
