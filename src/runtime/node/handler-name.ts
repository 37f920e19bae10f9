/**
 * Splits a Node.js handler string as Lambda's runtime does: `path/to/file.export` or
 * `path/to/file.nested.export`, the module being everything before the first dot of the last segment.
 */
export function splitHandler(handler: string): { modulePath: string; exportPath: string } | undefined {
  const slash = handler.lastIndexOf('/');
  const dot = handler.indexOf('.', slash + 1);
  if (dot <= slash + 1 || dot === handler.length - 1) return undefined;
  return { modulePath: handler.slice(0, dot), exportPath: handler.slice(dot + 1) };
}

export const NODE_EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'] as const;
export const TYPESCRIPT_EXTENSIONS = ['.ts', '.mts', '.cts'];
