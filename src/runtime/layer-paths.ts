import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Where a function's layers put what Lambda mounts under /opt. Lambda extracts the layers into /opt in
 * order, a later layer's file replacing an earlier one's: here each layer stays in its own folder, so a
 * lookup tries the later layers first. Only folders that exist are listed.
 */
function layerFolders(layers: string[], subfolders: string[]): string[] {
  const latestFirst = [...layers].reverse();
  return subfolders
    .flatMap((sub) => latestFirst.map((layer) => path.join(layer, sub)))
    .filter((folder) => existsSync(folder));
}

/** Node.js: `nodejs/node<NN>/node_modules`, then `nodejs/node_modules` (Lambda's NODE_PATH order). */
export function layerNodeModules(runtime: string, layers: string[]): string[] {
  const major = /^nodejs(\d+)\.x$/.exec(runtime)?.[1];
  const versioned = major ? [path.join('nodejs', `node${major}`, 'node_modules')] : [];
  return layerFolders(layers, [...versioned, path.join('nodejs', 'node_modules')]);
}

/** Python: `python/lib/python3.X/site-packages`, then `python` (Lambda's sys.path order). */
export function layerPythonPath(runtime: string, layers: string[]): string[] {
  return layerFolders(layers, [path.join('python', 'lib', runtime, 'site-packages'), 'python']);
}

/**
 * The variables every runtime's process or thread gets from its layers: `bin` at the end of PATH and
 * `lib` at the end of LD_LIBRARY_PATH, where Lambda puts /opt/bin and /opt/lib.
 */
export function layerVariables(
  environment: Record<string, string>,
  layers: string[],
): Record<string, string> {
  const append = (name: string, folders: string[]) =>
    folders.length === 0
      ? {}
      : { [name]: [environment[name], ...folders].filter(Boolean).join(path.delimiter) };
  return {
    ...append('PATH', layerFolders(layers, ['bin'])),
    ...append('LD_LIBRARY_PATH', layerFolders(layers, ['lib'])),
  };
}
