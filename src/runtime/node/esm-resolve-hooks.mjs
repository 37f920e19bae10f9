// Module customization hooks (module.register) that let ES modules import packages from the folders of
// NODE_PATH after Node's own resolution finds nothing, as Lambda's Node.js runtimes let them import
// from layers and the runtime's SDK. Node's ESM resolver does not read NODE_PATH; CommonJS does.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

let folders = [];

export function initialize(data) {
  folders = data.folders;
}

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const name = packageNameOf(specifier);
    const folder = name && folders.find((candidate) => existsSync(join(candidate, name)));
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !folder) throw error;
    // Resolved as if imported from a file in the folder, which finds `<folder>/<name>` first.
    return nextResolve(specifier, { ...context, parentURL: pathToFileURL(join(folder, 'index.js')).href });
  }
}

// The package a bare specifier names (`@scope/name` or `name`); undefined for a path, URL or builtin.
function packageNameOf(specifier) {
  if (/^[./]|^[a-z][a-z0-9+.-]*:/i.test(specifier)) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}
