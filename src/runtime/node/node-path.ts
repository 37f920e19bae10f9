import { register } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

// Beside this file in the sources and in dist/ (scripts/copy-assets.js copies it).
const HOOKS_FILE = path.join(__dirname, 'esm-resolve-hooks.mjs');

/**
 * Inside a function's thread or process, before its handler loads as an ES module: ES modules import
 * from the folders of NODE_PATH (its layers, the runtime's SDK) as on Lambda. CommonJS reads NODE_PATH
 * by itself. Needs module.register (Node.js 18.19, 20.6 and later); without it ES modules see only
 * their own node_modules.
 */
export function importFromNodePath(nodePath: string | undefined): void {
  const folders = (nodePath ?? '').split(path.delimiter).filter(Boolean);
  if (folders.length === 0 || typeof register !== 'function') return;
  register(pathToFileURL(HOOKS_FILE).href, { data: { folders } });
}

/** NODE_PATH as Lambda sets it: the layers' folders, then the runtime's own node_modules. */
export function nodePathOf(layerFolders: string[], runtimeModules: string | undefined): string {
  return [...layerFolders, ...(runtimeModules ? [runtimeModules] : [])].join(path.delimiter);
}
