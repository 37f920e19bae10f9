import { fail } from './pattern-error';
import { compileWildcard } from './wildcard';

type Test = (value: unknown) => boolean;

const lower = (text: string) => text.toLowerCase();

/** The string forms anything-but accepts inside an object, each as "does this string hit the set". */
const STRING_FORMS: Record<string, (path: string, values: string[]) => (text: string) => boolean> = {
  prefix: (path, values) => {
    if (values.includes('')) fail(path, 'Null prefix/suffix not allowed');
    return (text) => values.some((value) => text.startsWith(value));
  },
  suffix: (path, values) => {
    if (values.includes('')) fail(path, 'Null prefix/suffix not allowed');
    return (text) => values.some((value) => text.endsWith(value));
  },
  'equals-ignore-case': (_path, values) => {
    const set = new Set(values.map(lower));
    return (text) => set.has(lower(text));
  },
  wildcard: (path, values) => {
    const tests = values.map((value) => {
      try {
        return compileWildcard(value);
      } catch (error) {
        return fail(path, (error as Error).message);
      }
    });
    return (text) => tests.some((test) => test(text));
  },
};

/**
 * `anything-but`: a string, a number, a list of strings or of numbers, or an object with one of
 * `prefix`, `suffix`, `equals-ignore-case`, `wildcard` (a string or a list of strings). It matches a
 * present value that is not excluded; a value of another type (a number against a list of strings,
 * true, null) is never excluded. It never matches a missing field.
 */
export function compileAnythingBut(path: string, operand: unknown): Test {
  if (typeof operand === 'string' || typeof operand === 'number') return excluding(path, [operand]);
  if (Array.isArray(operand)) return excluding(path, operand);
  if (operand !== null && typeof operand === 'object') {
    const keys = Object.keys(operand);
    if (keys.length === 0) fail(path, 'Anything-But expression name not found');
    if (keys.length > 1) fail(path, 'Only one key allowed in anything-but expression');
    const form = STRING_FORMS[keys[0]];
    if (!form) fail(path, `Unsupported anything-but pattern: ${keys[0]}`);
    const raw = (operand as Record<string, unknown>)[keys[0]];
    const values = Array.isArray(raw) ? raw : [raw];
    if (values.length === 0) fail(path, 'Empty arrays are not allowed');
    if (values.some((value) => typeof value !== 'string')) {
      fail(path, `anything-but ${keys[0]} match pattern must be a string or a list of strings`);
    }
    const hits = form(path, values as string[]);
    return (value) => typeof value !== 'string' || !hits(value);
  }
  return fail(path, 'Value of anything-but must be an array or single string/number value.');
}

function excluding(path: string, values: unknown[]): Test {
  if (values.some((value) => typeof value !== 'string' && typeof value !== 'number')) {
    fail(path, 'Inside anything but list, start|null|boolean is not supported.');
  }
  const strings = new Set(values.filter((value): value is string => typeof value === 'string'));
  const numbers = new Set(values.filter((value): value is number => typeof value === 'number'));
  const kinds = (strings.size > 0 ? 1 : 0) + (numbers.size > 0 ? 1 : 0);
  if (kinds !== 1) {
    fail(
      path,
      'Inside anything but list, either all values are number or string, mixed type is not supported',
    );
  }
  return (value) => !(strings.has(value as string) || numbers.has(value as number));
}
