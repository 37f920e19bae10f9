import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  callbackHandlerDeprecated,
  handlerNotFound,
  importModuleError,
  LambdaRuntimeError,
  userCodeSyntaxError,
} from '../lambda-errors';
import { importFromNodePath } from './node-path';
import type { HandlerSetup } from './protocol';
import { withProvidedSdkHint } from './provided-sdk';
import { isStreamingHandler } from './response-stream';

export type Handler = (
  event: unknown,
  context: unknown,
  callback: (error?: unknown, result?: unknown) => void,
) => unknown;

/**
 * Loads the handler as Lambda's Node.js runtime does in its init phase: `require` or `import` by the
 * module's kind, then the export path; a failure is the init error Lambda reports for it.
 */
export async function loadHandler(setup: HandlerSetup): Promise<Handler> {
  const { moduleFile, exportPath, handler } = setup;
  // Before the module loads: Node reads the source map of a module as it compiles it.
  if (setup.sourceMaps) process.setSourceMapsEnabled(true);
  let loaded: Record<string, unknown>;
  try {
    if (usesImport(moduleFile)) {
      importFromNodePath(process.env.NODE_PATH);
      loaded = await import(pathToFileURL(moduleFile).href);
    } else {
      loaded = createRequire(moduleFile)(moduleFile);
    }
  } catch (error) {
    if (error instanceof SyntaxError) {
      throw new LambdaRuntimeError(userCodeSyntaxError(error.message));
    }
    const code = (error as { code?: string }).code;
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') {
      throw new LambdaRuntimeError(
        importModuleError(withProvidedSdkHint(setup.runtime, (error as Error).message)),
      );
    }
    throw error;
  }
  let target: unknown = loaded;
  for (const key of exportPath.split('.')) target = (target as Record<string, unknown> | undefined)?.[key];
  if (typeof target !== 'function') {
    throw new LambdaRuntimeError(handlerNotFound(handler));
  }
  // Node.js 24's runtime tells a callback handler by the parameters it declares, async or not.
  // A streaming handler's third parameter is its context, not a callback.
  if (!setup.callbackHandlers && target.length >= 3 && !isStreamingHandler(target)) {
    throw new LambdaRuntimeError(callbackHandlerDeprecated());
  }
  return target as Handler;
}

/** ES modules load with import(): .mjs, and .js under a package.json with "type": "module". */
export function usesImport(file: string): boolean {
  if (file.endsWith('.mjs')) return true;
  if (!file.endsWith('.js')) return false;
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest))
      return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: string }).type === 'module';
    if (dirname(dir) === dir) return false;
  }
}
