import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../errors';
import {
  findPython,
  probePython,
  PYTHON_SEARCH,
  type PythonInterpreter,
} from '../interpreters/python-interpreters';
import { layerPythonPath, layerVariables } from '../layer-paths';
import type { FunctionConfig, Instance, Runtime } from '../types';
import { ProcessInstance } from './process-instance';

export const PYTHON_RUNTIMES = [
  'python3.8',
  'python3.9',
  'python3.10',
  'python3.11',
  'python3.12',
  'python3.13',
  'python3.14',
] as const;

/** The bootstrap this package ships (the build copies it next to the compiled file). */
export const PYTHON_BOOTSTRAP = path.join(__dirname, 'bootstrap.py');

export interface PythonRuntimeOptions {
  /**
   * The one interpreter to run every function on: a command looked up on PATH, or a path. By default
   * each function gets the version it declares where one can be found, else `python3`.
   */
  python?: string;
  /** Default PYTHON_BOOTSTRAP. */
  bootstrap?: string;
  /** Where the warning goes when a function runs on another version than it declares. */
  warn?: (line: string) => void;
  /** Where interpreters are looked for (PATH, HOME, PYENV_ROOT). Default process.env. */
  env?: NodeJS.ProcessEnv;
}

/** What runs when the version a function declares cannot be found. */
const FALLBACK_PYTHON = 'python3';

/**
 * `python3.8` .. `python3.14` functions, each instance a long-lived `python -u bootstrap.py` process
 * that talks to its own Runtime API server. A function runs on the Python it declares when the machine
 * has it (interpreters/python-interpreters.ts), else on `python3` with a warning at start. The
 * interpreter's real path is resolved once, so a version-manager shim such as pyenv's is not paid for
 * on every start.
 */
export class PythonRuntime implements Runtime {
  private readonly bootstrap: string;
  private readonly env: NodeJS.ProcessEnv;
  /** Per service directory and runtime: the interpreter, or why there is none. */
  private readonly interpreters = new Map<string, PythonInterpreter | string>();

  constructor(private readonly options: PythonRuntimeOptions = {}) {
    this.bootstrap = options.bootstrap ?? PYTHON_BOOTSTRAP;
    this.env = options.env ?? process.env;
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
    const { executable, version } = this.interpreter(fn);
    const declared = declaredVersion(fn);
    if (version !== declared) {
      const reason = this.options.python
        ? `the emulator runs ${this.options.python}`
        : `no Python ${declared} found (${PYTHON_SEARCH})`;
      this.options.warn?.(
        `Function "${fn.key}" declares ${fn.runtime}: ${reason}, so it runs on Python ${version} (${executable})`,
      );
    }
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

  /** The interpreter for the function's service and runtime (a shim may pick a version per directory), found once. */
  private interpreter(fn: FunctionConfig): PythonInterpreter {
    const key = `${fn.serviceDir}\0${fn.runtime}`;
    let found = this.interpreters.get(key);
    if (found === undefined) {
      found = this.resolve(fn);
      this.interpreters.set(key, found);
    }
    if (typeof found === 'string') {
      throw new ConfigError(`Function "${fn.key}" (${fn.runtime}): ${found}`, 'EMULATE_RUNTIME_UNAVAILABLE');
    }
    return found;
  }

  private resolve(fn: FunctionConfig): PythonInterpreter | string {
    if (!isFile(this.bootstrap)) return `the Python bootstrap ${this.bootstrap} is missing from the package`;
    const declared = this.options.python
      ? undefined
      : findPython(declaredVersion(fn), fn.serviceDir, this.env);
    if (declared) return declared;
    const command = this.options.python ?? FALLBACK_PYTHON;
    const found = probePython(command, fn.serviceDir, this.env);
    if (!found) return `${command} is not on PATH or does not run; install Python 3.8 or later`;
    const [major, minor] = found.version.split('.').map(Number);
    if (major !== 3 || !(minor >= 8)) return `${command} is Python ${found.version}; 3.8 or later is needed`;
    return found;
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

/** `python3.12` -> `3.12`. */
const declaredVersion = (fn: FunctionConfig) => fn.runtime.replace(/^python/, '');

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
