import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../errors';
import { layerVariables } from '../layer-paths';
import type { FunctionConfig, Instance, Runtime } from '../types';
import { isExecutableFile } from './find-executable';
import { ProcessInstance } from './process-instance';

export const PROVIDED_RUNTIMES = ['provided', 'provided.al2', 'provided.al2023'] as const;

/**
 * OS-only runtimes: the function's own executable `bootstrap` runs unchanged and speaks the Runtime API.
 *
 * AWS runs `bootstrap` at the root of the deployment package (/var/task, then /opt from layers) and
 * hands `handler` to it as `_HANDLER` without reading it; serverless-offline (docker mode) mounts
 * `<service>/bootstrap`. A service with one package is the same here: `<serviceDir>/bootstrap`. A
 * service that builds one binary per function (`handler: bin/orders/bootstrap`, packaged one directory
 * per function) points `handler` into that directory: `bootstrap` in the handler's directory is looked
 * for first, and that directory is then the task root (cwd and LAMBDA_TASK_ROOT), as its package root
 * would be on AWS. Without one there, a layer's `bootstrap` runs (Lambda's /opt/bootstrap; the later
 * layer's, as Lambda merges them), with the task root as its working directory.
 */
export class ProvidedRuntime implements Runtime {
  static supports(runtime: string): boolean {
    return (PROVIDED_RUNTIMES as readonly string[]).includes(runtime);
  }

  /** Where the function's bootstrap may be, in the order they are tried. */
  static candidates(fn: FunctionConfig): string[] {
    const dir = path.dirname(fn.handler);
    const places = dir && dir !== '.' ? [path.join(fn.serviceDir, dir, 'bootstrap')] : [];
    const layers = [...fn.layers].reverse().map((layer) => path.join(layer, 'bootstrap'));
    return [...places, path.join(fn.serviceDir, 'bootstrap'), ...layers];
  }

  check(fn: FunctionConfig): void {
    if (!ProvidedRuntime.supports(fn.runtime)) {
      throw new ConfigError(
        `Function "${fn.key}": runtime ${fn.runtime} is not an OS-only runtime (${PROVIDED_RUNTIMES.join(', ')})`,
        'EMULATE_UNSUPPORTED_RUNTIME',
      );
    }
    this.bootstrap(fn);
  }

  start(fn: FunctionConfig): Instance {
    const bootstrap = this.bootstrap(fn);
    const fromLayer = fn.layers.some((layer) => bootstrap === path.join(layer, 'bootstrap'));
    const taskRoot = fromLayer ? fn.serviceDir : path.dirname(bootstrap);
    return new ProcessInstance({
      command: bootstrap,
      args: [],
      cwd: taskRoot,
      env: {
        ...fn.environment,
        ...layerVariables(fn.environment, fn.layers),
        _HANDLER: fn.handler,
        LAMBDA_TASK_ROOT: taskRoot,
      },
    });
  }

  private bootstrap(fn: FunctionConfig): string {
    const candidates = ProvidedRuntime.candidates(fn);
    const found = candidates.find(isExecutableFile);
    if (found) return found;
    const present = candidates.find((file) => existsSync(file));
    const relative = candidates.map((file) => path.relative(fn.serviceDir, file) || file);
    throw new ConfigError(
      present
        ? `Function "${fn.key}" (${fn.runtime}): ${present} is not an executable file (chmod +x it)`
        : `Function "${fn.key}" (${fn.runtime}): no executable bootstrap (looked for ${relative.join(' and ')} in ${fn.serviceDir})`,
      'EMULATE_HANDLER_NOT_FOUND',
    );
  }
}
