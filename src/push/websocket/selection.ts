/**
 * API Gateway's selection expressions, as a WebSocket API evaluates its route selection expression against
 * a JSON message: variables prefixed with `$` (`$request.body.action`), braces to bound one
 * (`${request.body.version}-beta`), several variables in one expression, `\$` for a literal dollar.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-selection-expressions.html
 * Compiled once per API; evaluated per message against the parsed body.
 */

/** The route key an expression gives for a parsed message body, or undefined when a variable is missing. */
export type Selector = (body: unknown) => string | undefined;

/** A literal piece, a path into the body, or a variable route selection cannot read (always missing). */
type Part = { literal: string } | { path: string[] } | { unknown: string };

const NAME_CHAR = /[A-Za-z0-9_.[\]]/;
const BODY_PREFIX = 'request.body';

/** `request.body.a.b[0]` -> `['a', 'b', '0']`; `request.body` alone is the whole body. */
function partOf(variable: string): Part {
  if (variable !== BODY_PREFIX && !variable.startsWith(`${BODY_PREFIX}.`)) return { unknown: variable };
  const rest = variable.slice(BODY_PREFIX.length + 1);
  return { path: rest === '' ? [] : rest.split(/\.|\[(\d+)\]/).filter((segment) => segment) };
}

function parse(expression: string): Part[] {
  const parts: Part[] = [];
  let literal = '';
  const flush = () => {
    if (literal !== '') parts.push({ literal });
    literal = '';
  };
  for (let i = 0; i < expression.length; i++) {
    const char = expression[i];
    if (char === '\\' && expression[i + 1] === '$') {
      literal += '$';
      i++;
    } else if (char === '$' && expression[i + 1] === '{' && expression.includes('}', i)) {
      const end = expression.indexOf('}', i);
      flush();
      parts.push(partOf(expression.slice(i + 2, end)));
      i = end;
    } else if (char === '$' && i + 1 < expression.length && NAME_CHAR.test(expression[i + 1])) {
      let end = i + 1;
      while (end < expression.length && NAME_CHAR.test(expression[end])) end++;
      flush();
      parts.push(partOf(expression.slice(i + 1, end)));
      i = end - 1;
    } else {
      literal += char;
    }
  }
  flush();
  return parts;
}

/** A value as a route key: strings as they are, numbers and booleans as text; objects select nothing. */
function keyOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function lookup(body: unknown, path: readonly string[]): unknown {
  let value = body;
  for (const segment of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

function evaluate(part: Part, body: unknown): string | undefined {
  if ('literal' in part) return part.literal;
  if ('path' in part) return keyOf(lookup(body, part.path));
  return undefined;
}

export function compileSelection(expression: string): Selector {
  const parts = parse(expression);
  if (parts.length === 1) {
    const [only] = parts;
    return (body) => evaluate(only, body);
  }
  return (body) => {
    let key = '';
    for (const part of parts) {
      const value = evaluate(part, body);
      if (value === undefined) return undefined;
      key += value;
    }
    return key;
  };
}
