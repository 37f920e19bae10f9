import path from 'node:path';
import { findOnPath } from '../runtime-api/find-executable';
import { homeOf, outputOf, parseVersion, versionFolders } from './versions';

export interface PythonInterpreter {
  /** The interpreter's real path (a shim's target, so that a start does not pay for the shim). */
  executable: string;
  /** `3.12`. */
  version: string;
}

/** Where `findPython` looks, for the warning when it finds nothing. */
export const PYTHON_SEARCH = 'PATH, pyenv';

/** Runs `command` (a name on PATH or a path) to learn its real path and version; undefined if it does not run. */
export function probePython(
  command: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
): PythonInterpreter | undefined {
  const resolved = command.includes(path.sep) ? command : findOnPath(command, env.PATH);
  if (!resolved) return undefined;
  const output = outputOf(
    resolved,
    ['-c', 'import sys; print(sys.executable); print("%d.%d" % sys.version_info[:2])'],
    cwd,
  );
  const [executable, version] = (output ?? '').split('\n');
  return version ? { executable: executable || resolved, version } : undefined;
}

/**
 * A Python interpreter of `version` (`3.12`): `python3.12` on PATH, else the newest 3.12 in pyenv's
 * versions folder, else `python3` on PATH when it is that version. `cwd` is the service's folder (a
 * shim picks a version per folder).
 */
export function findPython(
  version: string,
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): PythonInterpreter | undefined {
  const wanted = parseVersion(version);
  if (!wanted) return undefined;
  const pyenv = path.join(env.PYENV_ROOT ?? path.join(homeOf(env), '.pyenv'), 'versions');
  const candidates = [
    `python${version}`,
    ...versionFolders(pyenv, wanted.slice(0, 2)).map(({ folder }) =>
      path.join(folder, 'bin', `python${version}`),
    ),
    'python3',
  ];
  for (const candidate of candidates) {
    const found = probePython(candidate, cwd, env);
    if (found?.version === version) return found;
  }
  return undefined;
}
