import { strict as assert } from 'node:assert';
import { compilePattern, matchesPattern, PatternError } from '../../src/filter/event-pattern';
import { LOGIC_ROWS } from './event-pattern-logic-rows';
import { OPERATOR_ROWS } from './event-pattern-operator-rows';
import { SIMPLE_ROWS, type Row } from './event-pattern-rows';

/** Patterns EventBridge refuses, with the message (aws/event-ruler JsonRuleCompiler, CIDR, WildcardParser). */
const INVALID: Array<{ why: string; pattern: unknown; error: RegExp }> = [
  { why: 'an array', pattern: [], error: /Filter is not an object/ },
  { why: 'a number', pattern: 5, error: /Filter is not an object/ },
  { why: 'JSON text of a string', pattern: '"x"', error: /Filter is not an object/ },
  { why: 'text that is not JSON', pattern: '{source: x}', error: /not valid JSON/ },
  { why: 'an empty object', pattern: {}, error: /Empty objects are not allowed/ },
  { why: 'an empty nested object', pattern: { detail: {} }, error: /^detail: Empty objects are not allowed/ },
  {
    why: 'a bare value',
    pattern: { source: 'aws.ec2' },
    error: /^source: "source" must be an object or an array/,
  },
  { why: 'an empty value list', pattern: { source: [] }, error: /Empty arrays are not allowed/ },
  {
    why: 'a list inside the list',
    pattern: { source: [['a']] },
    error: /Match value must be String, number/,
  },
  { why: 'an empty match expression', pattern: { source: [{}] }, error: /Match expression name not found/ },
  {
    why: 'two operators in one expression',
    pattern: { s: [{ prefix: 'a', suffix: 'b' }] },
    error: /Only one key/,
  },
  { why: 'an unknown operator', pattern: { s: [{ regex: 'x' }] }, error: /Unrecognized match type regex/ },
  {
    why: 'a numeric prefix',
    pattern: { detail: { state: [{ prefix: 5 }] } },
    error: /^detail\.state: prefix match pattern must be a string/,
  },
  {
    why: 'prefix with another option',
    pattern: { s: [{ prefix: { foo: 'x' } }] },
    error: /Unsupported prefix pattern: foo/,
  },
  {
    why: 'suffix with another option',
    pattern: { s: [{ suffix: { prefix: 'x' } }] },
    error: /Unsupported suffix pattern/,
  },
  {
    why: 'equals-ignore-case with a number',
    pattern: { s: [{ 'equals-ignore-case': 5 }] },
    error: /must be a string/,
  },
  {
    why: 'numeric not an array',
    pattern: { n: [{ numeric: 5 }] },
    error: /Value of numeric must be an array/,
  },
  { why: 'numeric empty', pattern: { n: [{ numeric: [] }] }, error: /must not be an empty array/ },
  {
    why: 'numeric with a string operand',
    pattern: { n: [{ numeric: ['=', '5'] }] },
    error: /Value of = must be numeric/,
  },
  {
    why: 'numeric with an unknown operator',
    pattern: { n: [{ numeric: ['!=', 1] }] },
    error: /Unrecognized numeric range operator: !=/,
  },
  {
    why: 'numeric with two lower bounds',
    pattern: { n: [{ numeric: ['>', 1, '>', 2] }] },
    error: /Bad numeric range operator: >/,
  },
  {
    why: 'numeric < followed by more',
    pattern: { n: [{ numeric: ['<', 5, '>', 1] }] },
    error: /Too many elements/,
  },
  {
    why: 'numeric with an extra term',
    pattern: { n: [{ numeric: ['>', 1, '<', 5, 6] }] },
    error: /Too many terms/,
  },
  {
    why: 'numeric with an empty range',
    pattern: { n: [{ numeric: ['>', 5, '<', 1] }] },
    error: /Bottom must be less than top/,
  },
  { why: 'exists with a string', pattern: { e: [{ exists: 'true' }] }, error: /either true or false/ },
  {
    why: 'anything-but true',
    pattern: { a: [{ 'anything-but': true }] },
    error: /must be an array or single string\/number/,
  },
  {
    why: 'anything-but a mixed list',
    pattern: { a: [{ 'anything-but': [1, 'a'] }] },
    error: /mixed type is not supported/,
  },
  {
    why: 'anything-but null in a list',
    pattern: { a: [{ 'anything-but': [null] }] },
    error: /start\|null\|boolean/,
  },
  {
    why: 'anything-but an empty prefix',
    pattern: { a: [{ 'anything-but': { prefix: '' } }] },
    error: /Null prefix\/suffix/,
  },
  {
    why: 'anything-but another option',
    pattern: { a: [{ 'anything-but': { regex: 'x' } }] },
    error: /Unsupported anything-but pattern: regex/,
  },
  {
    why: 'anything-but a bad wildcard',
    pattern: { a: [{ 'anything-but': { wildcard: 'a**' } }] },
    error: /Consecutive wildcard/,
  },
  {
    why: 'wildcard with **',
    pattern: { w: [{ wildcard: 'a**b' }] },
    error: /Consecutive wildcard characters at pos 1/,
  },
  {
    why: 'wildcard escaping a letter',
    pattern: { w: [{ wildcard: 'a\\b' }] },
    error: /Invalid escape character at pos 1/,
  },
  {
    why: 'wildcard with a number',
    pattern: { w: [{ wildcard: 5 }] },
    error: /wildcard match pattern must be a string/,
  },
  { why: 'cidr without a mask', pattern: { ip: [{ cidr: '10.0.0.0' }] }, error: /one '\/' required/ },
  {
    why: 'cidr with a word as mask',
    pattern: { ip: [{ cidr: '10.0.0.0/x' }] },
    error: /mask bits must be an integer/,
  },
  { why: 'cidr /32', pattern: { ip: [{ cidr: '10.0.0.1/32' }] }, error: /IPv4 mask bits must be < 32/ },
  { why: 'cidr /128', pattern: { ip: [{ cidr: '2001:db8::1/128' }] }, error: /IPv6 mask bits must be < 128/ },
  {
    why: 'cidr of no address',
    pattern: { ip: [{ cidr: '300.0.0.0/8' }] },
    error: /Invalid IP address: 300\.0\.0\.0/,
  },
  { why: '$or as an object', pattern: { $or: { a: ['x'] } }, error: /^\$or: It must be an array/ },
  { why: '$or with one alternative', pattern: { $or: [{ a: ['x'] }] }, error: /at least 2 objects/ },
  { why: '$or with a string alternative', pattern: { $or: [{ a: ['x'] }, 'b'] }, error: /Only JSON objects/ },
  {
    why: '$or with an operator as field',
    pattern: { $or: [{ prefix: ['x'] }, { b: ['y'] }] },
    error: /prefix is a reserved field name/,
  },
  {
    why: 'a nested $or with one alternative',
    pattern: { detail: { $or: [{ a: ['x'] }] } },
    error: /^detail\.\$or: /,
  },
];

