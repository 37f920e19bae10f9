import { fail } from './pattern-error';

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/**
 * `{"numeric": [">", 0, "<=", 5]}`: `=` with one number; `>` or `>=` with one number, optionally
 * followed by `<` or `<=` and a greater number; `<` or `<=` with one number. The grammar and messages
 * follow EventBridge's rule engine (aws/event-ruler JsonRuleCompiler). Matches JSON numbers only,
 * compared as numbers (so 3.018e2 equals 301.8); a string such as "5" never matches.
 */
export function compileNumeric(path: string, terms: unknown): (value: unknown) => boolean {
  if (!Array.isArray(terms)) fail(path, 'Value of numeric must be an array.');
  if (terms.length === 0) fail(path, 'Value of numeric must not be an empty array.');
  const [operator, operand, ...rest] = terms;
  if (typeof operator !== 'string') {
    fail(path, `Invalid member in numeric match: ${JSON.stringify(operator)}`);
  }
  if (!['=', '<', '<=', '>', '>='].includes(operator)) {
    fail(path, `Unrecognized numeric range operator: ${operator}`);
  }
  if (!isNumber(operand)) fail(path, `Value of ${operator} must be numeric`);
  if (operator === '=' || operator === '<' || operator === '<=') {
    if (rest.length > 0) fail(path, 'Too many elements in numeric expression');
    if (operator === '=') return (value) => value === operand;
    return operator === '<'
      ? (value) => isNumber(value) && value < operand
      : (value) => isNumber(value) && value <= operand;
  }
  const above = operator === '>' ? (value: number) => value > operand : (value: number) => value >= operand;
  if (rest.length === 0) return (value) => isNumber(value) && above(value);
  const [upperOperator, upper, ...extra] = rest;
  if (typeof upperOperator !== 'string') {
    fail(path, `Bad value in numeric range: ${JSON.stringify(upperOperator)}`);
  }
  if (upperOperator !== '<' && upperOperator !== '<=') {
    fail(path, `Bad numeric range operator: ${upperOperator}`);
  }
  if (!isNumber(upper)) fail(path, `Value of ${upperOperator} must be numeric`);
  if (extra.length > 0) fail(path, 'Too many terms in numeric range expression');
  if (upper <= operand) fail(path, 'Bottom must be less than top');
  const below = upperOperator === '<' ? (value: number) => value < upper : (value: number) => value <= upper;
  return (value) => isNumber(value) && above(value) && below(value);
}
