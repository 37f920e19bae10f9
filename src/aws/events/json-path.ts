type Segment = { kind: 'key'; name: string } | { kind: 'index'; index: number } | { kind: 'all' };

/**
 * The JSONPath subset EventBridge evaluates in InputPath and InputPathsMap: `$`, dot notation with
 * dashes, underscores, slashes and alphanumerics (`$.detail.instance-id`), bracketed names
 * (`$['a b']`), array indices (`$.resources[0]`) and wildcards (`$.detail.*`, `[*]`).
 * Throws an Error for anything else.
 */
export function parseJsonPath(path: string): Segment[] {
  if (!path.startsWith('$')) throw new Error(`JSONPath ${path} must start with $`);
  const segments: Segment[] = [];
  let rest = path.slice(1);
  while (rest.length > 0) {
    const match =
      /^\.(\*|[^.[\]]+)/.exec(rest) ??
      /^\[(\*|[0-9]+)\]/.exec(rest) ??
      /^\[(?:'([^']*)'|"([^"]*)")\]/.exec(rest);
    if (!match) throw new Error(`JSONPath ${path} is not supported at "${rest}"`);
    const [whole, first, quoted] = match;
    segments.push(segmentOf(whole, first ?? quoted));
    rest = rest.slice(whole.length);
  }
  return segments;
}

function segmentOf(whole: string, text: string): Segment {
  if (whole.startsWith("['") || whole.startsWith('["')) return { kind: 'key', name: text };
  if (text === '*') return { kind: 'all' };
  if (whole.startsWith('[')) return { kind: 'index', index: Number(text) };
  return { kind: 'key', name: text };
}

/**
 * The value at a JSONPath, or undefined when the path names nothing. With a wildcard the result is
 * the list of the values found.
 */
export function evaluateJsonPath(value: unknown, path: string): unknown {
  const segments = parseJsonPath(path);
  const wild = segments.some((segment) => segment.kind === 'all');
  const found = walk([value], segments);
  return wild ? found : found[0];
}

function walk(values: unknown[], segments: Segment[]): unknown[] {
  let current = values;
  for (const segment of segments) {
    current = current.flatMap((value) => step(value, segment));
  }
  return current;
}

function step(value: unknown, segment: Segment): unknown[] {
  if (value === null || typeof value !== 'object') return [];
  if (segment.kind === 'all') return Array.isArray(value) ? value : Object.values(value);
  if (segment.kind === 'index') {
    return Array.isArray(value) && segment.index < value.length ? [value[segment.index]] : [];
  }
  if (Array.isArray(value) || !Object.hasOwn(value, segment.name)) return [];
  return [(value as Record<string, unknown>)[segment.name]];
}
