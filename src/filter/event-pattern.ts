import { compileLeafList, type Leaves } from './leaf-matchers';
import { fail, PatternError } from './pattern-error';

export { PatternError } from './pattern-error';

/** What a compiled pattern checks on one JSON object of the event (or of one element of an array). */
interface ObjectNode {
  /** Every field must match (AND). */
  fields: Array<
    | { key: string; kind: 'leaf'; test: (leaves: Leaves) => boolean }
    | { key: string; kind: 'object'; node: ObjectNode }
  >;
  /** Each `$or` group needs one of its alternatives to match the same object. */
  ors: ObjectNode[][];
}

/**
 * Field names that cannot appear inside a `$or` alternative: the operators and the words reserved for
 * future ones (aws/event-ruler Constants.RESERVED_FIELD_NAMES_IN_OR_RELATIONSHIP).
 */
const RESERVED_IN_OR = new Set([
  ...['exactly', 'equals-ignore-case', 'prefix', 'suffix', 'anything-but', 'exists', 'wildcard'],
  ...['numeric', 'cidr', 'html', '=', '<', '<=', '>', '>=', 'regex', 'not-wildcard'],
  ...['not-equals-ignore-case', 'date-after', 'date-on-or-after', 'date-before', 'date-on-or-before'],
  ...['in-date-range', 'ip-address-in-range', 'ip-address-not-in-range'],
]);

/**
 * Compiles an EventBridge event pattern (an object, or its JSON text) into a predicate over events.
 * The same content filtering serves EventBridge rules, SNS filter policies and Lambda filter
 * criteria: nothing here knows which service the event came from. Throws a PatternError naming the
 * field at fault for a pattern EventBridge would refuse.
 *
 * Semantics (docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html and the rule
 * engine aws/event-ruler): fields AND, a field's values OR; every field the pattern names must be in
 * the event (except for `exists: false`); an event value that is an array matches when any element
 * does; objects inside arrays are matched element by element, so two fields never match from two
 * different elements of the same array; null and "" are ordinary values, distinct from a missing
 * field; numbers compare as numbers.
 */
export function compilePattern(pattern: unknown): (event: unknown) => boolean {
  const root = compileObject(parseIfText(pattern), '', false);
  return (event) => matchNode(root, event);
}

/** Compiles and matches once; prefer compilePattern to match many events. */
export function matchesPattern(pattern: unknown, event: unknown): boolean {
  return compilePattern(pattern)(event);
}

function parseIfText(pattern: unknown): unknown {
  if (typeof pattern !== 'string') return pattern;
  try {
    return JSON.parse(pattern);
  } catch (error) {
    throw new PatternError(`Event pattern is not valid JSON: ${(error as Error).message}`);
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function compileObject(pattern: unknown, path: string, insideOr: boolean): ObjectNode {
  if (!isObject(pattern)) fail(path, path ? 'must be an object or an array' : 'Filter is not an object');
  const keys = Object.keys(pattern);
  if (keys.length === 0) fail(path, 'Empty objects are not allowed');
  const node: ObjectNode = { fields: [], ors: [] };
  for (const key of keys) {
    const value = pattern[key];
    const at = path ? `${path}.${key}` : key;
    if (key === '$or') {
      node.ors.push(compileOr(value, path));
      continue;
    }
    if (insideOr && RESERVED_IN_OR.has(key)) {
      fail(at, `${key} is a reserved field name which cannot be used inside $or.`);
    }
    if (Array.isArray(value)) node.fields.push({ key, kind: 'leaf', test: compileLeafList(at, value) });
    else if (isObject(value))
      node.fields.push({ key, kind: 'object', node: compileObject(value, at, insideOr) });
    else fail(at, `"${key}" must be an object or an array`);
  }
  return node;
}

function compileOr(value: unknown, path: string): ObjectNode[] {
  const at = path ? `${path}.$or` : '$or';
  if (!Array.isArray(value)) fail(at, 'It must be an array of objects.');
  if (value.some((alternative) => !isObject(alternative))) {
    fail(at, 'Only JSON objects are allowed in the array of $or.');
  }
  if (value.length < 2) fail(at, 'There must be at least 2 objects in $or.');
  return value.map((alternative) => compileObject(alternative, path, true));
}

/** The objects a value stands for: itself, or the objects among an array's (nested) elements. */
function objectsOf(value: unknown): Record<string, unknown>[] {
  if (isObject(value)) return [value];
  if (Array.isArray(value)) return value.flatMap(objectsOf);
  return [];
}

/** The leaf values (strings, numbers, booleans, null) of a field: itself, or an array's elements. */
function leavesOf(value: unknown): unknown[] {
  if (value === undefined || isObject(value)) return [];
  if (Array.isArray(value)) return value.flatMap(leavesOf);
  return [value];
}

/**
 * A node against an event value: an object is tested directly, an array of objects through any one
 * element, and anything else as if it had none of the fields (which only `exists: false` accepts).
 */
function matchNode(node: ObjectNode, value: unknown): boolean {
  const objects = objectsOf(value);
  if (objects.length === 0) return matchObject(node, undefined);
  return objects.some((object) => matchObject(node, object));
}

function matchObject(node: ObjectNode, object: Record<string, unknown> | undefined): boolean {
  for (const field of node.fields) {
    const value = object !== undefined && Object.hasOwn(object, field.key) ? object[field.key] : undefined;
    const ok = field.kind === 'leaf' ? field.test(leavesOf(value)) : matchNode(field.node, value);
    if (!ok) return false;
  }
  return node.ors.every((alternatives) =>
    alternatives.some((alternative) => matchObject(alternative, object)),
  );
}
