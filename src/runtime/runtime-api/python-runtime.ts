import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../errors';
import { layerPythonPath, layerVariables } from '../layer-paths';
import type { FunctionConfig, Instance, Runtime } from '../types';
import { findOnPath } from './find-executable';
import { ProcessInstance } from './process-instance';

export const PYTHON_RUNTIMES = [
  'python3.8',
  'python3.9',
  'python3.10',
  'python3.11',
  'python3.12',
  'python3.13',
] as const;

/** The bootstrap this package ships (the build copies it next to the compiled file). */
export const PYTHON_BOOTSTRAP = path.join(__dirname, 'bootstrap.py');

export interface PythonRuntimeOptions {
  /** The interpreter: a command looked up on PATH, or a path. Default `python3`. */
  python?: string;
  /** Default PYTHON_BOOTSTRAP. */
  bootstrap?: string;
}

interface Interpreter {
  executable: string;
  version: string;
}

/**
 * `python3.8` .. `python3.13` functions, each instance a long-lived `python3 -u bootstrap.py` process
 * that talks to its own Runtime API server. The local `python3` runs them whatever minor version the
 * function names (the interpreter's real path is resolved once, so a version-manager shim such as
 * pyenv's is not paid for on every start).
 */
export class PythonRuntime implements Runtime {
  private readonly python: string;
  private readonly bootstrap: string;
  /** Per service directory: the interpreter, or why there is none. */
  private readonly interpreters = new Map<string, Interpreter | string>();

  constructor(options: PythonRuntimeOptions = {}) {
    this.python = options.python ?? 'python3';
    this.bootstrap = options.bootstrap ?? PYTHON_BOOTSTRAP;
  }

  static supports(runtime: string): boolean {
    return (PYTHON_RUNTIMES as readonly string[]).includes(runtime);
  }

  check(fn: FunctionConfig): void {
    if (!PythonRuntime.supports(fn.runtime)) {
      throw new ConfigError(
        `Function "${fn.key}": runtime ${fn.runtime} is not a Python runtime this emulator runs (${PYTHON_RUNTIMES.join(', ')})`,
        'EMULATE_UNSUPPORTED_RUNTIME',
      );
    }
    const module = handlerModule(fn);
    const candidates = [`${module}.py`, path.join(module, '__init__.py')];
    if (!candidates.some((file) => isFile(path.join(fn.serviceDir, file)))) {
      throw new ConfigError(
        `Function "${fn.key}": handler "${fn.handler}" names ${candidates[0]}, which does not exist in ${fn.serviceDir}`,
        'EMULATE_HANDLER_NOT_FOUND',
      );
    }
    this.interpreter(fn);
  }

  /** For hot reload: the Python files beside the handler's module. */
  sources(fn: FunctionConfig): string[] {
    const dir = path.dirname(path.join(fn.serviceDir, handlerModule(fn)));
    return readdirSync(dir)
      .filter((name) => name.endsWith('.py'))
      .map((name) => path.join(dir, name));
  }

  start(fn: FunctionConfig): Instance {
    const { executable } = this.interpreter(fn);
    return new ProcessInstance({
      command: executable,
      args: ['-u', this.bootstrap],
      cwd: fn.serviceDir,
      env: { ...pythonEnvironment(fn), _HANDLER: fn.handler, LAMBDA_TASK_ROOT: fn.serviceDir },
    });
  }

  /** The interpreter for the function's service (a shim may pick a version per directory), found once. */
  private interpreter(fn: FunctionConfig): Interpreter {
    let found = this.interpreters.get(fn.serviceDir);
    if (found === undefined) {
      found = this.resolve(fn.serviceDir);
      this.interpreters.set(fn.serviceDir, found);
    }
    if (typeof found === 'string') {
      throw new ConfigError(`Function "${fn.key}" (${fn.runtime}): ${found}`, 'EMULATE_RUNTIME_UNAVAILABLE');
    }
    return found;
  }

  private resolve(serviceDir: string): Interpreter | string {
    if (!isFile(this.bootstrap)) return `the Python bootstrap ${this.bootstrap} is missing from the package`;
    const command = this.python.includes(path.sep) ? this.python : findOnPath(this.python);
    if (!command) return `no ${this.python} on PATH; install Python 3.8 or later`;
    let output: string;
    try {
      output = execFileSync(
        command,
        ['-c', 'import sys; print(sys.executable); print("%d.%d" % sys.version_info[:2])'],
        { cwd: serviceDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 },
      );
    } catch (error) {
      return `${command} does not run: ${(error as Error).message.split('\n')[0]}`;
    }
    const [executable, version] = output.trim().split('\n');
    const [major, minor] = (version ?? '').split('.').map(Number);
    if (major !== 3 || !(minor >= 8)) return `${command} is Python ${version}; 3.8 or later is needed`;
    return { executable: executable || command, version };
  }
}

/** The function's environment with its layers: their Python folders on PYTHONPATH (before its own), bin and lib. */
function pythonEnvironment(fn: FunctionConfig): Record<string, string> {
  const folders = layerPythonPath(fn.runtime, fn.layers);
  const pythonPath = [...folders, fn.environment.PYTHONPATH].filter(Boolean).join(path.delimiter);
  return {
    ...fn.environment,
    ...layerVariables(fn.environment, fn.layers),
    ...(pythonPath ? { PYTHONPATH: pythonPath } : {}),
  };
}

/** `path/to/file.func` -> `path/to/file` (as AWS's runtime splits it: at the last dot). */
function handlerModule(fn: FunctionConfig): string {
  const dot = fn.handler.lastIndexOf('.');
  if (dot <= 0 || dot === fn.handler.length - 1) {
    throw new ConfigError(
      `Function "${fn.key}": handler "${fn.handler}" must be <path/to/file>.<function>, e.g. handler.main`,
      'EMULATE_HANDLER_NOT_FOUND',
    );
  }
  // A dotted module path (`pkg.module.func`) is a package path as well.
  return fn.handler.slice(0, dot).replace(/\./g, '/');
}

function isFile(file: string): boolean {
  return existsSync(file) && statSync(file).isFile();
}
