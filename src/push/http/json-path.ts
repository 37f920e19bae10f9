/**
 * The JSONPath API Gateway's `$input.path`/`$input.json` and `integration.response.body.*` take: `$`,
 * `.name`, `['name']`, `[index]` and `[*]`/`.*` (which yield a list).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html
 */

type Step = { name: string } | { index: number } | { all: true };

const STEP =
  /^(?:\.([^.[\]]+)|\[\s*'((?:[^'\\]|\\.)*)'\s*\]|\[\s*"((?:[^"\\]|\\.)*)"\s*\]|\[\s*(-?\d+)\s*\]|\[\s*\*\s*\])/;

export class JsonPathError extends Error {}

function stepsOf(path: string): Step[] {
  let rest = path.trim();
  if (!rest.startsWith('$')) throw new JsonPathError(`Invalid JSONPath "${path}": it must start with $`);
  rest = rest.slice(1);
  const steps: Step[] = [];
  while (rest !== '') {
    const match = STEP.exec(rest);
    if (!match) throw new JsonPathError(`Invalid JSONPath "${path}"`);
    const [whole, dotted, single, double, index] = match;
    if (dotted === '*' || whole.replace(/\s/g, '') === '[*]') steps.push({ all: true });
    else if (index !== undefined) steps.push({ index: Number(index) });
    else steps.push({ name: dotted ?? single ?? double });
    rest = rest.slice(whole.length);
  }
  return steps;
}

function apply(values: unknown[], step: Step): unknown[] {
  const out: unknown[] = [];
  for (const value of values) {
    if (typeof value !== 'object' || value === null) continue;
    if ('all' in step) out.push(...(Array.isArray(value) ? value : Object.values(value)));
    else if ('index' in step) {
      if (Array.isArray(value)) {
        const item: unknown = value[step.index < 0 ? value.length + step.index : step.index];
        if (item !== undefined) out.push(item);
      }
    } else if (Object.hasOwn(value, step.name)) out.push((value as Record<string, unknown>)[step.name]);
  }
  return out;
}

/** The value at `path` (undefined when nothing is there; a list where the path has a wildcard). */
export function jsonPath(document: unknown, path: string): unknown {
  const steps = stepsOf(path);
  let values: unknown[] = [document];
  for (const step of steps) values = apply(values, step);
  return steps.some((step) => 'all' in step) ? values : values[0];
}