function describeRows(title: string, rows: Row[]) {
  describe(title, () => {
    for (const row of rows) {
      it(`${row.matches ? 'matches' : 'does not match'}: ${row.why}`, () => {
        assert.equal(matchesPattern(row.pattern, row.event), row.matches);
      });
    }
  });
}

describe('filter/event-pattern', () => {
  describeRows('values, null and empty strings, arrays', SIMPLE_ROWS);
  describeRows('prefix, suffix, equals-ignore-case, wildcard, anything-but', OPERATOR_ROWS);
  describeRows('numeric, cidr, exists, $or and combinations', LOGIC_ROWS);

  describe('refuses invalid patterns with a PatternError that names the field', () => {
    for (const row of INVALID) {
      it(`refuses ${row.why}`, () => {
        assert.throws(
          () => compilePattern(row.pattern),
          (error: unknown) => error instanceof PatternError && row.error.test(error.message),
        );
      });
    }
  });

  it('compiles once and matches many events', () => {
    const matches = compilePattern('{"source": ["aws.ec2"], "detail": {"n": [{"numeric": [">", 1]}]}}');
    assert.equal(matches({ source: 'aws.ec2', detail: { n: 2 } }), true);
    assert.equal(matches({ source: 'aws.ec2', detail: { n: 1 } }), false);
    assert.equal(matches({ source: 'aws.s3', detail: { n: 2 } }), false);
  });

  it('has at least a hundred rows taken from AWS examples', () => {
    assert.ok(SIMPLE_ROWS.length + OPERATOR_ROWS.length + LOGIC_ROWS.length >= 100);
  });
});
