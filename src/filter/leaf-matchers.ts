import { compileAnythingBut } from './anything-but';
import { inRange, parseCidr, parseIp } from './ip-address';
import { compileNumeric } from './numeric';
import { fail } from './pattern-error';
import { compileWildcard } from './wildcard';

/** The leaf values found at a field (an array's elements, flattened; objects are not leaves). */
export type Leaves = readonly unknown[];

/** One alternative of a field's value list, tested against the leaves found at the field. */
type Alternative = (leaves: Leaves) => boolean;
type ValueTest = (value: unknown) => boolean;

const lower = (text: string) => text.toLowerCase();
const isString = (value: unknown): value is string => typeof value === 'string';

/** Any leaf passes the value test. */
const anyLeaf =
  (test: ValueTest): Alternative =>
  (leaves) =>
    leaves.some(test);

/**
 * Compiles a field's list of values (`"state": ["running", {"prefix": "stop"}]`): the field matches
 * when any alternative matches any of its leaves, or, for `exists`, by the presence of a leaf.
 */
export function compileLeafList(path: string, list: unknown[]): (leaves: Leaves) => boolean {
  if (list.length === 0) fail(path, 'Empty arrays are not allowed');
  const alternatives = list.map((item) => compileAlternative(path, item));
  return (leaves) => alternatives.some((alternative) => alternative(leaves));
}

function compileAlternative(path: string, item: unknown): Alternative {
  if (typeof item === 'string') return anyLeaf(exactString(item));
  if (typeof item === 'number') {
    if (!Number.isFinite(item)) fail(path, 'Match value must be a finite number');
    return anyLeaf((value) => value === item);
  }
  if (typeof item === 'boolean' || item === null) return anyLeaf((value) => value === item);
  if (typeof item === 'object' && !Array.isArray(item)) return compileExpression(path, item);
  return fail(path, 'Match value must be String, number, true, false, or null');
}

/** An exact string; an IP address literal also matches the same address written another way. */
function exactString(expected: string): ValueTest {
  const ip = parseIp(expected);
  if (!ip) return (value) => value === expected;
  return (value) => {
    if (value === expected) return true;
    const other = isString(value) ? parseIp(value) : undefined;
    return other !== undefined && other.bits === ip.bits && other.value === ip.value;
  };
}

function compileExpression(path: string, expression: object): Alternative {
  const keys = Object.keys(expression);
  if (keys.length === 0) fail(path, 'Match expression name not found');
  if (keys.length > 1) fail(path, 'Only one key allowed in match expression');
  const [name] = keys;
  const operand = (expression as Record<string, unknown>)[name];
  switch (name) {
    case 'exists':
      if (typeof operand !== 'boolean') fail(path, 'exists match pattern must be either true or false.');
      return (leaves) => leaves.length > 0 === operand;
    case 'prefix':
      return anyLeaf(stringOrIgnoringCase(path, name, operand, (text, x) => text.startsWith(x)));
    case 'suffix':
      return anyLeaf(stringOrIgnoringCase(path, name, operand, (text, x) => text.endsWith(x)));
    case 'equals-ignore-case': {
      const expected = lower(requireString(path, name, operand));
      return anyLeaf((value) => isString(value) && lower(value) === expected);
    }
    case 'wildcard': {
      const test = wildcard(path, requireString(path, name, operand));
      return anyLeaf((value) => isString(value) && test(value));
    }
    case 'numeric':
      return anyLeaf(compileNumeric(path, operand));
    case 'cidr': {
      const range = cidr(path, requireString(path, name, operand));
      return anyLeaf((value) => {
        const address = isString(value) ? parseIp(value) : undefined;
        return address !== undefined && inRange(range, address);
      });
    }
    case 'anything-but':
      return anyLeaf(compileAnythingBut(path, operand));
    default:
      return fail(path, `Unrecognized match type ${name}`);
  }
}

function requireString(path: string, name: string, operand: unknown): string {
  if (!isString(operand)) fail(path, `${name} match pattern must be a string`);
  return operand;
}

/** `{"prefix": "us-"}` or `{"prefix": {"equals-ignore-case": "US-"}}`, and the same for suffix. */
function stringOrIgnoringCase(
  path: string,
  name: string,
  operand: unknown,
  test: (text: string, expected: string) => boolean,
): ValueTest {
  if (isString(operand)) return (value) => isString(value) && test(value, operand);
  if (operand === null || typeof operand !== 'object' || Array.isArray(operand)) {
    fail(path, `${name} match pattern must be a string`);
  }
  const keys = Object.keys(operand);
  if (keys.length !== 1 || keys[0] !== 'equals-ignore-case') {
    fail(path, `Unsupported ${name} pattern: ${keys.join(', ') || '{}'}`);
  }
  const expected = lower(
    requireString(path, 'equals-ignore-case', (operand as Record<string, unknown>)[keys[0]]),
  );
  return (value) => isString(value) && test(lower(value), expected);
}

function wildcard(path: string, value: string) {
  try {
    return compileWildcard(value);
  } catch (error) {
    return fail(path, (error as Error).message);
  }
}

function cidr(path: string, value: string) {
  try {
    return parseCidr(value);
  } catch (error) {
    return fail(path, (error as Error).message);
  }
}
