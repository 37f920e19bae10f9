import { compilePattern } from '../../filter/event-pattern';
import { isObject } from './context';

/**
 * An object an EventBridge pattern (or an SNS filter policy) accepts, field by field: the first
 * literal value of each field's list (the pattern `{"source": ["shop", "billing"]}` gives
 * `{"source": "shop"}`), else a value made for its first operator that the field's list accepts
 * (`prefix`, `suffix`, `equals-ignore-case`, `wildcard`, `numeric`, `anything-but`, `cidr`, `exists`);
 * nested objects in turn, and of each `$or` its first alternative. Each field's value is checked
 * against the field's own list with the shared matcher; a field nothing could be made for is left
 * out. The pattern must be valid (compilePattern's checks).
 */
export function sampleOfPattern(pattern: unknown): Record<string, unknown> {
  const parsed: unknown = typeof pattern === 'string' ? JSON.parse(pattern) : pattern;
  return isObject(parsed) ? sampleObject(parsed) : {};
}

function sampleObject(pattern: Record<string, unknown>): Record<string, unknown> {
  const sample: Record<string, unknown> = {};
  for (const [key, rule] of Object.entries(pattern)) {
    if (key === '$or') {
      const first = Array.isArray(rule) ? rule.find(isObject) : undefined;
      if (first) Object.assign(sample, sampleObject(first));
      continue;
    }
    if (isObject(rule)) {
      sample[key] = sampleObject(rule);
      continue;
    }
    if (!Array.isArray(rule)) continue;
    const accepts = compilePattern({ [key]: rule });
    const found = candidates(rule).find((value) => accepts(value === ABSENT ? {} : { [key]: value }));
    if (found !== undefined && found !== ABSENT) sample[key] = found;
  }
  return sample;
}

/** The field left out, for `exists: false`. */
const ABSENT = Symbol('absent');

const isLiteral = (value: unknown) =>
  value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/** Values worth trying for a field's list, literals first, then per operator, then generic ones. */
function candidates(rule: unknown[]): unknown[] {
  const values: unknown[] = rule.filter(isLiteral);
  for (const matcher of rule.filter(isObject)) {
    for (const [name, operand] of Object.entries(matcher)) values.push(...forOperator(name, operand));
  }
  values.push('sample', 'other-sample', 1, 0, -1, true, ABSENT);
  return values;
}

function forOperator(name: string, operand: unknown): unknown[] {
  switch (name) {
    case 'prefix':
      return [`${textOf(operand)}sample`];
    case 'suffix':
      return [`sample${textOf(operand)}`];
    case 'equals-ignore-case':
      return [operand];
    case 'wildcard':
      return typeof operand === 'string' ? [operand.replace(/\*/g, 'sample')] : [];
    case 'numeric':
      return Array.isArray(operand) ? [numberWithin(operand)] : [];
    case 'cidr':
      return typeof operand === 'string' ? [operand.split('/')[0]] : [];
    case 'exists':
      return operand === false ? [ABSENT] : ['sample'];
    case 'anything-but':
      return anythingBut(operand);
    default:
      return [];
  }
}

/** The text of `prefix`/`suffix`: a string, or `{"equals-ignore-case": "..."}`. */
function textOf(operand: unknown): string {
  if (typeof operand === 'string') return operand;
  if (isObject(operand) && typeof operand['equals-ignore-case'] === 'string') {
    return operand['equals-ignore-case'];
  }
  return '';
}

/** A number the `numeric` conditions (`[">", 0, "<=", 5]`, `["=", 3]`) all accept. */
function numberWithin(conditions: unknown[]): number {
  let low = -Infinity;
  let high = Infinity;
  for (let i = 0; i + 1 < conditions.length; i += 2) {
    const operator = conditions[i];
    const value = Number(conditions[i + 1]);
    if (operator === '=') return value;
    if (operator === '>' || operator === '>=') low = Math.max(low, value);
    if (operator === '<' || operator === '<=') high = Math.min(high, value);
  }
  if (low === -Infinity && high === Infinity) return 0;
  if (low === -Infinity) return high - 1;
  if (high === Infinity) return low + 1;
  return (low + high) / 2;
}

/** Values `anything-but` does not exclude: beside the generic ones, one past the excluded numbers. */
function anythingBut(operand: unknown): unknown[] {
  const excluded = Array.isArray(operand) ? operand : [operand];
  const numbers = excluded.filter((value): value is number => typeof value === 'number');
  return numbers.length > 0 ? [Math.max(...numbers) + 1] : [];
}
